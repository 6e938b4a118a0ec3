"""nbval's kernels talk over local IPC sockets, like the ones `make` starts (helpers.report)."""
import nbval.kernel
from jupyter_client.manager import KernelManager

from helpers.report import KERNEL_CONFIG


def ipc_kernel_manager(**kwargs):
    return KernelManager(config=KERNEL_CONFIG, **kwargs)


nbval.kernel.KernelManager = ipc_kernel_manager
