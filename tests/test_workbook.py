"""The workbook as a user drives it: bad input, a failing notebook, and an awkward text of their own."""
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from corpora import AWKWARD, awkward_text, write_crlf
from helpers.workbook.config import STUDENT_COPY

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(ROOT.glob("notebooks/[0-9][0-9]_*.ipynb"))
SETTING_NAMES = ("CORPUS", "QUICK", "STEPS", "EXT_STEPS", "SEED", "FIGURES_DIR", "CHECKPOINT_DIR", "EXTENSIONS")
# Each of these runs every notebook on a text of its own, which on a student copy's per-step code
# takes most of an hour; they test the workbook's machinery, which the student does not change.
workbook_only = pytest.mark.skipif(STUDENT_COPY, reason="a student copy: these re-run every notebook, "
                                   "testing the workbook's machinery, not your code (make runs the notebooks)")


def digest(paths):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def clean_env(**settings):
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    env.update({k: str(v) for k, v in settings.items()})
    return env


def run(args, **settings):
    return subprocess.run(args, cwd=ROOT, env=clean_env(**settings), capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)


def bad_inputs(tmp):
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "utf16.txt").write_bytes("a play".encode("utf-16") * 5000)
    (tmp / "short.txt").write_text("Too short a book.\n")
    return [
        (dict(CORPUS="/missing.txt"), "error: CORPUS=/missing.txt: file not found"),
        (dict(CORPUS=tmp / "empty.txt"), f"error: CORPUS={tmp}/empty.txt: file is empty"),
        (dict(CORPUS=tmp / "utf16.txt"), f"error: CORPUS={tmp}/utf16.txt: not UTF-8 text: byte 1 (counting from 1) "
                                         f"cannot be decoded (it looks like UTF-16)"),
        (dict(CORPUS=tmp / "short.txt"), f"error: CORPUS={tmp}/short.txt: has 18 characters; at "
                                         f"least 10,000 are needed"),
        (dict(STEPS="abc"), "error: STEPS=abc: not a whole number"),
        (dict(STEPS="-5"), "error: STEPS=-5: must be at least 100"),
        (dict(QUICK="yes"), "error: QUICK=yes: not a whole number"),
    ]


def test_bad_input_stops_make_in_one_line_and_touches_nothing(tmp_path):
    before = digest(NOTEBOOKS + sorted(ROOT.glob("figures/*")))
    for settings, line in bad_inputs(tmp_path):
        out = run(["make", "--no-print-directory", "check"], **settings)
        assert out.returncode != 0, settings
        assert out.stderr.splitlines()[0] == line
        assert "Traceback" not in out.stderr + out.stdout
    assert digest(NOTEBOOKS + sorted(ROOT.glob("figures/*"))) == before


def test_make_checks_before_it_installs_or_runs_anything():
    plan = run(["make", "-n", "--always-make", "report"]).stdout
    first_check = plan.index("helpers.workbook.config")
    assert first_check < plan.index("pip install") < plan.index("helpers.workbook.report execute")


