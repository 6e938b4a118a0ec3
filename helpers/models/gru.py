"""A gated recurrent unit (GRU) character model, in PyTorch's formulation so nn.GRU can check it.

    a_t = U x_t + b,   e_t = W h_{t-1} + [0; 0; b_n]     (3m,) each; gates r, z, n in that order
    r_t = sigma(a_r + e_r)    z_t = sigma(a_z + e_z)
    n_t = tanh(a_n + r_t * e_n)                          the reset gate scales the recurrent part
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}                z keeps the old state, 1 - z takes the new
    s_t = V h_t + c,  p_t = softmax(s_t),  L = -sum_t log p_t[y_t]

Backward, with dh the gradient reaching h_t:
    dn = dh (1 - z);   dz = dh (h_{t-1} - n);   da_n = dn (1 - n^2)
    de = [dr' , dz', da_n * r] with dr' = da_n e_n r(1-r), dz' = dz z(1-z);   da = [dr', dz', da_n]
    dh_{t-1} = dh z + W^T de

Shapes: U (3m, K), W (3m, m), b (3m, 1), b_n (m, 1), V (K, m), c (K, 1); state h (m, B).
"""
import numpy as np

from helpers import layers
from helpers.models.lstm import sigmoid

KEYS = ("U", "W", "b", "b_n", "V", "c")


def shapes(K, m):
    return {"U": (3 * m, K), "W": (3 * m, m), "b": (3 * m, 1), "b_n": (m, 1), "V": (K, m), "c": (K, 1)}


def init_params(K, m=100, sigma=0.01, rng=None, dtype=np.float64):
    """U, W, V ~ N(0, sigma^2); the biases b, b_n, c start at 0."""
    return layers.random_params(shapes(K, m), ("U", "W", "V"), sigma, rng, dtype)


def zero_state(params, B=1):
    return np.zeros((params["W"].shape[1], B), dtype=params["W"].dtype)


def forward(params, X, state):
    """Gates and hidden states for B streams. X: (tau, B) int; state: h0 (m, B).

    Returns cache (A (tau, B, 3m) holding r, z, n; E (tau, B, m) = e_n; H (tau+1, B, m)), the
    output scores O (tau*B, K) and the last state (m, B).
    """
    U, W, b = params["U"], params["W"], params["b"]
    tau, B = X.shape
    m = W.shape[1]
    A = U.T[X]                                   # U x_t as a row lookup: (tau, B, 3m)
    A += b[:, 0]
    H = np.empty((tau + 1, B, m), dtype=W.dtype)
    E = np.empty((tau, B, m), dtype=W.dtype)
    H[0] = state.T
    WT, b_n = W.T, params["b_n"][:, 0]
    for t in range(tau):
        a, e = A[t], np.dot(H[t], WT)            # the one fused gate product of the step
        a[:, :2 * m] += e[:, :2 * m]
        sigmoid(a[:, :2 * m], out=a[:, :2 * m])  # r, z
        np.add(e[:, 2 * m:], b_n, out=E[t])
        r, z, n = a[:, :m], a[:, m:2 * m], a[:, 2 * m:]
        n += r * E[t]
        np.tanh(n, out=n)
        np.subtract(H[t], n, out=H[t + 1])       # h = n + z (h_prev - n)
        H[t + 1] *= z
        H[t + 1] += n
    O = np.dot(H[1:].reshape(tau * B, m), params["V"].T)
    O += params["c"][:, 0]
    return (A, E, H), O, H[-1].T.copy()


def backward(params, X, cache, G, out):
    """Gradients into `out` from G = dL/dO (tau*B, K), already divided by B."""
    W, V = params["W"], params["V"]
    A, E, H = cache
    tau, B = X.shape
    m = W.shape[1]
    # BEGIN SOLUTION E11: every gradient into out, back from G through the outputs and through time
    # HINT: dh_t has two sources (the output at t and step t+1), and h_{t-1} reaches h_t through z too.
    # HINT: r scales e_n = W_n h_{t-1} + b_n, so dW_n and db_n receive da_n * r; E in the cache holds e_n.
    # HINT: layers.input_grads turns the gradients of U x_t + b into dU and db.
    np.dot(G.T, H[1:].reshape(tau * B, m), out=out["V"])
    np.sum(G, axis=0, out=out["c"][:, 0])
    dHo = np.dot(G, V).reshape(tau, B, m)
    dA, dE = np.empty_like(A), np.empty_like(A)   # into U x + b, and into W h (+ b_n)
    dh = np.zeros((B, m), dtype=W.dtype)
    for t in reversed(range(tau)):
        r, z, n = A[t][:, :m], A[t][:, m:2 * m], A[t][:, 2 * m:]
        da, de = dA[t], dE[t]
        dh += dHo[t]
        np.multiply(dh * (1.0 - z), 1.0 - n * n, out=da[:, 2 * m:])          # da_n
        np.multiply(da[:, 2 * m:] * E[t], r * (1.0 - r), out=da[:, :m])      # dr'
        np.multiply(dh * (H[t] - n), z * (1.0 - z), out=da[:, m:2 * m])      # dz'
        de[:, :2 * m] = da[:, :2 * m]
        np.multiply(da[:, 2 * m:], r, out=de[:, 2 * m:])
        dh = dh * z + np.dot(de, W)
    dE = dE.reshape(tau * B, 3 * m)
    np.dot(dE.T, H[:-1].reshape(tau * B, m), out=out["W"])     # all of dW in one product
    np.sum(dE[:, 2 * m:], axis=0, out=out["b_n"][:, 0])
    layers.input_grads(dA.reshape(tau * B, 3 * m), X, V.shape[0], out)
    # END SOLUTION
    return out


def gates(cache):
    """{gate: (tau, B, m)} activations from a forward cache, for looking inside."""
    A, m = cache[0], cache[0].shape[-1] // 3
    return {"reset": A[..., :m], "update": A[..., m:2 * m]}


def cells(cache):
    """A GRU has no cell state apart from h."""
    return None


# The rest of the interface (see helpers.models), derived from forward and backward as for every model.
loss_and_grads, outputs, step, surprisal, loss_per_char = layers.interface(forward, backward, zero_state)


def from_torch(gru, linear):
    """Our parameters from torch.nn.GRU(K, m) (one layer) and torch.nn.Linear(m, K).

    PyTorch orders the gates r, z, n. Its two biases add for r and z; for n, b_hn sits inside
    the reset gate's product, so it is kept apart as b_n.
    """
    return layers.from_torch(gru, linear, KEYS, apart="b_n")


def to_torch(params):
    """(torch.nn.GRU, torch.nn.Linear) in float64 holding these parameters (b_n as b_hn)."""
    import torch
    K, m = params["V"].shape
    return layers.to_torch(torch.nn.GRU(K, m), params, apart="b_n")


def torch_grads(gru, linear):
    """Gradients after backward() on PyTorch modules, in our layout (b_n's sits in b_hh)."""
    return layers.from_torch(gru, linear, KEYS, grads=True, apart="b_n")
