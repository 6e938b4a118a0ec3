"""nbval's kernels talk over local IPC sockets, like the ones `make` starts (helpers.report), and
write their figures into a scratch copy of figures/, so that `make test` leaves the committed
figures as `make` made them (timings differ from run to run)."""
import atexit
import os
import shutil
import tempfile

import nbval.kernel
from jupyter_client.manager import KernelManager

from helpers.config import FIGURES
from helpers.report import KERNEL_CONFIG


def ipc_kernel_manager(**kwargs):
    return KernelManager(config=KERNEL_CONFIG, **kwargs)


def scratch_figures():
    """A copy of figures/ that the kernels started from now on write into (they inherit os.environ)."""
    scratch = tempfile.mkdtemp(prefix="nbval-figures-")
    if FIGURES.is_dir():
        shutil.copytree(FIGURES, scratch, dirs_exist_ok=True)
    atexit.register(shutil.rmtree, scratch, True)
    os.environ["FIGURES_DIR"] = scratch


nbval.kernel.KernelManager = ipc_kernel_manager
scratch_figures()
