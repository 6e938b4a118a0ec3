"""A coded file that was changed after it was written is refused in one line that says where, or
that this model did not write it: bytes after the coded characters, a damaged digest byte."""
import pytest

from helpers import compress
from helpers.compress import container, predictor
from test_compress import sampled, save

DIGEST = len(container.MAGIC) + 1         # the digest's first byte


@pytest.fixture
def coded(tmp_path):
    path = save(tmp_path / "m.npz", "rnn")
    text = sampled(path, 300, seed=3)
    return path, text, compress.encode(path, text)


def test_the_file_as_written_decodes(coded):
    path, text, data = coded
    assert compress.decode(path, data) == text


@pytest.mark.parametrize("extra", [b"\0", b"tail bytes"])
def test_bytes_after_the_coded_characters_are_refused_naming_the_first(coded, extra):
    path, _, data = coded
    with pytest.raises(compress.CompressError, match=rf"^data: file damaged at byte {len(data)}: "
                                                     rf"{len(extra)} bytes? after the coded characters$"):
        compress.decode(path, data + extra)


@pytest.mark.parametrize("i", range(predictor.DIGEST_BYTES))
def test_a_damaged_digest_byte_is_named_not_blamed_on_another_checkpoint(coded, i):
    path, _, data = coded
    damaged = bytearray(data)
    damaged[DIGEST + i] ^= 0x01
    with pytest.raises(compress.CompressError, match=rf"^data: file damaged at byte {DIGEST + i}: "
                                                     "its model digest was changed") as e:
        compress.decode(path, bytes(damaged))
    assert "\n" not in str(e.value) and "checkpoint" not in str(e.value)


def test_another_models_file_is_not_written_by_this_model(coded, tmp_path):
    _, text, data = coded
    other = save(tmp_path / "o.npz", "rnn", seed=1)
    with pytest.raises(compress.CompressError, match=r"^data: not written by this model \(the one in .*o\.npz\)$"):
        compress.decode(other, data)
