"""The compressed file: a header of a dozen bytes or so (18 more with an adaptive setting), then the coder's bytes.

    magic  b"LM" and a version byte: 1 static, 2 adaptive        3 bytes
    digest of the checkpoint (predictor.digest)                  4 bytes
    number of characters, a varint (7 bits a byte, low first)    1 byte below 128, 3 below 2 million
    CRC-32 of the text as UTF-8, to tell a damaged file          4 bytes
    version 2 only: the adaptive setting (helpers.compress.adaptive)
        rule, a byte: 0 sgd, 1 rms                               1 byte
        segment, a varint                                        1 byte below 128
        eta, then decay, float64 little-endian (exact)           16 bytes
    the arithmetic coder's bytes

The digest tells a file decoded with another checkpoint, the CRC a file whose coded bytes (or
setting) were damaged. A digest that differs is told apart from another checkpoint's by decoding
anyway: when the text's CRC then holds, only the digest was damaged (`digest_damaged`). Bytes
after those the coder wrote are damage too (`check_end`). Static files are written as version 1, as
they always were, so files written before the adaptive coder existed still decode.
"""
import math
import struct

MAGIC = b"LM"
VERSION, ADAPTIVE = 1, 2
RULES = ("sgd", "rms")      # the rule's byte is its place here: append, never reorder


class CompressError(ValueError):
    """A text, file or checkpoint the coder cannot use; the message is one line naming it."""


def varint(n):
    """n >= 0 as bytes: 7 bits a byte, least significant first, the top bit set on all but the last."""
    out = bytearray()
    while n >= 0x80:
        out.append(0x80 | (n & 0x7F))
        n >>= 7
    out.append(n)
    return bytes(out)


def read_varint(data, pos):
    """(n, position after it) of the varint at data[pos:]; IndexError if the data ends inside it."""
    n = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        n |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return n, pos


def pack(digest, n, crc, payload, adapt=None):
    """The file's bytes: header (see above) and the coder's `payload`; with `adapt`, a checked
    setting {rule, eta, segment, decay}, an adaptive file (version 2) that carries it."""
    head = MAGIC + bytes([VERSION if adapt is None else ADAPTIVE]) + digest + varint(n) + struct.pack("<I", crc)
    if adapt is not None:
        head += (bytes([RULES.index(adapt["rule"])]) + varint(adapt["segment"])
                 + struct.pack("<dd", adapt["eta"], adapt["decay"]))
    return head + payload


def digest_damaged(data, digest, source):
    """The CompressError of a file whose digest differs from `digest` (this model's) but which this
    model decodes to its CRC: damaged at the first digest byte that differs."""
    start = len(MAGIC) + 1
    first = next(i for i, (a, b) in enumerate(zip(data[start:start + len(digest)], digest)) if a != b)
    return CompressError(f"{source}: file damaged at byte {start + first}: its model digest was changed "
                         "(the text decodes with this model and matches its checksum)")


def check_end(data, payload, used, source):
    """A CompressError naming the first byte of `data` after the `used` bytes of its `payload` (its
    coded characters) that the coder wrote, when any follow them."""
    if len(payload) > used:
        start = len(data) - len(payload) + used
        raise CompressError(f"{source}: file damaged at byte {start}: {len(payload) - used} byte"
                            f"{'s' * (len(payload) - used > 1)} after the coded characters")


def setting_bytes(adapt):
    """How many bytes the setting `adapt` adds to the header."""
    return 1 + len(varint(adapt["segment"])) + 16


def unpack(data, digest_bytes, source):
    """(digest, n, crc, adapt, payload) of a file's bytes `data`, adapt None for a static file;
    CompressError naming `source` when it is not such a file, is of another version, ends inside
    its header or holds an impossible setting."""
    if data[:len(MAGIC)] != MAGIC:
        raise CompressError(f"{source}: not a file written by helpers.compress (no {MAGIC!r} at its start)")
    pos = len(MAGIC)
    if data[pos:pos + 1] not in (bytes([VERSION]), bytes([ADAPTIVE])):
        raise CompressError(f"{source}: damaged, or written by another version of helpers.compress")
    adaptive = data[pos] == ADAPTIVE
    pos += 1
    digest, pos = data[pos:pos + digest_bytes], pos + digest_bytes
    try:
        n, pos = read_varint(data, pos)
        (crc,), pos = struct.unpack_from("<I", data, pos), pos + 4
        adapt, pos = _read_setting(data, pos, source) if adaptive else (None, pos)
    except (IndexError, struct.error):
        raise CompressError(f"{source}: damaged or truncated: it ends inside its header") from None
    return digest, n, crc, adapt, data[pos:]


def _read_setting(data, pos, source):
    """(setting, position after it) at data[pos:]; a CompressError if it cannot have been written."""
    rule = data[pos]
    segment, pos = read_varint(data, pos + 1)
    eta, decay = struct.unpack_from("<dd", data, pos)
    if rule >= len(RULES) or segment < 1 or not (math.isfinite(eta) and eta >= 0 and 0 <= decay <= 1):
        raise CompressError(f"{source}: damaged: its adaptive setting is impossible")
    return {"rule": RULES[rule], "eta": eta, "segment": segment, "decay": decay}, pos + 16
