"""The command line of helpers.torch_train: every option with its default, and the checks that
need no data (device, flags)."""
import argparse

from helpers import models

RECORDED = ("model", "hidden", "batch", "seq", "lr", "min_lr", "warmup", "weight_decay", "clip", "seed",
            "dtype", "init", "bf16", "eval_chars")     # what a resumed run must share with the run that wrote last.npz


class UsageError(ValueError):
    """An option that cannot be used; str gives the one line to print."""


def parser():
    p = argparse.ArgumentParser(prog="python -m helpers.torch_train",
                                description="Train a workbook cell with PyTorch (helpers.torch_train).")
    p.add_argument("--model", default="gru", choices=tuple(models.MODELS), help="the cell (default gru)")
    p.add_argument("--hidden", type=int, default=None, help="hidden units m (default 256, or --init's)")
    p.add_argument("--batch", type=int, default=32, help="streams B in the global batch, split among ranks")
    p.add_argument("--seq", type=int, default=100, help="characters each stream reads per update")
    p.add_argument("--steps", type=int, default=2000, help="updates in all (a resumed run may extend it)")
    p.add_argument("--lr", type=float, default=2e-3, help="AdamW's peak learning rate")
    p.add_argument("--min-lr", type=float, default=2e-4, help="the rate cosine decay ends at, at --steps")
    p.add_argument("--warmup", type=int, default=100, help="steps of linear warm-up from 0")
    p.add_argument("--weight-decay", type=float, default=0.01, help="AdamW's decay of the weight matrices")
    p.add_argument("--clip", type=float, default=1.0, help="gradient-norm clip (0: none)")
    p.add_argument("--seed", type=int, default=0, help="seeds the initial weights (a numpy Generator)")
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda", "mps"),
                   help="auto takes CUDA, then MPS, then the CPU")
    p.add_argument("--dtype", default="float32", choices=("float32", "float64"))
    p.add_argument("--init", default=None, help="a workbook model (.npz) to start from")
    p.add_argument("--save-every", type=int, default=100, help="steps between validation and checkpoints")
    p.add_argument("--eval-chars", type=int, default=None,
                   help="score only the first N characters of validation and of test (default: all)")
    p.add_argument("--out", default="checkpoints/torch-run", help="the output folder")
    p.add_argument("--bf16", action="store_true", help="CUDA only: bf16 autocast")
    p.add_argument("--compile", action="store_true", help="CUDA only: torch.compile the network")
    p.add_argument("--threads", type=int, default=None, help="CPU threads per process (default: torch's)")
    return p


def check(args):
    """Raise UsageError for the first option out of range."""
    for name in ("batch", "seq", "steps", "save_every"):
        if getattr(args, name) < 1:
            raise UsageError(f"--{name.replace('_', '-')}={getattr(args, name)}: must be at least 1")
    for name in ("hidden", "eval_chars"):
        if getattr(args, name) is not None and getattr(args, name) < 2:
            raise UsageError(f"--{name.replace('_', '-')}={getattr(args, name)}: must be at least 2")
    for name in ("lr", "min_lr", "weight_decay", "clip", "warmup"):
        if not getattr(args, name) >= 0:
            raise UsageError(f"--{name.replace('_', '-')}={getattr(args, name)}: must be at least 0")


def device(args):
    """The torch device name for `args.device` ('auto' resolved), or UsageError when it is absent."""
    import torch
    mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    name = args.device
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "mps" if mps else "cpu"
    if name == "cuda" and not torch.cuda.is_available():
        raise UsageError("--device cuda: no CUDA device here (torch.cuda.is_available() is False)")
    if name == "mps" and not mps:
        raise UsageError("--device mps: no Apple MPS device here")
    if name == "mps" and args.dtype == "float64":
        raise UsageError("--dtype float64: MPS has no float64; use float32 or --device cpu")
    for flag in ("bf16", "compile"):
        if getattr(args, flag) and name != "cuda":
            raise UsageError(f"--{flag}: CUDA only (this run's device is {name})")
    return name
