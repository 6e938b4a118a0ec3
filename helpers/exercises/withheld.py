"""What the diagnosis of E1 compares a wrong answer with, held back from the student copy
(helpers/teacher/student.py, TEACHER_ONLY) because it computes most of that exercise's answer.
The teacher's checks hold it, and so grading and the Gradescope zip; in a copy the hints it
sharpens fall back to the general ones (helpers.exercises.diagnose)."""
import numpy as np


def state_terms(params, x, h0, hs):
    """The three terms of a_t (each (tau, m)), W h_{t-1}, U x_t and b, from the student's own
    previous states hs (tau, m), starting at h0."""
    prev = np.vstack([h0.T, hs[:-1]])
    return [prev @ params["W"].T, params["U"][:, x].T, np.broadcast_to(params["b"].T, hs.shape)]


def score_terms(params, hs, shape):
    """The two terms of o_t (each `shape`, (tau, K)), V h_t and c, from hidden states hs (tau, m)."""
    return [hs @ params["V"].T, np.broadcast_to(params["c"].T, shape)]
