"""Safe .npz files: written atomically, read without pickle (a checkpoint may come from anywhere).

Three kinds: a model (parameters and vocabulary, to sample from), snapshots (parameters along a
run), and a training run (all helpers.train needs to go on from it exactly)."""
import json
import os
import tempfile
import zipfile
import zlib
from pathlib import Path

import numpy as np

from helpers import models
from helpers.data import Vocabulary
from helpers.train_config import check_resumable


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
    if "model" not in arrays:
        raise ValueError(f"{path}: checkpoint lacks model (the name of its model, e.g. 'rnn')")
    model = str(arrays.pop("model"))
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
    if "model" not in arrays:
        raise ValueError(f"{path}: not a snapshot file (it lacks model, the name of its model)")
    try:
        keys = models.get(str(arrays.pop("model"))).KEYS
    except ValueError as e:
        raise ValueError(f"{path}: {e}") from None
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


def save_run(path, run):
    """Write a training run (helpers.train's _Run) to `path`: parameters, optimizer, random
    generator, the streams' position and state, the history and the best parameters."""
    hist = run.history
    save_npz(path, theta=run.flat.theta, step=run.step, pos=run.streams.pos, h=models.pack(run.state),
             smooth=run.smooth, best=run.best, best_step=hist.best_step, best_smooth_loss=hist.best_smooth_loss,
             loss=np.array(hist.loss), smooth_loss=np.array(hist.smooth_loss),
             val=np.array(hist.val, dtype=float).reshape(-1, 2),
             rng=json.dumps(run.rng.bit_generator.state), config=run.config.to_json(),
             **{f"opt_{k}": v for k, v in run.opt.state().items()})


_RUN_KEYS = ("theta", "step", "pos", "h", "smooth", "best", "best_step", "best_smooth_loss", "loss",
            "smooth_loss", "val", "rng", "config")


def load_run(path, run):
    """Put the run saved in `path` into `run`, a fresh one, unless it was made under other settings
    (a one-line ValueError naming `path` and what differs)."""
    a = load_npz(path, required=_RUN_KEYS)
    check_resumable(path, str(a["config"]), run.config)
    flat, opt, hist = run.flat, run.opt, run.history
    missing = [k for k in opt.state() if f"opt_{k}" not in a]
    if missing:
        raise ValueError(f"{path}: checkpoint lacks the optimizer's {', '.join(missing)}")
    if a["theta"].shape != flat.theta.shape or a["best"].shape != flat.theta.shape:
        raise ValueError(f"{path}: checkpoint has {a['theta'].size} parameters, the model {flat.theta.size}")
    flat.theta[...], run.best[...] = a["theta"], a["best"]
    for k, v in opt.state().items():
        v[...] = a[f"opt_{k}"]
    run.rng.bit_generator.state = json.loads(str(a["rng"]))
    hist.loss, hist.smooth_loss = a["loss"].tolist(), a["smooth_loss"].tolist()
    hist.val = [(int(step), v) for step, v in a["val"]]
    hist.best_step, hist.best_smooth_loss = int(a["best_step"]), float(a["best_smooth_loss"])
    run.step, run.streams.pos, run.smooth = int(a["step"]), int(a["pos"]), float(a["smooth"])
    run.state = models.unpack(a["h"], run.state)
