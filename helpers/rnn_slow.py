"""The contracts of `helpers.rnn`'s fast path, rebuilt from the per-step reference.

A student copy (`make exercises`) cannot ship the vectorised forward, backward, loss_and_grads and
step, nor layers' softmax loss and surprisal: they would give exercises E1 and E2 away. There they call these functions instead, so that
training, sampling and scoring run on the student's own `forward_reference` and
`backward_reference`, stream by stream: slower (QUICK=1 helps), with the same shapes and results.
Nothing here computes a softmax, a tanh or a gradient itself.
"""
import numpy as np

from helpers.rnn_reference import backward_reference, forward_reference, loss_and_grads_reference


def _stacked(columns, tau):
    """(tau, rows) array from the dict of (rows, 1) columns {0: .., tau-1: ..}."""
    return np.hstack([columns[t] for t in range(tau)]).T


def forward(params, X, h0):
    """`rnn.forward`'s contract: X (tau, B) int, h0 (m, B) -> H (tau+1, B, m) with H[0] = h0.T,
    O (tau*B, K) scores shifted so each row's maximum is 0, P (tau*B, K), S (tau*B, 1)."""
    tau, B = X.shape
    m, K = params["U"].shape
    dtype = params["W"].dtype
    H = np.empty((tau + 1, B, m), dtype=dtype)
    O, P = np.empty((tau, B, K), dtype=dtype), np.empty((tau, B, K), dtype=dtype)
    H[0] = h0.T
    for s in range(B):
        _, cache = forward_reference(params, X[:, s], X[:, s], h0[:, [s]])   # the loss is not used
        H[1:, s] = _stacked(cache["hs"], tau)
        O[:, s], P[:, s] = _stacked(cache["scores"], tau), _stacked(cache["ps"], tau)
    O, P = O.reshape(tau * B, K), P.reshape(tau * B, K)
    O -= O.max(axis=1, keepdims=True)
    S = 1.0 / P.max(axis=1, keepdims=True)      # the top score is now 0: its probability is e^0 / S
    return H, O, P, S


def _mean_grads(params, out, B, grads_of):
    """The mean over streams s = 0..B-1 of grads_of(s) (a dict keyed as params), written into
    `out` (new arrays when None)."""
    out = {k: np.empty_like(v) for k, v in params.items()} if out is None else out
    for v in out.values():
        v[...] = 0.0
    for s in range(B):
        grads = grads_of(s)
        for k in out:
            out[k] += grads[k] / B
    return out


def backward(params, X, Y, H, P, out=None):
    """`rnn.backward`'s contract: the gradients of the mean over the B streams of the summed
    loss. X, Y: (tau, B) int; H, P as `forward` returns them. The forward pass is run again from
    H[0], so that `backward_reference` gets the cache its own `forward_reference` made."""
    def grads_of(s):
        return backward_reference(params, forward_reference(params, X[:, s], Y[:, s], H[0, s][:, None])[1])
    return _mean_grads(params, out, X.shape[1], grads_of)


def loss_and_grads(params, x, y, h0, out=None):
    """`rnn.loss_and_grads`' contract: x, y (tau,) int with h0 (m, 1), or (B, tau) with h0 (m, B);
    loss and grads are the mean over streams. Returns loss, grads, h_last (m, 1) or (m, B)."""
    x, y = np.asarray(x), np.asarray(y)
    X, Y = (x, y) if x.ndim == 2 else (x[None], y[None])                   # (B, tau)
    B = len(X)
    losses, last = [], np.empty((h0.shape[0], B), dtype=h0.dtype)

    def grads_of(s):
        loss, grads, last[:, [s]] = loss_and_grads_reference(params, X[s], Y[s], h0[:, [s]])
        losses.append(loss / B)
        return grads
    out = _mean_grads(params, out, B, grads_of)
    return sum(losses), out, last


def step(params, x, h):
    """`rnn.step`'s contract: x int, h (m, 1) -> scores o (K,) for the next character, new h (m, 1)."""
    _, cache = forward_reference(params, [x], [x], h)                        # the loss is not used
    return cache["scores"][0][:, 0], cache["hs"][0]


def row_losses(O, y, grads=True):
    """(losses (n,), G (n, K) or None): -log softmax(O[i])[y[i]] for each row of the scores O
    (n, K), y (n,) int, and its gradient with respect to O[i] when `grads`.

    Each row is a one-step sequence of a network whose scores are that row: m = 1 and U, W, V, b
    zero, so that h stays 0 and o = c = O[i]; backward_reference's dL/dc is then dL/do."""
    n, K = O.shape
    params = {"U": np.zeros((1, K)), "W": np.zeros((1, 1)), "V": np.zeros((K, 1)), "b": np.zeros((1, 1))}
    losses, G = np.empty(n), np.empty((n, K)) if grads else None
    for i in range(n):
        params["c"] = np.asarray(O[i], dtype=np.float64)[:, None]
        losses[i], cache = forward_reference(params, [0], [int(y[i])], np.zeros((1, 1)))
        if grads:
            G[i] = backward_reference(params, cache)["c"][:, 0]
    return losses, G


def softmax_loss(O, y, B):
    """`layers.softmax_loss`' contract: (loss summed and divided by B, G = dL/dO / B written into O)."""
    losses, G = row_losses(O, y)
    O[...] = G / B
    return float(losses.sum()) / B, O
