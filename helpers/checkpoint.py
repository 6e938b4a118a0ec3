"""Safe .npz files: written atomically, read without pickle (a checkpoint may come from anywhere)."""
import os
import tempfile
import zipfile
import zlib
from pathlib import Path

import numpy as np

from helpers import models
from helpers.data import Vocabulary


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
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error):   # damaged, cut short, or pickled
        raise ValueError(f"{path}: not a readable .npz checkpoint (damaged, cut short, or not written by "
                         "helpers.checkpoint; pickled data is never loaded)") from None
    missing = [k for k in required if k not in arrays]
    if missing:
        raise ValueError(f"{path}: checkpoint lacks {', '.join(missing)}")
    return arrays


def save_model(path, params, vocab, model="rnn", **meta):
    """Parameters, the model's name, vocabulary and scalar metadata (e.g. smooth_loss, step)."""
    models.check_shapes(model, params)
    arrays = {k: params[k] for k in models.get(model).KEYS}
    arrays["chars"] = np.array(vocab.chars)          # a unicode array: no pickle needed
    arrays["model"] = np.array(model)
    arrays.update({k: np.asarray(v) for k, v in meta.items()})
    return save_npz(path, **arrays)


def load_model(path):
    """(params, vocab, meta) from a file written by `save_model`; meta['model'] names the model.

    Every parameter's shape is checked against the model and the vocabulary.
    """
    arrays = load_npz(path)
    if "chars" not in arrays:          # a training checkpoint or snapshots: no vocabulary to decode with
        raise ValueError(f"{path}: not a saved model (no vocabulary); use a run's best.npz or gated_best.npz")
    model = str(arrays.pop("model", "rnn"))                # files from before gated models: rnn
    try:
        module = models.get(model)
    except ValueError as e:
        raise ValueError(f"{path}: {e}") from None
    missing = [k for k in module.KEYS if k not in arrays]
    if missing:
        raise ValueError(f"{path}: checkpoint lacks {', '.join(missing)}")
    params = {k: arrays.pop(k).astype(np.float64) for k in module.KEYS}
    vocab = Vocabulary(arrays.pop("chars").tolist())
    try:
        models.check_shapes(model, params)
    except ValueError as e:
        raise ValueError(f"{path}: {e}") from None
    if params["V"].shape[0] != len(vocab):
        raise ValueError(f"{path}: {len(vocab)} characters but V has {params['V'].shape[0]} rows")
    meta = {k: v.item() if v.ndim == 0 else v for k, v in arrays.items()}
    meta["model"] = model
    return params, vocab, meta


def save_snapshots(path, snapshots, model="rnn"):
    """Parameters saved along a run, {step: params}, in one .npz (keys like 'step_1000/W')."""
    keys = models.get(model).KEYS
    return save_npz(path, model=np.array(model), **{f"step_{step}/{k}": params[k]
                                                    for step, params in snapshots.items() for k in keys})


def load_snapshots(path):
    """{step: params} from a file written by `save_snapshots`, in step order."""
    arrays = load_npz(path)
    keys = models.get(str(arrays.pop("model", "rnn"))).KEYS
    out = {}
    for key, value in arrays.items():
        step, _, k = key.partition("/")
        if not step.startswith("step_") or k not in keys:
            raise ValueError(f"{path}: not a snapshot file (unexpected entry {key!r})")
        out.setdefault(int(step[5:]), {})[k] = value
    return dict(sorted(out.items()))


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

