"""What a training run sets, in one frozen dataclass whose defaults are the course's, the check
that a checkpoint is resumed only under the settings that wrote it, and what one call of
train.train does along the way (LoopConfig).

A notebook names only what it changes, e.g. the gated runs of 06_gated:

    GATED = TrainConfig(optimizer="adam", eta=5e-3, batch_size=32, seq_length=100)
    dataclasses.replace(GATED, model="lstm")      # a variant: one setting changed

The config holds every setting a run keeps from its first update to its last. How far one call
goes (`steps`) and how its rate ends (`anneal`) may change when a run is resumed, so they are
arguments of train.train. What one call does besides training (validation, a hook, its
checkpoint, resuming from it) is a LoopConfig:

    LoopConfig(every=1000, val_ids=val_ids, hook=take_sample, checkpoint="checkpoints/run.npz")
"""
import dataclasses
import json
import operator
from dataclasses import dataclass

from helpers import models, optim


@dataclass(frozen=True)
class TrainConfig:
    """The settings of one training run; each default is the course's (DD2424 Assignment 4)."""
    model: str = "rnn"              # 'rnn' (the course's vanilla RNN), 'lstm' or 'gru' (helpers.models)
    optimizer: str = "adagrad"      # 'adagrad' (the course's) or 'adam' (helpers.optim)
    seq_length: int = 25            # tau: characters each stream reads per update (course: 25)
    eta: float = 0.1                # learning rate (course: 0.1 with AdaGrad; Adam wants about 1e-3 to 1e-2)
    eps: float = 1e-8               # the optimizer's epsilon in its denominator (course: 1e-8)
    clip: float = 5.0               # gradients clipped element-wise to [-clip, clip] in the update (course: 5)
    batch_size: int = 1             # B streams at evenly spaced offsets, each with its own state (course: 1)
    order: str = "sequential"       # 'sequential' (course: the state carried) or 'random' chunks from zero

    def __post_init__(self):
        for name, kind in (("seq_length", operator.index), ("batch_size", operator.index),
                           ("eta", float), ("eps", float), ("clip", float)):
            value = getattr(self, name)
            try:                    # an int may come from numpy, but is never a float rounded down
                value = kind(value)
            except (TypeError, ValueError):
                what = "an integer" if kind is operator.index else "a number"
                raise ValueError(f"TrainConfig: {name} must be {what}, got {value!r}") from None
            if not value > 0:       # NaN too
                raise ValueError(f"TrainConfig: {name} must be positive, got {value}")
            object.__setattr__(self, name, value)
        try:
            models.get(self.model)
        except ValueError as e:     # it names the models there are
            raise ValueError(f"TrainConfig: {e}") from None
        if self.optimizer not in optim.OPTIMIZERS:
            raise ValueError(f"TrainConfig: optimizer must be one of {', '.join(optim.OPTIMIZERS)}; "
                             f"got {self.optimizer!r}")
        if self.order not in ("sequential", "random"):
            raise ValueError(f"TrainConfig: order must be 'sequential' or 'random', got {self.order!r}")

    def to_json(self):
        """The settings as a JSON object, as a checkpoint records them."""
        return json.dumps(dataclasses.asdict(self))


@dataclass(frozen=True)
class LoopConfig:
    """What one call of train.train does besides training: validate, call a hook, save, resume.

    Every `every` steps the loop measures the loss per character on `val_ids` (into History.val),
    calls `hook` (also at step 0) and writes the whole run to `checkpoint`, atomically (also at
    the last step). resume: go on from `checkpoint` exactly, as only the settings that wrote it may.
    """
    every: int = 10_000             # steps between validations, hook calls and checkpoints
    val_ids: object = None          # (N,) int validation text, or None
    hook: object = None             # hook(step, params, state, x): stream 0's state ((m, 1) arrays), last input
    checkpoint: object = None       # a path (str or Path), or None
    resume: bool = False            # start from `checkpoint`, written under the same TrainConfig
    progress: bool = True           # a progress bar (off under TQDM_DISABLE too)

    def __post_init__(self):
        try:
            every = operator.index(self.every)
        except TypeError:
            every = 0
        if every <= 0:
            raise ValueError(f"LoopConfig: every must be a positive number of steps, got {self.every!r}")
        object.__setattr__(self, "every", every)
        if self.resume and self.checkpoint is None:
            raise ValueError("LoopConfig: resume=True needs the checkpoint to resume from")


def check_resumable(path, recorded, config):
    """Raise ValueError, one line naming the checkpoint `path` and each setting that differs, unless
    the settings it `recorded` (its JSON) are `config`'s, every field compared."""
    try:
        saved = json.loads(recorded)
    except (ValueError, TypeError):
        saved = None
    if not isinstance(saved, dict):             # not JSON, or not an object
        raise ValueError(f"{path}: checkpoint's settings are not a JSON object of TrainConfig's")
    ours = json.loads(config.to_json())
    unknown, missing = sorted(set(saved) - set(ours)), [k for k in ours if k not in saved]
    if unknown or missing:
        raise ValueError(f"{path}: checkpoint records settings TrainConfig does not have "
                         f"({', '.join(unknown) or 'none'}) or lacks some ({', '.join(missing) or 'none'})")
    differ = [k for k in ours if saved[k] != ours[k]]
    if differ:
        def listed(values):
            return " and ".join(f"{k}={values[k]!r}" for k in differ)
        raise ValueError(f"{path}: checkpoint was made with {listed(saved)}; this run has {listed(ours)}")
