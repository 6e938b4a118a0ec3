"""`make exercises`: the student copy of this workbook, written to student/ (or $STUDENT_DIR).

The copy is built from the files git tracks, read from the working tree: every marked region of a
Python file replaced (helpers.teacher.markers) and checked with `ast`, the course modules whose fast
path would give an exercise away replaced whole by their substitutes (helpers.teacher.substitutes),
the teacher-only parts of the README and its docs/ pages replaced by the student's, notebook outputs
cleared and their analysis turned into questions (helpers.teacher.notebooks), the solution's figures
and PDF, the teacher's tools (TEACHER_ONLY) and the tests that write an answer out left out, and a
fresh git repository with one commit, so that no history carries the answers. A `.student` file
marks the copy: there `make test` leaves nbval out (no committed outputs to compare) and the
exercise checks run instead.

    python -m helpers.teacher.student [DIR]
"""
import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

from helpers.teacher import classroom, markers
from helpers.teacher.substitutes import SUBSTITUTES
from helpers.exercises.checks import EXERCISES
from helpers.teacher.notebooks import NotebookError, student_notebook

ROOT = Path(__file__).resolve().parents[2]
LEFT_OUT = ("figures/", "report/report.pdf")    # what the solution's run made: the student's run remakes it
# The teacher's tools: building copies, reading solution markers, the catalogue of mistakes the
# checks must catch (it quotes the solutions), their tests, and the tests that read the teacher's
# notebooks as they are (table numbers, the machinery's share), which a copy's questions change.
TEACHER_ONLY = ("helpers/teacher/", "helpers/exercises/withheld.py", "TEACHING.md", "tests/test_exercises.py",
                "tests/test_student_copy.py", "tests/mistakes.py",
                "tests/test_mistakes.py", "tests/test_grading.py", "tests/test_substitutes.py",
                "tests/test_numbering.py", "tests/test_machinery_share.py", "tests/machinery_share.py")
# Tests that write an exercise's answer out; the exercise checks replace them in the copy.
ANSWER_TESTS = {"tests/test_train.py": ("test_clipping_bounds_the_gradient_in_the_update",),
                "tests/test_sample.py": ("test_temperature_scales_the_distribution",)}
MARK = ("A student copy of the workbook, made by `make exercises`: write the exercises, then\n"
        "`make check-exercises`. This file tells `make test` to leave nbval out.\n")
CONFTEST = '''"""A student copy (see .student): its notebooks have no committed outputs for nbval to compare,
and a test that reaches an exercise not written yet, in its body or in a fixture it needs, is
skipped, naming it, rather than failed or counted an error: tests/test_my_exercises.py fails once
for each such required exercise, and make check-exercises says where each one stands."""
import re

import pytest

STUB = re.compile(r"E[0-9]+: ")       # a stub's message starts with its exercise
# ... and a notebook's kernel, or a child process, reports it in its own error's text
REPORTED = re.compile(r"NotImplementedError: (E[0-9]+: [^\\n]*)")


def pytest_collection_modifyitems(config, items):
    notebooks = [item for item in items if item.path.suffix == ".ipynb"]
    if notebooks:
        config.hook.pytest_deselected(items=notebooks)
        items[:] = [item for item in items if item.path.suffix != ".ipynb"]


def _unwritten(outcome):
    """A stub's NotImplementedError, raised in this phase of a test (or reported by a kernel it
    ran), becomes a skip naming it."""
    error = outcome.excinfo and outcome.excinfo[1]
    if error is None or isinstance(error, pytest.skip.Exception):
        return
    if getattr(error, "ename", None) == "NotImplementedError":       # a notebook's kernel (nbclient)
        error = NotImplementedError(getattr(error, "evalue", ""))
    reported = REPORTED.search(re.sub(r"\\x1b\\[[0-9;]*m", "", str(error)))     # colours out
    stub = str(error) if isinstance(error, NotImplementedError) and STUB.match(str(error)) else \
        reported and reported.group(1)
    if stub:
        outcome.force_exception(pytest.skip.Exception(f"not written yet: {(stub.splitlines() or [''])[0]}",
                                                      _use_item_location=True))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    _unwritten((yield))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    _unwritten((yield))
'''
GIT_ENV = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
# The copy's README opens with what the copy is. Sentences of the README and its pages (docs/) that
# a copy makes untrue, where a <!-- BEGIN TEACHER --> block cannot stand (a list item, a table row),
# are replaced here: {page: {sentence: the copy's}}.
README_BANNER = ("\n> **A student copy** (`make exercises`): the key functions are yours to write; start with\n"
                 "> [Exercise mode](#exercise-mode). Here `make test` runs the exercise checks and the tests\n"
                 "> that reveal no answer.\n")
