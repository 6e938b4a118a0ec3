"""The check of E9, `sample.synthesize`, in the style of helpers.exercises.checks: the characters
drawn, recorded by a numpy Generator that logs each draw, against nn.RNN's distributions fed the
same characters (helpers.exercises.oracles). A draw may be the workbook's rng.choice(K, p=p) or the
assignment's first index whose cumsum(p) exceeds one rng.random(). Imports are absolute, so that a
teacher's copy of this file, loaded by path, checks a submitted copy's `helpers`.
"""
import numpy as np

from helpers.exercises import cases, oracles


def _mismatches(got, want):
    """How many entries of `got` differ from `want` (all of them when the shapes differ)."""
    got = np.asarray(got)
    return int(np.sum(got != want)) if got.shape == np.shape(want) else int(np.size(want))


SYNTH = "synthesize's docstring; 04_sampling"


class Recorder:
    """A numpy Generator that records the draws made from it: ('choice', K, p, drawn) or (name,)."""

    def __init__(self, seed):
        self.rng, self.calls = np.random.default_rng(seed), []

    def choice(self, a, size=None, replace=True, p=None, **kwargs):
        drawn = self.rng.choice(a, size, replace, p, **kwargs)
        self.calls.append(("choice", a, None if p is None else np.array(p, dtype=float), int(np.ravel(drawn)[0])))
        return drawn

    def random(self, size=None, **kwargs):
        """A uniform draw, as the assignment samples: the first character whose cumulative p exceeds it."""
        drawn = self.rng.random(size, **kwargs)
        self.calls.append(("random", None if size is not None else float(drawn)))
        return drawn

    def __getattr__(self, name):
        self.calls.append((name,))
        return getattr(self.rng, name)


DRAW = ("step from the last character drawn and the state it left, and draw from next_distribution's "
        "probabilities: softmax(o / T), cut to the nucleus when top_p < 1")
STATE = ("the state carries over: step t + 1 starts from the state that step t returned, not from h0 at every "
         f"step ({SYNTH})")


def _from_h0(params, h0, inputs):
    """The scores (n, K) of the course's RNN cell run from h0 at every step on `inputs` (n,): what a
    loop that drops the state step returns computes (a mistake, for the diagnosis only)."""
    a = params["U"][:, inputs] + params["W"] @ h0 + params["b"]                   # (m, n)
    return (params["V"] @ np.tanh(a) + params["c"]).T


def _synth_cause(params, h0, inputs, draws, T, top_p):
    """STATE when the distributions of `draws` are those of a loop that forgets its state, else None."""
    lost = oracles.nucleus_rows(oracles.softmax_rows(_from_h0(params, h0, inputs) / T), top_p)
    return STATE if np.abs(np.array([c[2] for c in draws]) - lost).max() <= 1e-10 else None


def check_synthesize(sealed):
    from helpers import sample
    rng, out = cases.rng(1509), []
    n, K, m = cases.size(rng, 30, 10, 40), cases.size(rng, 11, 5, 20), cases.size(rng, 6, 3, 10)
    params, h0 = oracles.random_params(rng, K, m, 0.6), 0.3 * rng.standard_normal((m, 1))
    causes = set()
    for seed, T, top_p, greedy in ((1, 1.0, 1.0, False), (2, 0.7, 1.0, False), (3, 1.6, 1.0, False),
                                   (5, 0.9, 0.6, False), (4, 1.0, 1.0, True)):
        rec = Recorder(seed)
        with sealed():
            chars = sample.synthesize(params, h0.copy(), 3, n, rec, temperature=T, top_p=top_p, greedy=greedy)
        chars = np.asarray(chars)
        case = "greedy" if greedy else f"T = {T:g}" + (f", top_p = {top_p:g}" if top_p < 1 else "")
        if chars.shape != (n,) or chars.dtype.kind not in "iu":
            return [(f"{case}: output not {n} integers (1 = yes)", 1, 0, "return the (n,) int array of the characters")]
        scores = oracles.torch_run(params, np.concatenate([[3], chars[:-1]]), np.zeros(n, int), h0)[2]
        draws = [c for c in rec.calls if c[0] == "choice" and c[2] is not None    # choice(K, p=p) or of range(K)
                 and np.array_equal(np.arange(K) if np.ndim(c[1]) else np.arange(c[1]), np.arange(K))]
        if greedy:
            out += [(f"{case}: draws from rng (none wanted)", len(rec.calls), 0,
                     "greedy takes the most likely: no draw"),
                    (f"{case}: characters not the most likely", _mismatches(chars, scores.argmax(axis=1)), 0,
                     "the most likely next character, fed back as the next input")]
            continue
        uniform = [c[1] for c in rec.calls if c[0] == "random" and c[1] is not None]
        p = oracles.nucleus_rows(oracles.softmax_rows(scores / T), top_p)
        if len(uniform) == n == len(rec.calls):          # the assignment's cumsum(p) against rand
            inverse = [int(np.searchsorted(np.cumsum(q), u, side="right")) for q, u in zip(p, uniform)]
            out.append((f"{case}: characters against the first whose cumulative p (nn.RNN's, fed the characters "
                        "drawn) exceeds each uniform draw", _mismatches(chars, inverse), 0,
                        DRAW))
            continue
        if len(draws) != n or len(rec.calls) != n:
            return [(f"{case}: rng calls other than one choice(K, p=p) (or one rng.random()) per character",
                     abs(len(rec.calls) - n) + len(rec.calls) - len(draws), 0,
                     f"draw each character with one rng.choice(K, p=p) ({SYNTH})")]
        causes.add(_synth_cause(params, h0, np.concatenate([[3], chars[:-1]]), draws, T, top_p))
        out += [(f"{case}: characters returned against those drawn", _mismatches(chars, [c[3] for c in draws]), 0,
                 "return the characters drawn, in order"),
                (f"{case}: distributions drawn from against nn.RNN's, fed the characters drawn",
                 float(np.abs(np.array([c[2] for c in draws]) - p).max()), 1e-10,
                 DRAW)]
    if STATE in causes and any(not e <= b for _, e, b, _ in out):
        return [(w, e, b, STATE) for w, e, b, _ in out]
    return out
