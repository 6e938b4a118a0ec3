"""Whole modules that take the place of course modules in a student copy (`make exercises`),
where the course's own would give an exercise away: SUBSTITUTES maps each course module to its
substitute, which keeps the same names and contracts but computes through the student's own
rnn_reference (exercises E1 and E2). tests/test_substitutes.py runs the course's contract tests on them."""
SUBSTITUTES = {"helpers/rnn.py": "helpers/teacher/substitutes/rnn.py",
               "helpers/loss.py": "helpers/teacher/substitutes/loss.py"}
