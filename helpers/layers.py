"""What every character model here shares, so that each model writes only its cell.

A model (helpers.rnn, helpers.models.lstm, helpers.models.gru) gives its forward and backward
pass, with one contract for all three:

    forward(params, X, state) -> (cache, O, last)
        X (tau, B) int: tau steps of B streams; state: (m, B), or a tuple of them (the LSTM's h, c);
        O (tau*B, K) the output scores, row t*B + s for step t of stream s; last: the state after
        the last step; cache: what backward needs.
    backward(params, X, cache, G, out) -> out
        G (tau*B, K) = dL/dO, already divided by B; the gradients, keyed as params, written into out.

and `interface` derives the rest from them: the loss and its gradients (the softmax cross-entropy
of helpers.loss), the scores of a text, one step, the surprisal of every character.
"""
import math

import numpy as np

from helpers import loss


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


def input_grads(dA, X, K, out):
    """dU = sum_t da_t x_t^T (as one product with the one-hot inputs) and db = sum_t da_t, into out.

    dA: (tau*B, n) gradients of the pre-activations that U x_t + b feeds; X (tau, B) int.
    """
    onehot = np.zeros((dA.shape[0], K), dtype=dA.dtype)
    onehot[np.arange(dA.shape[0]), X.ravel()] = 1.0
    np.dot(dA.T, onehot, out=out["U"])
    np.sum(dA, axis=0, out=out["b"][:, 0])


def loss_and_grads(forward, backward, params, x, y, state, out=None):
    """The loss and gradients of the model whose forward and backward are given.

    x, y: (tau,) int with state arrays (m, 1) -- the course's single sequence; or (B, tau) int
    with state arrays (m, B) -- B streams, whose loss and gradients are the mean over streams of
    the summed loss, so that they stay in the course's unit.
    out: optional dict of arrays (keys of params) to write the gradients into.
    Returns loss (summed over tau), grads (keys of params), the last state.
    """
    x, y = np.asarray(x), np.asarray(y)
    X, Y = (x.T, y.T) if x.ndim == 2 else (x[:, None], y[:, None])
    cache, O, last = forward(params, X, state)
    value, G = loss.softmax_loss(O, Y.ravel(), X.shape[1])
    out = {k: np.empty_like(v) for k, v in params.items()} if out is None else out
    backward(params, X, cache, G, out)
    return value, out, last


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
        y = ids[s + 1:s + chunk + 1]
        O, state = outputs(params, ids[s:s + len(y)][:, None], state)
        bits[s:s + len(y)] = loss.cross_entropy(O.astype(np.float64), y) / math.log(2)
    return bits


def interface(forward, backward, zero_state):
    """(loss_and_grads, outputs, step, surprisal, loss_per_char): the functions every model
    derives from its forward, backward and zero_state (helpers.models lists them)."""

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
        """(len(ids) - 1,) bits of surprise for ids[1:], read in one pass from the zero state."""
        return surprisal(model_outputs, zero_state, params, ids, chunk)

    def model_loss_per_char(params, ids, chunk=2000):
        """Mean cross-entropy in nats per character of ids[1:] (e.g. the validation or test part)."""
        return float(np.mean(model_surprisal(params, ids, chunk))) * math.log(2)

    return model_loss_and_grads, model_outputs, model_step, model_surprisal, model_loss_per_char


def from_torch(net, head, keys, grads=False, apart=None):
    """Our parameters, ordered as `keys`, from a one-layer PyTorch `net` (nn.RNN, nn.LSTM, nn.GRU)
    and its `head` nn.Linear(m, K) (V, c); with `grads`, their gradients after backward().

    PyTorch adds two biases where we have b: their values add, and their gradients are the same.
    With `apart`, the key of our (m, 1) bias that PyTorch keeps in the last m rows of bias_hh
    (the GRU's b_n), those rows stay apart under it.
    """
    t = {name: (p.grad if grads else p).detach().double().numpy().copy()
         for module, prefix in ((net, ""), (head, "head")) for name, p in module.named_parameters(prefix)}
    b, b_hh, m = t["bias_ih_l0"], t["bias_hh_l0"], t["weight_hh_l0"].shape[1]
    shared = len(b_hh) - m if apart else len(b_hh)
    if not grads:
        b[:shared] += b_hh[:shared]
    params = {"U": t["weight_ih_l0"], "W": t["weight_hh_l0"], "b": b[:, None], "V": t["head.weight"],
              "c": t["head.bias"][:, None]}
    if apart:
        params[apart] = b_hh[shared:, None]
    return {k: params[k] for k in keys}


def to_torch(net, params, apart=None):
    """(net, head): the PyTorch module `net` in float64 holding these parameters (b as bias_ih,
    bias_hh zero but its last m rows, which hold params[apart] when given), and an
    nn.Linear(m, K) head holding V and c."""
    import torch
    K, m = params["V"].shape
    b_hh = np.zeros(params["b"].shape[0])
    if apart:
        b_hh[-m:] = params[apart][:, 0]
    net, head = net.double(), torch.nn.Linear(m, K).double()
    tensors = {"weight_ih_l0": params["U"], "weight_hh_l0": params["W"], "bias_ih_l0": params["b"][:, 0],
               "bias_hh_l0": b_hh, "weight": params["V"], "bias": params["c"][:, 0]}
    with torch.no_grad():
        for module in (net, head):
            for name, p in module.named_parameters():
                p.copy_(torch.as_tensor(tensors[name]))
    return net, head
