"""The course's vanilla RNN one time step at a time, as min-char-rnn.py writes it: read this first.

    a_t = W h_{t-1} + U x_t + b        h_t = tanh(a_t)
    o_t = V h_t + c                    p_t = softmax(o_t)
    L   = -sum_t log p_t[y_t]          (summed over the sequence, as the course defines it)

Shapes: U (m, K), W (m, m), V (K, m), b (m, 1), c (K, 1); K characters, m hidden units, tau steps.
A pair in the style of cs231n: `forward_reference` returns the loss and a cache of what the
backward pass needs, `backward_reference` turns that cache into gradients. In a student copy
(`make exercises`) they are exercises E1 and E2; `helpers.rnn`'s fast path must agree with them.
"""
import math

import numpy as np


def forward_reference(params, x, y, h0):
    """The loss of one sequence and the cache for `backward_reference`, one step at a time.

    x, y: (tau,) int   inputs and targets (y[t] = x[t+1] in the text)
    h0:   (m, 1)       hidden state before the first character
    Returns loss (float, -sum_t log p_t[y_t]) and cache, a dict holding y and four dicts keyed by t:
        cache["xs"][t]     (K, 1)  x_t as a one-hot column, t = 0..tau-1
        cache["hs"][t]     (m, 1)  h_t, t = -1..tau-1, with cache["hs"][-1] = h0
        cache["scores"][t] (K, 1)  o_t, t = 0..tau-1
        cache["ps"][t]     (K, 1)  p_t = softmax(o_t), t = 0..tau-1
    """
    U, W, V, b, c = (params[k] for k in ("U", "W", "V", "b", "c"))
    K = V.shape[0]
    xs, hs, scores, ps = {}, {-1: h0}, {}, {}
    loss = 0.0
    # BEGIN SOLUTION E1: fill xs, hs, scores, ps (shapes in the docstring) for every t; add -log p_t[y_t] to loss
    # HINT: one loop over t; hs[t - 1] is the state before step t.
    # HINT: subtract the largest score before exp, so that exp never overflows.
    # HINT: take -log p_t[y_t] as log sum_j exp(z_j) - z[y_t], z = o_t - max o_t: no log 0 when p_t[y_t] underflows.
    for t in range(len(x)):
        xs[t] = np.zeros((K, 1))
        xs[t][x[t]] = 1.0                                   # one-hot column
        hs[t] = np.tanh(W @ hs[t - 1] + U @ xs[t] + b)
        scores[t] = V @ hs[t] + c
        z = scores[t] - scores[t].max()                     # shift for a stable softmax
        e = np.exp(z)
        ps[t] = e / e.sum()
        loss += math.log(e.sum()) - z[y[t], 0]              # -log p_t[y_t], finite when p_t[y_t] underflows
    # END SOLUTION
    return loss, {"xs": xs, "hs": hs, "scores": scores, "ps": ps, "y": y}


def backward_reference(params, cache):
    """Backpropagation through time: the gradients of `forward_reference`'s loss.

    cache: as `forward_reference` returns it.
    Returns grads, with the keys and shapes of params: dL/dU (m, K), dL/dW (m, m), dL/dV (K, m),
    dL/db (m, 1), dL/dc (K, 1).
    """
    W, V = params["W"], params["V"]
    xs, hs, ps, y = cache["xs"], cache["hs"], cache["ps"], cache["y"]
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    dh_next = np.zeros_like(hs[-1])                          # dL/dh_t arriving from step t+1
    # BEGIN SOLUTION E2: for t from tau-1 down to 0, add step t's share to every gradient
    # HINT: dL/do_t = p_t - onehot(y_t); dL/dh_t comes from o_t and from h_{t+1} (dh_next).
    # HINT: tanh'(a_t) = 1 - h_t^2, written with the h_t you kept in the cache.
    for t in reversed(range(len(y))):
        g = ps[t].copy()
        g[y[t]] -= 1.0                                      # dL/do_t = p_t - y_t
        grads["V"] += g @ hs[t].T
        grads["c"] += g
        dh = V.T @ g + dh_next                              # from the output and from h_{t+1}
        da = (1.0 - hs[t] ** 2) * dh                        # through tanh
        grads["b"] += da
        grads["U"] += da @ xs[t].T
        grads["W"] += da @ hs[t - 1].T
        dh_next = W.T @ da
    # END SOLUTION
    return grads


def loss_and_grads_reference(params, x, y, h0):
    """`forward_reference` then `backward_reference`, with the contract of `rnn.loss_and_grads`.

    x, y: (tau,) int; h0: (m, 1). Returns loss (summed over tau), grads (keys and shapes of
    params), h_last (m, 1).
    """
    loss, cache = forward_reference(params, x, y, h0)
    return loss, backward_reference(params, cache), cache["hs"][len(x) - 1]
