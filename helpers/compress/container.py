"""The compressed file: a header of at most a dozen bytes or so, then the coder's bytes.

    magic  b"LM" and a version byte                              3 bytes
    digest of the checkpoint (predictor.digest)                  4 bytes
    number of characters, a varint (7 bits a byte, low first)    1 byte below 128, 3 below 2 million
    CRC-32 of the text as UTF-8, to tell a damaged file          4 bytes
    the arithmetic coder's bytes

The digest tells a file decoded with another checkpoint before any decoding; the CRC tells a file
whose coded bytes were damaged, after it.
"""
import struct

MAGIC = b"LM"
VERSION = 1


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


def pack(digest, n, crc, payload):
    """The file's bytes: header (see above) and the coder's `payload`."""
    return MAGIC + bytes([VERSION]) + digest + varint(n) + struct.pack("<I", crc) + payload


def unpack(data, digest_bytes, source):
    """(digest, n, crc, payload) of a file's bytes `data`; CompressError naming `source` when it
    is not such a file, is of another version, or ends inside its header."""
    if data[:len(MAGIC)] != MAGIC:
        raise CompressError(f"{source}: not a file written by helpers.compress (no {MAGIC!r} at its start)")
    pos = len(MAGIC)
    if data[pos:pos + 1] != bytes([VERSION]):
        raise CompressError(f"{source}: damaged, or written by another version of helpers.compress")
    pos += 1
    digest, pos = data[pos:pos + digest_bytes], pos + digest_bytes
    try:
        n, pos = read_varint(data, pos)
    except IndexError:
        raise CompressError(f"{source}: damaged or truncated: it ends inside its header") from None
    if len(data) < pos + 4:
        raise CompressError(f"{source}: damaged or truncated: it ends inside its header")
    (crc,) = struct.unpack("<I", data[pos:pos + 4])
    return digest, n, crc, data[pos + 4:]
