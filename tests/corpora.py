"""Generated corpora that look like the files users bring, awkward parts included."""
import numpy as np

WORDS = ("the", "king", "said", "and", "night", "river", "café", "naïve", "Ærø", "straße",
         "λόγος", "θάλασσα", "Москва", "книга", "—", "“well”", "‘so’", "…", "50%", "$5",
         "a_b", "x^2", "{set}", "#1", "R&D", "~home", "C:\\path", "tab\there")
AWKWARD = "\x1a"          # an old end-of-file byte, as in DOS-era plain-text files


def awkward_text(n_chars, seed=0):
    """About `n_chars` characters of sentences drawn from WORDS (accents, Greek, Cyrillic,
    typographic quotes, LaTeX specials and a tab), with a 0x1A byte inside."""
    rng = np.random.default_rng(seed)
    lines, size = [], 0
    while size < n_chars:
        words = rng.choice(WORDS, size=int(rng.integers(4, 12)))
        line = " ".join(words).capitalize() + "."
        lines.append(line)
        size += len(line) + 1
    lines.insert(len(lines) // 3, AWKWARD)
    return "\n".join(lines) + "\n"


def write_crlf(path, text, bom=False):
    """Write `text` as UTF-8 with Windows line ends (and a byte-order mark when `bom`)."""
    data = text.replace("\n", "\r\n").encode("utf-8")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path
