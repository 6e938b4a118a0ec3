"""General-purpose compressors as language models: a compressor that makes a text short predicts it
well, and its compressed size is a score in bits per character like a model's (Shannon).

A compressor's score on a text, *conditioned* on a context (the training part), is what the text
adds to the compressed context:

    bits/char = 8 * (len(c(context + text)) - len(c(context))) / chars(text)       (UTF-8 bytes)

zstd is given the context as a raw-content dictionary instead, and scores 8 len(c_dict(text)) /
chars(text). How much of the context a compressor can use is its window (gzip's 32 KB, bz2's
900 kB blocks) or its memory (PPMd); `sees` says it in one line. len(c(context)) is the expensive
part and is computed once per compressor, setting and context.
"""
import bz2
import lzma
import time
import zlib
from functools import lru_cache

import pyppmd
import zstandard

XZ_DICT = 64 << 20                      # preset 9's dictionary: 64 MiB
ZSTD_WINDOW = 27                        # log2 of zstd's window: 128 MiB, more than any context here

NAMES = {"gzip": "gzip", "bz2": "bzip2", "xz": "xz", "zstd": "zstd", "ppmd": "PPMd"}   # as tables and prose write them

# name -> settings tried on the validation part: (label, {parameter: value})
GRID = {
    "gzip": [("level 9", {"level": 9})],
    "bz2": [("level 9", {"level": 9})],
    "xz": [("preset 9, extreme", {})],
    "zstd": [("level 3", {"level": 3}), ("level 19", {"level": 19})],
    "ppmd": [("order 6, 256 MB", {"order": 6, "mb": 256}), ("order 8, 256 MB", {"order": 8, "mb": 256}),
             ("order 8, 32 MB", {"order": 8, "mb": 32})],
}
QUICK_GRID = {"gzip": GRID["gzip"], "bz2": GRID["bz2"], "xz": [("preset 6", {"preset": 6})],
              "zstd": GRID["zstd"][:1], "ppmd": [("order 4, 16 MB", {"order": 4, "mb": 16})]}


def compress(name, data, level=9, order=6, mb=16, preset=9 | lzma.PRESET_EXTREME):
    """The bytes of `data` (bytes) compressed by compressor `name` with the given setting."""
    if name == "gzip":
        return zlib.compress(data, level)
    if name == "bz2":
        return bz2.compress(data, level)
    if name == "xz":
        return lzma.compress(data, preset=preset)
    if name == "zstd":
        return zstandard.ZstdCompressor(level=level).compress(data)
    if name == "ppmd":
        return pyppmd.compress(data, max_order=order, mem_size=mb << 20)
    raise ValueError(f"compressor must be one of {', '.join(GRID)}; got {name!r}")


@lru_cache(maxsize=64)
def _context_bytes(name, setting, context):
    """len(c(context)): the part every conditioned score of this setting shares."""
    return len(compress(name, context, **dict(setting)))


def decompress(name, blob, level=9, order=6, mb=16, preset=None):
    """The inverse of `compress`, with the same setting."""
    if name == "ppmd":
        return pyppmd.decompress(blob, max_order=order, mem_size=mb << 20)
    if name == "zstd":
        return zstandard.ZstdDecompressor().decompress(blob)
    return {"gzip": zlib, "bz2": bz2, "xz": lzma}[name].decompress(blob)


@lru_cache(maxsize=1)
def _zstd_with(level, context):
    """A zstd compressor that has the context as a raw-content dictionary (built once)."""
    d = zstandard.ZstdCompressionDict(context, dict_type=zstandard.DICT_TYPE_RAWCONTENT)
    params = zstandard.ZstdCompressionParameters.from_level(level, window_log=ZSTD_WINDOW)
    return zstandard.ZstdCompressor(dict_data=d, compression_params=params)


def conditioned_bytes(name, setting, context, text):
    """Bytes `text` (bytes) adds to the compressed `context` (bytes); setting: {parameter: value}."""
    if name == "zstd":
        return len(_zstd_with(setting.get("level", 9), context).compress(text))
    return len(compress(name, context + text, **setting)) - _context_bytes(name, tuple(setting.items()), context)


def sees(name, setting, context_bytes):
    """One line: how much of a context of `context_bytes` bytes the compressor can use."""
    def share(window):
        return "all" if window >= context_bytes else f"the last {window / context_bytes:.1%}"
    if name == "gzip":
        return f"a 32 KB window: {share(32 << 10)} of the training text"
    if name == "bz2":
        block = setting.get("level", 9) * 100_000
        return (f"blocks of {block // 1000} kB compressed apart: " + (
            "the whole training text fits in the test text's block" if block >= context_bytes else
            f"at most {share(block)} of the training text, the part in the test text's own block"))
    if name == "xz":
        window = XZ_DICT if setting.get("preset", 9) >= 9 else 8 << 20
        return f"{'an' if str(window >> 20)[0] == '8' else 'a'} {window >> 20} MiB dictionary: {share(window)} of the training text"
    if name == "zstd":
        return "the training text as a raw-content dictionary: all of it"
    return (f"contexts of up to {setting['order']} bytes, statistics of all of the training text while they fit "
            f"in {setting['mb']} MB (then it starts afresh)")


def bits(nbytes, text):
    """Bits per character of `text` (str) from a size in bytes."""
    return 8 * nbytes / len(text)


def choose(context, text, grid=GRID):
    """{name: row} with the setting of each compressor that scores `text` (the validation part)
    best, conditioned on `context` (str). A row holds label, setting, val_bits (None where the
    grid holds one setting: nothing to choose, nothing compressed), seconds and sees."""
    ctx, data = context.encode(), text.encode()
    chosen = {}
    for name, settings in grid.items():
        start = time.perf_counter()
        tried = [(bits(conditioned_bytes(name, s, ctx, data), text) if len(settings) > 1 else None, label, s)
                 for label, s in settings]
        b, label, setting = min(tried, key=lambda t: t[0] or 0)
        chosen[name] = dict(label=label, setting=setting, val_bits=b, sees=sees(name, setting, len(ctx)),
                            seconds=time.perf_counter() - start, tried=len(tried))
    return chosen


def timed(f, *args, **kwargs):
    """(f(*args, **kwargs), seconds it took)."""
    start = time.perf_counter()
    out = f(*args, **kwargs)
    return out, time.perf_counter() - start


def score(context, text, chosen):
    """The rows of `choose` with test_bytes, test_bits (conditioned on `context`), and alone_bytes,
    encode_seconds, decode_seconds (`text` compressed by itself, round trip checked) added: each
    compressor scores `text` once, with its setting."""
    ctx, data = context.encode(), text.encode()
    rows = {}
    for name, row in chosen.items():
        n, seconds = timed(conditioned_bytes, name, row["setting"], ctx, data)
        blob, encode = timed(compress, name, data, **row["setting"])
        back, decode = timed(decompress, name, blob, **row["setting"])
        if back != data:
            raise RuntimeError(f"{name} did not give the text back")
        rows[name] = dict(row, test_bytes=n, test_bits=bits(n, text), alone_bytes=len(blob),
                          encode_seconds=encode, decode_seconds=decode, seconds=row["seconds"] + seconds)
    return rows
