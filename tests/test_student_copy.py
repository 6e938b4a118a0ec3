"""The student copy holds only what a student needs, and its report is the student's own: no teacher's
tools, a question and an answer cell for every paragraph of the workbook's analysis, chapters 01-04
unless EXTENSIONS=1, and a README true of the copy. The teacher collects the answers side by side.
Each test builds a copy (seconds) and reads its files; none runs the copy's notebooks.
The copy leaves this file out (helpers.teacher.student.TEACHER_ONLY)."""
import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.workbook import questions

from helpers.teacher import student
from helpers.teacher.notebooks import NotebookError, analysis_cells, without_prose

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(ROOT.glob("notebooks/[0-9][0-9]_*.ipynb"))


def run(args, cwd, **env):
    """`python args` in `cwd`, importing the helpers found there."""
    env = {**{k: v for k, v in os.environ.items() if k not in ("EXTENSIONS", "STUDENT_DIR")},
           "PYTHONPATH": str(cwd), **env}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300, stdin=subprocess.DEVNULL)


def cells(path):
    return json.loads(Path(path).read_text())["cells"]


def tagged(path, tag):
    return [c for c in cells(path) if tag in c.get("metadata", {}).get("tags", [])]


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    dest = tmp_path_factory.mktemp("copy") / "student"
    done = run(["-m", "helpers.teacher.student", str(dest)], ROOT)
    assert done.returncode == 0, done.stderr
    return dest


PROBE = """import numpy as np
from helpers.exercises import diagnose
print(diagnose._state({}, [0], np.zeros((1, 1)), np.zeros((1, 1))) == diagnose.STATE)"""


def test_the_copys_checks_hold_no_working_answer_and_run_without_it(copy):
    assert not (copy / "helpers" / "exercises" / "withheld.py").exists()
    done = run(["-c", PROBE], copy)
    assert done.returncode == 0 and done.stdout.split() == ["True"], done.stderr


def test_the_copy_holds_none_of_the_teachers_tools(copy):
    for name in student.TEACHER_ONLY:
        assert (ROOT / name).exists() and not (copy / name).exists(), name
    assert (copy / "helpers" / "workbook" / "questions.py").is_file() and (copy / "tests" / "test_my_exercises.py").is_file()
    done = subprocess.run(["make", "--no-print-directory", "exercises"], cwd=copy, capture_output=True, text=True)
    assert done.returncode != 0 and done.stderr.splitlines()[0] == (      # then make's own "Error 1"
        "error: this is a student copy: make exercises runs in the teacher's workbook")


def test_every_analysis_cell_becomes_a_question_and_an_answer_cell(copy):
    asked = 0
    for nb in NOTEBOOKS:
        solution, theirs = tagged(nb, questions.ANALYSIS), cells(copy / "notebooks" / nb.name)
        assert all("?" in c["metadata"].get("question", "") for c in solution), nb.name
        kinds = [t for c in theirs for t in c.get("metadata", {}).get("tags", [])
                 if t in (questions.ANALYSIS, questions.QUESTION, questions.ANSWER)]
        assert kinds == [questions.QUESTION, questions.ANSWER] * len(solution), nb.name   # in pairs, in order
        for c in theirs:
            source = "".join(c["source"])
            if c["cell_type"] == "code":
                ast.parse(source)                                   # what remains of a cell still runs
            if questions.ANSWER in c.get("metadata", {}).get("tags", []):
                assert questions.unanswered(source)
        asked += len(solution)
    assert asked >= 8
    first = [c for c in NOTEBOOKS if c.name.startswith("01_")][0]
    assert len(tagged(first, questions.ANALYSIS)) >= 1                # the assignment's chapters ask too


def prose_written(source):
    """Does a cell end with Markdown(...) of a helpers.workbook.prose* or conclusion function's words?"""
    body = ast.parse(source).body if source.strip() else []
    call = getattr(body[-1], "value", None) if body else None
    return (isinstance(call, ast.Call) and getattr(call.func, "id", "") == "Markdown" and bool(call.args)
            and re.search(r"^(prose\w*|conclusion)\.|paragraphs", ast.unparse(call.args[0])) is not None)


def test_every_paragraph_written_by_a_prose_helper_is_tagged_analysis():
    """A new chapter's paragraphs from helpers.workbook.prose*, or the conclusion's, become questions in the copy
    only when tagged; untagged, every student would hand in the workbook's words."""
    found = [(nb.name, i, questions.ANALYSIS in c["metadata"].get("tags", [])) for nb in NOTEBOOKS
             for i, c in enumerate(cells(nb)) if c["cell_type"] == "code" and prose_written("".join(c["source"]))]
    assert len(found) >= 8 and all(tagged for _, _, tagged in found), [f for f in found if not f[2]]


def test_the_workbooks_analysis_and_fast_path_claims_stay_out_of_the_copy(copy):
    text = "".join("".join(c["source"]) for nb in (copy / "notebooks").glob("*.ipynb") for c in cells(nb))
    for prose in ("Measured rather than eyeballed", "**Verdict.** The hand-written", "prose.sampling_summary",
                  "prose.gated_summary", "conclusion.paragraphs(r, K)\nMarkdown", "vectorised implementation",
                  "10^{-12}", "the fast implementation"):
        assert prose not in text, prose
    assert "from helpers.workbook.questions import numbers" in text


