"""Two models of the same characters, mixed: P = w P_a + (1 - w) P_b.

Both are distributions over the K characters, so the mixture is one too, and it can be fed to an
arithmetic coder as either part can. The bits it spends on the correct character depend only on
the bits each part spends there:

    -log2(w 2^-a + (1 - w) 2^-b) = -log2sumexp2(log2 w - a, log2 (1 - w) - b),

computed in base 2 without leaving the log domain, so a character one model finds nearly
impossible (a large) costs no more than the other model's bits plus -log2 (1 - w). A weight fixed
before the text is read keeps every character scored before anything learns from it; `choose`
fixes it on the validation part. The mean mixed bits are convex in w (minus a log of something
linear in w, averaged), so a grid finds the minimum to within its step.
"""
import numpy as np

GRID = np.linspace(0.0, 1.0, 101)    # weights of model a tried; 0 and 1 are the parts themselves


def bits(a, b, w):
    """(n,) bits of each correct character under w P_a + (1 - w) P_b. a, b: (n,) bits of the same
    characters under models a and b; w: a weight in [0, 1], or (n,) weights, one per character."""
    a, b, w = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64), np.asarray(w, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"the two models must score the same characters; got {a.shape} and {b.shape} bits")
    if np.any((w < 0) | (w > 1)):
        raise ValueError(f"the weight w must lie in [0, 1]; got {w.min():g} to {w.max():g}")
    with np.errstate(divide="ignore"):               # log2 0 = -inf: that part drops out exactly
        return -np.logaddexp2(np.log2(w) - a, np.log2(1 - w) - b)


def choose(a, b, grid=GRID):
    """(w, {w: mean bits}): the weight of model a in `grid` (a sequence of weights in [0, 1]) whose
    mixture spends the fewest bits on a, b (n,) (a validation part), and each weight's mean bits."""
    tried = {float(w): float(bits(a, b, w).mean()) for w in grid}
    return min(tried, key=tried.get), tried
