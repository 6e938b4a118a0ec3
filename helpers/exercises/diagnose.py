"""Hints by cause for E1 (forward pass) and E2 (BPTT): which outputs or gradients are wrong, and
in which pattern, names the likely mistake, the equation to look at and where 02_gradients
derives it. A diagnosis only ever explains a FAIL: whether an exercise passes is decided by the
comparisons with PyTorch and centred differences alone, so any correct answer passes.

Nothing here computes the answer: the patterns are read from the student's own cache (each step
against the student's previous one) and from the oracles' PyTorch results.
"""
import numpy as np

from helpers.exercises import oracles

WHERE = '(02_gradients, "Backpropagation through time")'
H0 = f"the state before step 0 is h_{{-1}} = h0, the h0 passed in: step 0 is wrong, the later steps follow {WHERE}"
STATE = f"h_t = tanh(a_t) with a_t = W h_{{t-1}} + U x_t + b {WHERE}"
SCORES = f"o_t = V h_t + c, with the h_t of the same step {WHERE}"
OVERFLOW = ("exp overflows for large scores: subtract the largest score of o_t before exp, since "
            f"softmax(z) = softmax(z - max z) {WHERE}")
AXIS = ("softmax sums over the K characters: the K entries of the (K, 1) column o_t (axis 0), so each "
        f"p_t sums to one {WHERE}")
SOFTMAX = f"p_t = softmax(o_t) = exp(o_t) / sum(exp(o_t)) {WHERE}"
OFF_BY_ONE = f"y off by one: step t's target is y[t], the character after x[t]; L = -sum_t log p_t[y_t] {WHERE}"
UNDERFLOW = ("p_t[y_t] underflows to 0 when y_t's score is far below the largest, and log 0 is -inf: take "
             f"-log p_t[y_t] = log sum_j exp(z_j) - z[y_t] from the shifted scores z = o_t - max o_t {WHERE}")
MEAN = f"L is the sum over the steps, L = -sum_t log p_t[y_t], not their mean: do not divide by tau {WHERE}"
ENTRY = f"L = -sum_t log p_t[y_t]: minus the log of the probability of the target y_t {WHERE}"
OUTPUT = f"the output layer: g_t = dL/do_t = p_t - onehot(y_t), dV = sum_t g_t h_t^T, dc = sum_t g_t {WHERE}"
H_PREV = f"dW pairs dL/da_t with h_{{t-1}}, the state before step t: dW = sum_t dL/da_t h_{{t-1}}^T {WHERE}"
TANH = f"the tanh derivative: dL/da_t = (1 - h_t * h_t) * dL/dh_t, with h_t from the cache {WHERE}"
SUM = ("every gradient is a sum over t: add each step's share (+=); '=' keeps one step's only "
       f"(right for one step, wrong for several) {WHERE}")
ORDER = (f"the time order: the backward pass runs from t = tau-1 down to 0, so that dh_next holds what "
         f"step t+1 sends back; a loss at step 0 alone must not reach step 1 {WHERE}")
NO_FLOW = ("nothing flows back through time: dL/dh_t = V^T g_t + W^T dL/da_{t+1}, and dh_next carries "
           f"the second term from step t+1 (dV and dc are right, dU, dW and db are not) {WHERE}")
FLOW = f"what flows back through time: dh_next = W^T dL/da_t, passed on to step t-1 {WHERE}"


def _close(a, b, tol):
    """Whether a and b (the same shape, or a number) agree entry by entry within tol (a NaN never does)."""
    if np.ndim(b) and np.shape(a) != np.shape(b):
        return False
    return bool(np.abs(np.subtract(a, b)).max(initial=0.0) <= tol)


def _fit(columns, target, names):
    """The terms of `names` that `target` (n,) adds, when it is exactly a combination of `columns`
    (n, j): {name: coefficient} of those not ~0, or None when no combination fits."""
    coef = np.linalg.lstsq(columns, target, rcond=None)[0]
    if not np.linalg.norm(columns @ coef - target) <= 1e-6 * max(np.linalg.norm(target), 1e-12):
        return None
    return {n: c for n, c in zip(names, coef) if abs(c) > 1e-6}


def _terms(found, equation, fallback):
    """A hint naming the terms an equation lacks (coefficient -1) or has with a wrong factor."""
    if not found:
        return fallback
    lacks = [n for n, c in found.items() if abs(c + 1) < 1e-6]
    other = [f"{n} {1 + c:.3g} times" for n, c in found.items() if abs(c + 1) >= 1e-6]
    parts = ([f"lacks {' and '.join(lacks)}"] if lacks else []) + ([f"has {', '.join(other)}"] if other else [])
    return f"{equation} {' and '.join(parts)} {WHERE}"


