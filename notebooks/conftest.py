"""nbval's kernels talk over local IPC sockets, like the ones `make` starts (helpers.workbook.executor), and
write their figures into a scratch copy of figures/, so that `make test` leaves the committed
figures as `make` made them (timings differ from run to run)."""
import atexit
import os
import shutil
import tempfile

import nbval.kernel
from jupyter_client.manager import KernelManager

from helpers.workbook.build import copy_of_figures
from helpers.workbook.executor import KERNEL_CONFIG


def ipc_kernel_manager(**kwargs):
    return KernelManager(config=KERNEL_CONFIG, **kwargs)


def scratch_figures():
    """A copy of figures/ that the kernels started from now on write into (they inherit os.environ)."""
    scratch = copy_of_figures("nbval-figures-")
    atexit.register(shutil.rmtree, scratch, True)
    os.environ["FIGURES_DIR"] = str(scratch)


def scratch_checkpoints():
    """A run folder of its own for nbval's re-runs: `make test` never writes into checkpoints/."""
    scratch = tempfile.mkdtemp(prefix="nbval-checkpoints-")
    atexit.register(shutil.rmtree, scratch, True)
    os.environ["CHECKPOINT_DIR"] = scratch


nbval.kernel.KernelManager = ipc_kernel_manager
os.environ.setdefault("TQDM_DISABLE", "1")     # no progress bars in the re-runs, as with make
scratch_figures()
scratch_checkpoints()
