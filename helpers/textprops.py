"""Properties of each character of a text that a person can name (inside a word, inside brackets,
inside quotation marks, ...), and why a text lacking one leaves it out; helpers.inside
correlates them with hidden units.
"""
import re
import unicodedata

import numpy as np

# (opening, closing) quotation marks: “” „“ „” «» »« ‘’ and ASCII ""
QUOTES = (("\u201c", "\u201d"), ("\u201e", "\u201c"), ("\u201e", "\u201d"), ("\u00ab", "\u00bb"),
          ("\u00bb", "\u00ab"), ("\u2018", "\u2019"), ('"', '"'))
APOSTROPHES = "\u2019'"   # between two letters these are apostrophes (don’t, l'eau), never quotation marks
QUOTE_CAP = 1000   # characters a quotation may span; it may go on over line breaks, never past a blank line

RARE = 100   # characters: a property that marks fewer, or leaves fewer unmarked, is too rare to measure
STRETCH = {"inside a speaker's name line": "speaker line", "inside brackets": "stretch in brackets",
           "inside quotation marks": "quotation", "inside a word": "word",
           "after a punctuation mark": "punctuation mark"}   # what one stretch of each on/off property is


def _spans(text, pattern, flags=0):
    """(n,) float: 1 inside every match of `pattern`, else 0."""
    return _marked(len(text), [mt.span() for mt in re.finditer(pattern, text, flags)])


def _marked(n, spans):
    """(n,) float: 1 inside every (start, end) of `spans`, else 0."""
    mark = np.zeros(n)
    for a, b in spans:
        mark[a:b] = 1.0
    return mark


def _apostrophe(text, i):
    """True when text[i] is an apostrophe: one of APOSTROPHES with a letter on either side."""
    return (text[i] in APOSTROPHES and 0 < i < len(text) - 1 and text[i - 1].isalpha()
            and text[i + 1].isalpha())


def _closing(text, i, closers):
    """Where the quotation opened at text[i] closes (the first of `closers` that is no apostrophe,
    within QUOTE_CAP characters and before a blank line), or None."""
    limit = min(len(text), i + 1 + QUOTE_CAP)
    paragraph = text.find("\n\n", i + 1, limit)
    limit = limit if paragraph < 0 else paragraph
    ends = []
    for c in closers:
        j = text.find(c, i + 1, limit)
        while j >= 0 and _apostrophe(text, j):
            j = text.find(c, j + 1, limit)
        ends += [j] if j >= 0 else []
    return min(ends) if ends else None


def quotations(text):
    """[(start, end)]: the quotations of `text`, marks included, read left to right with the pairs
    of QUOTES; an opening mark that never closes (see _closing) is passed over."""
    closers = {}
    for o, c in QUOTES:
        closers[o] = closers.get(o, "") + c
    spans, i = [], 0
    while i < len(text):
        end = _closing(text, i, closers[text[i]]) if text[i] in closers and not _apostrophe(text, i) else None
        if end is not None:
            spans.append((i, end + 1))
        i = i + 1 if end is None else end + 1
    return spans


def _plural(noun, n=2):
    """'quotation' -> 'quotations', 'stretch in brackets' -> 'stretches in brackets' (unless n == 1)."""
    return noun if n == 1 else noun.replace("stretch ", "stretches ") if noun.startswith("stretch ") else noun + "s"


def why_left_out(name, mark, at_least, where="the text"):
    """Why the on/off property `name`, marked by mark (n,) over `where`, cannot be measured, in plain
    words ('there are no speaker lines in the text'), or None when it can: it needs `at_least`
    stretches and RARE characters both marked and unmarked."""
    n = int(np.sum(np.diff(np.concatenate([[0.0], mark])) > 0))    # stretches: runs of marked characters
    on, noun = int(mark.sum()), STRETCH[name]
    if n == 0:
        return f"there are no {_plural(noun)} in {where}"
    if n < at_least:
        return f"there are only {n} {_plural(noun, n)} in {where}, too few to measure (this needs {at_least})"
    if on < RARE:
        return f"there are only {on} such characters in {where}, too few to measure (this needs {RARE})"
    if len(mark) - on < RARE:
        return f"all but {len(mark) - on} characters of {where} are *{name}*, too few left to compare"
    return None


def properties(text, at_least=10, where="the text"):
    """({name: (n,) float}, {name: why it is left out}): properties of each character of `text`
    that a person can name. An on/off property the text has too little of (see why_left_out) is
    left out of the first dict, and the second says why in plain words, naming the text `where`."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    newline = np.where(codes == 10, np.arange(len(text)), -1)
    last_newline = np.maximum.accumulate(np.concatenate([[-1], newline[:-1]]))   # strictly before
    marks = {"inside a word": np.array([ch.isalpha() for ch in text], dtype=float),
             "after a punctuation mark": np.array([0.0] + [float(unicodedata.category(ch)[0] == "P")
                                                           for ch in text[:-1]]),
             "inside a speaker's name line": _spans(text, r"^[A-Z][A-Z' ]+:$", re.M),
             "inside brackets": _spans(text, r"[\[(][^\[\]()\n]*[\])]"),
             "inside quotation marks": _marked(len(text), quotations(text))}
    props = {"position within the line": np.arange(len(text)) - last_newline - 1.0}
    skipped = {name: why_left_out(name, mark, at_least, where) for name, mark in marks.items()}
    props.update({name: mark for name, mark in marks.items() if skipped[name] is None})
    return props, {name: why for name, why in skipped.items() if why is not None}
