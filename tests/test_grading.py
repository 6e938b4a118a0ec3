"""What a course runs on: points per exercise, the copy's make test half-way through, the GitHub
Classroom workflow, the Gradescope autograder, held-back grading cases. The student copy leaves
this file out (it builds copies: helpers.teacher.student.TEACHER_ONLY)."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import exercises
from helpers.exercises.checks import EXERCISES, total_points
from helpers.teacher import markers, student

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif((ROOT / ".student").exists(), reason="a student copy makes no copies of its own")
NOTEBOOKS = {eid: ex.notebook for eid, ex in EXERCISES.items()}


def python(args, cwd, timeout=900, **env):
    """`python args` in `cwd`, importing the helpers found there."""
    env = {**os.environ, "PYTHONPATH": str(cwd), "STUDENT_DIR": "", **env}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def written(copy, dest, ids):
    """A copy of `copy` at `dest` with the exercises `ids` written (the solution's code), the others stubs."""
    shutil.copytree(copy, dest)
    for name, text in {n: (ROOT / n).read_text() for n in student.tracked(ROOT) if n.endswith(".py")}.items():
        regions = markers.parse(text, name)
        if any(r.ids[0] in ids for r in regions):
            drop = {i for r in regions if r.ids[0] in ids for i in (r.begin, r.end)}
            kept = "".join(line for i, line in enumerate(text.splitlines(keepends=True)) if i not in drop)
            (dest / name).write_text(markers.student_source(kept, name, NOTEBOOKS)[0])
    return dest


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    dest = tmp_path_factory.mktemp("grading") / "student"
    done = python(["-m", "helpers.teacher.student", str(dest)], ROOT)
    assert done.returncode == 0, done.stderr
    return dest


@pytest.fixture(scope="module")
def solved(copy, tmp_path_factory):
    return written(copy, tmp_path_factory.mktemp("solved") / "student", set(EXERCISES))


def test_every_exercise_has_points_and_the_summary_adds_them():
    assert all(ex.points > 0 for ex in EXERCISES.values())
    assert total_points() == sum(ex.points for ex in EXERCISES.values()) > total_points(required_only=True)
    rows = [{"id": eid, "title": ex.title, "status": "PASS" if eid == "E2" else "FAIL", "detail": "d"}
            for eid, ex in EXERCISES.items()]
    assert exercises.score(rows[1]) == EXERCISES["E2"].points and exercises.score(rows[0]) == 0
    assert f"{EXERCISES['E2'].points}/{EXERCISES['E2'].points}" in exercises.line(rows[1])
    required = sum(not ex.optional for ex in EXERCISES.values())
    assert exercises.summary(rows) == (
        f"Passed their local checks: 1 of {required} required exercises ({EXERCISES['E2'].points} of "
        f"{total_points(required_only=True)} points), and 0 of {len(EXERCISES) - required} optional ones "
        f"(0 of {total_points() - total_points(required_only=True)} points).")
    assert exercises.summary(rows[:1]) == (f"Passed their local checks: 0 of 1 required exercises "
                                           f"(0 of {EXERCISES['E1'].points} points).")


def test_half_way_the_copys_make_test_fails_once_per_unwritten_exercise(copy, tmp_path):
    """E1-E5 written: every test that reaches E6-E9's stubs, in its body, a fixture or a notebook's
    kernel, is skipped naming the exercise; test_my_exercises fails once for each, and nothing errs."""
    half = written(copy, tmp_path / "student", {"E1", "E2", "E3", "E4", "E5"})
    done = python(["-m", "pytest", "-rsf", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
                   "--nbval-sanitize-with", "tests/sanitize.cfg"], half, timeout=1800, TQDM_DISABLE="1")
    last = done.stdout.strip().splitlines()[-1]
    failed = re.findall(r"^FAILED (\S+)", done.stdout, re.M)
    unwritten = [e for e, ex in EXERCISES.items() if e not in {"E1", "E2", "E3", "E4", "E5"} and not ex.optional]
    mine = "tests/test_my_exercises.py::test_my_exercise_passes_its_local_checks"
    assert failed == [f"{mine}[{e}]" for e in unwritten], done.stdout[-3000:]
    assert "error" not in last and f"{len(unwritten)} failed" in last, last
    assert "not written yet: E6: " in done.stdout and "not written yet: E8: " in done.stdout


def test_an_unwritten_exercise_fails_the_copys_make_test_in_one_line(copy):
    """No traceback: the failure is the check's line, naming the exercise and its status."""
    done = python(["-m", "pytest", "-p", "no:cacheprovider", "tests/test_my_exercises.py", "-k", "E6 or E8"], copy,
                  timeout=600, TQDM_DISABLE="1")
    sections = re.findall(r"^_{3,} test_my_exercise_passes_its_local_checks\[(E\d+)\] _{3,}\n(.*?)(?=^_{3,} |^=+ )",
                          done.stdout, re.M | re.S)
    assert done.returncode == 1 and [e for e, _ in sections] == ["E6", "E8"], done.stdout[-3000:]
    for (eid, body), status in zip(sections, ("NOT STARTED", "BLOCKED")):     # E8 needs E3, unwritten too
        [one] = body.strip().splitlines()
        assert one.startswith(eid) and f" {status} " in one, body
    assert "Traceback" not in done.stdout and "def test_" not in done.stdout


def run_shell(command, cwd):
    """A grader's command, as Classroom runs it in the copy (the requirements installed)."""
    env = {**os.environ, "PYTHONPATH": str(cwd), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(command.replace("python ", f"{sys.executable} ", 1), shell=True, cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=1800, stdin=subprocess.DEVNULL)


def test_the_classroom_workflow_grades_every_exercise_for_its_points(copy, solved):
    yaml = pytest.importorskip("yaml")
    flow = yaml.safe_load((copy / ".github" / "workflows" / "classroom.yml").read_text())
    job = flow["jobs"]["autograding"]
    assert flow["permissions"]["checks"] == "write" and job["runs-on"] == "ubuntu-latest"
    steps = job["steps"]
    install = next(s["run"] for s in steps if "run" in s)
    assert f"pip install {student.torch_pin()} --index-url {student.CPU_TORCH}" in install
    assert "pip install -r requirements.txt" in install
    assert next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))["with"]["cache"] == "pip"
    graders = [s for s in steps if s.get("uses") == "classroom-resources/autograding-command-grader@v1"]
    assert [g["with"]["test-name"].split()[0] for g in graders] == list(EXERCISES)
    assert sum(g["with"]["max-score"] for g in graders) == total_points()
    assert all(g["with"]["max-score"] == EXERCISES[g["id"].upper()].points and g["with"]["timeout"] >= 3
               for g in graders)
    reporter = steps[-1]
    assert reporter["uses"] == "classroom-resources/autograding-grading-reporter@v1"
    assert reporter["with"]["runners"].split(",") == [g["id"] for g in graders]
    assert all(f"steps.{g['id']}.outputs.result" in reporter["env"][f"{g['id'].upper()}_RESULTS"] for g in graders)
    for g in graders:
        eid = g["id"].upper()
        untouched, done = run_shell(g["with"]["command"], copy), run_shell(g["with"]["command"], solved)
        assert untouched.returncode != 0, (eid, untouched.stdout)
        assert done.returncode == 0, (eid, done.stdout)


