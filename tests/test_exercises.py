"""Exercise mode, kept in sync with the solution: the student copy is built in a temporary folder,
searched for answers, checked fresh, checked with the solutions put back, broken on purpose, and
graded. The student copy leaves this file out (helpers.teacher.student.TEACHER_ONLY): its checks of the
student's own code are in test_my_exercises.py."""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import exercises

from helpers.teacher import markers, student
from helpers.teacher.substitutes import SUBSTITUTES
from helpers.exercises.checks import EXERCISES

ROOT = Path(__file__).resolve().parent.parent
STUDENT = (ROOT / ".student").exists()
solution_only = pytest.mark.skipif(STUDENT, reason="a student copy makes no copies of its own")
# One deliberate bug per exercise: (where in its first region, the line put there).
BREAKS = {"E1": ("end", "loss *= 1.01"), "E2": ("end", 'grads["W"] *= 1.01'),
          "E3": ("begin", "bound = 2 * bound"), "E4": ("begin", "temperature = 1.0 / temperature"),
          "E5": ("begin", "top_p = 0.9 * top_p"), "E6": ("end", "self.ind_to_char[0] = self.ind_to_char[1]"),
          "E7": ("begin", "a, b = np.abs(a), np.abs(b)"), "E8": ("begin", "tau = tau + 1"),
          "E9": ("begin", "state = 0 * state"), "E10": ("end", 'out["W"] *= 1.01'),
          "E11": ("end", 'out["b_n"] *= 1.01'), "E12": ("end", "self.m *= 1.01")}


def python(args, cwd, timeout=600):
    """`python -m args` in `cwd`, importing the helpers found there."""
    env = {**os.environ, "PYTHONPATH": str(cwd), "STUDENT_DIR": ""}
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def checked(cwd, *ids):
    """{id: result row} from `helpers.exercises check --json` in `cwd`, and its exit status."""
    done = python(["helpers.exercises", "check", "--json", *ids], cwd)
    return {r["id"]: r for r in json.loads(done.stdout)}, done.returncode


def statuses(cwd, *ids):
    """{id: status} from `helpers.exercises check --json` in `cwd`, and its exit status."""
    rows, code = checked(cwd, *ids)
    return {eid: r["status"] for eid, r in rows.items()}, code


def python_files():
    """{tracked .py file of this repository: its text}."""
    names = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    return {n: (ROOT / n).read_text() for n in names if (ROOT / n).is_file()}


def solution_files():
    """{tracked .py file of this repository: its text}, for those holding markers."""
    return {n: t for n, t in python_files().items() if markers.parse(t, n)}


def code(line):
    return line.split("#")[0].strip()


def codes(line):
    """The code of a line, and of the string it holds when it is a line of a notebook's JSON."""
    yield code(line)
    try:
        text = json.loads(line.strip().rstrip(","))
    except ValueError:
        return
    if isinstance(text, str):
        yield from (code(part) for part in text.splitlines())


def secret_lines():
    """Code lines inside the markers, or of a module the copy substitutes, that appear nowhere
    else in this repository (its substitutes included)."""
    inside, outside = set(), set()
    for name, text in python_files().items():
        if name in SUBSTITUTES:
            inside |= {code(line) for line in text.splitlines()}
            continue
        regions = markers.parse(text, name)
        inside |= markers.solution_lines(text, name)
        covered = {i for r in regions for i in range(r.begin, r.end + 1)}
        outside |= {code(line) for i, line in enumerate(text.splitlines()) if i not in covered}
    return {s for s in inside if len(s) > 8 and s not in outside}


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    untracked = student.untracked_helpers(ROOT)
    assert not untracked, f"{untracked[0]} is not tracked by git, so the student copy would lack it: git add it"
    dest = tmp_path_factory.mktemp("exercises") / "student"
    done = python(["helpers.teacher.student", str(dest)], ROOT)
    assert done.returncode == 0, done.stderr
    return dest


