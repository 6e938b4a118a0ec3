"""A long short-term memory (LSTM) character model, in the course's notation, PyTorch's gate order.

    a_t = W h_{t-1} + U x_t + b                 (4m,): one fused product for the four gates
    i_t = sigma(a_i)   f_t = sigma(a_f)   g_t = tanh(a_g)   o_t = sigma(a_o)
    c_t = f_t * c_{t-1} + i_t * g_t             the cell: a sum, so gradients pass through f
    h_t = o_t * tanh(c_t)
    s_t = V h_t + c_out,  p_t = softmax(s_t),  L = -sum_t log p_t[y_t]

Backward, with dh_t from the output and from step t+1, and dc_t from step t+1:
    do = dh * tanh(c_t);   dc = dc_{t+1} + dh * o * (1 - tanh^2(c_t))
    di = dc * g;   dg = dc * i;   df = dc * c_{t-1};   dc_t-1 = dc * f
    da = [di i(1-i), df f(1-f), dg (1-g^2), do o(1-o)];   dh_{t-1} = W^T da

Shapes: U (4m, K), W (4m, m), b (4m, 1), V (K, m), c (K, 1); state (h, c), each (m, B).
"""
import numpy as np

from helpers import layers

KEYS = ("U", "W", "b", "V", "c")
GATES = 4


def shapes(K, m):
    return {"U": (4 * m, K), "W": (4 * m, m), "b": (4 * m, 1), "V": (K, m), "c": (K, 1)}


def init_params(K, m=100, sigma=0.01, rng=None, dtype=np.float64):
    """U, W, V ~ N(0, sigma^2), c = 0, b = 0 except the forget gate's bias, which starts at 1:
    a cell then keeps most of its content from the start, so gradients reach far back in time
    before the network has learned to open the gate (Jozefowicz et al., 2015)."""
    params = layers.random_params(shapes(K, m), ("U", "W", "V"), sigma, rng, dtype)
    params["b"][m:2 * m] = 1.0
    return params


def zero_state(params, B=1):
    m = params["W"].shape[1]
    return (np.zeros((m, B), dtype=params["W"].dtype), np.zeros((m, B), dtype=params["W"].dtype))


def sigmoid(a, out=None):
    """1 / (1 + exp(-a)), computed as (1 + tanh(a/2)) / 2: one pass, no overflow."""
    out = np.multiply(a, 0.5, out=out)
    np.tanh(out, out=out)
    out += 1.0
    out *= 0.5
    return out


def forward(params, X, state):
    """Gates, cells and hidden states for B streams. X: (tau, B) int; state: (h, c), each (m, B).

    Returns cache (Gates (tau, B, 4m) activated, C (tau+1, B, m), T (tau, B, m) = tanh C[1:],
    H (tau+1, B, m)), the output scores O (tau*B, K) and the last state.
    """
    U, W, b = params["U"], params["W"], params["b"]
    tau, B = X.shape
    m = W.shape[1]
    A = U.T[X]                                   # U x_t as a row lookup: (tau, B, 4m)
    A += b[:, 0]
    H = np.empty((tau + 1, B, m), dtype=W.dtype)
    C, T = np.empty_like(H), np.empty((tau, B, m), dtype=W.dtype)
    H[0], C[0] = state[0].T, state[1].T
    WT = W.T
    for t in range(tau):
        a = A[t]
        a += np.dot(H[t], WT)                    # the one fused gate product of the step
        sigmoid(a[:, :2 * m], out=a[:, :2 * m])  # i, f
        np.tanh(a[:, 2 * m:3 * m], out=a[:, 2 * m:3 * m])
        sigmoid(a[:, 3 * m:], out=a[:, 3 * m:])
        i, f, g, o = a[:, :m], a[:, m:2 * m], a[:, 2 * m:3 * m], a[:, 3 * m:]
        np.multiply(f, C[t], out=C[t + 1])
        C[t + 1] += i * g
        np.tanh(C[t + 1], out=T[t])
        np.multiply(o, T[t], out=H[t + 1])
    O = np.dot(H[1:].reshape(tau * B, m), params["V"].T)
    O += params["c"][:, 0]
    return (A, C, T, H), O, (H[-1].T.copy(), C[-1].T.copy())


