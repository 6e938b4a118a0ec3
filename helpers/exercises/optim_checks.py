"""The check of E3: `optim.clip` and `AdaGrad.step`, against torch.clamp and torch.optim.Adagrad.

The gradients have two kinds of entries: most are large enough to be clipped at times, the last
TINY far below sqrt(eps), where eps alone sets the step size, so that where eps goes shows. On a
FAIL the pattern names the cause: an array passed in left as it was, theta as torch's unclipped
update leaves it, the sum of squares wrong, or only the entries where eps decides wrong.
"""
import numpy as np

from helpers.exercises import cases, oracles

ADAGRAD = "AdaGrad's docstring (03_training)"
IN_PLACE = ("clip in place: the array passed in must end clipped (np.clip's out=, or assigning into g[...]), "
            "and clip returns that same array")
UNCLIPPED = f"the update must use the clipped gradient: clip g to [-self.clip, self.clip] first ({ADAGRAD})"
SQUARES = f"G is the running sum of the squared clipped gradients g * g; self.mem holds G + eps ({ADAGRAD})"
EPS = (f"eps once, inside the square root: self.mem starts at eps, so sqrt(self.mem) is sqrt(G + eps) already "
       f"(wrong only where g is tiny, where eps sets the step) ({ADAGRAD})")
THETA = f"update theta in place (theta -= ...): the caller's array must change ({ADAGRAD})"
LATE = (f"add this step's g * g to self.mem before the update, not after: the step divides by sqrt(G + eps) "
        f"with G holding the current g too, or the first step divides by sqrt(eps) alone ({ADAGRAD})")
TINY = 10
EPSILON, BOUND = 1e-8, 5.0     # the AdaGrad the check builds: its eps and clipping bound


def _clips(sealed, optim, rng):
    """Measurements of clip on two bounds: the values, and the array passed in being the one clipped."""
    clips = [(bound, 4 * rng.standard_normal(40)) for bound in (5.0, 0.5)]
    want = [oracles.clamp(g, bound) for bound, g in clips]
    passed = [g.copy() for _, g in clips]
    with sealed():
        got = [optim.clip(g, bound) for (bound, _), g in zip(clips, passed)]
    hint = "every entry ends within [-bound, bound]; entries already inside stay as they are"
    return [(f"clip at {bound} against torch.clamp", np.abs(np.asarray(r) - w).max(), 0, hint)
            for (bound, _), r, w in zip(clips, got, want)] + [
        (f"calls to clip (of {len(clips)}) that left the array passed in unclipped or returned a new one", sum(
            r is not g or bool(np.any(g != w)) for r, g, w in zip(got, passed, want)), 0, IN_PLACE)]


def _first_step(sealed, optim, theta, g, eta):
    """theta (n,) after one step of a fresh AdaGrad from theta, for the diagnosis."""
    theta = theta.copy()
    with sealed():
        optim.AdaGrad(len(theta), eta=eta, eps=EPSILON, clip=BOUND).step(theta, g.copy())
    return theta


def _late(first, theta0, g, eta):
    """True when the first step divided by sqrt(eps) alone: g * g added to self.mem after the update."""
    return oracles.rel_error(theta0 - first, eta * oracles.clamp(g, BOUND) / np.sqrt(EPSILON)) <= 1e-10


def _diagnose(theta, theta0, mem, want, unclipped, late):
    """The cause of a wrong AdaGrad update, from theta (n,) and mem (n,) after the steps, against
    torch's (theta, sum + eps) `want`, theta after torch's unclipped update, and whether the first
    step was `late`'s; None if unclear."""
    if np.array_equal(theta, theta0):
        return THETA
    if oracles.rel_error(theta, unclipped) <= 1e-12:
        return UNCLIPPED
    if late:
        return LATE
    if oracles.rel_error(mem, want[1]) > 1e-12 or not np.all(np.isfinite(mem)):
        return SQUARES
    big, tiny = slice(None, -TINY), slice(-TINY, None)
    if oracles.rel_error(theta[big], want[0][big]) < 1e-3 * oracles.rel_error(theta[tiny], want[0][tiny]):
        return EPS                          # wrong where eps sets the step, a thousand times less elsewhere
    return None


def check_adagrad(sealed):
    from helpers import optim
    rng = cases.rng(1503)
    n = cases.size(rng, 40, 2 * TINY, 70)
    out = _clips(sealed, optim, rng)
    theta = rng.standard_normal(n)
    scale = np.r_[np.full(n - TINY, 3.0), np.full(TINY, 1e-6)]      # the last TINY: g^2 far below eps
    steps = [(scale * rng.standard_normal(n), 0.1 * (1 - step / 10)) for step in range(6)]   # training may lower eta
    theta0, want = theta.copy(), oracles.adagrad_run(theta, steps, BOUND, EPSILON)
    # The assignment's and min-char-rnn's sqrt(G + eps), written on self.mem (which holds G + eps
    # already), is sqrt(G + 2 eps), and torch's sqrt(G) + eps on self.mem is sqrt(G + eps) + eps:
    # steps as good, so they pass too.
    variants = [oracles.adagrad_run(theta, steps, BOUND, eps=2 * EPSILON)[0],
                oracles.adagrad_run(theta, steps, BOUND, EPSILON, outside=EPSILON)[0]]
    unclipped = oracles.adagrad_run(theta, steps, np.inf, EPSILON)[0]
    with sealed():
        opt = optim.AdaGrad(n, eta=0.1, eps=EPSILON, clip=BOUND)
        for g, eta in steps:
            opt.eta = eta
            opt.step(theta, g.copy())
    update = [
        ("theta after 6 steps against torch.optim.Adagrad",
         min(oracles.rel_error(theta, t) for t in [want[0], *variants]), 1e-12,
         f"the update in {ADAGRAD}, with the clipped gradient and the current self.eta, on theta in place"),
        ("accumulated squares (self.mem) against torch.optim.Adagrad's", oracles.rel_error(opt.mem, want[1]), 1e-12,
         f"G in {ADAGRAD}: the running sum of squared clipped gradients; self.mem holds G + eps")]
    if any(not e <= b for _, e, b, _ in update):
        late = _late(_first_step(sealed, optim, theta0, *steps[0]), theta0, *steps[0])
        hint = _diagnose(theta, theta0, np.asarray(opt.mem, float), want, unclipped, late)
        update = [(w, e, b, hint or h) for w, e, b, h in update]
    return out + update
