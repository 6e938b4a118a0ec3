"""What a course runs on: points per exercise, the GitHub Classroom workflow, the Gradescope
autograder, held-back grading cases. The student copy leaves this file out (it builds copies:
helpers.teacher.student.TEACHER_ONLY)."""
from helpers import exercises
from helpers.exercises.checks import EXERCISES, total_points


def test_every_exercise_has_points_and_the_summary_adds_them():
    assert all(ex.points > 0 for ex in EXERCISES.values())
    assert total_points() == sum(ex.points for ex in EXERCISES.values()) > total_points(required_only=True)
    rows = [{"id": eid, "title": ex.title, "status": "PASS" if eid == "E2" else "FAIL", "detail": "d"}
            for eid, ex in EXERCISES.items()]
    assert exercises.score(rows[1]) == EXERCISES["E2"].points and exercises.score(rows[0]) == 0
    assert f"{EXERCISES['E2'].points}/{EXERCISES['E2'].points}" in exercises.line(rows[1])
    assert exercises.summary(rows).endswith(
        f": {EXERCISES['E2'].points} of {total_points()} points ({total_points(required_only=True)} for the required ones).")
