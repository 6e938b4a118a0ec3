"""What torch_train keeps in its --out folder, all in helpers.checkpoint's format (no pickle):

    last.npz     the resume checkpoint: the workbook model at the last checkpoint, plus the exact
                 PyTorch tensors ('torch/<name>'), AdamW's state as arrays ('opt/<index>/<name>'),
                 the streams' position and states, the losses so far and the best step
    model.npz    the best model on validation (a workbook model: checkpoint.load_model reads it)
    result.json  the saved model's val_bits and test_bits, its step, every step's loss
"""
import json
import os
import tempfile
from pathlib import Path

import numpy as np
import torch

from helpers import checkpoint, models
from helpers.torch_train import net as tnet
from helpers.torch_train.options import RECORDED, UsageError


def recorded(args, digest):
    """The JSON of the settings a resumed run must share with the one that wrote last.npz."""
    return json.dumps({**{k: getattr(args, k) for k in RECORDED}, "corpus_sha256": digest}, sort_keys=True)


def optimizer_arrays(opt):
    """AdamW's per-parameter state as {'opt/<index>/<name>': array}."""
    return {f"opt/{i}/{k}": v.detach().cpu().numpy() for i, s in opt.state_dict()["state"].items()
            for k, v in s.items()}


def load_optimizer(opt, arrays):
    """Put the state `optimizer_arrays` saved back into `opt` (its groups are this run's)."""
    state = {}
    for key, value in arrays.items():
        if key.startswith("opt/"):
            _, i, k = key.split("/")
            state.setdefault(int(i), {})[k] = torch.as_tensor(value)
    opt.load_state_dict({"state": state, "param_groups": opt.state_dict()["param_groups"]})


def save_last(out, run, vocab, state):
    """Write out/last.npz from `run` (the Trainer's fields) and the global state (workbook arrays)."""
    raw = {f"torch/{k}": v.detach().cpu().numpy() for k, v in run.net.state_dict().items()}
    meta = dict(step=run.step, pos=run.streams.pos, smooth_loss=run.smooth, best_val=run.best_val,
                best_step=run.best_step, seconds=run.seconds, recorded=run.recorded, losses=np.array(run.losses),
                vals=np.array(run.vals, dtype=float).reshape(-1, 2), h=models.pack(state))
    params = tnet.workbook_params(run.model, run.net)
    checkpoint.save_model(Path(out) / "last.npz", params, vocab, run.model, **meta, **raw,
                          **optimizer_arrays(run.opt))


def load_last(path, run):
    """Restore `run` from last.npz; returns the global state (workbook arrays) to continue from."""
    a = checkpoint.load_npz(path, required=("recorded", "step", "pos", "h", "losses"))
    if str(a["recorded"]) != run.recorded:
        old, new = json.loads(str(a["recorded"])), json.loads(run.recorded)
        differ = ", ".join(f"{k}={old.get(k)!r} (now {new.get(k)!r})" for k in new if old.get(k) != new.get(k))
        raise UsageError(f"{path}: made by another run ({differ}); run that command, or choose another --out")
    run.net.load_state_dict({k[6:]: torch.as_tensor(v) for k, v in a.items() if k.startswith("torch/")})
    load_optimizer(run.opt, a)
    run.step, run.streams.pos, run.smooth = int(a["step"]), int(a["pos"]), float(a["smooth_loss"])
    run.best_val, run.best_step, run.seconds = float(a["best_val"]), int(a["best_step"]), float(a["seconds"])
    run.losses, run.vals = a["losses"].tolist(), [(int(s), v) for s, v in a["vals"]]
    zero = models.get(run.model).zero_state(tnet.workbook_params(run.model, run.net), 1)
    return models.unpack(a["h"], zero)


TRAINED_BY = "helpers.torch_train"   # in model.npz: how the workbook's prose names its origin (runs.model_name)


def save_best(out, run, vocab, val_nats):
    """Write out/model.npz, the best model yet on validation."""
    checkpoint.save_model(Path(out) / "model.npz", tnet.workbook_params(run.model, run.net), vocab, run.model,
                          step=run.step, val_nats=val_nats, smooth_loss=run.smooth, seq_length=run.args.seq,
                          trained_by=TRAINED_BY)


def write_json(path, obj):
    """Write `obj` as JSON to `path` atomically."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)
