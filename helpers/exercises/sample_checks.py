"""The checks of E4 (`sample.temperature_softmax`) and E5 (`sample.nucleus`).

E4 compares with torch.softmax and with invariants (scaling, shifting, the limits of T); E5 with
the definition, on random distributions and on exact ties, dyadic distributions whose running sums
hit top_p exactly. On a FAIL the pattern of what breaks names the cause.
"""
import itertools

import numpy as np

from helpers.exercises import cases, oracles

OVERFLOW = "softmax(z) = softmax(z - a) for any constant a: exp must never see a large number"
IN_PLACE = "leave o as it was: divide into a new array (o / T makes one), not o itself"
MULTIPLY = "divide the scores by T: p_T = softmax(o / T), so a small T sharpens and a large T flattens (04_sampling)"
POWER = ("divide the scores by T before exp: exp(o - max o) underflows to 0 for scores far below the top, and "
         "0 ** (1 / T) stays 0, though softmax(o / T) is not 0 there")
AFTER = ("T acts on the scores, before the softmax: p_T = softmax(o / T), which sums to one for every T "
         "(04_sampling)")
NUCLEUS_HINTS = {  # the definition in 04_sampling: the fewest most likely characters reaching top_p, renormalised
    "changing p in place": "return a new array; p stays as it was",
    "not keeping the most likely": "keep characters in order of probability, the most likely first",
    "not reaching top_p": "the kept mass, before renormalising, must reach top_p",
    "keeping more than needed": "keep the fewest characters whose mass reaches top_p",
    "not summing to one": "renormalise the kept probabilities, so that they sum to one",
    "changing the kept ratios": "renormalising divides every kept probability by one and the same sum"}
TIE = ("an exact tie: a kept mass equal to top_p is enough (>=, not >): stop at the first character "
       "whose running sum reaches top_p (04_sampling)")
# Dyadic distributions (exact in floating point) and the top_p their running sums hit exactly.
TIES = (((0.5, 0.25, 0.25), (0.5, 0.75)), ((0.5, 0.25, 0.125, 0.0625, 0.0625), (0.5, 0.75, 0.875, 0.9375)),
        ((0.25, 0.25, 0.25, 0.25), (0.25, 0.5, 0.75)))


def _close(a, b, tol=1e-12):
    return bool(np.shape(a) == np.shape(b) and np.abs(np.subtract(a, b)).max() <= tol)


def _temperature_cause(o, p, plain):
    """The cause of a wrong temperature_softmax from {T: p (K,)}, or None."""
    if not all(np.all(np.isfinite(q)) for q in p.values()):
        return f"a NaN is an overflow: {OVERFLOW}"
    if all(_close(p[T], oracles.softmax_rows(o[None] * T)[0]) for T in (0.5, 2.0)):
        return MULTIPLY
    others = [T for T in p if T != 1.0]
    if _close(p[1.0], plain) and (any(not abs(p[T].sum() - 1) <= 1e-12 for T in others)
                                  or all(_close(p[T], plain) for T in others)):
        return AFTER
    return None


def check_temperature(sealed):
    from helpers import sample
    rng = cases.rng(1504)
    K = cases.size(rng, 20, 5, 40)
    o = 3 * rng.standard_normal(K)
    o[0] = o.max() + 1.0                                     # a clear favourite
    o_before, plain = o.copy(), oracles.softmax_rows(o[None])[0]
    with sealed():
        p = {T: sample.temperature_softmax(o, T) for T in (1e-3, 0.1, 0.5, 1.0, 2.0, 10.0, 1e4)}
        scaled = max(np.abs(sample.temperature_softmax(3 * o, 3 * T) - p[T]).max() for T in (0.5, 2.0))
        shifted = max(np.abs(sample.temperature_softmax(o + 1000.0, T) - p[T]).max() for T in (0.1, 1.0))
        wide = sample.temperature_softmax(400 * o, 100.0)     # scores thousands apart, a large T
    flat = np.abs(wide - oracles.softmax_rows(4 * o[None])[0]).max()
    out = [("T = 1 against torch.softmax", np.abs(p[1.0] - plain).max(), 1e-12,
            "at T = 1 it is the plain softmax of the scores"),
           ("sums to one", max(abs(q.sum() - 1) for q in p.values()), 1e-12,
            f"p sums to one; a NaN is an overflow: {OVERFLOW}"),
           ("(3o, 3T) against (o, T)", scaled, 1e-12, "p_T = softmax(o / T) (04_sampling)"),
           ("scores + 1000 against the scores", shifted, 1e-9, OVERFLOW),
           ("T = 0.001: mass off the most likely character", 1 - p[1e-3][0], 1e-9,
            "a small T must sharpen towards the most likely character"),
           ("T = 10000: largest distance from uniform (times K)", np.abs(K * p[1e4] - 1).max(), 1e-2,
            "a large T must flatten towards uniform"),
           ("400 o at T = 100 against softmax(4 o)", flat, 1e-12, POWER),
           ("scores changed in place (1 = yes)", float(np.any(o != o_before)), 0, IN_PLACE)]
    cause = IN_PLACE if np.any(o != o_before) else _temperature_cause(o, p, plain)
    return [(w, e, b, cause or h) for w, e, b, h in out]


