"""A run publishes its notebooks and figures all at once, or, failed or stopped, nothing.

The executor runs on small notebooks of its own in a temporary folder, with FIGURES_DIR there too;
each stopped or failed run's folder under report/build/ is removed by the test that made it."""
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import nbformat
import pytest

from helpers.workbook import progress, timings
from helpers.workbook.config import ROOT

SAVE = "from helpers.workbook.config import FIGURES\n(FIGURES / '{0}.png').write_text('new {0}')"
KEPT = "nothing was published, the last good outputs are kept; this run's outputs are in "


def notebook(path, *sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


@pytest.fixture
def folder(tmp_path):
    """tmp/figures with a last good a.png, and an environment whose figures go there."""
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "a.png").write_text("last good a")
    env = {k: v for k, v in os.environ.items() if k not in ("FIGURES_DIR", "QUICK", "CORPUS", "STEPS")}
    return tmp_path, dict(env, FIGURES_DIR=str(tmp_path / "figures"), TQDM_DISABLE="1")


def state(tmp):
    """Every file's bytes under tmp: notebooks and figures."""
    return {p.relative_to(tmp): p.read_bytes() for p in sorted(tmp.rglob("*")) if p.is_file()}


def execute(args, env, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "helpers.workbook.report", "execute", *map(str, args)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL, **kwargs)


def run_folder(line):
    """The run folder a stopped or failed run's line names; removed, as the test's own."""
    where = ROOT / re.search(r"this run's outputs are in (\S+)/\)?$", line).group(1)
    assert where.is_dir() and where.parent == ROOT / "report" / "build"
    return where


def test_a_run_publishes_every_notebook_and_figure_and_its_times(folder):
    tmp, env = folder
    paths = [notebook(tmp / "01_a.ipynb", "print('a')", SAVE.format("a")),
             notebook(tmp / "02_b.ipynb", SAVE.format("b"), "print('b')")]
    out = execute(["--record", *paths], env)
    stdout, stderr = out.communicate(timeout=120)
    assert out.returncode == 0, stderr
    assert nbformat.read(paths[0], 4).cells[0].outputs[0].text == "a\n"
    assert nbformat.read(paths[1], 4).cells[1].outputs[0].text == "b\n"
    assert (tmp / "figures" / "a.png").read_text() == "new a" and (tmp / "figures" / "b.png").read_text() == "new b"
    recorded = json.loads((tmp / "figures" / "timings.json").read_text())["runs"]
    assert [e["run"] for e in recorded] == ["make notebooks"]
    assert set(recorded[0]["notebooks"]) == {"01_a", "02_b"} and all(s > 0 for s in recorded[0]["notebooks"].values())
    assert "| 01_a |" in (tmp / "figures" / "timings.md").read_text()
    folder_line = re.search(r"into (\S+)/, published", stdout).group(1)
    assert not (ROOT / folder_line).exists()                  # published: the run's folder is gone
    assert re.search(r"^  02_b: [\d.]+ s$", stdout, flags=re.M)


def test_a_failing_notebook_publishes_nothing_and_keeps_its_traceback(folder):
    tmp, env = folder
    paths = [notebook(tmp / "01_a.ipynb", "print('a')", SAVE.format("a")),
             notebook(tmp / "02_bad.ipynb", SAVE.format("b"), "def f():\n    raise ValueError('boom')\nf()")]
    before = state(tmp)
    out = execute(paths, env)
    _, stderr = out.communicate(timeout=120)
    lines = stderr.splitlines()
    assert out.returncode == 1 and len(lines) == 1, stderr
    where = run_folder(lines[0])
    try:
        assert lines[0].startswith(f"error: {paths[1]}, code cell 2: ValueError: boom (traceback: ")
        assert state(tmp) == before                           # neither 01 nor 02, nor a figure
        trace = (where / "02_bad.traceback.txt").read_text()
        assert "Traceback" in trace and "----> 3 f()" in trace and "raise ValueError('boom')" in trace
        assert nbformat.read(where / "notebooks" / "02_bad.ipynb", 4).cells[1].outputs[0].ename == "ValueError"
        assert (where / "figures" / "a.png").read_text() == "new a"   # the partial outputs, kept apart
    finally:
        shutil.rmtree(where)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_stopped_run_publishes_nothing_and_says_so_in_one_line(folder, sig):
    tmp, env = folder
    started = tmp / "started"
    path = notebook(tmp / "01_slow.ipynb", SAVE.format("a"),
                    f"import os, time\nopen({str(started)!r}, 'w').write(str(os.getpid()))\ntime.sleep(120)",
                    "print('never')")
    nb = nbformat.read(path, as_version=4)                    # an earlier run's output in the last cell
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="an earlier run\n")]
    nbformat.write(nb, path)
    before = state(tmp)
    out = execute([path], env)
    deadline = time.monotonic() + 60
    while not started.exists() and out.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert started.exists(), out.communicate()
    out.send_signal(sig)
    _, stderr = out.communicate(timeout=60)
    assert out.returncode == -sig                             # dies of the signal, as make expects
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"interrupted ({sig.name}) in {path}, code cell 2 of 3: {KEPT}")
    where = run_folder(lines[0])
    try:
        assert kernel_ends(int(started.read_text()))
        started.unlink()
        assert state(tmp) == before
        assert (where / "figures" / "a.png").read_text() == "new a"
        saved = nbformat.read(where / "notebooks" / path.name, as_version=4)
        assert saved.cells[2].outputs == [] and saved.cells[2].execution_count is None
    finally:
        shutil.rmtree(where)