def test_the_report_holds_chapters_01_to_04_unless_extensions_are_on(copy):
    probe = ("from pathlib import Path; from helpers.workbook import report\n"
             "names = sorted(Path('notebooks').glob('[0-9][0-9]_*.ipynb'))\n"
             "print(' '.join(p.name[:2] for p in report.chapters(names)))")
    everything = " ".join(sorted(p.name[:2] for p in NOTEBOOKS))
    assert run(["-c", probe], copy).stdout.split() == ["01", "02", "03", "04"]
    assert run(["-c", probe], copy, EXTENSIONS="1").stdout.strip() == everything
    assert run(["-c", probe], ROOT).stdout.strip() == everything
    assert run(["-c", probe], ROOT, EXTENSIONS="0").stdout.split() == ["01", "02", "03", "04"]
    later = sorted(p.name for p in NOTEBOOKS if int(p.name[:2]) > 4)[0]
    done = run(["-m", "helpers.workbook.report", "execute", "--chapters", f"notebooks/{later}"], copy)
    assert done.returncode == 0 and done.stdout == (f"leaving out the extensions {later[:-6]} "
                                                    "(EXTENSIONS=1 make runs them too)\nno notebook to run\n")
    bad = run(["-m", "helpers.workbook.config"], copy, EXTENSIONS="2")
    assert bad.returncode == 2 and bad.stderr.strip() == "error: EXTENSIONS=2: must be 0 or 1"


def test_the_copys_pdf_tests_wait_for_make_and_say_so(copy):
    done = run(["-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "tests/test_report.py", "-k",
                "chapters or gradient or eleven"], copy)
    assert done.returncode == 0, done.stdout[-1500:]
    assert "has no outputs yet: the PDF tests read the executed notebooks, so run make first" in done.stdout


def test_the_copys_readme_tells_a_student_what_is_true_there(copy):
    readme = (copy / "README.md").read_text()
    for promise in ("python -m helpers.exercises check E2", "AUTHOR=", "EXTENSIONS=1", "git add",
                    "report/report.pdf", "QUICK=1 make"):
        assert promise in readme, promise
    for untrue in ("For teachers", "re-runs every notebook under nbval", "make exercises &&", "installs PyTorch (CPU)"):
        assert untrue not in readme, untrue
    assert "figures/" in (copy / ".gitignore").read_text()


def test_a_malformed_analysis_cell_is_named_in_one_line():
    import nbformat
    with pytest.raises(NotebookError, match="must end with Markdown"):
        without_prose("x = 1\nprint(x)", "nb.ipynb, cell 3")
    assert without_prose("x = 1\nMarkdown(f'{x}')", "w") == "x = 1"
    cell = nbformat.v4.new_code_cell("Markdown('a')", metadata={"tags": ["analysis"]})
    with pytest.raises(NotebookError, match="needs its question"):
        analysis_cells(cell, "1.1", "nb.ipynb, cell 2")


def answer(path, text):
    """Write `text` into the first answer cell of the notebook at `path`."""
    nb = json.loads(path.read_text())
    first = next(c for c in nb["cells"] if questions.ANSWER in c["metadata"].get("tags", []))
    first["source"] = text
    path.write_text(json.dumps(nb))
    return first["metadata"]["question_id"]


def test_the_answers_of_two_copies_side_by_side(copy, tmp_path):
    ann, bob = tmp_path / "ann", tmp_path / "bob"
    for d in (ann, bob):
        shutil.copytree(copy / "notebooks", d / "notebooks")
    qid = answer(ann / "notebooks" / "03_training.ipynb", "The loss fell because the network learned words.")
    done = run(["-m", "helpers.exercises", "answers", str(ann), str(bob)], ROOT)
    assert done.returncode == 0, done.stderr
    asked = sum(len(tagged(nb, questions.ANALYSIS)) for nb in NOTEBOOKS)
    sections = done.stdout.split("\n## ")[1:]
    assert len(sections) == asked
    mine = next(s for s in sections if s.startswith(f"{qid}: "))
    assert f"**`{ann}`**\n\n> The loss fell because the network learned words." in mine
    assert f"**`{bob}`**\n\n> **UNANSWERED**" in mine
    assert done.stdout.count("> **UNANSWERED**") == 2 * asked - 1
    missing = run(["-m", "helpers.exercises", "answers", str(tmp_path / "nobody")], ROOT)
    assert missing.returncode == 1 and missing.stderr.strip() == f"error: {tmp_path / 'nobody'}: not a directory"


def test_the_files_a_student_edits_say_so_and_no_other_does(copy):
    flagged = {str(p.relative_to(copy)) for p in (copy / "helpers").rglob("*.py")
               if p.read_text(encoding="utf-8").startswith("# YOUR FILE: you write E")}
    stubbed = {str(p.relative_to(copy)) for p in (copy / "helpers").rglob("*.py")
               if "raise NotImplementedError" in p.read_text(encoding="utf-8")}
    assert flagged and flagged == stubbed


def test_the_exercise_table_names_exactly_the_files_a_student_edits():
    from helpers.teacher import markers
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| exercise | what to write | where |"):]
    table = table[:table.index("\n\n")]
    named = set(re.findall(r"`(helpers/[\w/]+\.py)`", table))
    names = subprocess.run(["git", "ls-files", "helpers/*.py"], cwd=ROOT, capture_output=True, text=True).stdout
    edited = {n for n in names.split() if markers.parse((ROOT / n).read_text(encoding="utf-8"), n)}
    assert edited and named == edited
