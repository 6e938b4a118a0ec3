"""The checks of the optional exercises, for self-learners: E10 and E11, the LSTM's and the GRU's
backward passes against PyTorch's nn.LSTM and nn.GRU, and E12, Adam against torch.optim.Adam, in
the style of helpers.exercises.checks. GATED holds Exercise's fields, optional=True; imports are
absolute, so that a teacher's copy of this file, loaded by path, checks a submitted copy.
"""
import numpy as np

from helpers.exercises import cases, gated_hints, oracles

BACKWARD = "06_gated; the backward equations in lstm's and gru's docstrings"
GATED_HINTS = {"V": f"the output layer: G is dL/ds_t for s_t = V h_t + c ({BACKWARD})",
               "c": "the output bias: G summed over the steps",
               "W": "W meets h_{t-1} in every gate; dh_t gathers the output's and step t+1's",
               "U": "U x_t + b feeds every gate's pre-activation: go through sigma' = s(1 - s) and tanh' = 1 - t^2",
               "b": "b is added to every gate's pre-activation, as U x_t is",
               "b_n": "b_n sits inside r_t * (W_n h_{t-1} + b_n): it gets the reset-scaled gradient of n"}


def _case(kind, module, rng, K, m, tau, B, sealed):
    """(got, want) for one random instance of tau steps and B sequences."""
    params = {k: (0.4 if k in "UWV" else 0.2) * rng.standard_normal(s) for k, s in module.shapes(K, m).items()}
    X, G = rng.integers(0, K, (tau, B)), rng.standard_normal((tau * B, K))
    state = tuple(0.5 * rng.standard_normal((m, B)) for _ in range(2)) if kind == "lstm" \
        else 0.5 * rng.standard_normal((m, B))
    want = oracles.gated_grads(kind, params, X, state, G)
    with sealed():
        cache, _, _ = module.forward(params, X, state)
        got = {k: np.full_like(v, np.nan) for k, v in params.items()}         # an entry left unwritten shows
        module.backward(params, X, cache, G.copy(), got)
    return got, want


def _gated(kind, sealed):
    from helpers.models import gru, lstm
    module = lstm if kind == "lstm" else gru
    rng, out, seen = cases.rng(1510 if kind == "lstm" else 1511), [], []
    K, m = cases.size(rng, 7, 3, 12), cases.size(rng, 5, 2, 8)
    sizes = ((1, 1), (2, 1), (cases.size(rng, 4, 2, 8), 1), (cases.size(rng, 6, 2, 8), cases.size(rng, 3, 2, 4)))
    for tau, B in sizes:
        got, want = _case(kind, module, rng, K, m, tau, B, sealed)
        seen.append(gated_hints.wrong(kind, got, want))
        out += [(f"d{k} against PyTorch (tau = {tau}, B = {B})", oracles.rel_error(got[k], want[k]), gated_hints.BAR,
                 GATED_HINTS[k]) for k in want]
    hint = gated_hints.cause(kind, seen[0], seen[1])
    return [(w, e, b, hint or h) for w, e, b, h in out]


def check_lstm(sealed):
    return _gated("lstm", sealed)


def check_gru(sealed):
    return _gated("gru", sealed)


ADAM_EPS = ("eps is added to sqrt(v^), after the correction of v, as torch.optim.Adam does: not inside the root, "
            "not before the correction (wrong only where g is tiny, where eps sets the step) (Adam's docstring, "
            "06_gated)")
ADAM_BAR, CLIP = 1e-12, 5.0     # the bar of every Adam measurement; the clip bound
TINY = 10                   # the last entries' gradients lie far below eps: where eps goes shows there


def _adam_rows(theta, opt, t_theta, t_m, t_v):
    """The measurements of E12: theta and the moments against torch.optim.Adam's."""
    doc = "Adam's docstring (06_gated)"
    return [("theta after 6 steps against torch.optim.Adam", oracles.rel_error(theta, t_theta), ADAM_BAR,
             f"the update in {doc}, with the clipped gradient and the current self.eta, on theta in place"),
            ("first moments (self.m) against torch.optim.Adam's", oracles.rel_error(opt.m, t_m), ADAM_BAR,
             "m is a running mean of the clipped gradients, before correction"),
            ("second moments (self.v) against torch.optim.Adam's", oracles.rel_error(opt.v, t_v), ADAM_BAR,
             "v is a running mean of the squared clipped gradients, before correction")]


def check_adam(sealed):
    from helpers import optim
    rng = cases.rng(1512)
    n = cases.size(rng, 40, 2 * TINY, 70)
    theta = rng.standard_normal(n)
    scale = np.r_[np.full(n - TINY, 3.0), np.full(TINY, 1e-7)]
    steps = [(scale * rng.standard_normal(n), 0.01 * (1 - step / 10)) for step in range(6)]   # training may lower eta
    t_theta, t_m, t_v = oracles.adam_run(theta, steps, CLIP)
    theta0 = theta.copy()
    with sealed():
        opt = optim.Adam(n, eta=0.01, eps=1e-8, clip=CLIP)
        try:
            for g, eta in steps:
                opt.eta = eta
                opt.step(theta, g.copy())
        except ZeroDivisionError:
            return [("the first step against torch.optim.Adam", np.inf, ADAM_BAR, gated_hints.FROM_ZERO)]
    out = _adam_rows(theta, opt, t_theta, t_m, t_v)
    big, tiny = slice(None, -TINY), slice(-TINY, None)
    moments = out[1][1] <= ADAM_BAR and out[2][1] <= ADAM_BAR
    if moments and not np.array_equal(theta, theta0) and \
            oracles.rel_error(theta[big], t_theta[big]) < 1e-3 * oracles.rel_error(theta[tiny], t_theta[tiny]):
        out = [(w, e, b, ADAM_EPS) for w, e, b, _ in out]     # wrong where eps sets the step, far less elsewhere
    elif moments and not out[0][1] <= ADAM_BAR:
        hint = gated_hints.first_step(optim.Adam, theta0[big], steps[0][0][big], steps[0][1], CLIP, sealed)
        out = [(w, e, b, hint or h) for w, e, b, h in out]
    return out


# Exercise's fields: title, where, notebook, needs, check, optional, points.
GATED = {
    "E10": ("LSTM backward pass", "helpers/models/lstm.py: backward", "notebooks/06_gated.ipynb", (), check_lstm,
            True, 10),
    "E11": ("GRU backward pass", "helpers/models/gru.py: backward", "notebooks/06_gated.ipynb", (), check_gru,
            True, 10),
    "E12": ("the Adam update", "helpers/optim.py: Adam.step", "notebooks/06_gated.ipynb", ("E3",), check_adam,
            True, 5),
}
