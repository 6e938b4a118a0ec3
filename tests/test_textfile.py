import pytest

from helpers.textfile import CorpusError, normalise, read_text


def test_normalise_counts_what_it_changes():
    assert normalise("a\r\nb\rc\n") == ("a\nb\nc\n", {"crlf": 1, "cr": 1, "bom": 0})
    assert normalise("\ufeffx\ufeff") == ("x\ufeff", {"crlf": 0, "cr": 0, "bom": 1})   # only a leading one
    assert normalise("\r\r\n") == ("\n\n", {"crlf": 1, "cr": 1, "bom": 0})


@pytest.mark.parametrize("content, reason", [
    (None, "file not found"),
    (b"", "file is empty"),
    (b" \r\n\t", "holds only white space"),
    ("ab".encode("utf-16"), "not UTF-8 text: byte 1 (counting from 1) cannot be decoded (it looks like UTF-16)"),
    (b"caf\xe9 latin-1", "not UTF-8 text: byte 4 (counting from 1) cannot be decoded"),
    (b"short", "has 5 characters; at least 10 are needed"),
    (b"\0" * 30, "holds one distinct character only (U+0000); a model needs at least 2"),
    (b"a\0\0\0b\0\0\0c\0\0\0" * 3, "75% of its characters are control characters (such as NUL): it looks like "
                                "a binary file, not text"),
])
def test_bad_files_get_one_line_that_names_them(tmp_path, content, reason):
    path = tmp_path / "my book.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CorpusError) as err:
        read_text(path, min_length=10)
    assert err.value.reason == reason
    assert str(err.value) == f"{path}: {reason}" and "\n" not in str(err.value)


def test_a_folder_is_not_a_file(tmp_path):
    with pytest.raises(CorpusError, match="not a file"):
        read_text(tmp_path)
