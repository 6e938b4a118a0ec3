"""The arithmetic coder behind helpers.compress: round trips byte for byte, the size bound, errors."""
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import checkpoint, compress, models
from helpers.compress import coder, container, predictor
from helpers.data import Vocabulary

ROOT = Path(__file__).resolve().parent.parent
CHARS = "\n !',.?abcdehilmnorstuwyé"


def save(path, model, seed=0, sigma=3.0, m=8, chars=CHARS):
    """A small random model of `model` (peaked, so texts cost well under log2 K bits) in `path`."""
    params = models.get(model).init_params(len(chars), m=m, sigma=sigma, rng=np.random.default_rng(seed))
    checkpoint.save_model(path, params, Vocabulary(list(chars)), model=model)
    return path


def sampled(path, n, seed):
    """n characters drawn from the model in `path` itself: typical text, cheap under it."""
    name, params, vocab = predictor.load(path)
    module, rng = models.get(name), np.random.default_rng(seed)
    state, x, ids = module.zero_state(params, 1), int(rng.integers(len(vocab))), []
    for _ in range(n):
        ids.append(x)
        o, state = module.step(params, x, state)
        p = np.exp(o - o.max())
        x = int(rng.choice(len(vocab), p=p / p.sum()))
    return vocab.decode(ids)


@pytest.fixture(params=["rnn", "lstm", "gru"])
def model_file(request, tmp_path):
    return save(tmp_path / f"{request.param}.npz", request.param)


def header_bytes(n):
    return len(container.pack(b"\0" * predictor.DIGEST_BYTES, n, 0, b""))


@pytest.mark.parametrize("text", ["a", "\n", "é", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "", "so it is, we said.\n"])
def test_round_trip_short_texts(model_file, text):
    data = compress.encode(model_file, text)
    assert compress.decode(model_file, data) == text
    assert len(data) <= compress.bound_bytes(model_file, text)


def test_round_trip_and_size_on_a_typical_text(model_file):
    text = sampled(model_file, 3000, seed=5)
    data = compress.encode(model_file, text)
    assert compress.decode(model_file, data) == text
    assert compress.decode(model_file, data).encode("utf-8") == text.encode("utf-8")
    name, params, vocab = predictor.load(model_file)
    bits = math.log2(len(vocab)) + models.get(name).surprisal(params, vocab.encode(text)).sum()
    assert bits < 0.8 * len(text) * math.log2(len(vocab))      # the model predicts: a real test
    assert len(data) <= compress.bound_bytes(model_file, text)
    # ... and the coder wastes nothing: its bits are the surprisal to within a few bits, so a coder
    # that lost even 1 % (some 90 bits here) would fail this line.
    coded = 8 * (len(data) - header_bytes(len(text)))
    assert bits - 8 <= coded <= bits + 16


def test_frequencies_sum_minimum_and_determinism(rng):
    for K in (1, 2, 25, 300):
        p = rng.dirichlet(np.full(K, 0.05))
        if K > 1:
            p[np.argmin(p)] = 0.0                                # impossible symbols stay codable
        f = coder.frequencies(p)
        assert f.dtype == np.int64 and f.sum() == coder.TOTAL and f.min() >= 1
        assert np.array_equal(f, coder.frequencies(p.copy()))
        # no symbol gets less than its share of what the +1s leave
        assert np.all(f >= np.floor(p * (coder.TOTAL - K)))
    with pytest.raises(ValueError):
        coder.frequencies(np.array([0.5, np.nan]))
    with pytest.raises(ValueError):
        coder.frequencies(np.ones(10), total=16)                 # every symbol needs room


def test_coder_alone_costs_log2_total_over_f():
    rng = np.random.default_rng(3)
    f = coder.frequencies(np.array([0.7, 0.2, 0.09, 0.01]))
    cum = np.concatenate([[0], np.cumsum(f)])
    symbols = rng.choice(4, size=5000, p=f / f.sum())
    enc = coder.Encoder()
    for s in symbols:
        enc.encode(int(cum[s]), int(cum[s + 1]), coder.TOTAL)
    data = enc.finish()
    ideal = float(np.sum(np.log2(coder.TOTAL / f[symbols])))
    assert ideal <= 8 * len(data) <= ideal + 10
    dec = coder.Decoder(data)
    out = []
    for _ in symbols:
        s = int(np.searchsorted(cum[1:], dec.target(coder.TOTAL), side="right"))
        dec.consume(int(cum[s]), int(cum[s + 1]), coder.TOTAL)
        out.append(s)
    assert out == symbols.tolist()


