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
from helpers.rnn_reference import backward_reference, forward_reference

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
    """Output scores for B parallel streams, by forward_reference. X: (tau, B) int; state h0: (m, B).

    Returns the cache (forward_reference's, one per stream), the scores O (tau*B, K) and the
    last state (m, B).
    """
    tau, B = X.shape
    m, K = params["U"].shape
    O = np.empty((tau, B, K), dtype=params["W"].dtype)
    last = np.empty((m, B), dtype=params["W"].dtype)
    caches = []
    for s in range(B):
        caches.append(forward_reference(params, X[:, s], X[:, s], state[:, [s]])[1])   # its loss is not used
        O[:, s] = _stacked(caches[s]["scores"], tau)
        last[:, s] = caches[s]["hs"][tau - 1][:, 0]
    return caches, O.reshape(tau * B, K), last


def backward(params, X, cache, G, out):
    """Gradients into `out` (keys of params) from G = dL/dO (tau*B, K), already divided by B,
    by backward_reference. It knows one loss only: G must be the cross-entropy's gradient,
    (softmax(O) - onehot(y)) / B, as layers.loss_and_grads gives it. The targets y are read
    back from G (the entry where B G - p is -1), and forward_reference is run again with them,
    so that backward_reference gets the cache its own forward pass made."""
    tau, B = X.shape
    for v in out.values():
        v[...] = 0.0
    for s, c in enumerate(cache):
        y = np.argmin(B * G[s::B] - _stacked(c["ps"], tau), axis=1)
        grads = backward_reference(params, forward_reference(params, X[:, s], y, c["hs"][-1])[1])
        for k in out:
            out[k] += grads[k] / B
    return out


# The rest of the interface (see helpers.models), derived from forward and backward as for every model.
loss_and_grads, outputs, step, surprisal, loss_per_char = layers.interface(forward, backward, zero_state)


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
