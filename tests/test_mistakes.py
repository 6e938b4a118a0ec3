"""Each plausible mistake of tests/mistakes.py, made in a copy of helpers/, FAILs its exercise's
check as `make check-exercises` runs it (a process per exercise), with a hint that names its cause;
the solution and other correct answers PASS. The student copy leaves these files out: they quote
the solutions."""
import ast
import inspect
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import textwrap

import pytest

from helpers.teacher import markers, student
from helpers.exercises import oracles
from helpers.exercises.checks import EXERCISES
from mistakes import CORRECT, IN_COPY, MISTAKES, SAMPLE, TRAIN, Mistake

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif((ROOT / ".student").exists(), reason="a student copy has no solutions to break")


def edited(text, m):
    """`text` (of m.file) with m.old replaced by m.new, inside m.eid's SOLUTION regions only."""
    lines = text.splitlines(keepends=True)
    regions = [r for r in markers.parse(text, m.file) if r.ids == (m.eid,)]
    spans = [("".join(lines[:r.begin + 1]), "".join(lines[r.begin + 1:r.end])) for r in regions]
    found = [(before, body) for before, body in spans if m.old in body]
    assert sum(body.count(m.old) for _, body in spans) == 1, \
        f"{m.name}: {m.old!r} must occur once in {m.eid}'s regions of {m.file}: the solution changed"
    before, body = found[0]
    start = len(before) + body.index(m.old)
    return text[:start] + m.new + text[start + len(m.old):]


def run_check(tmp_path, m, withheld=True):
    """The row of m.eid from `python -m helpers.exercises check --json` in a copy of helpers/ with m
    made (without helpers/exercises/withheld.py, as in a student copy, unless `withheld`)."""
    shutil.copytree(ROOT / "helpers", tmp_path / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    if not withheld:
        (tmp_path / "helpers" / "exercises" / "withheld.py").unlink()
    path = tmp_path / m.file
    path.write_text(edited(path.read_text(), m))
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-m", "helpers.exercises", "check", "--json", m.eid], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    rows = {r["id"]: r for r in json.loads(done.stdout)}
    return rows[m.eid], done.returncode


def test_the_catalogue_covers_every_exercise_and_its_edits_are_exact():
    assert len(MISTAKES) >= 20 and {"E1", "E2", "E3", "E4", "E5"} <= {m.eid for m in MISTAKES}
    assert len({(m.eid, m.name) for m in MISTAKES + CORRECT}) == len(MISTAKES + CORRECT)
    for m in MISTAKES + CORRECT:
        text = (ROOT / m.file).read_text()
        assert edited(text, m) != text
        assert m.eid in EXERCISES and m.file in EXERCISES[m.eid].where


def test_an_edit_outside_the_region_is_refused():
    m = MISTAKES[0]._replace(old="import math")
    with pytest.raises(AssertionError, match="must occur once"):
        edited((ROOT / m.file).read_text(), m)


def test_the_student_copy_leaves_the_catalogue_out():
    assert {"tests/mistakes.py", "tests/test_mistakes.py"} <= set(student.TEACHER_ONLY)
    assert not any(n.startswith(student.TEACHER_ONLY) for n in student.tracked(ROOT))


@pytest.mark.parametrize("m", MISTAKES, ids=lambda m: f"{m.eid} {m.name}")
def test_a_plausible_mistake_fails_with_a_hint_naming_its_cause(tmp_path, m):
    row, code = run_check(tmp_path, m)
    assert row["status"] == "FAIL" and code == 1, row
    assert "\n" not in row["detail"]
    if m.cause is not None:
        assert "hint: " in row["detail"] and m.cause in row["detail"].split("hint: ", 1)[1], row["detail"]


@pytest.mark.parametrize("m", [m for m in MISTAKES if m.name in IN_COPY], ids=lambda m: f"{m.eid} {m.name}")
def test_in_a_student_copy_the_hint_still_names_the_cause(tmp_path, m):
    row, code = run_check(tmp_path, m, withheld=False)
    assert row["status"] == "FAIL" and code == 1, row
    assert m.cause in row["detail"].split("hint: ", 1)[1], row["detail"]


def test_the_copy_cases_are_in_the_catalogue():
    assert set(IN_COPY) <= {m.name for m in MISTAKES}


@pytest.mark.parametrize("m", CORRECT, ids=lambda m: f"{m.eid} {m.name}")
def test_another_correct_answer_passes(tmp_path, m):
    row, code = run_check(tmp_path, m)
    assert row["status"] == "PASS" and code == 0, row


# (exercise, file, its solution's code, the oracle, what the student's function does with it) for
# every oracle that computes an exercise's answer: pasted in, its body reaches PyTorch.
PASTES = [
    ("E5", SAMPLE, "q = p * mask / p[order[:keep]].sum()", oracles.nucleus_rows, "q = nucleus_rows(p[None], top_p)[0]"),
    ("E7", "helpers/gradcheck.py", "return float(np.linalg.norm(a - b) / denom) if denom > 0 else 0.0",
     oracles.rel_error, "return rel_error(a, b)"),
    ("E8", TRAIN, "if e + tau >= seg:\n        return 0, True\n    return e, False", oracles.course_chunks,
     "starts, resets = course_chunks(seg + 1, tau, e // tau + 1)\n    return int(starts[-1]), bool(resets[-1])"),
    ("E8", TRAIN, "smooth = loss if smooth is None else 0.999 * smooth + 0.001 * loss", oracles.smooth_losses,
     "smooth = loss if smooth is None else float(smooth_losses([smooth, loss])[1])"),
]


def pasted(eid, file, old, oracle, use):
    """A Mistake that pastes `oracle`'s source into the student's function, before `use` calls it."""
    source = textwrap.indent(inspect.getsource(oracle), "    ").lstrip()
    return Mistake(eid, f"{oracle.__name__} pasted", file, old, f"{source}    {use}", None)


@pytest.mark.parametrize("paste", PASTES, ids=lambda p: f"{p[0]} {p[3].__name__}")
def test_an_oracle_pasted_into_the_exercise_fails_the_shortcut_check(tmp_path, paste):
    row, code = run_check(tmp_path, pasted(*paste))
    assert row["status"] == "FAIL" and code == 1, row
    assert "uses torch" in row["detail"], row["detail"]


def test_no_hint_quotes_a_line_of_a_solution():
    """No text of the checks (their hints, labels and docstrings) holds a code line of a SOLUTION region."""
    solutions = set()
    for name in student.tracked(ROOT):
        if name.startswith("helpers/") and name.endswith(".py") and "BEGIN SOLUTION" in (ROOT / name).read_text():
            solutions |= markers.solution_lines((ROOT / name).read_text(), name)
    assert solutions
    for path in sorted((ROOT / "helpers" / "exercises").glob("*.py")):
        texts = [n.value for n in ast.walk(ast.parse(path.read_text()))
                 if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        quoted = [(line, text) for line in solutions for text in texts if line in text]
        assert not quoted, f"{path.name} quotes {quoted[0][0]!r} in {quoted[0][1][:80]!r}"
