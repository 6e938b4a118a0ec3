"""What a course's grading platform reads, from one submission's results (rows of
helpers.exercises.results): Gradescope's results.json (`grade --format gradescope DIR`), a test
per exercise worth its points. GitHub Classroom reads exit statuses instead: its workflow
(helpers.teacher.classroom) runs `check EID --strict` per exercise.
"""
from helpers.exercises.checks import EXERCISES


def gradescope(rows, seconds=None):
    """Gradescope's results.json as a dict: a test per exercise (name, score, max_score, status,
    output: the check's line, visibility) and the overall score, the sum of the tests'."""
    from helpers.exercises import line, score
    tests = [{"name": f"{r['id']} {r['title']}" + " (optional)" * EXERCISES[r["id"]].optional,
              "number": r["id"], "score": score(r), "max_score": EXERCISES[r["id"]].points,
              "status": "passed" if r["status"] == "PASS" else "failed",
              "output": line(r), "visibility": "visible"} for r in rows]
    passed, total = sum(t["status"] == "passed" for t in tests), sum(t["max_score"] for t in tests)
    out = {"score": sum(t["score"] for t in tests), "visibility": "visible",
           "output": f"{sum(t['score'] for t in tests)} of {total} points: {passed} of {len(tests)} exercises passed",
           "stdout_visibility": "hidden", "tests": tests}
    if seconds is not None:
        out["execution_time"] = round(seconds, 1)
    return out