def test_out_of_vocabulary_names_character_and_position(tmp_path):
    path = save(tmp_path / "m.npz", "gru")
    with pytest.raises(compress.CompressError, match=r"'Z' \(U\+005A\) at position 3 .*m\.npz"):
        compress.encode(path, "abcZd")


def test_damaged_truncated_and_wrong_checkpoint(tmp_path):
    path, other = save(tmp_path / "m.npz", "lstm"), save(tmp_path / "o.npz", "lstm", seed=1)
    text = sampled(path, 400, seed=2)
    data = compress.encode(path, text)
    with pytest.raises(compress.CompressError, match="not encoded with the model in .*o.npz"):
        compress.decode(other, data)
    with pytest.raises(compress.CompressError, match="truncated"):
        compress.decode(path, data[:len(data) // 2])
    with pytest.raises(compress.CompressError, match="truncated"):
        compress.decode(path, data[:8])
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x10
    with pytest.raises(compress.CompressError, match="damaged"):
        compress.decode(path, bytes(flipped))
    digest, n, crc, payload = container.unpack(data, predictor.DIGEST_BYTES, "data")
    with pytest.raises(compress.CompressError, match="damaged"):            # a count far too large
        compress.decode(path, container.pack(digest, 10**12, crc, payload))
    with pytest.raises(compress.CompressError, match="damaged"):            # ... or too small
        compress.decode(path, container.pack(digest, n - 1, crc, payload))
    with pytest.raises(compress.CompressError, match="not a file written by helpers.compress"):
        compress.decode(path, b"hello world")


def test_a_checkpoint_that_is_not_a_model(tmp_path):
    checkpoint.save_npz(tmp_path / "x.npz", a=np.zeros(3))
    (tmp_path / "t.txt").write_text("not npz")
    (tmp_path / "zip.npz").write_bytes(b"PK\x03\x04 not a zip file")
    (tmp_path / "cut.npz").write_bytes(save(tmp_path / "m.npz", "rnn").read_bytes()[:700])
    for bad in ("x.npz", "t.txt", "missing.npz", "zip.npz", "cut.npz"):
        bad = tmp_path / bad
        with pytest.raises(compress.CompressError, match=bad.name):
            compress.encode(bad, "abc")


def test_the_digest_follows_the_parameters_not_the_file(tmp_path):
    path = save(tmp_path / "m.npz", "rnn")
    name, params, vocab = predictor.load(path)
    checkpoint.save_model(tmp_path / "again.npz", params, vocab, model=name, step=7)
    data = compress.encode(path, "we said")
    assert compress.decode(tmp_path / "again.npz", data) == "we said"


def cli(*args):
    return subprocess.run([sys.executable, "-m", "helpers.compress", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, "TQDM_DISABLE": "1"})


def test_command_line_round_trip_and_errors(tmp_path):
    path = save(tmp_path / "m.npz", "gru")
    text = sampled(path, 300, seed=4)
    (tmp_path / "in.txt").write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
    done = cli("encode", path, tmp_path / "in.txt", tmp_path / "out.lm")
    assert done.returncode == 0, done.stderr
    assert "encoded 300 characters into" in done.stdout and "bits per character" in done.stdout
    done = cli("decode", path, tmp_path / "out.lm", tmp_path / "back.txt")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "back.txt").read_bytes() == text.encode("utf-8")     # normalised, byte for byte
    (tmp_path / "bad.txt").write_text("abc\u00c5")
    bad = [cli("encode", path, tmp_path / "bad.txt", tmp_path / "x"),
           cli("decode", path, tmp_path / "in.txt", tmp_path / "x"),
           cli("decode", tmp_path / "in.txt", tmp_path / "out.lm", tmp_path / "x"),
           cli("encode", path, tmp_path / "missing.txt", tmp_path / "x")]
    for done, name in zip(bad, ("bad.txt", "in.txt", "in.txt", "missing.txt")):
        assert done.returncode == 1
        assert done.stderr.startswith("error: ") and len(done.stderr.strip().splitlines()) == 1
        assert name in done.stderr and "Traceback" not in done.stderr
