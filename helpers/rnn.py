"""The course's vanilla RNN.

    a_t = W h_{t-1} + U x_t + b        h_t = tanh(a_t)
    o_t = V h_t + c                    p_t = softmax(o_t)
    L   = -sum_t log p_t[y_t]          (summed over the sequence, as the course defines it)

Shapes: U (m, K), W (m, m), V (K, m), b (m, 1), c (K, 1); K characters, m hidden units.
helpers.rnn_reference computes this one time step at a time, as min-char-rnn.py writes it: read it
first. Here is the same maths for B streams at once, with only the two recurrences left in Python
loops, behind the contract every model keeps (helpers.layers): forward, backward, and what
derives from them.
"""
import math

import numpy as np

from helpers import layers

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


def forward(params, X, state):
    """Hidden states and output scores for B parallel streams. X: (tau, B) int; state h0: (m, B).

    Returns the cache H (tau+1, B, m) with H[0] = h0.T, the scores O (tau*B, K) and the last
    state (m, B).
    """
    U, W, V, b, c = (params[k] for k in KEYS)
    tau, B = X.shape
    A = U.T[X] + b[:, 0]                       # U x_t + b as a column lookup: (tau, B, m)
    H = np.empty((tau + 1, B, W.shape[0]), dtype=W.dtype)
    H[0] = state.T
    WT = W.T
    for h_prev, h, a in zip(H[:-1], H[1:], A):  # the only sequential part of the forward pass
        np.tanh(np.dot(h_prev, WT) + a, out=h)
    O = np.dot(H[1:].reshape(tau * B, -1), V.T)  # every output at once: (tau*B, K)
    O += c[:, 0]
    return H, O, H[-1].T.copy()


def backward(params, X, cache, G, out):
    """Gradients into `out` (keys of params) from G = dL/dO (tau*B, K), already divided by B;
    X and the cache H as `forward` takes and returns them."""
    W, V, H = params["W"], params["V"], cache
    tau, B = X.shape
    m = W.shape[0]
    Hs = H[1:].reshape(tau * B, m)
    dHo = np.dot(G, V).reshape(tau, B, m)      # what the outputs send back to each h_t
    D = 1.0 - H[1:] ** 2                       # tanh' for every step
    dA = np.empty_like(dHo)
    dh = np.zeros((B, m), dtype=W.dtype)
    for do, d, da in zip(dHo[::-1], D[::-1], dA[::-1]):   # the only sequential part
        np.multiply(do + dh, d, out=da)
        dh = np.dot(da, W)
    dA = dA.reshape(tau * B, m)
    np.dot(dA.T, H[:-1].reshape(tau * B, m), out=out["W"])
    np.dot(G.T, Hs, out=out["V"])
    np.sum(G, axis=0, out=out["c"][:, 0])
    layers.input_grads(dA, X, V.shape[0], out)  # dU = sum_t da_t x_t^T in one product, and db
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
