"""The exercises as they stand: in a student copy the student's code, in the workbook the solution.
Kept in the student copy (test_exercises.py, which builds copies, is the teacher's)."""
import sys

import pytest

from helpers import exercises
from helpers.exercises.checks import EXERCISES
from helpers.exercises import ROOT


def test_sealed_closes_pytorch_and_puts_it_back():
    from helpers.exercises.run import sealed
    import torch
    with sealed():
        with pytest.raises(ImportError):
            import torch.nn  # noqa: F401
    assert sys.modules["torch"] is torch


@pytest.mark.parametrize("eid", EXERCISES)
def test_my_exercise_passes_its_local_checks(eid):
    """In a student copy, the student's code; here, the solution's."""
    result = exercises.results([eid], lambda e: exercises.isolated(e, ROOT, timeout=300))[-1]
    if EXERCISES[eid].optional and result["status"] in ("NOT STARTED", "BLOCKED"):
        pytest.skip(f"{eid} is optional and not done: {exercises.line(result)}")
    if result["status"] != "PASS":          # one line, no traceback: the check's line says what is wrong
        pytest.fail(exercises.line(result), pytrace=False)
