"""The output layer every model shares, in a student copy (`make exercises`): the softmax of the
scores and its cross-entropy loss, computed by your own forward_reference and backward_reference
(helpers/rnn_reference.py, exercises E1 and E2), one row at a time. The workbook's helpers/loss.py
computes them for every row at once; these keep its names, shapes and results.

Each row of scores is a one-step sequence of a network whose scores are that row: m = 1 and U, W,
V, b zero, so that h stays 0 and o = c = O[i]; backward_reference's dL/dc is then dL/do.
Shapes: O (n, K) scores, one row per character; y (n,) int.
"""
import numpy as np

from helpers.rnn_reference import backward_reference, forward_reference


def _rows(O, y, grads):
    """(losses (n,), P (n, K), G (n, K) or None) for the rows of O against y, by the reference."""
    n, K = O.shape
    params = {"U": np.zeros((1, K)), "W": np.zeros((1, 1)), "V": np.zeros((K, 1)), "b": np.zeros((1, 1))}
    losses, P, G = np.empty(n), np.empty((n, K)), np.empty((n, K)) if grads else None
    for i in range(n):
        params["c"] = np.asarray(O[i], dtype=np.float64)[:, None]
        losses[i], cache = forward_reference(params, [0], [int(y[i])], np.zeros((1, 1)))
        P[i] = cache["ps"][0][:, 0]
        if grads:
            G[i] = backward_reference(params, cache)["c"][:, 0]
    return losses, P, G


def softmax(O):
    """(n, K) probabilities, each row softmax(O[i]); O (n, K) is left as it is."""
    return _rows(O, np.zeros(len(O), dtype=int), grads=False)[1]


def cross_entropy(O, y):
    """(n,) nats -log softmax(O[i])[y[i]]; O (n, K) is left as it is."""
    return _rows(O, y, grads=False)[0]


def softmax_loss(O, y, B):
    """(loss, G): the summed cross-entropy of scores O (tau*B, K) against y (tau*B,) int, divided
    by the B streams, and its gradient G = (softmax(O) - onehot(y)) / B, written over O."""
    losses, _, G = _rows(O, y, grads=True)
    O[...] = G / B
    return float(losses.sum()) / B, O
