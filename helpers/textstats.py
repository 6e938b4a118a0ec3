"""Measured properties of generated text, so that quality is counted rather than eyeballed."""
import re
from collections import Counter

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")   # letters of any alphabet: é, ø, Greek, Cyrillic


def words(text):
    """The words of `text`: runs of letters, with inner apostrophes (o'er, 'tis -> tis)."""
    return WORD.findall(text)


def lexicon(corpus):
    """Word -> count in the corpus, case-sensitive (names keep their capitals)."""
    return Counter(words(corpus))


def real_word_share(text, lex, min_len=2):
    """The share of generated words of at least `min_len` letters (by occurrence) that occur in
    the corpus lexicon. Single letters are left out: random text is full of 'a', 'I' and 'e'."""
    ws = [w for w in words(text) if len(w) >= min_len]
    return sum(w in lex for w in ws) / len(ws) if ws else 0.0


def distinct_words(text):
    """How many different words the text uses."""
    return len(set(words(text)))


def names_used(text, names):
    """The names from `names` (e.g. speakers of the corpus) that the text contains as words."""
    present = set(words(text))
    return sorted(n for n in names if n in present)


def speakers(corpus, at_least=20):
    """Speaker names of a play-formatted corpus: lines 'NAME:' seen at least `at_least` times."""
    counts = Counter(re.findall(r"^([^\W\d_][^\W\d_' ]*):$", corpus, flags=re.M))
    counts = {n: c for n, c in counts.items() if n.isupper()}
    return {n for n, c in counts.items() if c >= at_least}


def summary(text, lex):
    """A dict of the measures above for one sample."""
    ws = words(text)
    return {"words": len(ws), "real_word_share": real_word_share(text, lex),
            "distinct_words": distinct_words(text),
            "mean_word_length": sum(map(len, ws)) / len(ws) if ws else 0.0}


def name_threshold(corpus):
    """How often a capitalised word must occur to count as a name: 100 times in a novel of a few
    hundred thousand words, proportionally fewer in a short text, but at least 5."""
    return max(5, min(100, len(corpus) // 20_000))


def proper_names(corpus, at_least=None):
    """The corpus's names. A play's cast when it has one (single-word speakers, as HAMLET and
    Hamlet); otherwise capitalised words of 3+ letters, without apostrophes, seen at least
    `at_least` times (default: `name_threshold`) and almost never in lower case (Harry, Hermione)."""
    cast = {n for n in speakers(corpus) if n.isalpha()}
    if len(cast) >= 10:
        return cast | {n.title() for n in cast}
    at_least = name_threshold(corpus) if at_least is None else at_least
    lex = lexicon(corpus)
    return {w for w, n in lex.items() if n >= at_least and len(w) >= 3 and w.isalpha()
            and w[0].isupper() and lex.get(w.lower(), 0) < 0.1 * n}
