"""A trained character model as the coder's source of frequency tables, one character at a time.

Encoder and decoder must see *identical* integer tables. A batched pass (`outputs` over many
characters) and a stepped one (`step`, one character) add up the same products in different
orders, so their probabilities can differ in the last bits, and a probability that lies on a
rounding boundary of `frequencies` would then give two different tables. So both sides call the
same `Predictor.after`, one character at a time, in the same process's arithmetic: the tables
agree bit for bit. (A file is therefore decoded with the same numpy build and CPU kernels as a
rule; another machine's BLAS may sum in another order.)

The first character has no context: it is coded under the uniform table over the K characters
(log2 K bits), and `bound_bytes` counts it the same way. helpers.compress.adaptive's Predictor is
this one learning as it reads, with the same calls on both sides.
"""
import hashlib

import numpy as np

from helpers import checkpoint, models
from helpers.compress.coder import TOTAL, frequencies

DIGEST_BYTES = 4


class Predictor:
    """Frequency tables (K,) int64 from model `name` with `params`: `first()` for the first
    character, `after(x)` for the one after character x (an int id), the state carried along."""

    def __init__(self, name, params):
        self.module, self.params = models.get(name), params
        self.K = params["V"].shape[0]
        self.state = self.module.zero_state(params, 1)

    def first(self):
        """The table for the first character: uniform, as nothing comes before it."""
        return frequencies(np.full(self.K, 1.0 / self.K), TOTAL)

    def after(self, x):
        """The table for the character after x: one step of the model, then its softmax."""
        o, self.state = self.module.step(self.params, x, self.state)
        return frequencies(np.exp(o - o.max()), TOTAL)   # softmax: `frequencies` normalises


def digest(name, params, vocab):
    """DIGEST_BYTES bytes of SHA-256 over what decoding depends on: the model's name, its
    vocabulary and its parameters as float64 (not the file's bytes, so re-saving keeps it)."""
    h = hashlib.sha256(name.encode())
    h.update(np.array([ord(ch) for ch in vocab.chars], dtype="<u4").tobytes())
    for key in models.get(name).KEYS:
        h.update(key.encode())
        h.update(np.ascontiguousarray(params[key], dtype="<f8").tobytes())
    return h.digest()[:DIGEST_BYTES]


def load(path):
    """(name, params, vocab) of the model checkpoint at `path` (helpers.checkpoint's format).

    Raises ValueError naming the file when it is missing or not a model."""
    params, vocab, meta = checkpoint.load_model(path)
    return meta["model"], params, vocab
