"""A language model is a compressor: a trained character model's predictions, fed to an
arithmetic coder, turn its bits per character into a real file that decodes byte for byte.

    data = encode("checkpoints/<run>/gated_best.npz", text)     # bytes
    text == decode("checkpoints/<run>/gated_best.npz", data)
    len(data) <= bound_bytes("checkpoints/<run>/gated_best.npz", text)

Any checkpoint of helpers.checkpoint (rnn, lstm or gru) works through the model registry. The
first character is coded under the uniform distribution over the K characters; every later one
under the model's softmax after the characters before it (helpers.compress.predictor). A text
must use only the model's characters: another is an error naming it and its position.
Files: helpers.compress.container; the coder: helpers.compress.coder; the command line:
`python -m helpers.compress encode|decode CHECKPOINT IN OUT`.
"""
import math
import os
import zlib

import numpy as np
from tqdm.auto import tqdm

from helpers import models
from helpers.compress import container, predictor
from helpers.compress.coder import Decoder, Encoder
from helpers.compress.container import CompressError

PROGRESS_FROM = 20_000    # characters: shorter texts take a second or less, with no bar
SLACK, HEADROOM = 1e-3, 16  # the bound: the model's surprisal plus 0.1 %, plus 16 bytes


def _model(checkpoint_path):
    """(name, params, vocab) of the checkpoint, or a one-line CompressError naming it."""
    try:
        return predictor.load(checkpoint_path)
    except ValueError as e:
        raise CompressError(str(e)) from None    # load_model's message names the file


def _ids(text, vocab, checkpoint_path, source):
    """text as (n,) int ids; the first character outside the vocabulary is a CompressError."""
    try:
        return vocab.encode(text)
    except ValueError:
        pos, ch = next((i, ch) for i, ch in enumerate(text) if ch not in vocab.char_to_ind)
        raise CompressError(f"{source}: character {ch!r} (U+{ord(ch):04X}) at position {pos:,} is not "
                            f"in the vocabulary of {checkpoint_path}") from None


def _bar(n, progress, what):
    """A tqdm bar over n characters: on long texts unless progress is False or TQDM_DISABLE is set."""
    quiet = os.environ.get("TQDM_DISABLE", "") not in ("", "0")   # tqdm's widget ignores it
    show = n >= PROGRESS_FROM if progress is None else progress
    return tqdm(total=n, desc=what, unit="char", unit_scale=True, disable=quiet or not show,
                mininterval=1.0)


def encode(checkpoint_path, text, source="text", progress=None):
    """The compressed file's bytes for `text` (str) under the model in `checkpoint_path`.

    source names the text in error messages; progress: None shows a bar on long texts."""
    name, params, vocab = _model(checkpoint_path)
    ids = _ids(text, vocab, checkpoint_path, source).tolist()
    model, coder = predictor.Predictor(name, params), Encoder()
    f = model.first()
    with _bar(len(ids), progress, "encoding") as bar:
        for t, x in enumerate(ids):
            cum = int(f[:x].sum())
            coder.encode(cum, cum + int(f[x]), predictor.TOTAL)
            if t + 1 < len(ids):                 # the last character predicts nothing
                f = model.after(x)
            bar.update(1)
    digest = predictor.digest(name, params, vocab)
    return container.pack(digest, len(ids), zlib.crc32(text.encode("utf-8")), coder.finish())


def decode(checkpoint_path, data, source="data", progress=None):
    """The text (str) of the compressed file's bytes `data`, under the model that encoded it.

    A file from another checkpoint, a damaged or a truncated one is a one-line CompressError."""
    name, params, vocab = _model(checkpoint_path)
    digest, n, crc, payload = container.unpack(bytes(data), predictor.DIGEST_BYTES, source)
    if digest != predictor.digest(name, params, vocab):
        raise CompressError(f"{source}: was not encoded with the model in {checkpoint_path}")
    try:      # a damaged count n runs the decoder past the end of the data: an EOFError
        ids = _decode_ids(predictor.Predictor(name, params), Decoder(payload), n, progress)
    except EOFError:
        raise CompressError(f"{source}: damaged or truncated: its coded characters end too soon") from None
    text = vocab.decode(ids)
    if zlib.crc32(text.encode("utf-8")) != crc:
        raise CompressError(f"{source}: damaged: the decoded text does not match its checksum")
    return text


def _decode_ids(model, coder, n, progress):
    """n character ids read from `coder`, each table from the same `model` calls as `encode`'s."""
    ids, f = [], model.first()
    with _bar(n, progress, "decoding") as bar:
        for t in range(n):
            cum = np.cumsum(f)
            x = int(np.searchsorted(cum, coder.target(predictor.TOTAL), side="right"))
            coder.consume(int(cum[x] - f[x]), int(cum[x]), predictor.TOTAL)
            ids.append(x)
            if t + 1 < n:
                f = model.after(x)
            bar.update(1)
    return ids


def bound_bytes(checkpoint_path, text):
    """The size in bytes that `encode`'s file must not exceed: the model's summed surprisal on
    `text` in bytes (the first character uniform over K: log2 K bits, as the coder does it),
    plus 0.1 %, plus 16 bytes for the header and the coder's end."""
    name, params, vocab = _model(checkpoint_path)
    ids = _ids(text, vocab, checkpoint_path, "text")
    if len(ids) == 0:
        return float(HEADROOM)
    bits = math.log2(len(vocab)) + float(models.get(name).surprisal(params, ids).sum())
    return bits / 8 * (1 + SLACK) + HEADROOM


__all__ = ["encode", "decode", "bound_bytes", "CompressError"]
