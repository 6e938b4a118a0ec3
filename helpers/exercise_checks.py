"""The exercises of a student copy (`make exercises`) and their local checks.

Each check first computes what it compares against (PyTorch's nn.RNN, softmax and Adagrad, centred
differences of the student's own loss), then calls the student's functions inside `sealed()`, where
PyTorch and those helpers are closed (helpers.exercise_run), and returns measurements (what, error,
bar, hint): the exercise passes when every error is within its bar. Hints point to the maths, not to
code. Imports are absolute, so that a teacher's copy of this file, loaded by path, checks the
submitted copy's `helpers` (`python -m helpers.exercises grade`).
"""
import itertools
import math
from typing import Callable, NamedTuple

import numpy as np

from helpers import exercise_oracles as oracles

# Each check imports the helpers it runs when it runs: a syntax error in a student's module is that
# exercise's FAIL, in one line, never a crash of the runner that imports this registry.


class Exercise(NamedTuple):
    title: str
    where: str          # what the student writes, and in which file
    notebook: str       # where the maths is explained
    needs: tuple        # exercises whose functions the check calls
    check: Callable     # (sealed) -> [(what, error, bar, hint)]; sealed() wraps every student call
    optional: bool = False  # for self-learners: make check-exercises exits 0 without it


def _cols(d, tau):
    return np.hstack([d[t] for t in range(tau)]).T


def _cache_problems(cache, K, m, tau):
    """What is missing or misshapen in a forward cache, as short phrases."""
    want = {"xs": ((K, 1), range(tau)), "hs": ((m, 1), range(-1, tau)),
            "scores": ((K, 1), range(tau)), "ps": ((K, 1), range(tau))}
    bad = [f'cache["{k}"] is missing' for k in want if k not in cache]
    bad += [f'cache["{k}"][{t}] is not a {shape} array' for k, (shape, ts) in want.items() if k in cache
            for t in ts if np.shape(cache[k].get(t)) != shape]
    return bad


FORWARD = "the forward equations (02_gradients; rnn_reference's docstring)"


def check_forward(sealed):
    from helpers import rnn_reference
    rng, out = np.random.default_rng(1501), []
    for K, m, tau in ((5, 4, 7), (12, 9, 25)):
        params, x, y, h0 = oracles.problem(rng, K, m, tau)
        t_loss, t_hs, t_scores, _ = oracles.torch_run(params, x, y, h0)
        with sealed():
            loss, cache = rnn_reference.forward_reference(params, x, y, h0)
        bad = _cache_problems(cache, K, m, tau)
        if bad:
            return [(bad[0], len(bad), 0, "fill the cache as forward_reference's docstring says")]
        ps = _cols(cache["ps"], tau)
        out += [("loss against PyTorch", abs(loss - t_loss) / t_loss, 1e-10, f"the loss L in {FORWARD}"),
                ("hidden states against PyTorch", np.abs(_cols(cache["hs"], tau) - t_hs).max(), 1e-10,
                 f"h_t in {FORWARD}, from h_{{-1}} = h0"),
                ("scores against PyTorch", np.abs(_cols(cache["scores"], tau) - t_scores).max(), 1e-10,
                 f"o_t in {FORWARD}"),
                ("probabilities summing to one", np.abs(ps.sum(axis=1) - 1).max(), 1e-12, "p_t = softmax(o_t)"),
                ("probabilities against PyTorch's softmax", np.abs(ps - oracles.softmax_rows(t_scores)).max(), 1e-12,
                 "p_t = softmax(o_t)")]
    K, tau = 80, 25
    params, x, y = oracles.random_params(rng, K, 100, 0.01, bias=0.0), rng.integers(0, K, tau), rng.integers(0, K, tau)
    with sealed():
        loss, _ = rnn_reference.forward_reference(params, x, y, np.zeros((100, 1)))
    return out + [("untrained loss against tau ln K", abs(loss / (tau * math.log(K)) - 1), 0.01,
                   "an untrained network guesses uniformly: each step costs about ln K")]


