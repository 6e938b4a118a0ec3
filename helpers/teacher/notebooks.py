"""`make exercises`: a workbook notebook as the student copy has it (helpers.teacher.student calls this).

Outputs, execution counts and timings are cleared. Each cell tagged `analysis` (helpers.workbook.questions)
becomes: its code without the closing `Markdown(...)` that wrote the workbook's paragraph, plus a
table of the student's numbers when the cell names some; the question, its tables numbered
(helpers.workbook.numbering); an answer cell holding the placeholder. Sentences true of the workbook but not of a copy (it has no fast path) are replaced
(NOTEBOOK_FIXES), as README_FIXES does for the README.
"""
import ast
from pathlib import Path

import nbformat

from helpers.workbook.numbering import numbered
from helpers.workbook.questions import ANALYSIS, ANSWER, PLACEHOLDER, QUESTION

NOTEBOOK_FIXES = {
    "02_gradients.ipynb": {
        "The\nfast, vectorised implementation used for training is the one checked here; the tests also check\n"
        "the per-step reference and prove the two agree to $10^{-12}$.":
            "The\nfunction training calls, `rnn.loss_and_grads`, is the one checked here: in this copy it runs\n"
            "your per-step `forward_reference` and `backward_reference` (`helpers/rnn.py` runs them).",
        "Every weight gradient is then a sum over time, which the fast implementation computes as one\n"
        "matrix product after the loop:":
            "Every weight gradient is then a sum over time, which the per-step reference adds up inside\n"
            "the loop:",
    },
}


class NotebookError(ValueError):
    """Why a notebook cannot be made into the student's; one line naming it."""


def without_prose(source, where):
    """The code of an analysis cell without its last statement, the `Markdown(...)` that wrote the
    workbook's paragraph; NotebookError when it does not end with one."""
    body = ast.parse(source).body
    last = body[-1] if body else None
    call = getattr(last, "value", None)
    if not (isinstance(last, ast.Expr) and isinstance(call, ast.Call) and getattr(call.func, "id", "") == "Markdown"):
        raise NotebookError(f"{where}: an analysis cell must end with Markdown(...), the paragraph it replaces")
    return "\n".join(source.splitlines()[:last.lineno - 1]).rstrip()


def numbers_code(rows):
    """Code that shows the student's numbers: rows [[label, the body of an f-string]]."""
    lines = [f"    {label!r}: f{body!r}," for label, body in rows]
    return "\n".join(["from helpers.workbook.questions import numbers", "numbers({", *lines, "})"])


def cell_id(kind, qid):
    """The id of a cell the copy adds for question `qid` ('3.1'): the same in every build, so that
    a student's answer cell keeps its id when the copy is rebuilt (nbformat's ids are random)."""
    return f"{kind}-{qid.replace('.', '-')}"


def analysis_cells(cell, qid, where):
    """[the cell's code (if any is left), the question, the answer cell] for one analysis cell."""
    question = cell.metadata.get(QUESTION)
    if not question:
        raise NotebookError(f"{where}: an analysis cell needs its question in metadata['question']")
    question = numbered(question)          # its {table:NAME}s as the tables' numbers
    out = []
    if cell.cell_type == "code":
        code = without_prose(cell.source, where)
        rows = cell.metadata.get("numbers")
        code = "\n\n".join(part for part in (code, rows and numbers_code(rows)) if part)
        if code:
            tags = [t for t in cell.metadata.get("tags", []) if t != ANALYSIS]
            meta = {k: v for k, v in cell.metadata.items() if k not in (QUESTION, "numbers")}
            out.append(nbformat.v4.new_code_cell(code, metadata={**meta, "tags": tags}, id=cell_id("numbers", qid)))
    ids = {"question_id": qid, QUESTION: question}
    out.append(nbformat.v4.new_markdown_cell(f"**Question {qid}.** {question}",
                                             metadata={"tags": [QUESTION], **ids}, id=cell_id("question", qid)))
    out.append(nbformat.v4.new_markdown_cell(PLACEHOLDER, metadata={"tags": [ANSWER], **ids},
                                             id=cell_id("answer", qid)))
    return out


def student_notebook(src, dst):
    """Write the student's version of the notebook `src` to `dst`; returns its number of questions."""
    nb = nbformat.read(src, as_version=4)
    name, chapter = Path(src).name, Path(src).name[:2].lstrip("0") or "0"
    fixes, cells, asked = dict(NOTEBOOK_FIXES.get(name, {})), [], 0
    for i, cell in enumerate(nb.cells, 1):
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        for old in [old for old in fixes if old in cell.source]:
            cell.source = cell.source.replace(old, fixes.pop(old))
        if ANALYSIS in cell.metadata.get("tags", []):
            asked += 1
            cells += analysis_cells(cell, f"{chapter}.{asked}", f"{name}, cell {i}")
        else:
            cells.append(cell)
    if fixes:
        raise NotebookError(f"{name} no longer says {next(iter(fixes))[:60]!r}: update NOTEBOOK_FIXES "
                            f"in helpers/teacher/notebooks.py")
    nb.cells = cells
    nbformat.write(nb, dst)
    return asked
