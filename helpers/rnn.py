"""The course's vanilla RNN.

    a_t = W h_{t-1} + U x_t + b        h_t = tanh(a_t)
    o_t = V h_t + c                    p_t = softmax(o_t)
    L   = -sum_t log p_t[y_t]          (summed over the sequence, as the course defines it)

Shapes: U (m, K), W (m, m), V (K, m), b (m, 1), c (K, 1); K characters, m hidden units.
Two implementations with one contract:
    loss_and_grads_reference -- per time step, as min-char-rnn.py writes it; read this one first
    loss_and_grads           -- the same maths with only the two recurrences left in Python loops
"""
import math

import numpy as np

from . import layers

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


def loss_and_grads_reference(params, x, y, h0):
    """Per-step forward pass and backpropagation through time (the readable reference).

    x, y: (tau,) int   inputs and targets (y[t] = x[t+1] in the text)
    h0:   (m, 1)       hidden state before the first character
    Returns loss (summed over tau), grads (same keys and shapes as params), h_last (m, 1).
    """
    U, W, V, b, c = (params[k] for k in KEYS)
    K = V.shape[0]
    xs, hs, ps = {}, {-1: h0}, {}
    loss = 0.0
    for t in range(len(x)):
        xs[t] = np.zeros((K, 1))
        xs[t][x[t]] = 1.0                                   # one-hot column
        hs[t] = np.tanh(W @ hs[t - 1] + U @ xs[t] + b)
        o = V @ hs[t] + c
        e = np.exp(o - o.max())                             # shift for a stable softmax
        ps[t] = e / e.sum()
        loss -= math.log(ps[t][y[t], 0])
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    dh_next = np.zeros_like(h0)
    for t in reversed(range(len(x))):
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
    return loss, grads, hs[len(x) - 1]


def forward(params, X, h0):
    """All hidden states and output scores for B parallel streams.

    X: (tau, B) int;  h0: (m, B)
    Returns H: (tau+1, B, m) with H[0] = h0.T; O: (tau*B, K) scores shifted so each row's
    maximum is 0; P: (tau*B, K) probabilities; S: (tau*B, 1) softmax denominators of O.
    """
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


def backward(params, X, Y, H, P, out=None):
    """Gradients of the batch-mean of the summed loss; shapes as in `forward`, Y: (tau, B) int.

    out: optional dict of arrays (keys of params) to write the gradients into.
    """
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


def loss_and_grads(params, x, y, h0, out=None):
    """Fast path with the same contract as `loss_and_grads_reference`.

    x, y: (tau,) int with h0: (m, 1) -- the course's single sequence; or
    x, y: (B, tau) int with h0: (m, B) -- B streams; loss and grads are then the mean over
    streams of the per-sequence summed loss, so they stay in the course's unit.
    out: optional dict of arrays to write the gradients into (training reuses one buffer).
    Returns loss, grads (keys of params), h_last (m, 1) or (m, B).
    """
    x, y = np.asarray(x), np.asarray(y)
    X, Y = (x.T, y.T) if x.ndim == 2 else (x[:, None], y[:, None])
    H, O, P, S = forward(params, X, h0)
    B = X.shape[1]
    o_y = O[np.arange(O.shape[0]), Y.ravel()]
    loss = float(np.sum(np.log(S[:, 0]) - o_y)) / B   # log-sum-exp form: never log(0)
    return loss, backward(params, X, Y, H, P, out), H[-1].T.copy()


def outputs(params, X, h0):
    """Scores O (tau*B, K) (shifted so each row's maximum is 0) and the last state (m, B)."""
    H, O, _, _ = forward(params, X, h0)
    return O, H[-1].T.copy()


def step(params, x, h):
    """One character: scores o (K,) for the next one, and the new state; x int, h (m, 1)."""
    h = np.tanh(params["W"] @ h + params["U"][:, [x]] + params["b"])
    return params["V"] @ h[:, 0] + params["c"][:, 0], h


def surprisal(params, ids, streams=100, chunk=250):
    """Bits of surprise for every character of `ids`, as `layers.surprisal` reads them."""
    return layers.surprisal(outputs, zero_state, params, ids, streams, chunk)


def loss_per_char(params, ids, streams=100, chunk=250):
    """Mean cross-entropy in nats per character over a sequence `ids` (e.g. the held-out text)."""
    return float(np.mean(surprisal(params, ids, streams, chunk))) * math.log(2)


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