YOUR_REFERENCE = "In this copy `helpers/rnn.py` runs your reference."
README_FIXES = {
    "README.md": {
        "They agree to 1e-12.": YOUR_REFERENCE,
        "- trains fast on one CPU core: `make bench` times the course's updates against a per-step\n"
        "  implementation and PyTorch's `nn.RNN` ([speed](docs/speed.md));":
        "- times its updates with `make bench` (in this copy both of the RNN's paths run your per-step\n"
        "  reference, so the workbook's own benchmark is not yours to reproduce: [speed](docs/speed.md));"},
    "docs/helpers.md": {"They agree to 1e-12.": YOUR_REFERENCE},
    "docs/layout.md": {
        "| `helpers/teacher/` | building the student copy: `student`, `notebooks`, `markers`; a course's graders: `classroom`, `gradescope`, `held_back` (never in a copy) |\n": "",
        "| `helpers/teacher/substitutes/` | what the copy holds in place of `rnn` and `loss`, whose fast paths would give E1 and E2 away: `rnn`, `loss` (never in a copy) |\n": "",
        "| `notebooks/` | the numbered notebooks, committed with the outputs of the default run |":
        "| `notebooks/` | the numbered notebooks, without outputs until your `make` runs them |",
        "| `tests/` | pytest unit tests, a quick run of every notebook on an awkward generated text, and "
        "`sanitize.cfg` for nbval |":
        "| `tests/` | pytest unit tests; the quick runs of every notebook and nbval's `sanitize.cfg` serve the "
        "teacher's workbook, and `make test` here leaves them out |"}}
CPU_TORCH = "https://download.pytorch.org/whl/cpu"


class BuildError(ValueError):
    """Why the copy cannot be built, in one line."""


def git(args, cwd):
    """stdout of git `args` in `cwd`, with no GIT_* variable leaking in from a caller."""
    done = subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, capture_output=True, text=True)
    if done.returncode:
        raise BuildError(f"git {args[0]} in {cwd}: {(done.stderr.strip().splitlines() or ['failed'])[-1]}")
    return done.stdout


def tracked(root):
    """Paths (relative, as strings) of the files git tracks that exist in the working tree."""
    names = git(["ls-files", "-z"], root).split("\0")
    return [n for n in names if n and (root / n).is_file() and not n.startswith(LEFT_OUT + TEACHER_ONLY)
            and not n.endswith(".pyc") and ".ipynb_checkpoints/" not in n]


def drop_tests(text, names, path):
    """`text` without the test functions `names` (decorators included)."""
    nodes = {n.name: n for n in ast.parse(text).body if isinstance(n, ast.FunctionDef)}
    missing = [name for name in names if name not in nodes]
    if missing:
        raise BuildError(f"{path}: ANSWER_TESTS names {missing[0]}, which it does not define")
    lines = text.splitlines(keepends=True)
    for name in sorted(names, key=lambda n: -nodes[n].lineno):         # bottom up keeps line numbers
        node = nodes[name]
        first = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
        last = node.end_lineno
        while last < len(lines) and not lines[last].strip():
            last += 1
        del lines[first:last]
    return "".join(lines)


def student_readme(text, name):
    """A Markdown file as the copy has it: teacher-only parts out, its README_FIXES made, and on
    README.md the banner."""
    text = markers.student_markdown(text, name)
    for old, new in README_FIXES.get(name, {}).items():
        if old not in text:
            raise BuildError(f"{name} no longer says {old!r}: update README_FIXES in helpers/teacher/student.py")
        text = text.replace(old, new)
    if name != "README.md":
        return text
    title, _, rest = text.partition("\n")
    return f"{title}\n{README_BANNER}{rest}"


def copy_file(name, root, dest, notebooks):
    """Copy one tracked file into the copy; returns the [(exercise, line)] stubs it received."""
    src, dst = root / name, dest / name
    dst.parent.mkdir(parents=True, exist_ok=True)
    if name.endswith(".ipynb"):
        student_notebook(src, dst)
        return []
    if name.endswith(".md"):
        dst.write_text(student_readme(src.read_text(encoding="utf-8"), name), encoding="utf-8")
        return []
    if not name.endswith(".py"):
        shutil.copy2(src, dst)
        return []
    text = (root / SUBSTITUTES.get(name, name)).read_text(encoding="utf-8")
    student, stubs = markers.student_source(text, name, notebooks)
    markers.verify(text, student, stubs, name)
    if stubs:                                   # a file the student edits says so on its first line
        ids = ", ".join(sorted({eid for eid, _ in stubs}, key=lambda e: int(e[1:])))
        student = (f"# YOUR FILE: you write {ids} here (README.md, \"Exercise mode\"); "
                   "make check-exercises checks them.\n" + student)
    if name in ANSWER_TESTS:
        student = drop_tests(student, ANSWER_TESTS[name], name)
    dst.write_text(student, encoding="utf-8")
    return stubs


