"""The adaptive coder's model: dynamic evaluation (helpers.compress.dynamic) one character at a time,
so that encoder and decoder learn from the text exactly alike.

A setting is {rule, eta, segment, decay}, as `dynamic.surprisal` takes them. The text is read in
segments of `segment` characters; once a segment's last target character is coded (or decoded),
the model takes one `dynamic.Stepper` step on the segment's loss (`loss_and_grads` from the state
at the segment's start), then steps on from the state its stepping left, as `dynamic.surprisal`
does with its batched scoring. Encoder and decoder make the same calls in the same order, so their
tables agree bit for bit (helpers.compress.predictor); `dynamic.surprisal` sums the same products
in another order, so its bits, the coder's bound, may differ from the coder's in the last bits.

    setting(dict(eta=1e-3, rule="rms"))     # {"rule": "rms", "eta": 0.001, "segment": 50, "decay": 0.0}
    parse("eta=1e-3,segment=50,rule=rms")   # the command line's --adapt, to the same
"""
import math

import numpy as np

from helpers.compress import dynamic, predictor
from helpers.compress.container import CompressError

KEYS = ("rule", "eta", "segment", "decay")
DEFAULTS = {"rule": "sgd", "segment": 50, "decay": 0.0}     # dynamic.surprisal's defaults


def setting(adapt, where="adapt"):
    """The setting {rule, eta, segment, decay} of `adapt` (a dict; eta required, the rest default
    as in dynamic.surprisal), checked; a one-line CompressError naming `where` otherwise."""
    unknown = sorted(set(adapt) - set(KEYS))
    if unknown or "eta" not in adapt:
        what = f"unknown key {unknown[0]!r}" if unknown else "eta is missing"
        raise CompressError(f"{where}: {what}; a setting has eta and optionally segment, rule, decay")
    s = {**DEFAULTS, **adapt}
    if s["rule"] not in dynamic.RULES:
        raise CompressError(f"{where}: rule must be one of {', '.join(dynamic.RULES)}; got {s['rule']!r}")
    eta, decay = _number(s["eta"], where, "eta"), _number(s["decay"], where, "decay")
    if eta < 0:
        raise CompressError(f"{where}: eta must be at least 0; got {eta!r}")
    if not 0 <= decay <= 1:
        raise CompressError(f"{where}: decay must be between 0 and 1; got {decay!r}")
    segment = s["segment"]
    if isinstance(segment, float) and segment.is_integer():
        segment = int(segment)
    if isinstance(segment, bool) or not isinstance(segment, (int, np.integer)) or segment < 1:
        raise CompressError(f"{where}: segment must be a whole number of characters, at least 1; got {segment!r}")
    return {"rule": s["rule"], "eta": eta, "segment": int(segment), "decay": decay}


def _number(value, where, key):
    """value as a finite float, or a CompressError naming `where` and `key`."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        x = math.nan
    if isinstance(value, bool) or not math.isfinite(x):
        raise CompressError(f"{where}: {key} must be a finite number; got {value!r}")
    return x


def parse(spec, where="--adapt"):
    """The setting written as `eta=1e-3,segment=50,rule=rms,decay=0` (any order, eta required)."""
    adapt = {}
    for part in spec.split(","):
        key, eq, value = part.strip().partition("=")
        if not eq or not key or key in adapt:
            raise CompressError(f"{where}: expected key=value pairs separated by commas, "
                                f"e.g. eta=1e-3,segment=50,rule=rms; got {spec!r}")
        adapt[key] = value.strip() if key == "rule" else _whole(value.strip()) if key == "segment" else value
    return setting(adapt, where)


def spec(adapt):
    """The setting as `parse` reads it back exactly, e.g. "rule=rms,eta=0.001,segment=50" (decay
    where it is not 0)."""
    shown = [k for k in KEYS if k != "decay" or adapt[k]]
    return ",".join(f"rule={adapt[k]}" if k == "rule" else f"{k}={adapt[k]!r}" for k in shown)


def _whole(value):
    """A segment's text as an int where it is one; otherwise as given, for `setting` to refuse."""
    try:
        return int(value)
    except ValueError:
        return value


class Predictor(predictor.Predictor):
    """predictor.Predictor that learns as it reads: `after(x)` takes the step of `setting` after
    each segment's last character. Works on a private copy of `params`."""

    def __init__(self, name, params, adapt):
        adapt = setting(adapt)
        super().__init__(name, {k: np.array(v, copy=True) for k, v in params.items()})
        self.segment = adapt["segment"]
        self.learns = bool(adapt["eta"] or adapt["decay"])     # as dynamic.surprisal: no step, no change
        self.stepper = dynamic.Stepper(self.params, adapt["eta"], adapt["rule"], adapt["decay"])
        self.grads = {k: np.empty_like(v) for k, v in self.params.items()}   # reused by every step
        self.seen, self.start = [], self.state    # the segment's characters so far; its first state

    def after(self, x):
        """The table for the character after x. When x completes a segment (it is the segment's
        last target), learn from the segment first; then x opens the next one."""
        if len(self.seen) == self.segment:
            if self.learns:
                ids = np.array(self.seen + [x])                  # (segment + 1,): inputs, then targets
                _, grads, _ = self.module.loss_and_grads(self.params, ids[:-1], ids[1:], self.start,
                                                         out=self.grads)
                self.stepper(self.params, grads)
            self.seen, self.start = [], self.state
        self.seen.append(x)
        return super().after(x)
