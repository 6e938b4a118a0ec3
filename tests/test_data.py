import numpy as np
import pytest

from helpers import data


def test_markdown_conversion_keeps_speakers_and_drops_markup():
    md = ("# Hamlet\n\n## ACT I\n\n_Enter BERNARDO_\n\n**BERNARDO**  \nWho's there?\n\n\n\n"
          "**FRANCISCO**  \nNay, answer me:\\-- stand,  \nand unfold yourself.\n*[Aside]*\n")
    text = data.markdown_to_text(md)
    assert text == ("Hamlet\n\nACT I\n\nEnter BERNARDO\n\nBERNARDO:\nWho's there?\n\n"
                    "FRANCISCO:\nNay, answer me:-- stand,\nand unfold yourself.\n[Aside]\n")


def test_bundled_corpus_is_plain_shakespeare(tmp_path):
    path = data.write_shakespeare(tmp_path / "s.txt")
    text = data.load_corpus(path)
    assert 4_500_000 < len(text) < 5_500_000
    assert 70 <= len(data.Vocabulary.from_text(text)) <= 90
    assert "HAMLET:\n" in text and "ROMEO:\n" in text
    assert not any(mark in text for mark in ("**", "#", "_", "\\", "\n\n\n"))
    assert data.write_shakespeare(tmp_path / "t.txt").read_text() == text   # deterministic


def test_vocabulary_round_trip_and_one_hot():
    text = "to be, or not to be"
    vocab = data.Vocabulary.from_text(text)
    assert vocab.chars == sorted(set(text)) and len(vocab) == len(set(text))
    ids = vocab.encode(text)
    assert ids.dtype.kind == "i" and vocab.decode(ids) == text
    X = vocab.one_hot(ids[:4])
    assert X.shape == (len(vocab), 4) and np.all(X.sum(axis=0) == 1) and np.all(X.argmax(axis=0) == ids[:4])


def test_unknown_characters_are_named():
    vocab = data.Vocabulary.from_text("abc")
    with pytest.raises(ValueError, match=r"not in the vocabulary: 'xz'"):
        vocab.encode("axbz")


def test_split_is_train_validation_test_in_text_order():
    ids = np.arange(1000)
    train, val, test = data.split(ids)
    assert (len(train), len(val), len(test)) == (900, 50, 50)            # char-rnn's 90 / 5 / 5
    assert np.array_equal(np.concatenate([train, val, test]), ids)      # contiguous, in order
    train, val, test = data.split(np.arange(20_001), 0.1, 0.05)
    assert (len(val), len(test), test[-1]) == (2000, 1000, 20_000)
    with pytest.raises(ValueError, match="val_fraction"):
        data.split(ids, 1.5)
    with pytest.raises(ValueError, match="test_fraction"):
        data.split(ids, 0.05, 0.0)
    with pytest.raises(ValueError, match="must be below 1"):
        data.split(ids, 0.5, 0.5)


@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b"\xff\xfe bad bytes", "not UTF-8"),
    (b"too short", "has 9 characters; at least 26 are needed"),
])
def test_bad_corpus_files_get_clear_errors(tmp_path, content, message):
    path = tmp_path / "book.txt"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=message) as err:
        data.load_corpus(path)
    assert "book.txt" in str(err.value)


def test_missing_corpus_names_the_file(tmp_path):
    with pytest.raises(ValueError, match="goblet_book.txt: file not found"):
        data.load_corpus(tmp_path / "goblet_book.txt")


def test_any_utf8_text_is_a_corpus(tmp_path):
    path = tmp_path / "goblet_book.txt"
    path.write_text("Harry looked at Hermione — “fine”, said Ron.\n" * 3, encoding="utf-8")
    assert data.load_corpus(path).startswith("Harry")


def test_line_ends_are_normalised_and_counted(tmp_path):
    path = tmp_path / "dos.txt"
    path.write_bytes(b"\xef\xbb\xbfone\r\ntwo\rthree\r\n\x1a\tend")
    text, changes = data.read_corpus(path, min_length=1)
    assert text == "one\ntwo\nthree\n\x1a\tend"                 # every other character kept
    assert changes == {"crlf": 2, "cr": 1, "bom": 1}
    assert data.load_corpus(path, min_length=1) == text


def test_encoding_is_fast_and_exact_on_any_characters():
    text = "Ærø λόγος Москва “x” \x1a\t\u200b 🙂 " * 50_000         # 1.2 million characters
    vocab = data.Vocabulary.from_text(text)
    ids = vocab.encode(text)
    assert ids.shape == (len(text),) and vocab.decode(ids) == text
    assert [vocab.chars[i] for i in ids[:6]] == list(text[:6])
    with pytest.raises(ValueError, match="not in the vocabulary: 'Z'"):
        vocab.encode("ZÆ")


def test_the_one_hot_example_shows_distinct_visible_characters():
    """01's example: not a run of spaces when a text (here indented code and a licence) opens with whitespace."""
    code = "        \n\n    def main(path=None):\n        return None\n    # MIT License\n"
    at, example = data.example_stretch(code, 8)
    assert (at, example) == (14, "def main") and code[at: at + 8] == example
    play = "HAMLET:\nTo be, or not to be, that is the question.\n"
    assert data.example_stretch(play, 8) == (0, "HAMLET:\n")          # a text that opens with words: its start
    assert data.example_stretch("\n\n  ab  ab", 8) == (4, "ab  ab")    # never 4 different: the most there are
    assert len({ch for ch in data.example_stretch(data.load_corpus(None))[1] if not ch.isspace()}) >= 4
