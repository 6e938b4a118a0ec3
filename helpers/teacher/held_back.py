"""The seed of the held-back grading cases (helpers.exercises.cases): `grade` and the Gradescope
autograder draw extra problem instances from it. A student copy leaves this folder out; set
EXERCISES_SEED to a number of your own for your course, since this repository may be public.
"""
import os

DEFAULT = 20260907


def seed():
    """EXERCISES_SEED as an int, or DEFAULT; a one-line ValueError naming it when it is not a number."""
    value = os.environ.get("EXERCISES_SEED", "").strip()
    if not value:
        return DEFAULT
    if not value.isdigit():
        raise ValueError(f"EXERCISES_SEED={value!r}: must be a whole number >= 0")
    return int(value)
