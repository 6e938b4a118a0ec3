"""A run's own folder: everything `make` writes waits there until the whole run has succeeded.

report/build/run-<date>-<time>-<random>/ holds
    notebooks/   the executed notebooks, under their own names
    figures/     a copy of figures/ that the kernels write into (their FIGURES_DIR)
    kernels/     each kernel's own stderr: shutdown noise, never cell output
    report.pdf   when the run builds the PDF
    <notebook>.traceback.txt  when a notebook failed.
Only when every notebook (and the PDF) succeeded does `publish` replace the published files --
the notebooks where they were read from, figures/*, report/report.pdf -- each by an atomic rename,
with SIGINT, SIGTERM and SIGHUP ignored until the last one is in place; then the folder goes. A
run that fails or is stopped publishes nothing and keeps its folder, whose path its line names.
"""
import shutil
import signal
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from helpers.workbook.config import FIGURES, ROOT, rel

BUILD = ROOT / "report" / "build"            # gitignored: the runs' folders, LaTeX logs
SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)   # Ctrl-C; `kill` and make; the terminal closed
SIGNALLED = 128                               # a shell's exit status for a death by signal n: 128 + n


class BuildFailed(Exception):
    """A notebook or the PDF failed, or the run was stopped; str(e) is the one line to print."""

    def __init__(self, line, code=1):
        super().__init__(line)
        self.code = code                      # the exit status: 1, or SIGNALLED + the signal's number


class Interrupted(BaseException):
    """A signal of SIGNALS arrived: Interrupted('SIGINT', 'in notebooks/x.ipynb, code cell 3 of 9').
    A BaseException, like KeyboardInterrupt, so that no `except Exception` takes it for a failure."""

    def __init__(self, signame, where=""):
        super().__init__(signame, where)
        self.signame, self.where = signame, where

    def __str__(self):
        return self.signame

    def failure(self, run):
        """The BuildFailed of a run stopped by this signal: one line, its exit status the shell's."""
        where = f" {self.where}" if self.where else ""
        return BuildFailed(f"interrupted ({self.signame}){where}: {run.kept()}",
                           code=SIGNALLED + signal.Signals[self.signame])


def _raise(signum, frame):
    raise Interrupted(signal.Signals(signum).name)


def raise_on_signals():
    """Make the signals of SIGNALS raise Interrupted in the main thread (asyncio, which nbclient
    runs on, resets SIGINT's and SIGTERM's each time a notebook ends, so call it again then).
    Only the main thread takes signals: elsewhere nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in SIGNALS:
        signal.signal(sig, _raise)


@contextmanager
def handlers(set_them):
    """Within: set_them() has set the handlers of SIGNALS. After: they are as they were.
    Outside the main thread, where Python takes no signals, nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {sig: signal.getsignal(sig) for sig in SIGNALS}
    set_them()
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


def _ignore():
    for sig in SIGNALS:
        signal.signal(sig, signal.SIG_IGN)


def copy_of_figures(prefix, parent=None):
    """A new folder (under `parent`, else the system's temporary one) holding a copy of figures/."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    if FIGURES.is_dir():
        shutil.copytree(FIGURES, folder, dirs_exist_ok=True)
    return folder


def atomic_write(path, write):
    """write(tmp) into a temporary file beside `path`, then rename it over `path`."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        write(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


class RunFolder:
    """The folder of one run, and what it will publish where."""

    def __init__(self, parent=BUILD):
        Path(parent).mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix=time.strftime("run-%Y%m%d-%H%M%S-"), dir=parent))
        self.figures = self.root / "figures"
        if FIGURES.is_dir():
            shutil.copytree(FIGURES, self.figures)
        for sub in ("figures", "notebooks", "kernels"):
            (self.root / sub).mkdir(exist_ok=True)
        self.targets = {}                                  # file in this folder -> where it is published

    def notebook(self, path):
        """Where the executed copy of notebook `path` is written; it is published over `path`."""
        staged = self.root / "notebooks" / Path(path).name
        self.targets[staged] = Path(path)
        return staged

    def pdf(self, out):
        """Where the run's PDF is written; it is published over `out`."""
        self.targets[self.root / "report.pdf"] = Path(out)
        return self.root / "report.pdf"

    def kernel_log(self, path):
        return self.root / "kernels" / f"{Path(path).stem}.log"

    def traceback(self, path):
        return self.root / f"{Path(path).stem}.traceback.txt"

    def kept(self):
        """What a failed or stopped run leaves: said in its one line."""
        return (f"nothing was published, the last good outputs are kept; this run's outputs are in "
                f"{rel(self.root)}/")

    def publish(self):
        """Every notebook, every figure that changed, and the PDF, over the published ones; then
        the folder goes. The signals are ignored until the last file is in place (a copy and a
        rename each): a run that got this far finishes."""
        pairs = dict(self.targets)
        for f in sorted(p for p in self.figures.iterdir() if p.is_file()):
            target = FIGURES / f.name
            if not target.exists() or target.read_bytes() != f.read_bytes():
                pairs[f] = target
        FIGURES.mkdir(parents=True, exist_ok=True)
        with handlers(_ignore):
            for staged, target in pairs.items():   # a copy first: the targets may be on another disk
                atomic_write(target, lambda tmp, staged=staged: shutil.copyfile(staged, tmp))
        shutil.rmtree(self.root, ignore_errors=True)
        return sorted(pairs.values())
