"""The arithmetic coder behind helpers.compress: round trips byte for byte, the size bound, errors."""
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import checkpoint, compress, models
from helpers.compress import adaptive, coder, container, dynamic, predictor
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


def header_bytes(n, adapt=None):
    return len(container.pack(b"\0" * predictor.DIGEST_BYTES, n, 0, b"", adapt))


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
    with pytest.raises(compress.CompressError, match=r"not written by this model \(the one in .*o.npz\)"):
        compress.decode(other, data)
    with pytest.raises(compress.CompressError, match="truncated"):
        compress.decode(path, data[:len(data) // 2])
    with pytest.raises(compress.CompressError, match="truncated"):
        compress.decode(path, data[:8])
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x10
    with pytest.raises(compress.CompressError, match="damaged"):
        compress.decode(path, bytes(flipped))
    digest, n, crc, _, payload = container.unpack(data, predictor.DIGEST_BYTES, "data")
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


# The adaptive coder: the model learns from the text as it codes it, and the decoder learns the same.
LEARN = [dict(eta=3e-3, segment=20, rule="rms", decay=0.01), dict(eta=1e-2, segment=25)]   # rms; sgd


@pytest.mark.parametrize("adapt", LEARN, ids=["rms", "sgd"])
def test_adaptive_round_trip_within_its_bound(model_file, adapt):
    text = sampled(model_file, 1500, seed=6)
    data = compress.encode(model_file, text, adapt=adapt)
    assert compress.decode(model_file, data) == text
    assert len(data) <= compress.bound_bytes(model_file, text, adapt)
    assert data[len(container.MAGIC)] == container.ADAPTIVE
    assert compress.encode(model_file, text)[len(container.MAGIC)] == container.VERSION   # static: as before


def test_adaptive_bound_is_dynamic_evaluations_surprisal(tmp_path):
    path = save(tmp_path / "m.npz", "lstm")
    text = sampled(path, 800, seed=7)
    name, params, vocab = predictor.load(path)
    for adapt in LEARN:
        bits = math.log2(len(vocab)) + dynamic.surprisal(name, params, vocab.encode(text), **adapt).sum()
        extra = container.setting_bytes(adaptive.setting(adapt))
        assert compress.bound_bytes(path, text, adapt) == pytest.approx(bits / 8 * 1.001 + 16 + extra)
    assert compress.bound_bytes(path, "", LEARN[0]) == 16 + extra


def test_adaptation_changes_the_output_and_learns(model_file):
    text = "so it is, we said.\n" * 60       # a text that repeats: a model that learns gets it cheaper
    static = compress.encode(model_file, text)
    learned = compress.encode(model_file, text, adapt=dict(eta=1e-2, segment=25))
    assert compress.decode(model_file, learned) == text
    assert len(learned) < 0.9 * len(static)
    # no step and no decay: the same tables as the static coder, so the same coded bytes
    frozen = compress.encode(model_file, text, adapt=dict(eta=0.0, segment=7, rule="rms", decay=0.0))
    digest = predictor.digest(*predictor.load(model_file))
    payload = lambda data: container.unpack(data, predictor.DIGEST_BYTES, "data")[-1]   # noqa: E731
    assert payload(frozen) == payload(static) and len(frozen) - len(static) == container.setting_bytes(
        adaptive.setting(dict(eta=0.0, segment=7)))
    assert container.unpack(frozen, predictor.DIGEST_BYTES, "data")[0] == digest


def test_adaptive_damaged_truncated_and_wrong_checkpoint(tmp_path):
    path, other = save(tmp_path / "m.npz", "lstm"), save(tmp_path / "o.npz", "lstm", seed=1)
    text = sampled(path, 400, seed=2)
    data = compress.encode(path, text, adapt=LEARN[0])
    coded = header_bytes(len(text), adaptive.setting(LEARN[0]))        # where the coded bytes start
    assert len(data) - coded > 20
    with pytest.raises(compress.CompressError, match=r"not written by this model \(the one in .*o.npz\)"):
        compress.decode(other, data)
    for cut in (len(data) // 2, header_bytes(len(text)) + 3, 8):      # in the payload, the setting, the header
        with pytest.raises(compress.CompressError, match="truncated"):
            compress.decode(path, data[:cut])
    for pos in ((coded + len(data)) // 2, header_bytes(len(text)) + 8):  # a coded byte; eta halved or doubled
        flipped = bytearray(data)
        flipped[pos] ^= 0x10
        with pytest.raises(compress.CompressError, match="damaged"):
            compress.decode(path, bytes(flipped))
    rule = bytearray(data)
    rule[header_bytes(len(text))] = len(container.RULES)               # a rule no version wrote
    with pytest.raises(compress.CompressError, match="damaged: its adaptive setting is impossible"):
        compress.decode(path, bytes(rule))


def test_the_header_keeps_the_setting_exactly():
    for adapt in (dict(rule="rms", eta=1 / 3, segment=50, decay=0.1), dict(rule="sgd", eta=1e-300, segment=300,
                                                                            decay=1.0)):
        data = container.pack(b"abcd", 12345, 99, b"coded", adapt)
        assert container.unpack(data, 4, "data") == (b"abcd", 12345, 99, adapt, b"coded")
        assert len(data) == header_bytes(12345) + container.setting_bytes(adapt) + len(b"coded")
    assert container.unpack(container.pack(b"abcd", 7, 1, b"x"), 4, "data") == (b"abcd", 7, 1, None, b"x")


def test_adaptive_settings_say_what_is_wrong(tmp_path):
    assert adaptive.setting(dict(eta=1e-3)) == dict(rule="sgd", eta=1e-3, segment=50, decay=0.0)
    assert adaptive.parse("segment=25, rule=rms ,eta=1e-3") == dict(rule="rms", eta=1e-3, segment=25, decay=0.0)
    assert adaptive.parse(adaptive.spec(s := adaptive.setting(dict(eta=1 / 3, segment=9, decay=0.1)))) == s
    bad = {"eta=x": "eta must be a finite number", "eta=-1": "eta must be at least 0", "segment=9": "eta is missing",
           "eta=1,segment=0": "segment must be a whole number", "eta=1,segment=2.5": "segment must be a whole number",
           "eta=1,rule=adam": "rule must be one of sgd, rms", "eta=1,decay=2": "decay must be between 0 and 1",
           "eta=1,beta=2": "unknown key 'beta'", "eta": "expected key=value pairs",
           "eta=inf": "eta must be a finite number"}
    for spec, message in bad.items():
        with pytest.raises(compress.CompressError, match=f"^--adapt: {message}"):
            adaptive.parse(spec)
    with pytest.raises(compress.CompressError, match="^adapt: segment must be"):    # before the checkpoint
        compress.encode(tmp_path / "missing.npz", "ab", adapt=dict(eta=1e-3, segment=0))


def test_command_line_adaptive_round_trip_and_bad_flag(tmp_path):
    path = save(tmp_path / "m.npz", "rnn")
    (tmp_path / "in.txt").write_text(sampled(path, 300, seed=4), encoding="utf-8")
    done = cli("encode", path, tmp_path / "in.txt", tmp_path / "out.lm", "--adapt", "eta=1e-2,segment=25,rule=sgd")
    assert done.returncode == 0, done.stderr
    assert "learning as it coded (rule=sgd,eta=0.01,segment=25)" in done.stdout
    done = cli("decode", path, tmp_path / "out.lm", tmp_path / "back.txt")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "back.txt").read_bytes() == (tmp_path / "in.txt").read_bytes()
    bad = [cli("encode", path, tmp_path / "in.txt", tmp_path / "x", "--adapt", "eta=fast"),
           cli("decode", path, tmp_path / "out.lm", tmp_path / "x", "--adapt", "eta=1")]
    for done in bad:
        assert done.returncode == 1 and not (tmp_path / "x").exists()
        assert done.stderr.startswith("error: --adapt: ") and len(done.stderr.strip().splitlines()) == 1


def test_a_diverging_setting_is_one_line(tmp_path):
    path = save(tmp_path / "m.npz", "rnn")
    text = sampled(path, 300, seed=1)
    with pytest.raises(compress.CompressError, match="^adapt: the model diverges with eta = 1.7e\\+308"):
        compress.encode(path, text, adapt=dict(eta=1.7e308, segment=5))      # eta * g overflows: no finite table
    data = compress.encode(path, text, adapt=dict(eta=1e-3, segment=5))
    digest, n, crc, adapt, payload = container.unpack(data, predictor.DIGEST_BYTES, "data")
    damaged = container.pack(digest, n, crc, payload, dict(adapt, eta=1.7e308))
    with pytest.raises(compress.CompressError, match="^data: damaged: its adaptive setting makes the model diverge"):
        compress.decode(path, damaged)
