"""Safe .npz files: written atomically, read without pickle (a checkpoint may come from anywhere)."""
import os
import tempfile
from pathlib import Path

import numpy as np

from .data import Vocabulary
from .rnn import KEYS


def save_npz(path, **arrays):
    """Write `arrays` to `path` atomically: a temporary file in the same folder, then a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return path


def load_npz(path, required=()):
    """A dict of the arrays in `path`, loaded with allow_pickle=False; checks `required` keys."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: checkpoint not found")
    try:
        with np.load(path, allow_pickle=False) as f:
            arrays = {k: f[k] for k in f.files}
    except (ValueError, OSError) as e:
        raise ValueError(f"{path}: not a readable .npz checkpoint ({e})") from None
    missing = [k for k in required if k not in arrays]
    if missing:
        raise ValueError(f"{path}: checkpoint lacks {', '.join(missing)}")
    return arrays


def save_model(path, params, vocab, **meta):
    """Parameters, vocabulary and scalar metadata (e.g. smooth_loss, step) in one .npz."""
    arrays = {k: params[k] for k in KEYS}
    arrays["chars"] = np.array(vocab.chars)          # a unicode array: no pickle needed
    arrays.update({k: np.asarray(v) for k, v in meta.items()})
    return save_npz(path, **arrays)


def load_model(path):
    """(params, vocab, meta) from a file written by `save_model`."""
    arrays = load_npz(path, required=KEYS + ("chars",))
    params = {k: arrays.pop(k).astype(np.float64) for k in KEYS}
    vocab = Vocabulary(arrays.pop("chars").tolist())
    K, m = params["V"].shape
    if params["U"].shape != (m, K) or params["W"].shape != (m, m) or len(vocab) != K:
        raise ValueError(f"{path}: parameter shapes do not fit together (K={K}, m={m})")
    meta = {k: v.item() if v.ndim == 0 else v for k, v in arrays.items()}
    return params, vocab, meta


def save_best(path, params, vocab, smooth_loss, **meta):
    """Save as the best model unless `path` already holds one with a lower smooth loss.

    Returns True when written. A best model is never overwritten by a worse one.
    """
    path = Path(path)
    if path.exists():
        old = load_npz(path).get("smooth_loss")
        if old is not None and float(old) < smooth_loss:
            print(f"kept {path}: its smooth loss {float(old):.3f} beats this run's {smooth_loss:.3f}")
            return False
    save_model(path, params, vocab, smooth_loss=smooth_loss, **meta)
    return True


def save_snapshots(path, snapshots):
    """Parameters saved along a run, {step: params}, in one .npz (keys like 'step_1000/W')."""
    return save_npz(path, **{f"step_{step}/{k}": v for step, params in snapshots.items()
                             for k, v in params.items()})


def load_snapshots(path):
    """{step: params} from a file written by `save_snapshots`, in step order."""
    out = {}
    for key, value in load_npz(path).items():
        step, _, k = key.partition("/")
        if not step.startswith("step_") or k not in KEYS:
            raise ValueError(f"{path}: not a snapshot file (unexpected entry {key!r})")
        out.setdefault(int(step[5:]), {})[k] = value
    return dict(sorted(out.items()))