def backward(params, X, cache, G, out):
    """Gradients into `out` from G = dL/dO (tau*B, K), already divided by B."""
    W, V = params["W"], params["V"]
    A, C, T, H = cache
    tau, B = X.shape
    m = W.shape[1]
    # BEGIN SOLUTION E10: every gradient into out, back from G through the outputs and through time
    # HINT: dh_t has two sources (the output at t and step t+1), dc_t too (c_{t+1} and h_t).
    # HINT: the gate activations i, f, g, o are in the cache; sigma'(a) = s(1 - s), tanh'(a) = 1 - t^2.
    # HINT: layers.input_grads turns the gradients of U x_t + b into dU and db.
    np.dot(G.T, H[1:].reshape(tau * B, m), out=out["V"])
    np.sum(G, axis=0, out=out["c"][:, 0])
    dHo = np.dot(G, V).reshape(tau, B, m)        # what the outputs send back to each h_t
    dA = np.empty_like(A)
    dh, dc = np.zeros((B, m), dtype=W.dtype), np.zeros((B, m), dtype=W.dtype)
    for t in reversed(range(tau)):
        a, da = A[t], dA[t]
        i, f, g, o = a[:, :m], a[:, m:2 * m], a[:, 2 * m:3 * m], a[:, 3 * m:]
        dh += dHo[t]
        np.multiply(dh, T[t], out=da[:, 3 * m:])                  # do
        dc += dh * o * (1.0 - T[t] * T[t])
        np.multiply(dc, g, out=da[:, :m])                         # di
        np.multiply(dc, C[t], out=da[:, m:2 * m])                 # df
        np.multiply(dc, i, out=da[:, 2 * m:3 * m])                # dg
        dc *= f                                                   # to c_{t-1}
        da[:, :2 * m] *= a[:, :2 * m] * (1.0 - a[:, :2 * m])      # through sigma (i, f)
        da[:, 2 * m:3 * m] *= 1.0 - g * g                         # through tanh (g)
        da[:, 3 * m:] *= o * (1.0 - o)                            # through sigma (o)
        dh = np.dot(da, W)
    dA = dA.reshape(tau * B, 4 * m)
    np.dot(dA.T, H[:-1].reshape(tau * B, m), out=out["W"])     # all of dW in one product
    layers.input_grads(dA, X, V.shape[0], out)
    # END SOLUTION
    return out


def gates(cache):
    """{gate: (tau, B, m)} activations from a forward cache, for looking inside."""
    A, m = cache[0], cache[0].shape[-1] // 4
    return {"input": A[..., :m], "forget": A[..., m:2 * m], "output": A[..., 3 * m:]}


def cells(cache):
    """The cell states c_1..c_tau, (tau, B, m), from a forward cache."""
    return cache[1][1:]


# The rest of the interface (see helpers.models), derived from forward and backward as for every model.
loss_and_grads, outputs, step, surprisal, loss_per_char = layers.interface(forward, backward, zero_state)


def from_torch(lstm, linear):
    """Our parameters from torch.nn.LSTM(K, m) (one layer) and torch.nn.Linear(m, K); PyTorch's
    gate order i, f, g, o is ours, and its two biases add."""
    return layers.from_torch(lstm, linear, KEYS)


def to_torch(params):
    """(torch.nn.LSTM, torch.nn.Linear) in float64 holding these parameters (b as b_ih, b_hh = 0)."""
    import torch
    K, m = params["V"].shape
    return layers.to_torch(torch.nn.LSTM(K, m), params)


def torch_grads(lstm, linear):
    """Gradients after backward() on PyTorch modules, in our layout (dL/db = dL/db_ih)."""
    return layers.from_torch(lstm, linear, KEYS, grads=True)
