"""Measured properties of generated text, so that quality is counted rather than eyeballed."""
import re
from collections import Counter

WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*")


def words(text):
    """The words of `text`: runs of letters, with inner apostrophes (o'er, 'tis -> tis)."""
    return WORD.findall(text)


def lexicon(corpus):
    """Word -> count in the corpus, case-sensitive (names keep their capitals)."""
    return Counter(words(corpus))


def real_word_share(text, lex):
    """The share of generated words (by occurrence) that occur in the corpus lexicon."""
    ws = words(text)
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
    counts = Counter(re.findall(r"^([A-Z][A-Z' ]+):$", corpus, flags=re.M))
    return {n for n, c in counts.items() if c >= at_least}


def summary(text, lex):
    """A dict of the measures above for one sample."""
    ws = words(text)
    return {"words": len(ws), "real_word_share": real_word_share(text, lex),
            "distinct_words": distinct_words(text),
            "mean_word_length": sum(map(len, ws)) / len(ws) if ws else 0.0}
