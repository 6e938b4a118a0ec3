"""Reading a user's text file as the model should see it (standard library only).

Line ends are normalised (CRLF and lone CR become LF) and a leading byte-order mark is dropped;
every other character is kept, so that the model learns the text as it is. Problems raise
CorpusError, whose message names the file and says what is wrong in one line.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent   # repository root
MIN_CHARS = 10_000       # the least a workbook run needs: its validation and test 5% must hold a few hundred


def resolve(path):
    """`path` made absolute: a relative path is read from the repository root (where `make` runs),
    not from the folder a notebook's kernel happens to run in. None stays None."""
    if path is None:
        return None
    path = Path(path).expanduser()
    return path if path.is_absolute() else ROOT / path


class CorpusError(ValueError):
    """A corpus file that cannot be used: `path` and `reason` (str gives 'path: reason')."""

    def __init__(self, path, reason):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


def normalise(text):
    """(text, changes): CRLF and lone CR -> LF, a leading U+FEFF dropped.

    changes: {'crlf': CRLF pairs replaced, 'cr': lone CRs replaced, 'bom': 1 if a BOM was dropped}
    """
    bom = int(text.startswith("\ufeff"))
    text = text[bom:]
    crlf = text.count("\r\n")
    text = text.replace("\r\n", "\n")
    cr = text.count("\r")
    return text.replace("\r", "\n"), {"crlf": crlf, "cr": cr, "bom": bom}


def read_text(path, min_length=1):
    """(text, changes) of the UTF-8 file `path`, normalised (see `normalise`).

    Raises CorpusError when the file is missing, not a file, unreadable, not UTF-8, empty,
    or shorter than `min_length` characters.
    """
    path = Path(path)
    if not path.exists():
        raise CorpusError(path, "file not found")
    if not path.is_file():
        raise CorpusError(path, "not a file")
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise CorpusError(path, f"cannot be read ({e.strerror})") from None
    if not raw:
        raise CorpusError(path, "file is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        hint = " (it looks like UTF-16)" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        raise CorpusError(path, f"not UTF-8 text: byte {e.start + 1} (counting from 1) cannot be decoded{hint}") from None
    text, changes = normalise(text)
    if not text.strip():
        raise CorpusError(path, "holds only white space")
    if len(text) < min_length:
        raise CorpusError(path, f"has {len(text):,} characters; at least {min_length:,} are needed")
    check_characters(path, text)
    return text, changes


CONTROL_SHARE = 0.1      # a text with more control characters than this (newline and tab aside) is not text


def check_characters(path, text):
    """Raise CorpusError when `text` has a single distinct character, or is mostly control characters
    (such as NUL bytes): valid UTF-8, but nothing a character model can learn to write."""
    chars = set(text)
    if len(chars) < 2:
        raise CorpusError(path, f"holds one distinct character only (U+{ord(text[0]):04X}); a model needs at least 2")
    control = sum(text.count(ch) for ch in chars if (ord(ch) < 32 and ch not in "\n\t") or ord(ch) == 127)
    if control > CONTROL_SHARE * len(text):
        raise CorpusError(path, f"{control / len(text):.0%} of its characters are control characters "
                                f"(such as NUL): it looks like a binary file, not text")