def tiny_notebook(path, *sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_a_failing_notebook_keeps_the_last_good_outputs(tmp_path):
    figures = tmp_path / "figures"
    figures.mkdir()
    (figures / "plot.png").write_text("last good figure")
    write_figure = "from helpers.workbook.config import FIGURES\n(FIGURES / 'plot.png').write_text('new figure')"
    nb = tiny_notebook(tmp_path / "07_bad.ipynb", "print('hello')", write_figure, "raise ValueError('boom')")
    before = nb.read_bytes()
    out = run([sys.executable, "-m", "helpers.workbook.report", "execute", str(nb)], FIGURES_DIR=figures)
    assert out.returncode == 1
    line = re.fullmatch(rf"error: {re.escape(str(nb.resolve()))}, code cell 3: ValueError: boom \(traceback: "
                        r"(report/build/run-[^/]+)/07_bad.traceback.txt; nothing was published, the last good "
                        r"outputs are kept; this run's outputs are in (report/build/run-[^/]+)/\)", out.stderr.strip())
    assert line and line.group(1) == line.group(2), out.stderr
    assert nb.read_bytes() == before and (figures / "plot.png").read_text() == "last good figure"
    where = ROOT / line.group(1)
    try:
        assert "boom" in (where / "07_bad.traceback.txt").read_text()
        assert nbformat.read(where / "notebooks" / "07_bad.ipynb", 4).cells[2].outputs[0].ename == "ValueError"
    finally:                                                 # the test's failure is not the user's
        shutil.rmtree(where)


def test_a_good_notebook_is_saved_with_its_figures_and_no_kernel_warning(tmp_path):
    figures = tmp_path / "figures"
    write_figure = "from helpers.workbook.config import FIGURES\n(FIGURES / 'plot.png').write_text('new figure')"
    nb = tiny_notebook(tmp_path / "07_good.ipynb", "print('hello')", write_figure)
    out = run([sys.executable, "-m", "helpers.workbook.report", "execute", str(nb)], FIGURES_DIR=figures)
    assert out.returncode == 0, out.stderr
    assert nbformat.read(nb, 4).cells[0].outputs[0].text == "hello\n"
    assert (figures / "plot.png").read_text() == "new figure"
    assert out.stderr == ""                                  # no "Kernel is running over TCP ..."


def run_report(command, copies, settings):
    out = run([sys.executable, "-m", "helpers.workbook.report", *command, *map(str, copies)], **settings)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr and "without encryption" not in out.stderr


@pytest.fixture(scope="module")
def awkward_run(tmp_path_factory):
    """Every notebook in quick mode on a CRLF text with a BOM, a 0x1A byte, tabs, accents, Greek,
    Cyrillic, typographic quotes and LaTeX specials; run on copies of the notebooks."""
    tmp = tmp_path_factory.mktemp("awkward")
    text = awkward_text(20_000)                              # about the shortest book a user may bring
    corpus = write_crlf(tmp / "awkward_book.txt", text, bom=True)
    copies = [Path(shutil.copy(nb, tmp / nb.name)) for nb in NOTEBOOKS]
    settings = dict(CORPUS=corpus, QUICK=1, FIGURES_DIR=tmp / "figures", CHECKPOINT_DIR=tmp / "checkpoints")
    before = digest(NOTEBOOKS)
    run_report(["execute"], copies, settings)
    assert digest(NOTEBOOKS) == before                       # the committed notebooks stay as they were
    return text, copies, settings


@pytest.fixture(scope="module")
def awkward_pdf(tex, awkward_run):
    """The PDF of the awkward run, as pdftotext reads it (needs TeX: see the `tex` fixture)."""
    _, copies, settings = awkward_run
    out = Path(settings["FIGURES_DIR"]).parent / "report.pdf"
    before = digest(NOTEBOOKS)
    run_report(["pdf", "--out", str(out)], copies, settings)
    assert digest(NOTEBOOKS) == before
    return subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout


@workbook_only
def test_awkward_text_runs_through_every_notebook(awkward_run):
    _, copies, _ = awkward_run
    for nb in copies:
        cells = nbformat.read(nb, 4).cells
        assert all(c.execution_count for c in cells if c.cell_type == "code"), nb.name
        assert not any(o.output_type == "error" for c in cells if c.cell_type == "code" for o in c.outputs)


@workbook_only
def test_the_pdf_shows_every_character_of_the_text(awkward_run, awkward_pdf):
    text, pdf = awkward_run[0], awkward_pdf
    missing = sorted(ch for ch in set(text) if ord(ch) > 127 and ch not in pdf)
    assert missing == []
    assert "U+001A" in pdf and AWKWARD not in pdf
    assert re.search(rf"{text.count(chr(10)):,} Windows line ends \(CR\s+LF\) became plain newlines", pdf)
    assert re.search(r"byte-order\s+mark\s+was\s+dropped", pdf)


@pytest.fixture(scope="module")
def relative_run(tmp_path_factory):
    """Every notebook in quick mode on a 40,000-character book named by a path relative to the
    repository root, as the README's `CORPUS=data/my_book.txt make`; the kernels run elsewhere."""
    tmp = tmp_path_factory.mktemp("relative")
    book = ROOT / "data" / f"test_book_{os.getpid()}.txt"
    book.write_text(awkward_text(40_000, seed=1), encoding="utf-8")
    copies = [Path(shutil.copy(nb, tmp / nb.name)) for nb in NOTEBOOKS]
    settings = dict(CORPUS=book.relative_to(ROOT), QUICK=1, FIGURES_DIR=tmp / "figures",
                    CHECKPOINT_DIR=tmp / "checkpoints")
    try:
        checked = run(["make", "--no-print-directory", "check"], **settings)
        run_report(["execute"], copies, settings)
        yield checked, copies, settings
    finally:
        book.unlink()


@workbook_only
def test_a_relative_corpus_path_works_through_make_and_the_kernels(relative_run):
    checked, copies, _ = relative_run
    assert checked.returncode == 0 and f"corpus: {ROOT}/data/test_book_" in checked.stdout
    for nb in copies:
        cells = nbformat.read(nb, 4).cells
        assert all(c.execution_count for c in cells if c.cell_type == "code"), nb.name


@workbook_only
def test_another_run_never_reads_this_runs_numbers(relative_run):
    _, copies, settings = relative_run
    out = run([sys.executable, "-m", "helpers.workbook.report", "execute", str(copies[-1])], **dict(settings, STEPS=300))
    assert out.returncode == 1
    shutil.rmtree(ROOT / re.search(r"this run's outputs are in (\S+)/\)", out.stderr).group(1))
    assert ": run notebooks/03_training.ipynb, notebooks/04_sampling.ipynb, notebooks/05_extensions.ipynb, " \
           "notebooks/06_gated.ipynb, notebooks/07_inside.ipynb, notebooks/08_compression.ipynb first (or make)" in out.stderr