def build(dest, root=ROOT):
    """Write the student copy of the repository at `root` to `dest`; returns {exercise: stubs}.

    It is built beside `dest` and moved into place at the end, so a failure leaves nothing behind.
    """
    dest, root = Path(dest).resolve(), Path(root).resolve()
    if (root / ".student").exists():
        raise BuildError(f"{root} is a student copy already: make exercises runs in the solution")
    if dest == root or dest in root.parents:
        raise BuildError(f"{dest}: the copy cannot be written over the repository")
    if dest.exists() and any(dest.iterdir()) and not (dest / ".student").exists():
        raise BuildError(f"{dest}: exists and is not a student copy; choose another STUDENT_DIR")
    work = dest.with_name(f".{dest.name}.partial")
    shutil.rmtree(work, ignore_errors=True)
    try:
        counts = _write(work, root)
        shutil.rmtree(dest, ignore_errors=True)
        work.rename(dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return counts


def _write(dest, root):
    notebooks = {eid: ex.notebook for eid, ex in EXERCISES.items()}
    counts = dict.fromkeys(EXERCISES, 0)
    for name in tracked(root):
        for eid, _ in copy_file(name, root, dest, notebooks):
            counts[eid] += 1
    missing = [eid for eid, n in counts.items() if n == 0]
    if missing:
        raise BuildError(f"{missing[0]} has no BEGIN SOLUTION region in any tracked file")
    (dest / ".student").write_text(MARK)
    (dest / "conftest.py").write_text(CONFTEST)
    classroom.write(dest, torch_pin(root), CPU_TORCH)
    with open(dest / ".gitignore", "a") as f:     # the notebooks and the PDF hold the same pictures
        f.write("# The figures are in the executed notebooks and report/report.pdf, which you commit.\nfigures/\n")
    git(["init", "-q", "--initial-branch=main"], dest)
    git(["add", "-A"], dest)
    # An identity for this one commit only: it works with no git config (CI, root), and the
    # student's own name stays theirs (the report's author is read from git config user.name).
    git(["-c", "user.name=make exercises", "-c", "user.email=exercises@invalid", "-c", "commit.gpgsign=false",
         "commit", "-q", "-m", "The workbook as exercises: write them, then make check-exercises"], dest)
    return counts


def torch_pin(root=ROOT):
    """requirements.txt's torch line, e.g. torch==2.13.0 (the pinned version)."""
    lines = (root / "requirements.txt").read_text().splitlines()
    return next((r.strip() for r in lines if r.startswith("torch==")), "torch")


def untracked_helpers(root=ROOT):
    """Helper and test files git does not track yet: the copy leaves them out."""
    out = git(["ls-files", "--others", "--exclude-standard", "helpers", "tests"], root)
    return [n for n in out.splitlines() if n.endswith(".py")]


def main(argv):
    dest = Path(argv[0] if argv else os.environ.get("STUDENT_DIR") or ROOT / "student")
    try:
        left_out = untracked_helpers()
        counts = build(dest)
    except (markers.MarkerError, NotebookError, BuildError, OSError) as e:
        sys.exit(f"error: {e}")
    for name in left_out:
        print(f"warning: {name} is not tracked by git, so the copy leaves it out (git add it)")
    print(f"{dest}: the student copy, one commit; exercises "
          + ", ".join(f"{eid} ({n} stub{'s' * (n > 1)})" for eid, n in counts.items()))
    torch = torch_pin()
    print(f"Next: the copy's own .venv, with the CPU-only PyTorch first (on Linux pip would otherwise pull the\n"
          f"CUDA build, gigabytes: README.md, \"What runs where\"). Not the solution's .venv: the copy's notebooks\n"
          f"would import the solution's helpers from it.\n  cd {dest}\n"
          f"  python3 -m venv .venv && .venv/bin/pip install {torch} --index-url {CPU_TORCH}\n"
          "  make check-exercises")


if __name__ == "__main__":
    main(sys.argv[1:])
