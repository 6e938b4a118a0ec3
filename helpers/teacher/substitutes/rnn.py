"""The course's vanilla RNN, in a student copy (`make exercises`).

    a_t = W h_{t-1} + U x_t + b        h_t = tanh(a_t)
    o_t = V h_t + c                    p_t = softmax(o_t)
    L   = -sum_t log p_t[y_t]          (summed over the sequence, as the course defines it)

Shapes: U (m, K), W (m, m), V (K, m), b (m, 1), c (K, 1); K characters, m hidden units.
Here forward and backward run your own forward_reference and backward_reference
(helpers/rnn_reference.py, exercises E1 and E2) stream by stream, behind the contract every model
keeps (helpers.layers), so that training, sampling and scoring run on your code: slower than the
workbook's vectorised helpers/rnn.py (QUICK=1 helps), with the same names, shapes and results.
"""
import math

import numpy as np

from helpers import layers
from helpers.rnn_reference import backward_reference, forward_reference, loss_and_grads_reference

KEYS = ("U", "W", "V", "b", "c")


def shapes(K, m):
    return {"U": (m, K), "W": (m, m), "V": (K, m), "b": (m, 1), "c": (K, 1)}


def init_params(K, m=100, sigma=0.01, rng=None, dtype=np.float64):
    """U, W, V ~ N(0, sigma^2) and b, c = 0, drawn from `rng` (default: seed 0)."""
    if int(K) <= 0 or int(m) <= 0:
        raise ValueError(f"K and m must be positive, got K={K}, m={m}")
    return layers.random_params(shapes(K, m), ("U", "W", "V"), sigma, rng, dtype)


def zero_state(params, B=1):
    return np.zeros((params["W"].shape[0], B), dtype=params["W"].dtype)


def _stacked(columns, tau):
    """(tau, rows) array from the dict of (rows, 1) columns {0: .., tau-1: ..}."""
    return np.hstack([columns[t] for t in range(tau)]).T


def forward(params, X, state):
    """Hidden states and output scores for B parallel streams, by forward_reference.
    X: (tau, B) int; state h0: (m, B).

    Returns the cache H (tau+1, B, m) with H[0] = h0.T, the scores O (tau*B, K) and the last
    state (m, B), as the workbook's helpers/rnn.py does.
    """
    tau, B = X.shape
    m, K = params["U"].shape
    H = np.empty((tau + 1, B, m), dtype=params["W"].dtype)
    O = np.empty((tau, B, K), dtype=params["W"].dtype)
    H[0] = state.T
    for s in range(B):
        _, cache = forward_reference(params, X[:, s], X[:, s], state[:, [s]])   # its loss is not used
        H[1:, s], O[:, s] = _stacked(cache["hs"], tau), _stacked(cache["scores"], tau)
    return H, O.reshape(tau * B, K), H[-1].T.copy()


def backward(params, X, cache, G, out):
    """Gradients into `out` (keys of params) from G = dL/dO (tau*B, K), already divided by B,
    by backward_reference. It knows one loss only: G must be the cross-entropy's gradient,
    (softmax(O) - onehot(y)) / B, as layers.loss_and_grads gives it. The targets y are read
    back from G (the entry where B G - p is -1), and forward_reference is run again from H[0]
    with them, so that backward_reference gets the cache its own forward pass made."""
    tau, B = X.shape
    for v in out.values():
        v[...] = 0.0
    for s in range(B):
        h0 = cache[0, s][:, None]
        ps = _stacked(forward_reference(params, X[:, s], X[:, s], h0)[1]["ps"], tau)
        y = np.argmin(B * G[s::B] - ps, axis=1)
        grads = backward_reference(params, forward_reference(params, X[:, s], y, h0)[1])
        for k in out:
            out[k] += grads[k] / B
    return out


def loss_and_grads(params, x, y, state, out=None):
    """The interface's loss_and_grads (helpers.layers): the same numbers as forward, the loss layer
    and backward give, computed as each stream's loss_and_grads_reference, in a fraction of the time.

    x, y: (tau,) int with state (m, 1), or (B, tau) int with state (m, B); out: optional dict of
    arrays to write the gradients into. Returns loss (summed over tau, mean over streams), grads,
    the last state (m, 1) or (m, B).
    """
    x, y = np.asarray(x), np.asarray(y)
    X, Y = (x, y) if x.ndim == 2 else (x[None], y[None])                   # (B, tau)
    B = len(X)
    out = {k: np.zeros_like(v) for k, v in params.items()} if out is None else out
    for v in out.values():
        v[...] = 0.0
    value, last = 0.0, np.empty((state.shape[0], B), dtype=state.dtype)
    for s in range(B):
        loss, grads, last[:, [s]] = loss_and_grads_reference(params, X[s], Y[s], state[:, [s]])
        value += loss / B
        for k in out:
            out[k] += grads[k] / B
    return value, out, last


# The rest of the interface (see helpers.models), derived from forward and backward as for every model.
_, outputs, step, surprisal, loss_per_char = layers.interface(forward, backward, zero_state)


def from_torch(net, linear):
    """Our parameters from torch.nn.RNN(K, m) (tanh, one layer) and torch.nn.Linear(m, K);
    PyTorch's two biases add."""
    return layers.from_torch(net, linear, KEYS)


def to_torch(params):
    """(torch.nn.RNN, torch.nn.Linear) in float64 holding these parameters (b as b_ih, b_hh = 0)."""
    import torch
    K, m = params["V"].shape
    return layers.to_torch(torch.nn.RNN(K, m, nonlinearity="tanh"), params)


def torch_grads(net, linear):
    """Gradients after backward() on modules made by `to_torch`, in our layout."""
    return layers.from_torch(net, linear, KEYS, grads=True)


def nats_per_char(loss, seq_length):
    """The course's summed loss over `seq_length` characters, per character (nats)."""
    return loss / seq_length


def bits_per_char(nats):
    """Nats per character to bits per character."""
    return nats / math.log(2)