@pytest.fixture(scope="module")
def solved(copy, tmp_path_factory):
    """The copy with this repository's helpers/*.py put back."""
    dest = tmp_path_factory.mktemp("solved") / "student"
    shutil.copytree(copy, dest)
    for f in (ROOT / "helpers").rglob("*.py"):
        if (dest / "helpers" / f.relative_to(ROOT / "helpers")).parent.is_dir():
            shutil.copy(f, dest / "helpers" / f.relative_to(ROOT / "helpers"))
    return dest


@solution_only
def test_the_copy_holds_no_solution_line_in_its_files_or_history(copy):
    secret = secret_lines()
    assert len(secret) >= 40
    for name, substitute in SUBSTITUTES.items():
        assert (copy / name).read_text() == (ROOT / substitute).read_text(), name
    history = subprocess.run(["git", "log", "-p", "--all"], cwd=copy, capture_output=True, text=True).stdout
    seen = [(str(f.relative_to(copy)), line.strip()) for f in copy.rglob("*") if f.is_file() and ".git" not in f.parts
            for line in f.read_text(errors="replace").splitlines() if secret.intersection(codes(line))]
    seen += [("git log", line) for line in history.splitlines() if secret.intersection(codes(line[1:]))]
    assert not seen
    commits = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=copy, capture_output=True, text=True)
    assert commits.stdout.strip() == "1"


@solution_only
def test_the_copy_leaves_out_outputs_figures_and_answer_tests(copy):
    assert not list(copy.rglob("*.pyc")) and not (copy / "figures").exists()
    assert not (copy / "report" / "report.pdf").exists() and (copy / ".student").exists()
    for nb in (copy / "notebooks").glob("*.ipynb"):
        cells = json.loads(nb.read_text())["cells"]
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in cells if c["cell_type"] == "code")
    assert "def test_clipping_bounds" not in (copy / "tests" / "test_train.py").read_text()
    assert "def test_smooth_loss_formula" in (copy / "tests" / "test_train.py").read_text()


@solution_only
def test_the_copys_readme_is_written_for_a_student(copy):
    ours, theirs = (ROOT / "README.md").read_text(), (copy / "README.md").read_text()
    assert "(TEACHING.md)" in ours and "<!-- BEGIN TEACHER -->" in ours and "agree to 1e-12" in ours
    assert "TEACHING.md" not in theirs and "<!--" not in theirs and "1e-12" not in theirs
    assert (ROOT / "TEACHING.md").is_file() and not (copy / "TEACHING.md").exists()
    assert "make exercises &&" not in theirs and "**A student copy**" in theirs.split("\n## ")[0]
    assert "### Handing it in" in theirs and "--index-url https://download.pytorch.org/whl/cpu" in theirs
    for broken, message in (("<!-- BEGIN TEACHER -->\nx\n", "never ENDed"), ("<!-- END TEACHER -->\n", "does not fit"),
                            ("<!-- BEGIN TEACHER -->\n<!-- STUDENT\ny\n-->\nz\n<!-- END TEACHER -->\n", "only END")):
        with pytest.raises(markers.MarkerError, match=message):
            markers.student_markdown(broken, "README.md")


@solution_only
def test_a_fresh_copy_has_every_exercise_not_started_or_blocked(copy):
    done = python(["helpers.exercises", "check"], copy)
    lines = [line for line in done.stdout.splitlines() if line[:1] == "E"]
    assert done.returncode == 1 and len(lines) == len(EXERCISES) >= 5
    assert all(("NOT STARTED" in line) != ("BLOCKED" in line) for line in lines)


@solution_only
def test_require_stops_a_notebook_in_one_line(copy):
    probe = ("from helpers import exercises\n"
             "try:\n    exercises.require('E2')\nexcept Exception as e:\n    print(e._render_traceback_()[0])")
    done = subprocess.run([sys.executable, "-c", probe], cwd=copy, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(copy)})
    assert done.stdout.strip() == "error: E1 (forward pass and loss) is not done yet: make check-exercises"
    with pytest.raises(ValueError, match="no exercise E99"):
        exercises.require("E99")


@solution_only
def test_with_the_solutions_put_back_every_exercise_passes(solved):
    found, code = statuses(solved)
    assert found == dict.fromkeys(EXERCISES, "PASS") and code == 0
    probe = f"from helpers import exercises; exercises.require({', '.join(map(repr, EXERCISES))}); print('quiet')"
    done = subprocess.run([sys.executable, "-c", probe], cwd=solved, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(solved)})
    assert done.stdout == "quiet\n" and not done.stderr


