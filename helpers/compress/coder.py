"""A static arithmetic coder on integers (Witten, Neal and Cleary, 1987), with a 32-bit state.

The coder keeps an interval [low, high] of 32-bit integers. Each symbol narrows it to the share
of it that the symbol's frequency owns; when the interval lies wholly in one half, the leading bit
is settled, written, and the interval doubled. An interval that straddles the middle but has shrunk
into the middle half cannot settle a bit yet: it is doubled around the middle and the bit it owes
is counted (`pending`) and written, inverted, after the next settled bit. So the interval never
shrinks below a quarter of the state, and every frequency table may sum to as much as a quarter.

A symbol of frequency f in a table summing to T costs log2(T / f) bits plus a rounding of order
T / 2^30 bits; the whole message costs at most 2 bits more (the end) and the padding to a byte.

Frequencies: (K,) int arrays, each >= 1, summing to `TOTAL`; `frequencies` makes them from
probabilities, the same way on both sides, so that encoder and decoder agree exactly.
"""
import numpy as np

BITS = 32
FULL = (1 << BITS) - 1
HALF = 1 << (BITS - 1)
QUARTER = 1 << (BITS - 2)
TOTAL = 1 << 24      # every table's sum: at most QUARTER, so no interval ever collapses to nothing


def frequencies(p, total=TOTAL):
    """Integer frequencies (K,) int64 from probabilities p (K,) (or weights, normalised here):
    each >= 1, summing to `total`.

    f_i = 1 + floor(p_i (total - K)): every symbol stays codable, and none gets less than its
    share of what is left. What the floors leave over goes to the most likely symbol (the first of
    ties). Pure arithmetic on p, so the same p gives the same table in encoder and decoder.
    """
    p = np.asarray(p, dtype=np.float64)
    K = p.size
    if not 0 < K <= total // 2:
        raise ValueError(f"{K} symbols do not fit a table summing to {total}")
    s = p.sum()
    if not (np.isfinite(s) and s > 0 and p.min() >= 0):   # a NaN fails every comparison
        raise ValueError("probabilities must be finite, non-negative and not all zero")
    f = (p * ((total - K) / s)).astype(np.int64)          # truncation: the floor, as p >= 0
    f += 1
    f[np.argmax(p)] += total - int(f.sum())   # the rounding's remainder: smaller than K
    return f


class Encoder:
    """Symbols in, bits out: `encode(lo, hi, total)` per symbol, then `finish()` for the bytes."""

    def __init__(self):
        self.low, self.high, self.pending = 0, FULL, 0
        self.bits = []                      # 0/1 ints, packed into bytes at the end

    def _emit(self, bit):
        """The settled bit, then the `pending` bits owed, each the opposite of it."""
        self.bits.append(bit)
        self.bits.extend([1 - bit] * self.pending)
        self.pending = 0

    def encode(self, lo, hi, total):
        """Narrow the interval to the symbol owning [lo, hi) of a table summing to `total`."""
        span = self.high - self.low + 1
        self.high = self.low + span * hi // total - 1
        self.low = self.low + span * lo // total
        while True:
            if self.high < HALF:                         # both in the lower half: a 0 is settled
                self._emit(0)
            elif self.low >= HALF:                       # both in the upper half: a 1
                self._emit(1)
                self.low -= HALF
                self.high -= HALF
            elif self.low >= QUARTER and self.high < HALF + QUARTER:
                self.pending += 1                        # straddling the middle: owe a bit
                self.low -= QUARTER
                self.high -= QUARTER
            else:
                return
            self.low, self.high = 2 * self.low, 2 * self.high + 1

    def finish(self):
        """The coded bytes. Two more bits pick a point inside the final interval (with zeros
        after them: a quarter or a half), which the decoder reads back with zero padding."""
        self.pending += 1
        self._emit(0 if self.low < QUARTER else 1)
        return np.packbits(np.array(self.bits, dtype=np.uint8)).tobytes()


class Decoder:
    """Bits in, symbols out: `target(total)` locates the next symbol in its table, then
    `consume(lo, hi, total)` with that symbol's range mirrors what the encoder did.

    Raises EOFError when it must read more than BITS bits past the end: the data was cut short.
    """

    def __init__(self, data):
        self.bits = np.unpackbits(np.frombuffer(data, dtype=np.uint8)).tolist()
        self.pos, self.low, self.high, self.value = 0, 0, FULL, 0
        for _ in range(BITS):
            self.value = 2 * self.value + self._bit()

    def _bit(self):
        """The next bit; zeros past the end, as the encoder's end assumes, but not too many."""
        self.pos += 1
        if self.pos <= len(self.bits):
            return self.bits[self.pos - 1]
        if self.pos > len(self.bits) + BITS:
            raise EOFError("the coded data ends too soon")
        return 0

    def written(self):
        """How many bytes the encoder wrote for the symbols decoded so far, with its end: the bits
        read but the BITS read ahead, plus finish()'s two, padded to a byte."""
        return (self.pos - BITS + 2 + 7) // 8

    def target(self, total):
        """The cumulative count in [0, total) that the next symbol's range [lo, hi) holds."""
        span = self.high - self.low + 1
        return ((self.value - self.low + 1) * total - 1) // span

    def consume(self, lo, hi, total):
        """The encoder's `encode(lo, hi, total)`, step for step, reading a bit for each it wrote."""
        span = self.high - self.low + 1
        self.high = self.low + span * hi // total - 1
        self.low = self.low + span * lo // total
        while True:
            if self.high < HALF:
                pass
            elif self.low >= HALF:
                self.low -= HALF
                self.high -= HALF
                self.value -= HALF
            elif self.low >= QUARTER and self.high < HALF + QUARTER:
                self.low -= QUARTER
                self.high -= QUARTER
                self.value -= QUARTER
            else:
                return
            self.low, self.high = 2 * self.low, 2 * self.high + 1
            self.value = 2 * self.value + self._bit()
