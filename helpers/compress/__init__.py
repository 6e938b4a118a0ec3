"""A language model is a compressor: a trained character model's predictions, fed to an
arithmetic coder, turn its bits per character into a real file that decodes byte for byte.

    data = encode("checkpoints/<run>/gated_best.npz", text)     # bytes
    text == decode("checkpoints/<run>/gated_best.npz", data)
    len(data) <= bound_bytes("checkpoints/<run>/gated_best.npz", text)

Any checkpoint of helpers.checkpoint (rnn, lstm or gru) works through the model registry. The
first character is coded under the uniform distribution over the K characters; every later one
under the model's softmax after the characters before it (helpers.compress.predictor). A text
must use only the model's characters: another is an error naming it and its position.
With `adapt`, a dynamic-evaluation setting {eta, segment, rule, decay} (helpers.compress.dynamic),
the model learns from the text as it codes it, one step after each segment, and the decoder,
reading the setting from the file, learns the same (helpers.compress.adaptive):

    data = encode("checkpoints/<run>/gated_best.npz", text, adapt=dict(eta=1e-3, segment=50, rule="rms"))

Files: helpers.compress.container; the coder: helpers.compress.coder; the command line:
`python -m helpers.compress encode|decode CHECKPOINT IN OUT [--adapt eta=...]`.
"""
import contextlib
import math
import os
import zlib

import numpy as np
from tqdm.auto import tqdm

from helpers import models
from helpers.compress import adaptive, container, dynamic, predictor
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


def encode(checkpoint_path, text, source="text", progress=None, adapt=None):
    """The compressed file's bytes for `text` (str) under the model in `checkpoint_path`.

    source names the text in error messages; progress: None shows a bar on long texts; adapt: None
    for the static coder, or a setting {eta, segment, rule, decay} to learn as it codes."""
    adapt = None if adapt is None else adaptive.setting(adapt)
    name, params, vocab = _model(checkpoint_path)
    ids = _ids(text, vocab, checkpoint_path, source).tolist()
    model, coder = _predictor(name, params, adapt), Encoder()
    f = model.first()
    diverged = adapt and f"adapt: the model diverges with eta = {adapt['eta']:g}: its predictions are not finite"
    with _bar(len(ids), progress, "encoding") as bar, _diverging(diverged):
        for t, x in enumerate(ids):
            cum = int(f[:x].sum())
            coder.encode(cum, cum + int(f[x]), predictor.TOTAL)
            if t + 1 < len(ids):                 # the last character predicts nothing
                f = model.after(x)
            bar.update(1)
    digest = predictor.digest(name, params, vocab)
    return container.pack(digest, len(ids), zlib.crc32(text.encode("utf-8")), coder.finish(), adapt)


def _predictor(name, params, adapt):
    """The static predictor, or with a setting `adapt` the adaptive one."""
    return predictor.Predictor(name, params) if adapt is None else adaptive.Predictor(name, params, adapt)


@contextlib.contextmanager
def _diverging(message):
    """A model whose learning diverged gives non-finite scores, which `frequencies` refuses with a
    ValueError: that becomes the one-line CompressError `message` (None: a static model, which
    cannot diverge, raises as it is). Overflow on the way stays quiet."""
    with np.errstate(over="ignore", invalid="ignore"):
        try:
            yield
        except ValueError as e:
            if message is None or isinstance(e, CompressError):
                raise
            raise CompressError(message) from None


def decode(checkpoint_path, data, source="data", progress=None):
    """The text (str) of the compressed file's bytes `data`, under the model that encoded it.

    A file from another checkpoint, a damaged or a truncated one is a one-line CompressError."""
    name, params, vocab = _model(checkpoint_path)
    data = bytes(data)
    digest, n, crc, adapt, payload = container.unpack(data, predictor.DIGEST_BYTES, source)
    mine = predictor.digest(name, params, vocab)
    try:
        text, used = _decoded(name, params, vocab, (n, crc, adapt, payload), progress, source)
    except CompressError:
        if digest != mine:
            raise CompressError(f"{source}: not written by this model (the one in {checkpoint_path})") from None
        raise
    if digest != mine:               # it decodes to its checksum: only the digest bytes were damaged
        raise container.digest_damaged(data, mine, source)
    container.check_end(data, payload, used, source)
    return text


def _decoded(name, params, vocab, body, progress, source):
    """(text, bytes of the payload the coder wrote) of a file's (n, crc, adapt, payload); a one-line
    CompressError when it ends too soon or its text does not match its checksum."""
    n, crc, adapt, payload = body
    coder = Decoder(payload)
    try:      # a damaged count n runs the decoder past the end of the data: an EOFError
        with _diverging(adapt and f"{source}: damaged: its adaptive setting makes the model diverge"):
            ids = _decode_ids(_predictor(name, params, adapt), coder, n, progress)
    except EOFError:
        raise CompressError(f"{source}: damaged or truncated: its coded characters end too soon") from None
    try:
        text = vocab.decode(ids)
    except (IndexError, ValueError):    # another model's vocabulary
        raise CompressError(f"{source}: damaged: it decodes to characters outside the vocabulary") from None
    if zlib.crc32(text.encode("utf-8")) != crc:
        raise CompressError(f"{source}: damaged: the decoded text does not match its checksum")
    return text, coder.written()


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


def bound_bytes(checkpoint_path, text, adapt=None):
    """The size in bytes that `encode`'s file must not exceed: the model's summed surprisal on
    `text` in bytes (the first character uniform over K: log2 K bits, as the coder does it),
    plus 0.1 %, plus 16 bytes for the header and the coder's end. With `adapt`, the surprisal is
    dynamic evaluation's with that setting (dynamic.surprisal), plus the setting's header bytes."""
    name, params, vocab = _model(checkpoint_path)
    ids = _ids(text, vocab, checkpoint_path, "text")
    extra = 0 if adapt is None else container.setting_bytes(adaptive.setting(adapt))
    if len(ids) == 0:
        return float(HEADROOM + extra)
    if adapt is None:
        bits = models.get(name).surprisal(params, ids)
    else:
        bits = dynamic.surprisal(name, params, ids, **adaptive.setting(adapt))
    return (math.log2(len(vocab)) + float(bits.sum())) / 8 * (1 + SLACK) + HEADROOM + extra


__all__ = ["encode", "decode", "bound_bytes", "CompressError"]