def _nucleus_faults(p, q, top_p, p_before):
    """{fault of NUCLEUS_HINTS: whether q = nucleus(p, top_p) shows it}."""
    kept = q > 0
    mass = p[kept].sum()
    return {"changing p in place": np.any(p != p_before),
            "not keeping the most likely": (~kept).any() and kept.any() and p[kept].min() < p[~kept].max(),
            "not reaching top_p": not mass >= top_p - 1e-12,
            "keeping more than needed": kept.sum() > 1 and mass - p[kept].min() >= top_p + 1e-12,
            "not summing to one": not abs(q.sum() - 1) <= 1e-12 or q.min() < 0,
            "changing the kept ratios": not np.abs(q[kept] - p[kept] / mass).max(initial=0) <= 1e-12}


def _tie_wrong(p, q, top_p):
    """Whether q = nucleus(p, top_p) misses the exact answer where a running sum hits top_p."""
    kept, cum = q > 0, np.cumsum(np.sort(p)[::-1])
    k = int(np.argmax(cum >= top_p)) + 1                    # exact: dyadic sums have no rounding
    return bool(kept.sum() != k or p[kept].sum() != cum[k - 1] or not _close(q[kept], p[kept] / cum[k - 1]))


def _dyadic(rng, splits=5):
    """Another tie: a dyadic distribution (1 halved at random places) and the top_p its running
    sums hit exactly, as in TIES."""
    p = [1.0]
    for _ in range(splits):
        i = int(rng.integers(len(p)))
        p[i:i + 1] = [p[i] / 2] * 2
    p = sorted(p, reverse=True)
    return tuple(p), tuple(np.cumsum(p)[:-1])


def check_nucleus(sealed):
    from helpers import sample
    rng, bad = cases.rng(1505), dict.fromkeys(NUCLEUS_HINTS, 0)
    K = cases.size(rng, 30, 10, 50)
    tied = TIES + ((_dyadic(rng),) if cases.held() else ())
    ties = [(rng.permutation(np.array(p)), top_p) for p, tops in tied for top_p in tops]
    with sealed():
        grid = list(itertools.product((0.1, 1.0), (1e-9, 0.05, 0.3, 0.5, 0.8, 0.9, 0.99), range(10)))
        for alpha, top_p, _ in grid:
            p = rng.dirichlet(np.full(K, alpha))
            p_before = p.copy()
            for fault, seen in _nucleus_faults(p, np.asarray(sample.nucleus(p, top_p)), top_p, p_before).items():
                bad[fault] += bool(seen)
        tied = sum(_tie_wrong(p, np.asarray(sample.nucleus(p.copy(), top_p)), top_p) for p, top_p in ties)
        p = sample.temperature_softmax(3 * rng.standard_normal(K), 0.7)
        whole = np.abs(sample.nucleus(p, 1.0) - p).max()
    first = next((NUCLEUS_HINTS[f] for f, n in bad.items() if n), None)   # the cause that explains the others
    total = len(grid)
    return [(f"random distributions (of {total}) with the nucleus {what}", n, 0, first or NUCLEUS_HINTS[what])
            for what, n in bad.items()] + [
        (f"exact ties (of {len(ties)}) where the nucleus is not the fewest most likely", tied, 0, first or TIE),
        ("top_p = 1 against plain softmax sampling", whole, 1e-12, "top_p = 1 keeps every character: p itself")]
