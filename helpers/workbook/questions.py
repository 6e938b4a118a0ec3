"""The student's own words in the report: questions and answer cells.

In the workbook, a cell whose paragraph of analysis is computed from the numbers carries the tag
`analysis`, its question in the cell's metadata ("question") and, optionally, the numbers the
question is about ("numbers": [[label, the body of an f-string]]). In a student copy (`make exercises`) each
such cell becomes a table of the student's numbers, the question, and an answer cell whose
placeholder shows as **Unanswered** in the PDF until the student replaces it.

    python -m helpers.exercises answers DIR... > answers.md    every copy's answers, per question
"""
import json
from pathlib import Path

ANALYSIS, QUESTION, ANSWER = "analysis", "question", "answer"       # cell tags
PLACEHOLDER = ("> **Unanswered.** *Write your answer here, in your own words, in place of this text "
               "(double-click the cell in Jupyter to edit it).*")


def numbers(rows):
    """A Markdown table of the student's numbers. rows: {label: value as text}."""
    from IPython.display import Markdown
    lines = ["| your numbers | |", "|:---|---:|"] + [f"| {k} | {v} |" for k, v in rows.items()]
    return Markdown("\n".join(lines))


def unanswered(text):
    """Is an answer cell's text still the placeholder (or empty)?"""
    return not text.strip() or text.strip() == PLACEHOLDER


def answers(notebook):
    """[(question id, question, answer text)] of one notebook's answer cells, in order."""
    try:
        cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    except (ValueError, KeyError, TypeError) as e:
        raise ValueError(f"{notebook}: not a readable notebook ({type(e).__name__})") from None
    found = []
    for cell in cells:
        meta = cell.get("metadata", {})
        if ANSWER in meta.get("tags", []):
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            found.append((meta.get("question_id", "?"), meta.get(QUESTION, ""), text))
    return found


def collect(dirs):
    """{question id: (question, {dir: answer text or None when unanswered or missing})}, in the
    order the questions first appear, from the notebooks of each submitted copy in `dirs`."""
    table = {}
    for d in dirs:
        for nb in sorted(Path(d).glob("notebooks/[0-9][0-9]_*.ipynb")):
            for qid, question, text in answers(nb):
                table.setdefault(qid, (question, {}))[1][str(d)] = None if unanswered(text) else text.strip()
    return table


def side_by_side(dirs):
    """One Markdown document: per question, each copy's answer, an unanswered one marked."""
    out = ["# Answers", "", f"{len(dirs)} submission(s): " + ", ".join(f"`{d}`" for d in dirs), ""]
    table = collect(dirs)
    if not table:
        out.append("No answer cells found: are these student copies made by `make exercises`?")
    for qid, (question, given) in table.items():
        out += [f"## {qid}: {question}", ""]
        for d in dirs:
            text = given.get(str(d))
            body = "\n".join("> " + line for line in text.splitlines()) if text else "> **UNANSWERED**"
            out += [f"**`{d}`**", "", body, ""]
    return "\n".join(out) + "\n"
