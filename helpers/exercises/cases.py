"""The problem instances a check draws: the visible ones, which the copy's own checks run, and
held-back ones, drawn from a seed the copy does not hold, which grading adds (the teacher's
`python -m helpers.exercises grade`, the Gradescope autograder; TEACHING.md).

A check asks `rng(its seed)` for its generator and `size(rng, visible, low, high)` for each size:
visibly they are its seed and its sizes, as they always were; held back (`held_back(seed)`), the
generator is seeded from both seeds and each size is drawn from [low, high], so that an answer
fitted to the visible instances, their values or their shapes, fails there, and a correct one
passes everywhere.
"""
import contextlib
import os

import numpy as np

ENV = "EXERCISES_HELD_BACK"      # the held-back seed, for the child process that runs one check
_held = None


def rng(seed):
    """The check's generator: seeded with `seed`, or with `seed` and the held-back seed."""
    return np.random.default_rng(seed if _held is None else [seed, _held])


def size(rng, visible, low, high):
    """A problem's size: `visible`, or held back another, drawn from [low, high] without it."""
    if _held is None:
        return visible
    others = [n for n in range(low, high + 1) if n != visible]
    return int(rng.choice(others))


def held():
    """Whether the instances being drawn are held back."""
    return _held is not None


@contextlib.contextmanager
def held_back(seed):
    """Within it, checks draw held-back instances from `seed` (an int)."""
    global _held
    _held, before = int(seed), _held
    try:
        yield
    finally:
        _held = before


def from_env():
    """The held-back seed the grader passed to this process, or None."""
    value = os.environ.get(ENV, "")
    return int(value) if value.strip() else None
