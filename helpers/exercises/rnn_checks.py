"""The checks of E1 (`rnn_reference.forward_reference`) and E2 (`backward_reference`).

Each computes what it compares against first (helpers.exercises.oracles: PyTorch's nn.RNN, centred
differences of the student's own loss), runs the student's functions inside `sealed()`, and
returns measurements (what, error, bar, hint). On a FAIL, helpers.exercises.diagnose reads the
pattern of errors and, when a cause stands out, every hint names it.
"""
import math

import numpy as np

from helpers.exercises import cases, diagnose
from helpers.exercises import oracles

FORWARD = "the forward equations (02_gradients, \"Backpropagation through time\"; rnn_reference's docstring)"
BPTT_HINTS = {**{k: f"the output layer: g_t = dL/do_t, and how o_t depends on {k} {diagnose.WHERE}" for k in "Vc"},
              "W": f"W meets the state before step t; dL/dh_t has two sources {diagnose.WHERE}",
              "U": f"U meets the input of step t, through dL/da_t {diagnose.WHERE}",
              "b": f"db = sum_t dL/da_t: dL/da_t passes through tanh; dL/dh_t has two sources {diagnose.WHERE}"}


CLIPPED = ("the gradients are clipped: backward_reference returns the true gradient, however large; clipping "
           "belongs to the update (E3, optim), which the gradient checks and the tests never go through")


def _clipped(g, truth):
    """True when the gradients g equal the true ones `truth` clipped at some bound below their largest
    entry ({key: array} both)."""
    bound = max(float(np.max(np.abs(g[k]))) for k in truth)
    return bound < max(float(np.max(np.abs(t))) for t in truth.values()) and all(
        np.allclose(g[k], np.clip(truth[k], -bound, bound), rtol=1e-9, atol=1e-12) for k in truth)


def rows(d, ts):
    """The columns d[t] (n, 1) for t in ts, as rows (len(ts), n)."""
    return np.hstack([d[t] for t in ts]).T


def _cache_problems(cache, K, m, tau):
    """What is missing or misshapen in a forward cache, as short phrases."""
    want = {"xs": ((K, 1), range(tau)), "hs": ((m, 1), range(-1, tau)),
            "scores": ((K, 1), range(tau)), "ps": ((K, 1), range(tau))}
    bad = [f'cache["{k}"] is missing' for k in want if k not in cache]
    bad += [f'cache["{k}"][{t}] is not a {shape} array' for k, (shape, ts) in want.items() if k in cache
            for t in ts if np.shape(cache[k].get(t)) != shape]
    return bad


def _diagnosed(measures, hint):
    """measures with every hint replaced by the diagnosis, when there is one."""
    return [(w, e, b, hint or h) for w, e, b, h in measures]


def _forward_measures(problem, truth, loss, cache, label):
    """Measurements of one forward pass against PyTorch's `truth`, diagnosed when one fails."""
    tau = len(problem[1])
    hs, scores, ps = (rows(cache[k], range(tau)) for k in ("hs", "scores", "ps"))
    t_loss, t_hs, t_scores, _ = truth
    measures = [
        (f"loss against PyTorch{label}", abs(loss - t_loss) / t_loss, 1e-10, f"the loss L in {FORWARD}"),
        (f"hidden states against PyTorch{label}", np.abs(hs - t_hs).max(), 1e-10,
         f"h_t in {FORWARD}, from h_{{-1}} = h0"),
        (f"scores against PyTorch{label}", np.abs(scores - t_scores).max(), 1e-10, f"o_t in {FORWARD}"),
        (f"probabilities summing to one{label}", np.abs(ps.sum(axis=1) - 1).max(), 1e-12, "p_t = softmax(o_t)"),
        (f"probabilities against PyTorch's softmax{label}", np.abs(ps - oracles.softmax_rows(t_scores)).max(), 1e-12,
         "p_t = softmax(o_t)")]
    if all(e <= b for _, e, b, _ in measures):
        return measures
    return _diagnosed(measures, diagnose.forward(problem, truth, loss, hs, scores, ps))


def _ignores_h0(cache, from_zero, tau):
    """True when the hidden states from the problem's h0 (non-zero) equal those from h0 = 0: a
    forward pass that starts from zeros whatever h0 it is given."""
    try:
        return bool(np.array_equal(rows(cache["hs"], range(tau)), rows(from_zero["hs"], range(tau))))
    except (KeyError, TypeError, ValueError):           # a malformed cache, reported as such above
        return False