BACKWARD = "02_gradients, 'Backpropagation through time'"
BPTT_HINTS = {**{k: f"the output layer: g_t = dL/do_t, and how o_t depends on {k} ({BACKWARD})" for k in "Vc"},
              "W": f"W meets the state before step t; dL/dh_t has two sources ({BACKWARD})",
              "U": f"U meets the input of step t, through dL/da_t ({BACKWARD})",
              "b": f"dL/da_t passes through tanh; dL/dh_t has two sources ({BACKWARD})"}


def check_bptt(sealed):
    from helpers import rnn_reference
    rng, out = np.random.default_rng(1502), []
    for K, m, tau in ((5, 4, 6), (9, 7, 12)):
        params, x, y, h0 = oracles.problem(rng, K, m, tau)
        numerical = oracles.numerical_grads(lambda p: rnn_reference.forward_reference(p, x, y, h0)[0], params)
        torch_g = oracles.torch_run(params, x, y, h0)[3]
        with sealed():
            _, cache = rnn_reference.forward_reference(params, x, y, h0)
            grads = rnn_reference.backward_reference(params, cache)
        bad = [k for k in params if np.shape(grads.get(k)) != params[k].shape]
        if bad:
            return [(f"grads[{bad[0]!r}] has not the shape of params[{bad[0]!r}]", len(bad), 0,
                     "return one gradient per parameter, shaped like it")]
        for name, ref, bar in (("centred differences", numerical, 1e-6), ("PyTorch", torch_g, 1e-10)):
            out += [(f"d{k} against {name}", oracles.rel_error(grads[k], ref[k]), bar, BPTT_HINTS[k]) for k in ref]
    return out


ADAGRAD = "AdaGrad's docstring (03_training)"


def check_adagrad(sealed):
    from helpers import optim
    rng, n = np.random.default_rng(1503), 40
    clips = [(bound, 4 * rng.standard_normal(n)) for bound in (5.0, 0.5)]
    theta = rng.standard_normal(n)
    steps = [(3 * rng.standard_normal(n), 0.1 * (1 - step / 10)) for step in range(6)]   # training may lower eta
    want, (t_theta, t_sum) = [oracles.clamp(g, bound) for bound, g in clips], oracles.adagrad_run(theta, steps, 5.0)
    with sealed():
        clipped = [optim.clip(g.copy(), bound) for bound, g in clips]
        opt = optim.AdaGrad(n, eta=0.1, eps=1e-8, clip=5.0)
        for g, eta in steps:
            opt.eta = eta
            opt.step(theta, g.copy())
    return [(f"clip at {bound} against torch.clamp", np.abs(got - w).max(), 0,
             "every entry ends within [-bound, bound]; entries already inside stay as they are")
            for (bound, _), got, w in zip(clips, clipped, want)] + [
        ("theta after 6 steps against torch.optim.Adagrad", oracles.rel_error(theta, t_theta), 1e-12,
         f"the update in {ADAGRAD}, with the clipped gradient and the current self.eta, on theta in place"),
        ("accumulated squares (self.mem) against torch.optim.Adagrad's", oracles.rel_error(opt.mem, t_sum), 1e-12,
         f"G in {ADAGRAD}: the running sum of squared clipped gradients; self.mem holds G + eps")]


OVERFLOW = "softmax(z) = softmax(z - a) for any constant a: exp must never see a large number"


def check_temperature(sealed):
    from helpers import sample
    rng, K = np.random.default_rng(1504), 20
    o = 3 * rng.standard_normal(K)
    o[0] = o.max() + 1.0                                     # a clear favourite
    o_before, plain = o.copy(), oracles.softmax_rows(o[None])[0]
    with sealed():
        p = {T: sample.temperature_softmax(o, T) for T in (1e-3, 0.1, 0.5, 1.0, 2.0, 10.0, 1e4)}
        scaled = max(np.abs(sample.temperature_softmax(3 * o, 3 * T) - p[T]).max() for T in (0.5, 2.0))
        shifted = max(np.abs(sample.temperature_softmax(o + 1000.0, T) - p[T]).max() for T in (0.1, 1.0))
    return [("T = 1 against torch.softmax", np.abs(p[1.0] - plain).max(), 1e-12,
             "at T = 1 it is the plain softmax of the scores"),
            ("sums to one", max(abs(q.sum() - 1) for q in p.values()), 1e-12,
             f"p sums to one; a NaN is an overflow: {OVERFLOW}"),
            ("(3o, 3T) against (o, T)", scaled, 1e-12, "p_T = softmax(o / T) (04_sampling)"),
            ("scores + 1000 against the scores", shifted, 1e-9, OVERFLOW),
            ("T = 0.001: mass off the most likely character", 1 - p[1e-3][0], 1e-9,
             "a small T must sharpen towards the most likely character"),
            ("T = 10000: largest distance from uniform (times K)", np.abs(K * p[1e4] - 1).max(), 1e-2,
             "a large T must flatten towards uniform"),
            ("scores changed in place (1 = yes)", float(np.any(o != o_before)), 0, "leave o as it was")]


