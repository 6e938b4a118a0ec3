"""The exercises of a student copy (`make exercises`) and their local checks.

Each check first computes what it compares against (PyTorch's nn.RNN, softmax and Adagrad, centred
differences of the student's own loss), then calls the student's functions inside `sealed()`, where
PyTorch is closed (helpers.exercises.run, which has read their code for shortcuts first), and returns measurements (what, error,
bar, hint): the exercise passes when every error is within its bar. Hints point to the maths, not to
code; on a FAIL, the pattern of what is wrong names the likely cause (helpers.exercises.diagnose).
The checks live by subject: rnn_checks (E1, E2), optim_checks (E3), sample_checks (E4, E5),
course (E6-E8), synth_checks (E9) and gated (the optional E10-E12). Imports are absolute, so that a teacher's copy of
this folder, put in the place of the submitted copy's helpers.exercises (helpers.exercises.with_checks),
checks the submitted copy's `helpers` (`python -m helpers.exercises grade`).
"""
from typing import Callable, NamedTuple

from helpers.exercises.course import COURSE
from helpers.exercises.gated import GATED
from helpers.exercises.optim_checks import check_adagrad
from helpers.exercises.rnn_checks import check_bptt, check_forward
from helpers.exercises.sample_checks import check_nucleus, check_temperature

# Each check imports the helpers it runs when it runs: a syntax error in a student's module is that
# exercise's FAIL, in one line, never a crash of the runner that imports this registry.


class Exercise(NamedTuple):
    title: str
    where: str          # what the student writes, and in which file
    notebook: str       # where the maths is explained
    needs: tuple        # exercises whose functions the check calls
    check: Callable     # (sealed) -> [(what, error, bar, hint)]; sealed() wraps every student call
    optional: bool = False  # for self-learners: make check-exercises exits 0 without it
    points: int = 0         # what a PASS is worth in a course's grade (Classroom, Gradescope)


EXERCISES = {
    "E1": Exercise("forward pass and loss", "helpers/rnn_reference.py: forward_reference",
                   "notebooks/02_gradients.ipynb", (), check_forward, points=10),
    "E2": Exercise("backpropagation through time", "helpers/rnn_reference.py: backward_reference",
                   "notebooks/02_gradients.ipynb", ("E1",), check_bptt, points=20),
    "E3": Exercise("AdaGrad update with clipping", "helpers/optim.py: clip and AdaGrad.step",
                   "notebooks/03_training.ipynb", (), check_adagrad, points=10),
    "E4": Exercise("sampling with temperature", "helpers/sample.py: temperature_softmax",
                   "notebooks/04_sampling.ipynb", (), check_temperature, points=5),
    "E5": Exercise("nucleus (top-p) filtering", "helpers/sample.py: nucleus",
                   "notebooks/04_sampling.ipynb", ("E4",), check_nucleus, points=10),
}


# The rest of the course (E6-E9) and the optional exercises (E10-E12) are checked in modules of their
# own; their entries are Exercise's fields, so that a teacher's copy of them, loaded by path, needs no other.
EXERCISES.update({eid: Exercise(*fields) for eid, fields in {**COURSE, **GATED}.items()})


def total_points(required_only=False):
    """The points of every exercise (or of the required ones): what a full grade is worth."""
    return sum(ex.points for ex in EXERCISES.values() if not (required_only and ex.optional))
