"""The character models by name, behind one interface that training, sampling, scoring,
checkpoints, gradient checks and the benchmark share. This folder holds the gated cells (lstm,
gru); the course's RNN is helpers.rnn, at the top, where the assignment is.

Every model module (rnn, lstm, gru) writes its cell as one pair, with one contract (helpers.layers):
    forward(params, X, state) -> (cache, O, last)
                                           X (tau, B) int; O (tau*B, K) scores; last: the state after
                                           the last step; cache: what backward needs
    backward(params, X, cache, G, out)     the gradients from G = dL/dO (tau*B, K), already divided
                                           by B, written into the dict out (keys of params)
and provides (loss_and_grads to loss_per_char derived from that pair by layers.interface):
    KEYS, shapes(K, m)                     parameter names and their shapes
    init_params(K, m, sigma, rng, dtype)   initial parameters
    zero_state(params, B)                  the state before the first character: (m, B) arrays
    loss_and_grads(params, x, y, state)    the summed loss (softmax cross-entropy, helpers.loss),
                                           its gradients and the last state
    outputs(params, X, state)              scores O (tau*B, K) for X (tau, B), and the last state
    step(params, x, state)                 one character's scores (K,), and the new state
    surprisal(params, ids), loss_per_char  bits for ids[1:], one pass from the zero state
    from_torch(module, linear)             parameters from the matching PyTorch modules
    to_torch(params)                       the matching PyTorch modules holding these parameters
    torch_grads(module, linear)            gradients of the PyTorch modules, in our layout
The gated models also give gates(cache) and cells(cache), to look inside (helpers.inside).
A state is one array (rnn, gru) or a tuple of arrays (lstm: h and c), each (m, B).
"""
import numpy as np

from helpers.models import gru, lstm

from helpers import rnn

MODELS = {"rnn": rnn, "lstm": lstm, "gru": gru}


def get(name):
    """The module of model `name`, or a ValueError that lists the choices."""
    if name not in MODELS:
        raise ValueError(f"model must be one of {', '.join(MODELS)}; got {name!r}")
    return MODELS[name]


def check_shapes(name, params):
    """Raise ValueError naming the first parameter whose shape does not fit model `name`."""
    module = get(name)
    if "V" not in params or np.ndim(params["V"]) != 2:
        raise ValueError(f"parameters of a {name} need V of shape (K, m)")
    expected = module.shapes(*params["V"].shape)
    for k, shape in expected.items():
        got = np.shape(params[k]) if k in params else None
        if got != shape:
            raise ValueError(f"{name} parameter {k} has shape {got}, expected {shape}")


def count(params):
    """How many numbers the model learns."""
    return sum(int(v.size) for v in params.values())


def first_stream(state):
    """Stream 0's part of a state: each array's first column, (m, 1)."""
    return tuple(a[:, :1].copy() for a in state) if isinstance(state, tuple) else state[:, :1].copy()


def pack(state):
    """A state as one array, to save: (m, B), or (parts, m, B) for a tuple."""
    return np.stack(state) if isinstance(state, tuple) else state


def unpack(array, like):
    """The inverse of `pack`, shaped like the state `like`."""
    return tuple(np.array(a) for a in array) if isinstance(like, tuple) else np.array(array)