@solution_only
def test_the_substitutes_keep_the_fast_paths_contracts(copy, tmp_path):
    """Only the exercises written (the files with SOLUTION regions), the substitutes of the fast
    paths left as a student gets them: the checks pass and the tests of the model, sampling and
    training too."""
    dest = tmp_path / "student"
    shutil.copytree(copy, dest)
    for name in solution_files():
        shutil.copy(ROOT / name, dest / name)
    assert statuses(dest)[0] == dict.fromkeys(EXERCISES, "PASS")
    done = python(["pytest", "-q", "-x", "-p", "no:cacheprovider", "tests/test_rnn.py", "tests/test_gradcheck.py",
                   "tests/test_sample.py", "tests/test_inside.py", "tests/test_data.py", "tests/test_train.py",
                   "tests/test_gated.py"], dest)
    assert done.returncode == 0, done.stdout[-2000:]


@solution_only
def test_optional_exercises_left_undone_still_exit_0_and_a_wrong_one_does_not(copy, tmp_path):
    """Every required exercise written, the optional ones not: check-exercises exits 0, shows them
    NOT STARTED or BLOCKED; an optional one written wrong is a FAIL, and exits 1."""
    optional = {eid for eid, ex in EXERCISES.items() if ex.optional}
    assert optional and optional < set(EXERCISES)
    dest = tmp_path / "student"
    shutil.copytree(copy, dest)
    files = {n: {r.ids[0] for r in markers.parse(t, n)} for n, t in solution_files().items()}
    for name, ids in files.items():
        if ids - optional:
            shutil.copy(ROOT / name, dest / name)
    rows, code = checked(dest)
    undone = {eid for eid, r in rows.items() if r["status"] != "PASS"}
    assert code == 0 and undone and undone <= optional
    assert {rows[e]["status"] for e in undone} <= {"NOT STARTED", "BLOCKED"}
    assert all("(optional)" in exercises.line(rows[e]) for e in undone)
    name, ids = next((n, ids) for n, ids in files.items() if ids and ids <= optional and ids & undone)
    shutil.copy(ROOT / name, dest / name)
    path = dest / name
    path.write_text(path.read_text().replace("    # END SOLUTION", '    out["V"] *= 2\n    # END SOLUTION', 1))
    found, code = statuses(dest, *ids)
    assert code == 1 and set(found.values()) == {"FAIL"}


def test_every_notebook_requires_the_exercises_it_explains():
    """A student copy's notebook stops at its first cell until the exercises it explains pass."""
    import nbformat
    for eid, ex in EXERCISES.items():
        source = next(c.source for c in nbformat.read(ROOT / ex.notebook, 4).cells if c.cell_type == "code")
        assert f'"{eid}"' in source.split("exercises.require(")[1].split(")")[0], (eid, ex.notebook)


@solution_only
@pytest.mark.parametrize("eid", BREAKS)
def test_a_deliberate_bug_fails_its_check(solved, eid):
    where, bug = BREAKS[eid]
    name, region = next((n, r) for n, t in solution_files().items() for r in markers.parse(t, n)
                        if r.ids == (eid,))
    path = solved / name
    original = path.read_text()
    lines = original.splitlines()
    lines.insert(region.begin + 1 if where == "begin" else region.end, region.indent + bug)
    path.write_text("\n".join(lines) + "\n")
    try:
        found, code = statuses(solved, eid)
    finally:
        path.write_text(original)
    assert found[eid] == "FAIL" and code == 1


