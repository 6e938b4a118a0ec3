"""Dynamic evaluation (Krause et al., 2018): a trained model that keeps learning as it reads.

The text is read in segments of `segment` characters. Each segment is scored first, with the
parameters as they are, and only then used for one gradient step; the state is carried from one
segment to the next, so every character is predicted from all the characters before it, and no
parameter has ever seen a character before that character is scored.

The step, on the segment's summed loss (nats, the course's unit), is one of
    sgd:  theta -= eta * g
    rms:  theta -= eta * g / (sqrt(v) + eps),  v = running mean of g^2 (beta = 0.99, bias-corrected)
followed by theta += decay * (theta_0 - theta), a pull back toward the trained weights theta_0.
Works for any model of the registry (helpers.models): it needs only outputs and loss_and_grads.
"""
import math

import numpy as np

from helpers import models

RULES = ("sgd", "rms")


class Stepper:
    """The update after each segment; holds the trained weights and the running mean of g^2."""

    def __init__(self, params, eta, rule="sgd", decay=0.0, beta=0.99, eps=1e-8):
        if rule not in RULES:
            raise ValueError(f"rule must be one of {', '.join(RULES)}; got {rule!r}")
        self.start = {k: v.copy() for k, v in params.items()}
        self.eta, self.rule, self.decay, self.beta, self.eps = eta, rule, decay, beta, eps
        self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.tmp, self.steps = {}, 0          # scratch arrays by key, made on first use

    def __call__(self, params, grads):
        """Update params (a private copy) in place with grads {key: array like params[key]}.

        In place, through one scratch array per key, but the same floating-point operations in
        the same order as the formulas above, so the result does not depend on the buffers."""
        self.steps += 1
        for k, g in grads.items():
            tmp = self.tmp.setdefault(k, np.empty_like(params[k]))
            if self.rule == "rms":
                v = self.v[k]
                v *= self.beta
                np.multiply(g, 1 - self.beta, out=tmp)           # v += (1 - beta) * g * g
                tmp *= g
                v += tmp
                np.divide(v, 1 - self.beta ** self.steps, out=tmp)
                np.sqrt(tmp, out=tmp)
                tmp += self.eps
                g = np.divide(g, tmp, out=tmp)                   # g / (sqrt(v / (1 - beta^t)) + eps)
            np.multiply(g, self.eta, out=tmp)
            params[k] -= tmp
            if self.decay:
                np.subtract(self.start[k], params[k], out=tmp)
                tmp *= self.decay
                params[k] += tmp


def segment_bits(O, y):
    """(len(y),) bits of y under scores O (len(y), K), any shift."""
    O = O.astype(np.float64)
    O -= O.max(axis=1, keepdims=True)
    return (np.log(np.exp(O).sum(axis=1)) - O[np.arange(len(y)), y]) / math.log(2)


def surprisal(model, params, ids, eta, segment=50, decay=0.0, rule="sgd"):
    """(len(ids) - 1,) bits of surprise for ids[1:], read in one pass from the zero state while the
    model learns: segment s is scored, then one step is taken on it. model: a name in
    helpers.models; params: its trained parameters (copied, never changed); ids: (n,) int."""
    module = models.get(model)
    if int(segment) < 1:
        raise ValueError(f"segment must be at least 1 character, got {segment}")
    ids = np.asarray(ids)
    params = {k: np.array(v, copy=True) for k, v in params.items()}
    step = Stepper(params, eta, rule, decay)
    bits = np.empty(max(len(ids) - 1, 0))
    state = module.zero_state(params, 1)
    for s in range(0, len(bits), int(segment)):
        y = ids[s + 1:s + segment + 1]
        x = ids[s:s + len(y)]
        O, last = module.outputs(params, x[:, None], state)     # scored before it is learned from
        bits[s:s + len(y)] = segment_bits(O, y)
        if eta or decay:
            _, grads, _ = module.loss_and_grads(params, x, y, state)
            step(params, grads)
        state = last                                           # as the scoring pass left it
    return bits


def choose(model, params, ids, grid):
    """(best setting, {setting: bits per character}) over grid, a list of settings {eta, segment,
    rule, decay} (missing keys take surprisal's defaults), scored on ids (a validation prefix)."""
    tried = {tuple(sorted(s.items())): float(surprisal(model, params, ids, **s).mean()) for s in grid}
    tried = {k: (v if np.isfinite(v) else np.inf) for k, v in tried.items()}   # a step too large diverges
    best = min(tried, key=tried.get)
    return dict(best), tried
