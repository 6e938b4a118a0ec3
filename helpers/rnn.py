"""The course's vanilla RNN.

    a_t = W h_{t-1} + U x_t + b        h_t = tanh(a_t)
    o_t = V h_t + c                    p_t = softmax(o_t)
    L   = -sum_t log p_t[y_t]          (summed over the sequence, as the course defines it)

Shapes: U (m, K), W (m, m), V (K, m), b (m, 1), c (K, 1); K characters, m hidden units.
Two implementations with one contract:
    loss_and_grads_reference -- per time step, as min-char-rnn.py writes it; read this one first
                                (helpers.rnn_reference: forward_reference, backward_reference)
    loss_and_grads           -- the same maths with only the two recurrences left in Python loops
In a student copy (`make exercises`) the fast functions call helpers.rnn_slow instead, which runs
the student's own reference stream by stream.
"""
import math

import numpy as np

from helpers import layers, rnn_slow  # noqa: F401 (the student copy's fallbacks call rnn_slow)
from helpers.rnn_reference import backward_reference, forward_reference, loss_and_grads_reference  # noqa: F401

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


def forward(params, X, h0):
    """All hidden states and output scores for B parallel streams.

    X: (tau, B) int;  h0: (m, B)
    Returns H: (tau+1, B, m) with H[0] = h0.T; O: (tau*B, K) scores shifted so each row's
    maximum is 0; P: (tau*B, K) probabilities; S: (tau*B, 1) softmax denominators of O.
    """
    # BEGIN FAST E1
    U, W, V, b, c = (params[k] for k in KEYS)
    tau, B = X.shape
    A = U.T[X] + b[:, 0]                       # U x_t + b as a column lookup: (tau, B, m)
    H = np.empty((tau + 1, B, W.shape[0]), dtype=W.dtype)
    H[0] = h0.T
    WT = W.T
    for h_prev, h, a in zip(H[:-1], H[1:], A):  # the only sequential part of the forward pass
        np.tanh(np.dot(h_prev, WT) + a, out=h)
    O = np.dot(H[1:].reshape(tau * B, -1), V.T)  # every output at once: (tau*B, K)
    O += c[:, 0]
    O -= O.max(axis=1, keepdims=True)
    P = np.exp(O)
    S = P.sum(axis=1, keepdims=True)
    P /= S
    return H, O, P, S
    # ELSE
    # return rnn_slow.forward(params, X, h0)
    # END FAST


def backward(params, X, Y, H, P, out=None):
    """Gradients of the batch-mean of the summed loss; shapes as in `forward`, Y: (tau, B) int.

    out: optional dict of arrays (keys of params) to write the gradients into.
    """
    # BEGIN FAST E2
    W, V = params["W"], params["V"]
    tau, B = X.shape
    m, K = params["U"].shape
    out = {k: np.empty_like(v) for k, v in params.items()} if out is None else out
    G = P.copy()
    G[np.arange(tau * B), Y.ravel()] -= 1.0    # dL/do = p - onehot(y), every step at once
    if B > 1:
        G /= B                                 # the loss is the mean over streams
    Hs = H[1:].reshape(tau * B, m)
    dHo = np.dot(G, V).reshape(tau, B, m)      # what the outputs send back to each h_t
    D = 1.0 - H[1:] ** 2                       # tanh' for every step
    dA = np.empty_like(dHo)
    dh = np.zeros((B, m), dtype=W.dtype)
    for do, d, da in zip(dHo[::-1], D[::-1], dA[::-1]):   # the only sequential part
        np.multiply(do + dh, d, out=da)
        dh = np.dot(da, W)
    dA = dA.reshape(tau * B, m)
    onehot = np.zeros((tau * B, K), dtype=W.dtype)
    onehot[np.arange(tau * B), X.ravel()] = 1.0
    np.dot(dA.T, onehot, out=out["U"])         # sum_t da_t x_t^T in one product
    np.dot(dA.T, H[:-1].reshape(tau * B, m), out=out["W"])
    np.dot(G.T, Hs, out=out["V"])
    np.sum(dA, axis=0, out=out["b"][:, 0])
    np.sum(G, axis=0, out=out["c"][:, 0])
    return out
    # ELSE
    # return rnn_slow.backward(params, X, Y, H, P, out)
    # END FAST