def kernel_ends(pid, wait=20):
    """Does process `pid` (a kernel the stopped run started) end within `wait` seconds?"""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def test_the_live_line_in_a_log_is_a_plain_line_now_and_then(monkeypatch):
    monkeypatch.setattr(progress, "LOG_EVERY", 0.05)
    log = io.StringIO()                                       # not a terminal
    live = progress.Progress("06_gated", 12, stream=log)
    live.cell(4)
    time.sleep(0.3)
    took = live.close()
    lines = log.getvalue().splitlines()
    assert len(lines) >= 2 and all(re.fullmatch(r"  06_gated: cell 4 of 12, [\d.]+ s", line) for line in lines)
    assert took >= 0.3 and "\r" not in log.getvalue()


def test_timings_keep_one_entry_per_kind_of_run(tmp_path, monkeypatch):
    for name in timings.KIND_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    timings.record(tmp_path, "make", {"01_data": 12.0, "02_gradients": 30.0}, pdf=40.0)
    monkeypatch.setenv("QUICK", "1")
    timings.record(tmp_path, timings.run_name(), {"01_data": 5.0})
    monkeypatch.delenv("QUICK")
    timings.record(tmp_path, "make", {"01_data": 14.0, "02_gradients": 31.0}, pdf=41.0)
    assert [e["run"] for e in timings.load(tmp_path)] == ["QUICK=1 make", "make"]
    entry = timings.last("make", tmp_path)
    assert entry["total"] == 86.0 and entry["machine"] == timings.machine() and "QUICK=0" in entry["settings"]
    md = (tmp_path / "timings.md").read_text()
    assert "| `make` | 1 min 26 s | 41 s |" in md and "| 02_gradients | - | 31 s |" in md
    assert timings.duration(3725) == "1 h 2 min" and timings.duration(4.25) == "4.2 s"


def test_make_test_is_recorded_only_beside_a_run_of_this_machine_and_never_on_ci(tmp_path, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    entry, why = timings.record_test(time.time() - 90, tmp_path)
    assert entry is None and why.startswith("no run was recorded on this machine")
    timings.record(tmp_path, "make", {"01_data": 12.0})
    monkeypatch.setenv("CI", "true")
    assert timings.record_test(time.time() - 90, tmp_path) == (None, "CI")
    monkeypatch.delenv("CI")
    entry, _ = timings.record_test(time.time() - 90, tmp_path)
    assert entry["run"].endswith("make test") and 90 <= entry["total"] < 120
    assert [e["run"] for e in timings.load(tmp_path)] == ["make", entry["run"]]
    # the machine's load differs from run to run; its CPU and cores do not
    assert timings.same_machine("AMD EPYC, 2 cores, load 2.2", "AMD EPYC, 2 cores, load 0.4")
    assert not timings.same_machine("AMD EPYC, 2 cores, load 2.2", "AMD EPYC, 4 cores, load 2.2")


def test_make_check_says_how_long_a_run_like_this_took(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in timings.KIND_SETTINGS + ("FIGURES_DIR",)}
    env.update(FIGURES_DIR=str(tmp_path), QUICK="1")
    subprocess.run([sys.executable, "-c", "from helpers.workbook import timings; import sys; "
                    "timings.record(sys.argv[1], 'QUICK=1 make', {'01_data': 70.0})", str(tmp_path)],
                   cwd=ROOT, env=env, check=True)
    out = subprocess.run([sys.executable, "-m", "helpers.workbook.config"], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert f"a run like this took 1 min 10 s on {timings.machine()}" in out.stdout
    assert f"(every kind of run: {tmp_path}/timings.md)" in out.stdout
    assert "  QUICK          1  (from QUICK=1)" in out.stdout.splitlines()


def test_a_benchmark_of_another_text_says_so():
    text = timings.measured_where(80, 241, "/tmp/my_notes.txt")
    assert "on another text, with K = 80" in text and "this text has K = 241" in text
    assert "`CORPUS=/tmp/my_notes.txt make bench`" in text
    assert "another" not in timings.measured_where(80, 80, None)
    from helpers.workbook.config import ROOT
    assert "`CORPUS=data/my_notes.txt make bench`" in timings.measured_where(80, 241, ROOT / "data" / "my_notes.txt")


def test_the_benchmark_is_shown_under_its_text_or_how_to_make_it(tmp_path, monkeypatch):
    monkeypatch.setattr(timings, "FIGURES", tmp_path)
    assert timings.benchmark(80, None) == "Run `make bench` to measure the speed on this machine."
    (tmp_path / "benchmark.md").write_text("| mode | steps/s |\n|:---|---:|\n| numpy | 900 |\n")
    (tmp_path / "benchmark.json").write_text('{"K": 80}')
    text = timings.benchmark(241, None)
    assert text.startswith("*Measured by `make bench` on another text, with K = 80") and text.endswith("| numpy | 900 |\n")
