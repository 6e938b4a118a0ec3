"""What every character model here shares: initialisation, the softmax output with its
cross-entropy loss, and the input-weight gradients, so that each model writes only its cell.

Shapes: O, P, G (tau*B, K) for tau steps of B streams; X, Y (tau, B) int.
"""
import math

import numpy as np

from helpers import rnn_slow  # noqa: F401 (the student copy's fallbacks call rnn_slow)


def random_params(shapes, random_keys, sigma=0.01, rng=None, dtype=np.float64):
    """Zeros of `shapes` ({key: shape}), with `random_keys` drawn from N(0, sigma^2) in that order."""
    if not sigma > 0:
        raise ValueError(f"sigma must be positive, got {sigma}")
    if any(int(d) <= 0 for shape in shapes.values() for d in shape):
        raise ValueError(f"K and m must be positive, got shapes {shapes}")
    rng = np.random.default_rng(0) if rng is None else rng
    params = {k: np.zeros(s, dtype=dtype) for k, s in shapes.items()}
    for k in random_keys:
        params[k][...] = sigma * rng.standard_normal(shapes[k])
    return params


def softmax_loss(O, y, B):
    """(loss, G): the summed cross-entropy of scores O (tau*B, K) against y (tau*B,) int, divided
    by the B streams, and its gradient G = (softmax(O) - onehot(y)) / B. O is overwritten."""
    # BEGIN FAST E1 E2
    rows = np.arange(O.shape[0])
    O -= O.max(axis=1, keepdims=True)            # shift for a stable softmax
    o_y = O[rows, y].copy()
    np.exp(O, out=O)
    S = O.sum(axis=1, keepdims=True)
    loss = float(np.sum(np.log(S[:, 0]) - o_y)) / B   # log-sum-exp form: never log(0)
    O /= S
    O[rows, y] -= 1.0
    if B > 1:
        O /= B
    return loss, O
    # ELSE
    # return rnn_slow.softmax_loss(O, y, B)
    # END FAST


def input_grads(dA, X, K, out):
    """dU = sum_t da_t x_t^T (as one product with the one-hot inputs) and db = sum_t da_t, into out.

    dA: (tau*B, n) gradients of the pre-activations that U x_t + b feeds.
    """
    onehot = np.zeros((dA.shape[0], K), dtype=dA.dtype)
    onehot[np.arange(dA.shape[0]), X.ravel()] = 1.0
    np.dot(dA.T, onehot, out=out["U"])
    np.sum(dA, axis=0, out=out["b"][:, 0])


def loss_and_grads(forward, backward, params, x, y, state, out=None):
    """The contract every model's loss_and_grads keeps, given its forward and backward.

    x, y: (tau,) int with state arrays (m, 1), or (B, tau) int with state arrays (m, B).
    Returns loss (summed over tau, mean over streams), grads (keys of params), last state.
    """
    x, y = np.asarray(x), np.asarray(y)
    X, Y = (x.T, y.T) if x.ndim == 2 else (x[:, None], y[:, None])
    cache, O, last = forward(params, X, state)
    loss, G = softmax_loss(O, Y.ravel(), X.shape[1])
    out = {k: np.empty_like(v) for k, v in params.items()} if out is None else out
    backward(params, X, cache, G, out)
    return loss, out, last


def surprisal(outputs, zero_state, params, ids, chunk=2000):
    """Bits of surprise, -log2 p(ids[t+1] | ids[..t]), under the model whose `outputs` and
    `zero_state` are given: ids is read once, as one stream from the zero state, in chunks of
    `chunk` characters with the state carried across, so that every character is predicted from
    all the characters before it, exactly as stepping one character at a time would.

    ids: (n,) int. Returns (n - 1,) float64: the surprisal of ids[1:], in order.
    """
    ids = np.asarray(ids)
    bits = np.empty(max(len(ids) - 1, 0))
    state = zero_state(params, 1)
    for s in range(0, len(bits), chunk):
        X, y = ids[s:s + chunk][:, None], ids[s + 1:s + chunk + 1]
        X = X[:len(y)]
        O, state = outputs(params, X, state)
        O = O.astype(np.float64)
        # BEGIN FAST E1
        O -= O.max(axis=1, keepdims=True)
        bits[s:s + len(y)] = (np.log(np.exp(O).sum(axis=1)) - O[np.arange(len(y)), y]) / math.log(2)
        # ELSE
        # bits[s:s + len(y)] = rnn_slow.row_losses(O, y, grads=False)[0] / math.log(2)
        # END FAST
    return bits


def fill_torch(net, params, **tensors):
    """(net, head): the PyTorch module `net` (float64) with its parameters set from `tensors`
    ({name: array}), and a torch.nn.Linear(m, K) head holding V and c."""
    import torch
    K, m = params["V"].shape
    net, head = net.double(), torch.nn.Linear(m, K).double()
    with torch.no_grad():
        for name, value in tensors.items():
            getattr(net, name).copy_(torch.as_tensor(value))
        head.weight.copy_(torch.as_tensor(params["V"]))
        head.bias.copy_(torch.as_tensor(params["c"][:, 0]))
    return net, head


def gated_interface(forward, backward, zero_state):
    """The interface functions a model derives from its forward, backward and zero_state:
    (loss_and_grads, outputs, step, surprisal, loss_per_char), with the contracts of rnn's."""

    def model_loss_and_grads(params, x, y, state, out=None):
        """Loss summed over tau (mean over streams), gradients (keys of params), last state.

        x, y: (tau,) int with state arrays (m, 1); or (B, tau) with state arrays (m, B)."""
        return loss_and_grads(forward, backward, params, x, y, state, out)

    def model_outputs(params, X, state):
        """Scores O (tau*B, K) for X (tau, B) int, and the last state."""
        _, O, state = forward(params, X, state)
        return O, state

    def model_step(params, x, state):
        """One character: scores o (K,) for the next one, and the new state (arrays (m, 1))."""
        _, O, state = forward(params, np.array([[x]]), state)
        return O[0], state

    def model_surprisal(params, ids, chunk=2000):
        """Bits of surprise for every character of `ids`, as `layers.surprisal` reads them."""
        return surprisal(model_outputs, zero_state, params, ids, chunk)

    def model_loss_per_char(params, ids, chunk=2000):
        """Mean cross-entropy in nats per character of ids[1:] (e.g. the validation or test part)."""
        return float(np.mean(model_surprisal(params, ids, chunk))) * math.log(2)

    return model_loss_and_grads, model_outputs, model_step, model_surprisal, model_loss_per_char