# A student's shortcuts through what the checks compare against: (the region's code, a module the
# copy gains, a line for the top of the exercise's file, what the FAIL's one line names).
SHORTCUTS = {
    "E1 calls the oracle": (
        "from helpers.exercises import oracles\n"
        "loss, H, O, _ = oracles.torch_run(params, x, y, h0)\n"
        "for t in range(len(x)):\n"
        "    xs[t], hs[t], scores[t] = np.eye(K)[:, [x[t]]], H[t][:, None], O[t][:, None]\n"
        "    ps[t] = np.exp(scores[t] - scores[t].max()) / np.exp(scores[t] - scores[t].max()).sum()",
        "", "", "uses exercises"),
    "E2 calls gradcheck": (
        "from helpers import gradcheck\n"
        "grads.update(gradcheck.torch_grads(params, [int(np.argmax(xs[t])) for t in range(len(y))], y, hs[-1])[1])",
        "", "", "uses gradcheck"),
    "E1 imports torch elsewhere": (
        "from helpers.shortcut import run\n"
        "loss, H, O = run(params, x, y, h0)\n"
        "for t in range(len(x)):\n"
        "    xs[t], hs[t], scores[t] = np.eye(K)[:, [x[t]]], H[t][:, None], O[t][:, None]\n"
        "    ps[t] = np.exp(scores[t] - scores[t].max()) / np.exp(scores[t] - scores[t].max()).sum()",
        "import torch\nfrom helpers import rnn\n\n\ndef run(params, x, y, h0):\n"
        "    net, head = rnn.to_torch(params)\n"
        "    X = torch.nn.functional.one_hot(torch.as_tensor(x), params['V'].shape[0]).double().unsqueeze(1)\n"
        "    hs = net(X, torch.tensor(h0.T[None].copy()))[0][:, 0]\n"
        "    o = head(hs)\n"
        "    loss = torch.nn.functional.cross_entropy(o, torch.as_tensor(y), reduction='sum')\n"
        "    return loss.item(), hs.detach().numpy(), o.detach().numpy()\n",
        "", "helpers/shortcut.py:1 uses torch"),
    "E2 calls gradcheck elsewhere": (
        "from helpers.shortcut import by_torch\n"
        "grads.update(by_torch(params, xs, hs, y))",
        "import numpy as np\nfrom helpers.gradcheck import torch_grads\n\n\ndef by_torch(params, xs, hs, y):\n"
        "    return torch_grads(params, [int(np.argmax(xs[t])) for t in range(len(y))], y, hs[-1])[1]\n",
        "", "helpers/shortcut.py:2 uses gradcheck"),
    "E7 calls the oracle": (
        "from helpers.exercises import oracles\n"
        "vals[:] = oracles.numerical_grads(loss_fn, params, h)[k].reshape(-1)[idx]",
        "", "", "uses exercises"),
    "E1 imports torch by a computed name elsewhere": (
        "from helpers.shortcut import run\n"
        "run()",
        "import importlib\n\n\ndef run():\n    return importlib.import_module('to' + 'rch')\n",
        "", "imported PyTorch"),
    "E6 imports torch at its file's top": (
        "self.char_to_ind, self.ind_to_char = {}, {}",
        "", "import torch", "uses torch"),
    "E10 calls to_torch elsewhere": (
        "from helpers.shortcut import by_torch\n"
        "out.update(by_torch(params, X, cache, G))",
        "from helpers.models import lstm\n\n\ndef by_torch(params, X, cache, G):\n"
        "    net, head = lstm.to_torch(params)\n"
        "    return {}\n",
        "", "helpers/shortcut.py:5 uses to_torch"),
    "E4 binds loss.softmax_loss before the check": (
        "p = by_loss(o, temperature)",
        "import numpy as np\nfrom helpers.loss import softmax_loss\n\n\ndef by_loss(o, temperature):\n"
        "    _, g = softmax_loss((o / temperature)[None].copy(), np.zeros(1, int), 1)\n"
        "    g[0, 0] += 1.0\n"
        "    return g[0]\n",
        "from helpers.shortcut import by_loss", "helpers/shortcut.py:2 uses softmax_loss"),
}


