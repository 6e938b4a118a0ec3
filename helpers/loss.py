"""The output layer every model shares: the softmax of the scores and its cross-entropy loss.

    p = softmax(o)        -log p[y] = log sum_j exp(o_j) - o_y        dL/do = p - onehot(y)

Both are computed after subtracting each row's largest score, so that exp never overflows, and
the loss in its log-sum-exp form, so that it stays finite when p[y] underflows to 0.
Shapes: O (n, K) scores, one row per character (n = tau*B for tau steps of B streams); y (n,) int.
"""
import numpy as np


def softmax(O):
    """(n, K) probabilities, each row softmax(O[i]); O (n, K) is left as it is."""
    P = np.exp(O - O.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    return P


def cross_entropy(O, y):
    """(n,) nats -log softmax(O[i])[y[i]], as log-sum-exp; O (n, K) is left as it is."""
    Z = O - O.max(axis=1, keepdims=True)
    return np.log(np.exp(Z).sum(axis=1)) - Z[np.arange(len(y)), y]


def softmax_loss(O, y, B):
    """(loss, G): the summed cross-entropy of scores O (tau*B, K) against y (tau*B,) int, divided
    by the B streams, and its gradient G = (softmax(O) - onehot(y)) / B, written over O."""
    rows = np.arange(O.shape[0])
    O -= O.max(axis=1, keepdims=True)
    o_y = O[rows, y].copy()
    np.exp(O, out=O)
    S = O.sum(axis=1, keepdims=True)
    loss = float(np.sum(np.log(S[:, 0]) - o_y)) / B
    O /= S
    O[rows, y] -= 1.0
    if B > 1:
        O /= B
    return loss, O