def loss_and_grads(params, x, y, h0, out=None):
    """Fast path with the same contract as `loss_and_grads_reference`.

    x, y: (tau,) int with h0: (m, 1) -- the course's single sequence; or
    x, y: (B, tau) int with h0: (m, B) -- B streams; loss and grads are then the mean over
    streams of the per-sequence summed loss, so they stay in the course's unit.
    out: optional dict of arrays to write the gradients into (training reuses one buffer).
    Returns loss, grads (keys of params), h_last (m, 1) or (m, B).
    """
    # BEGIN FAST E1 E2
    x, y = np.asarray(x), np.asarray(y)
    X, Y = (x.T, y.T) if x.ndim == 2 else (x[:, None], y[:, None])
    H, O, P, S = forward(params, X, h0)
    B = X.shape[1]
    o_y = O[np.arange(O.shape[0]), Y.ravel()]
    loss = float(np.sum(np.log(S[:, 0]) - o_y)) / B   # log-sum-exp form: never log(0)
    return loss, backward(params, X, Y, H, P, out), H[-1].T.copy()
    # ELSE
    # return rnn_slow.loss_and_grads(params, x, y, h0, out)
    # END FAST


def outputs(params, X, h0):
    """Scores O (tau*B, K) (shifted so each row's maximum is 0) and the last state (m, B)."""
    H, O, _, _ = forward(params, X, h0)
    return O, H[-1].T.copy()


def step(params, x, h):
    """One character: scores o (K,) for the next one, and the new state; x int, h (m, 1)."""
    # BEGIN FAST E1
    h = np.tanh(params["W"] @ h + params["U"][:, [x]] + params["b"])
    return params["V"] @ h[:, 0] + params["c"][:, 0], h
    # ELSE
    # return rnn_slow.step(params, x, h)
    # END FAST


def surprisal(params, ids, chunk=2000):
    """(len(ids) - 1,) bits of surprise for ids[1:], read in one pass from h = 0 (layers.surprisal)."""
    return layers.surprisal(outputs, zero_state, params, ids, chunk)


def loss_per_char(params, ids, chunk=2000):
    """Mean cross-entropy in nats per character of ids[1:] (e.g. the validation or test part)."""
    return float(np.mean(surprisal(params, ids, chunk))) * math.log(2)


def from_torch(net, linear):
    """Our parameters from torch.nn.RNN(K, m) (tanh, one layer) and torch.nn.Linear(m, K);
    PyTorch's two biases add."""
    t = {name: p.detach().double().numpy() for name, p in net.named_parameters()}
    return {"U": t["weight_ih_l0"].copy(), "W": t["weight_hh_l0"].copy(),
            "V": linear.weight.detach().double().numpy().copy(),
            "b": (t["bias_ih_l0"] + t["bias_hh_l0"])[:, None],
            "c": linear.bias.detach().double().numpy()[:, None].copy()}


def to_torch(params):
    """(torch.nn.RNN, torch.nn.Linear) in float64 holding these parameters (b as b_ih, b_hh = 0)."""
    import torch
    K, m = params["V"].shape
    return layers.fill_torch(torch.nn.RNN(K, m, nonlinearity="tanh"), params, weight_ih_l0=params["U"],
                             weight_hh_l0=params["W"], bias_ih_l0=params["b"][:, 0], bias_hh_l0=np.zeros(m))


def torch_grads(net, linear):
    """Gradients after backward() on modules made by `to_torch`, in our layout."""
    g = {name: p.grad.double().numpy() for name, p in net.named_parameters()}
    return {"U": g["weight_ih_l0"], "W": g["weight_hh_l0"], "V": linear.weight.grad.double().numpy(),
            "b": g["bias_ih_l0"][:, None], "c": linear.bias.grad.double().numpy()[:, None]}


def nats_per_char(loss, seq_length):
    """The course's summed loss over `seq_length` characters, per character (nats)."""
    return loss / seq_length


def bits_per_char(nats):
    """Nats per character to bits per character."""
    return nats / math.log(2)