def results_json(zipped, submission, tmp_path):
    """results.json that the autograder `zipped` writes for `submission`, run in a folder of tmp_path."""
    root = tmp_path / submission.parent.name
    shutil.copytree(submission, root / "submission")
    with __import__("zipfile").ZipFile(zipped) as z:
        z.extractall(root / "source")
    for name in ("run_autograder", "setup.sh"):
        (root / "source" / name).chmod(0o755)
    done = subprocess.run([str(root / "source" / "run_autograder")], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable},
                          timeout=1800, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    return __import__("json").loads((root / "results" / "results.json").read_text())


def test_the_gradescope_autograder_grades_a_solved_and_an_untouched_copy(copy, solved, tmp_path):
    zipped = tmp_path / "autograder.zip"
    done = python(["-m", "helpers.teacher.gradescope", str(zipped)], ROOT)
    assert done.returncode == 0, done.stderr
    names = __import__("zipfile").ZipFile(zipped).namelist()
    assert {"setup.sh", "run_autograder", "requirements.txt", "helpers/exercises/checks.py",
            "helpers/teacher/held_back.py"} <= set(names)
    assert not [n for n in names if n.startswith("helpers/") and not n.startswith(("helpers/exercises/",
                "helpers/workbook/", "helpers/teacher/held_back.py", "helpers/teacher/__init__.py",
                "helpers/__init__.py"))], "the zip holds the checks, not the solutions"
    for submission, full in ((solved, True), (copy, False)):
        got = results_json(zipped, submission, tmp_path)
        tests = {t["name"].split()[0]: t for t in got["tests"]}
        assert list(tests) == list(EXERCISES)
        for eid, t in tests.items():
            assert set(t) >= {"name", "score", "max_score", "output", "visibility"}
            assert t["max_score"] == EXERCISES[eid].points
            assert t["score"] == (t["max_score"] if full else 0) and t["visibility"] == "visible", t
            assert t["output"].startswith(eid) and "\n" not in t["output"]
        assert got["score"] == (total_points() if full else 0) == sum(t["score"] for t in tests.values())


def test_held_back_instances_leave_the_visible_ones_as_they_were():
    import numpy as np
    from helpers.exercises import cases
    assert cases.rng(1501).random() == np.random.default_rng(1501).random() and cases.size(None, 7, 2, 9) == 7
    with cases.held_back(3):
        assert cases.held() and cases.rng(1501).random() != np.random.default_rng(1501).random()
        assert all(cases.size(cases.rng(k), 7, 2, 9) in {2, 3, 4, 5, 6, 8, 9} for k in range(30))
    assert not cases.held()


@pytest.mark.parametrize("m", __import__("mistakes").HARD_CODED, ids=lambda m: f"{m.eid} {m.name}")
def test_an_answer_fitted_to_the_visible_instances_passes_the_copy_and_fails_grading(tmp_path, m):
    from test_mistakes import edited
    shutil.copytree(ROOT / "helpers", tmp_path / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    path = tmp_path / m.file
    path.write_text(edited(path.read_text(), m))
    visible = exercises.isolated(m.eid, tmp_path, 300)
    graded = exercises.isolated(m.eid, tmp_path, 300, held=exercises.held_back_seed())
    assert visible["status"] == "PASS", visible
    assert graded["status"] == "FAIL" and "held-back case: " in graded["detail"], graded


def test_the_copys_cells_keep_their_ids_from_one_build_to_the_next(tmp_path):
    import nbformat
    from helpers.teacher.notebooks import student_notebook
    source = ROOT / "notebooks" / "03_training.ipynb"
    builds = []
    for n in range(2):
        student_notebook(source, tmp_path / f"{n}.ipynb")
        nb = nbformat.read(tmp_path / f"{n}.ipynb", as_version=4)
        nbformat.validate(nb)
        builds.append([(c.id, c.metadata.get("tags", [])) for c in nb.cells])
    answers = [i for i, tags in builds[0] if "answer" in tags]
    assert builds[0] == builds[1] and answers and all(i.startswith("answer-3-") for i in answers)
    assert len({i for i, _ in builds[0]}) == len(builds[0])