def check_forward(sealed):
    from helpers import rnn_reference
    rng = cases.rng(1501)
    sizes = [(cases.size(rng, K, 3, 16), cases.size(rng, m, 2, 10), cases.size(rng, tau, 2, 30))
             for K, m, tau in ((5, 4, 7), (12, 9, 25))]
    problems = [oracles.problem(rng, K, m, tau) for K, m, tau in sizes]
    params, x, y, h0 = problems[-1]
    problems.append(({**params, "c": params["c"] + 1000.0}, x, y, h0))     # the same p_t, from large scores
    far = np.zeros_like(params["c"])
    far[(y[0] + 1) % len(far)] = 800.0                   # every other character's p_t underflows to 0
    problems.append(({**params, "c": params["c"] + far}, x, y, h0))
    labels = ("", "", ", large scores (about 1000), where a naive softmax overflows",
              ", targets far below the largest score")
    truths = [oracles.torch_run(*p) for p in problems]
    K, tau = 80, 25
    untrained = oracles.random_params(rng, K, 100, 0.01, bias=0.0), rng.integers(0, K, tau), rng.integers(0, K, tau)
    with sealed():
        runs = [rnn_reference.forward_reference(*p) for p in problems[:-1]]
        from_zero = rnn_reference.forward_reference(*problems[0][:3], np.zeros_like(problems[0][3]))
        loss_untrained, _ = rnn_reference.forward_reference(*untrained, np.zeros((100, 1)))
        try:
            runs.append(rnn_reference.forward_reference(*problems[-1]))
        except ValueError:                               # math.log(0): a math domain error
            return [(f"the loss{labels[-1]}", math.inf, 1e-10, diagnose.UNDERFLOW)]
    out = []
    for problem, truth, (loss, cache), label in zip(problems, truths, runs, labels):
        bad = _cache_problems(cache, problem[0]["V"].shape[0], len(problem[3]), len(problem[1]))
        if bad:
            return [(bad[0], len(bad), 0, "fill the cache as forward_reference's docstring says")]
        out += _forward_measures(problem, truth, loss, cache, label)
    if _ignores_h0(runs[0][1], from_zero[1], len(problems[0][1])):
        out = _diagnosed(out, diagnose.H0)
    return out + [("untrained loss against tau ln K", abs(loss_untrained / (tau * math.log(K)) - 1), 0.01,
                   "an untrained network guesses uniformly: each step costs about ln K")]


def _impulse(cache, G):
    """The cache with p_t = onehot(y_t) + G[t]: the loss sends back g_t = G[t] (tau, K), no more."""
    K = G.shape[1]
    return {**cache, "ps": {t: np.eye(K)[:, [cache["y"][t]]] + G[t][:, None] for t in range(len(G))}}


def _impulses(problem, truth):
    """The output gradients G (tau, K) of the loss at the first and at the last step alone, PyTorch's
    gradients for each, and for the last one the gradient that reaches no earlier step."""
    params, x, y, h0 = problem
    p = oracles.softmax_rows(truth[2])
    out = []
    for s in (0, len(x) - 1):
        G = np.zeros_like(p)
        G[s] = p[s] - np.eye(p.shape[1])[y[s]]
        out.append((G, oracles.torch_vjp(params, x, h0, G)))
    G = out[-1][0]
    return out, oracles.torch_vjp(params, x[-1:], truth[1][-2][:, None], G[-1:])


def _errors(grads, ref):
    return {k: oracles.rel_error(grads[k], ref[k]) for k in ref}


def check_bptt(sealed):
    from helpers import rnn_reference
    rng = cases.rng(1502)
    sizes = [(cases.size(rng, K, 3, 10), cases.size(rng, m, 2, 8), tau if tau in (1, 40) else
              cases.size(rng, tau, 2, 14)) for K, m, tau in ((5, 4, 6), (9, 7, 12), (6, 5, 1), (3, 4, 40))]
    problems = [oracles.problem(rng, K, m, tau) for K, m, tau in sizes]
    params, x, _, h0 = problems[-1]
    problems[-1] = (params, x, np.zeros_like(x), h0)   # always the same target: gradients well above 5
    numerical = [oracles.numerical_grads(lambda q, p=p: rnn_reference.forward_reference(q, *p[1:])[0], p[0])
                 for p in problems]
    truths = [oracles.torch_run(*p) for p in problems]
    impulses, truncated = _impulses(problems[0], truths[0])
    with sealed():
        caches = [rnn_reference.forward_reference(*p)[1] for p in problems]
        grads = [rnn_reference.backward_reference(p[0], c) for p, c in zip(problems, caches)]
        pulsed = [rnn_reference.backward_reference(problems[0][0], _impulse(caches[0], G)) for G, _ in impulses]
    out = []
    for (params, *_), g, num, truth in zip(problems, grads, numerical, truths):
        bad = [k for k in params if np.shape(g.get(k)) != params[k].shape]
        if bad:
            return [(f"grads[{bad[0]!r}] has not the shape of params[{bad[0]!r}]", len(bad), 0,
                     "return one gradient per parameter, shaped like it")]
        for name, ref, bar in (("centred differences", num, 1e-6), ("PyTorch", truth[3], 1e-10)):
            out += [(f"d{k} against {name}, tau = {len(truth[1])}", e, bar, BPTT_HINTS[k])
                    for k, e in _errors(g, ref).items()]
    if all(e <= b for _, e, b, _ in out):
        return out
    if _clipped(grads[3], truths[3][3]):
        return _diagnosed(out, CLIPPED)
    many = [_errors(g, t[3]) for g, t in zip(grads[:2], truths[:2])]
    first, last = (_errors(g, ref) for g, (_, ref) in zip(pulsed, impulses))
    hint = diagnose.bptt(_errors(grads[2], truths[2][3]), {k: float(np.max([e[k] for e in many])) for k in many[0]},
                         first, last, _errors(pulsed[1], truncated))
    return _diagnosed(out, hint)
