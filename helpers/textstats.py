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


CAST = 10           # a text with this many single-word speakers or more is a play: its cast are its names
MID_SENTENCE = 0.6   # outside a play's cast, a name is seen in mid-sentence prose at least this share of the time
ONE_CONTEXT = 0.5    # ... and no one word comes right before it this share of the time or more ('the License')
FEW_NAMES = 3        # a text with fewer names than this has none worth counting: one name is no measure
ABBREVIATION = re.compile(r"[A-Z][a-z]{0,3}\.")   # Mr. Mrs. Dr. St.: no sentence ends there
AFTER_PROSE = ",.;!?'’\"”»…"                       # a word in prose is followed by a space or one of these


def line_before(text, i, at_most=300):
    """The text before `text[i]` on its line (at most `at_most` characters of it)."""
    lo = max(0, i - at_most)
    return text[text.rfind("\n", lo, i) + 1 or lo: i]


def begins_sentence(text, i):
    """Does the word at `text[i]` begin a sentence or a line? Before it on its line there is only
    whitespace, opening quotes or brackets, list marks, or the end of a sentence ('.', '!', '?', ':'
    but not Mr. or Dr.)."""
    before = line_before(text, i).rstrip(" \t\"'“‘«„([*_#>-")
    if not before.strip():
        return True
    return before.endswith((".", "!", "?", ":")) and not ABBREVIATION.fullmatch(before.split()[-1])


def in_prose(corpus, i, j):
    """Is the word at corpus[i:j] in mid-sentence prose: after a word and a space (not after '=',
    '(' or at a line's start), beginning no sentence, followed by a space or punctuation (not by
    '(', ':' or '.x')? Returns the word before it (lower case, '' after Mr. or Dr.), or None."""
    after = corpus[j: j + 2]
    if after and not after[0].isspace() and not (after[0] in AFTER_PROSE
                                                 and (len(after) < 2 or not after[1].isalnum())):
        return None
    line = line_before(corpus, i)
    prev = line.split()[-1] if line.split() else ""
    if ABBREVIATION.fullmatch(prev) and line[-1:].isspace():
        return ""                                   # Mr. Darcy: a title, not a context
    if begins_sentence(corpus, i) or not line[-1:].isspace() or not prev.rstrip(",;")[-1:].isalpha():
        return None
    return prev.rstrip(",;").lower()


def name_contexts(corpus, words_):
    """word -> (share of its occurrences in mid-sentence prose, `in_prose`; share of those after the
    one word most often right before it), for each of `words_`."""
    seen, prose = Counter(), {w: Counter() for w in words_}
    for m in WORD.finditer(corpus):
        w = m.group()
        if w in prose:
            seen[w] += 1
            prev = in_prose(corpus, m.start(), m.end())
            if prev is not None:
                prose[w][prev] += 1
    out = {}
    for w, before in prose.items():
        n = sum(before.values())
        top = max((c for p, c in before.items() if p), default=0)
        out[w] = (n / seen[w] if seen[w] else 0.0, top / n if n else 0.0)
    return out


def is_name(prose_share, one_context):
    """Is a capitalised word used as a name: MID_SENTENCE of its occurrences in mid-sentence prose
    (not 'The' at a sentence's start, not 'None' in code), and no one word before it ONE_CONTEXT of
    those times ('the Software', 'this License', 'return True': terms, not names)?"""
    return prose_share >= MID_SENTENCE and one_context < ONE_CONTEXT


def proper_names(corpus, at_least=None):
    """The corpus's names, only where it plausibly has them. A play's cast when it has one
    (single-word speakers, as HAMLET and Hamlet); otherwise capitalised words of 3+ letters,
    without apostrophes, seen at least `at_least` times (default: `name_threshold`), almost never in
    lower case (Harry, Hermione) and used as names (`is_name`): mostly in mid-sentence prose, after
    more than one word. So words capitalised because they begin a sentence or a line (The, This),
    code's None and True and a licence's terms (the Software, this License) are not names. An empty
    set, also when fewer than FEW_NAMES are found: the text has no names to count, and the notebooks
    leave names out (`names_rule`)."""
    cast = {n for n in speakers(corpus) if n.isalpha()}
    if len(cast) >= CAST:
        return cast | {n.title() for n in cast}
    at_least = name_threshold(corpus) if at_least is None else at_least
    lex = lexicon(corpus)
    candidates = [w for w, n in lex.items() if n >= at_least and len(w) >= 3 and w.isalpha()
                  and w[0].isupper() and not w.isupper() and lex.get(w.lower(), 0) < 0.1 * n]
    names = {w for w, c in name_contexts(corpus, candidates).items() if is_name(*c)}
    return names if len(names) >= FEW_NAMES else set()


def names_rule(corpus):
    """What a word had to be to count as a name of `corpus`, for the line saying names were left out."""
    return (f"no play's cast ({CAST} speakers or more), and fewer than {FEW_NAMES} of its capitalised words are "
            f"used as names. "
            f"A name here is a word seen {name_threshold(corpus)} times or more that is almost never written in "
            f"lower case, stands in mid-sentence prose at least {MID_SENTENCE:.0%} of the time, and does not "
            f"follow one same word {ONE_CONTEXT:.0%} of those times or more")