NUCLEUS_HINTS = {  # the definition in 04_sampling: the fewest most likely characters reaching top_p, renormalised
    "not summing to one": "renormalise the kept probabilities, so that they sum to one",
    "not keeping the most likely": "keep characters in order of probability, the most likely first",
    "not reaching top_p": "the kept mass, before renormalising, must reach top_p",
    "keeping more than needed": "keep the fewest characters whose mass reaches top_p",
    "changing the kept ratios": "renormalising divides every kept probability by one and the same sum",
    "changing p in place": "return a new array; p stays as it was"}


def check_nucleus(sealed):
    from helpers import sample
    rng, K, bad = np.random.default_rng(1505), 30, dict.fromkeys(NUCLEUS_HINTS, 0)
    with sealed():
        for alpha, top_p, _ in itertools.product((0.1, 1.0), (1e-9, 0.05, 0.3, 0.5, 0.8, 0.9, 0.99), range(10)):
            p = rng.dirichlet(np.full(K, alpha))
            p_before, q = p.copy(), sample.nucleus(p, top_p)
            kept = q > 0
            mass = p[kept].sum()
            bad["not summing to one"] += abs(q.sum() - 1) > 1e-12 or q.min() < 0
            bad["not keeping the most likely"] += (~kept).any() and p[kept].min() < p[~kept].max()
            bad["not reaching top_p"] += mass < top_p - 1e-12
            bad["keeping more than needed"] += kept.sum() > 1 and mass - p[kept].min() >= top_p + 1e-12
            bad["changing the kept ratios"] += np.abs(q[kept] - p[kept] / mass).max() > 1e-12
            bad["changing p in place"] += np.any(p != p_before)
        p = sample.temperature_softmax(3 * rng.standard_normal(K), 0.7)
        whole = np.abs(sample.nucleus(p, 1.0) - p).max()
    return [(f"cases of 140 {what}", n, 0, NUCLEUS_HINTS[what]) for what, n in bad.items()] + [
        ("top_p = 1 against plain softmax sampling", whole, 1e-12, "top_p = 1 keeps every character: p itself")]


EXERCISES = {
    "E1": Exercise("forward pass and loss", "helpers/rnn_reference.py: forward_reference",
                   "notebooks/02_gradients.ipynb", (), check_forward),
    "E2": Exercise("backpropagation through time", "helpers/rnn_reference.py: backward_reference",
                   "notebooks/02_gradients.ipynb", ("E1",), check_bptt),
    "E3": Exercise("AdaGrad update with clipping", "helpers/optim.py: clip and AdaGrad.step",
                   "notebooks/03_training.ipynb", (), check_adagrad),
    "E4": Exercise("sampling with temperature", "helpers/sample.py: temperature_softmax",
                   "notebooks/04_sampling.ipynb", (), check_temperature),
    "E5": Exercise("nucleus (top-p) filtering", "helpers/sample.py: nucleus",
                   "notebooks/04_sampling.ipynb", ("E4",), check_nucleus),
}


# The rest of the course (E6-E9) and the optional exercises (E10-E12), checked in modules of their
# own; their entries are Exercise's fields, so that a teacher's copy of them, loaded by path, needs no other.
from helpers.exercise_checks_course import COURSE  # noqa: E402
from helpers.exercise_checks_gated import GATED  # noqa: E402

EXERCISES.update({eid: Exercise(*fields) for eid, fields in {**COURSE, **GATED}.items()})