def _withheld():
    """helpers.exercises.withheld, or None in a student copy, which does not hold it."""
    try:
        from helpers.exercises import withheld
    except ImportError:
        return None
    return withheld


def _state(params, x, h0, hs):
    """The hint for wrong hidden states hs (tau, m): each step against the student's previous state."""
    if _withheld() is None:
        return STATE
    parts = _withheld().state_terms(params, x, h0, hs)
    d = np.arctanh(np.clip(hs, -1 + 1e-15, 1 - 1e-15)) - sum(parts)   # what a_t adds or lacks (tau, m)
    if not np.all(np.isfinite(d)):
        return STATE
    if len(hs) > 1 and _close(d[1:], 0, 1e-8) and not _close(d[:1], 0, 1e-8):
        return H0
    found = _fit(np.stack([p.ravel() for p in parts], axis=1), d.ravel(), ("W h_{t-1}", "U x_t", "b"))
    return _terms(found, "a_t = W h_{t-1} + U x_t + b", STATE)


def _scores(params, hs, scores):
    """The hint for wrong scores (tau, K) from right hidden states hs (tau, m)."""
    if _withheld() is None:
        return SCORES
    parts = _withheld().score_terms(params, hs, scores.shape)
    found = _fit(np.stack([p.ravel() for p in parts], axis=1), (scores - sum(parts)).ravel(), ("V h_t", "c"))
    return _terms(found, "o_t = V h_t + c", SCORES)


def _loss(ps, y, loss):
    """The hint for a wrong loss from right probabilities ps (tau, K)."""
    if not np.isfinite(loss) and np.any(ps[np.arange(len(y)), y] == 0):
        return UNDERFLOW
    def costs(targets):
        with np.errstate(divide="ignore"):          # an underflowed p: log 0 = -inf, not a match
            return -np.log(ps[np.arange(len(y)), targets]).sum()
    for other, hint in ((costs(np.roll(y, 1)), OFF_BY_ONE), (costs(np.roll(y, -1)), OFF_BY_ONE),
                        (costs(y) / len(y), MEAN)):
        if np.isfinite(other) and abs(other - loss) <= 1e-9 * abs(other):
            return hint
    return ENTRY


def forward(problem, truth, loss, hs, scores, ps):
    """The hint for a forward pass that fails on `problem` (params, x, y, h0), given PyTorch's
    `truth` (loss, hidden states (tau, m), scores (tau, K), grads) and the student's loss, hs
    (tau, m), scores (tau, K) and ps (tau, K); None when no cause stands out."""
    params, x, y, h0 = problem
    if not _close(hs, truth[1], 1e-10):
        return _state(params, x, h0, hs)
    if not _close(scores, truth[2], 1e-10):
        return _scores(params, hs, scores)
    if np.any(ps == 1) and np.all((ps == 1) | np.isnan(ps)):                  # e / e entry by entry (0 / 0 where exp underflows)
        return AXIS
    if not np.all(np.isfinite(ps)):
        return OVERFLOW
    if not _close(ps.sum(axis=1), 1, 1e-12):
        return AXIS
    if not _close(ps, oracles.softmax_rows(truth[2]), 1e-12):
        return SOFTMAX
    return _loss(ps, y, loss) if not abs(loss - truth[0]) <= 1e-10 * abs(truth[0]) else None


def _wrong(errors, keys="UWVbc"):
    """The keys of {key: relative error} beyond 1e-9 (a NaN is wrong)."""
    return {k for k in keys if not errors[k] <= 1e-9}


def bptt(one, many, first, last, truncated):
    """The hint for a failing backward pass from the relative errors {key: error} against PyTorch:
    `one` of a one-step problem, `many` of several steps (the worst), `first` and `last` of a
    loss at the first or the last step alone, `truncated` of that last one against the gradient
    that reaches no earlier step. None when no cause stands out."""
    wrong_one, wrong_many = _wrong(one), _wrong(many)
    if wrong_one & {"V", "c"}:
        return OUTPUT
    if wrong_one == {"W"}:
        return H_PREV
    if {"U", "b"} <= wrong_one:
        return TANH
    if wrong_one:
        return None
    if wrong_many & {"V", "c"} or wrong_many and wrong_many < {"U", "W", "b"}:
        return SUM
    if wrong_many:
        if _wrong(first, "UWb"):
            return ORDER
        return NO_FLOW if not _wrong(truncated, "UWb") and _wrong(last, "UWb") else FLOW
    return None