@solution_only
@pytest.mark.parametrize("case", SHORTCUTS)
def test_a_shortcut_through_pytorch_or_the_checks_helpers_fails(solved, case):
    """A region that calls what the checks compare against, directly or from another module of the
    copy: the guard reads the exercise's file and every module it imports, with ast."""
    eid, (code_, module, top, named) = case.split()[0], SHORTCUTS[case]
    name, region = next((n, r) for n, t in solution_files().items() for r in markers.parse(t, n)
                        if r.ids == (eid,))
    path, extra = solved / name, solved / "helpers" / "shortcut.py"
    original = path.read_text()
    lines = original.splitlines()
    lines[region.begin:region.end + 1] = [region.indent + line for line in code_.splitlines()]
    if top:
        lines.insert(lines.index("import numpy as np") + 1, top)
    path.write_text("\n".join(lines) + "\n")
    extra.write_text(module)
    try:
        rows, code = checked(solved, eid)
    finally:
        path.write_text(original)
        extra.unlink()
    assert rows[eid]["status"] == "FAIL" and code == 1, rows[eid]
    assert named in rows[eid]["detail"] and "\n" not in rows[eid]["detail"]


@solution_only
def test_grading_checks_each_copy_with_its_own_helpers_and_our_checks(copy, solved, tmp_path):
    tampered, empty = tmp_path / "tampered", tmp_path / "empty"
    shutil.copytree(copy, tampered)
    empty.mkdir()
    with open(tampered / "helpers" / "exercises" / "checks.py", "a") as f:     # its own checks always pass
        f.write("\nEXERCISES = {k: v._replace(check=lambda _: [('x', 0, 1, '')]) for k, v in EXERCISES.items()}\n")
    assert statuses(tampered)[0] == dict.fromkeys(EXERCISES, "PASS")
    done = python(["helpers.exercises", "grade", str(copy), str(solved), str(tampered), str(empty),
                   "--format", "json"], ROOT)
    rows = {Path(r["submission"]): r for r in json.loads(done.stdout)}
    assert [rows[solved][e]["status"] for e in EXERCISES] == ["PASS"] * len(EXERCISES)
    for fresh in (copy, tampered):
        assert {rows[fresh][e]["status"] for e in EXERCISES} == {"NOT STARTED", "BLOCKED"}
    assert {rows[empty][e]["status"] for e in EXERCISES} == {"FAIL"}
    table = {d: [rows[Path(d)][e] for e in EXERCISES] for d in (str(copy), str(solved))}
    out = io.StringIO()
    exercises.write_table(table, "csv", out)
    got = list(csv.reader(io.StringIO(out.getvalue())))
    assert got[0] == ["submission", *EXERCISES, "passed"] and got[1][-1] == "0" and got[2][-1] == str(len(EXERCISES))


@pytest.mark.parametrize("source, message", [
    ("def f():\n    # BEGIN SOLUTION E1: do it\n    pass\n", "BEGIN SOLUTION is never ENDed"),
    ("def f():\n    pass\n    # END SOLUTION\n", "END SOLUTION without a matching BEGIN"),
    ("def f():\n    # BEGIN SOLUTION E1\n    pass\n    # END SOLUTION\n", "write BEGIN SOLUTION <id>: <what"),
    ("def f():\n    # BEGIN SOLUTION E1: a\n    # BEGIN SOLUTION E2: b\n    pass\n    # END SOLUTION\n",
     "inside the region opened at line 2"),
    ("# BEGIN SOLUTION E1: do it\nx = 1\n# END SOLUTION\n", "must lie inside a function body"),
])
def test_malformed_markers_are_named_in_one_line(source, message):
    with pytest.raises(markers.MarkerError, match=message) as e:
        text, stubs = markers.student_source(source, "m.py", {"E1": "nb"})
        markers.verify(source, text, stubs, "m.py")
    assert str(e.value).startswith("m.py:") and "\n" not in str(e.value)


def test_a_stub_replaces_the_region_and_keeps_its_hints():
    source = ("def f(x):\n    y = x\n    # BEGIN SOLUTION E1: double y\n    # HINT: twice\n    y = 2 * y\n"
              "    # END SOLUTION\n    return y\n")
    text, stubs = markers.student_source(source, "m.py", {"E1": "notebooks/nb.ipynb"})
    markers.verify(source, text, stubs, "m.py")
    assert "2 * y" not in text and "    # Hint: twice\n" in text and stubs == [("E1", 4)]
    assert text.splitlines()[3] == '    raise NotImplementedError("E1: double y (see notebooks/nb.ipynb)")'
