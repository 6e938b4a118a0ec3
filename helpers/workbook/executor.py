"""One notebook executed top to bottom in its own kernel, into a run's folder (helpers.workbook.build).

The kernel runs in the notebook's own folder, writes its figures into the run's figures/ (its
FIGURES_DIR), and has TQDM_DISABLE=1, so that no progress bar reaches the saved notebook
(helpers.train honours it for tqdm's Jupyter widget too). It runs with one BLAS/OpenMP thread
unless the environment says otherwise (THREADS). While it runs, a live line says which cell of
how many and for how long (helpers.workbook.progress). SIGINT, SIGTERM or SIGHUP stops the kernel
at once and raises build.Interrupted naming the notebook and cell; a failed cell raises
build.BuildFailed, whose one line names the notebook, the cell and the error, with the traceback
in the run's folder.
"""
import asyncio
import atexit
import os
import re
import signal
import tempfile
import traceback
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from traitlets.config import Config

from helpers.workbook import build, progress
from helpers.workbook.timings import duration, last_time

# Kernels talk over local IPC sockets: nothing listens on TCP, so nothing needs encrypting. The
# sockets' path is absolute, because the kernel runs in the notebook's folder and the client not,
# and holds the process id, so that two runs at once never pick the same socket.
KERNEL_CONFIG = Config({"KernelManager": {
    "transport": "ipc", "ip": str(Path(tempfile.gettempdir()) / f"workbook-{os.getpid()}-kernel")}})
# The RNN multiplies tiny matrices one step at a time: a second BLAS thread costs more in
# hand-offs than it saves (`make bench` measures both). A kernel's defaults; the environment wins.
THREADS = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class _Client(NotebookClient):
    """A NotebookClient that, on a signal of build.SIGNALS, stops the kernel at once and remembers which
    signal it was. (nbclient's own handler stops the kernel too, then fails with a bare
    AssertionError that names nothing.)"""
    stopped_by = None

    async def async_start_new_kernel(self, **kwargs):
        try:                                  # nbclient has just set its handlers: replace them
            for sig in build.SIGNALS:
                asyncio.get_running_loop().add_signal_handler(sig, self._stop, sig)
        except RuntimeError:                  # not the main thread: no signals here
            pass
        await super().async_start_new_kernel(**kwargs)

    def _stop(self, sig):
        if self.stopped_by:                   # a second Ctrl-C: the kernel is already going
            return
        self.stopped_by = signal.Signals(sig).name
        self.shutdown_kernel = "immediate"
        asyncio.ensure_future(self._async_cleanup_kernel())


def run_notebook(path, run, last=None, timeout=None):
    """Execute notebook `path` into RunFolder `run`; its seconds. last: its seconds last time."""
    path, after = Path(path), last_time(last)
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:                     # a stopped run's copy shows no earlier run's outputs
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    cells = sum(1 for c in nb.cells if c.cell_type == "code" and c.source.strip())
    print(f"{build.rel(path)}{after}", flush=True)
    live = progress.Progress(path.stem, cells)
    client = _Client(nb, timeout=timeout, kernel_name="python3", config=KERNEL_CONFIG,
                     resources={"metadata": {"path": str(path.parent)}},
                     on_cell_execute=lambda **_: live.cell(client.code_cells_executed + 1))
    env = {**THREADS, **os.environ, "FIGURES_DIR": str(run.figures), "TQDM_DISABLE": "1"}
    try:
        with open(run.kernel_log(path), "w") as log:   # the kernel's own stderr: shutdown noise
            client.execute(env=env, stderr=log)
    except BaseException as e:             # a cell's error, a timeout, a dead kernel, a signal
        atexit.unregister(client._cleanup_kernel)      # nothing left to clean; no noise at exit
        build.raise_on_signals()                       # asyncio reset them
        nbformat.write(nb, run.notebook(path))
        at = f"code cell {live.k} of {cells}" if live.k else "as its kernel started"
        stopped = _stopped(e, client.stopped_by, f"in {build.rel(path)}, {at}")
        raise stopped or _failure(path, nb, e, run) from None
    finally:
        took = live.close()
    build.raise_on_signals()
    nbformat.write(nb, run.notebook(path))
    print(f"  {path.stem}: {duration(took)}{after}", flush=True)
    return took


def _stopped(error, stopped_by, where):
    """build.Interrupted if `error` came of a signal (ours, or SIGINT in the kernel), else None."""
    if isinstance(error, build.Interrupted):
        return build.Interrupted(str(error), where)
    if stopped_by or isinstance(error, KeyboardInterrupt) or getattr(error, "ename", None) == "KeyboardInterrupt":
        return build.Interrupted(stopped_by or "SIGINT", where)
    return None


def _failure(path, nb, error, run):
    """Save the failed notebook's traceback; a BuildFailed naming notebook, cell and error."""
    log = run.traceback(path)
    if hasattr(error, "ename"):           # a cell's error: nbclient's message holds its traceback
        log.write_text(ANSI.sub("", str(error)) + "\n")
    else:                                 # the run's own: a dead kernel, a timeout
        log.write_text("".join(traceback.format_exception(error)))
    code = [c for c in nb.cells if c.cell_type == "code"]     # numbered as Jupyter's In [n]
    cell = next((i for i, c in enumerate(code, 1) if any(o.output_type == "error" for o in c.get("outputs", []))), None)
    stop = getattr(error, "ename", None) == "Stop"                # helpers.workbook.stop: the line says it all
    what = (error.evalue if stop else f"{error.ename}: {error.evalue}" if hasattr(error, "ename")
            else f"{type(error).__name__}: {error}")
    where = f", code cell {cell}" if cell else ""
    first = ANSI.sub("", what).strip().splitlines()[0] if what.strip() else type(error).__name__
    return build.BuildFailed(f"{build.rel(path)}{where}: {first} ({'' if stop else f'traceback: {build.rel(log)}; '}"
                             f"{run.kept()})")
