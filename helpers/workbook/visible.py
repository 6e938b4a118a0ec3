"""Showing a corpus's characters safely, in Jupyter and in the LaTeX-built PDF alike.

A user's text may hold control characters (a 0x1A end-of-file byte), invisible ones (zero-width
joiners, soft hyphens) and characters special to Markdown or LaTeX. Raw, the first stop xelatex
and the last break tables. Here they become visible stand-ins or code points such as U+001A.
"""
import unicodedata

NAMED = {"\n": "\\n", "\t": "\\t", " ": "\u2423"}     # newline, tab, space (an open box)
HIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}      # control, format, unassigned, separators
MARKDOWN_SPECIAL = set("\\`*_{}[]()<>#+-.!|$~^&%\"'=:;@/?,")
# Characters a font draws so alike that a reader cannot tell which one the text holds: ASCII
# quotes and the typographic ones, the grave and the acute accents, the hyphen and the dashes,
# and the Greek and Cyrillic letters drawn as Latin ones (or, as З, as a digit).
CONFUSABLE = set("'\"`\u00b4\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u2032\u2033-\u00ad\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
                 "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7\u03bf"
                 "\u03b1\u03b9\u03ba\u03bd\u03c1\u03c5\u03c7"
                 "\u0410\u0412\u0415\u0417\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425"
                 "\u0430\u0435\u0437\u043e\u0440\u0441\u0443\u0445\u0455\u0456\u0458")


def code_point(ch):
    """'U+001A' for '\\x1a'."""
    return f"U+{ord(ch):04X}"


def is_hidden(ch):
    """True for a character that prints as nothing, or that LaTeX cannot typeset."""
    return unicodedata.category(ch) in HIDDEN


def label(ch):
    """One character as a table shows it: \\n, \\t, an open box for space, U+XXXX for hidden
    characters and other spaces (such as U+00A0), the character and its code point for one that
    looks like another (' U+0027 against \u2019 U+2019), a dotted circle under a lone combining mark."""
    if ch in NAMED:
        return NAMED[ch]
    kind = unicodedata.category(ch)
    if kind in HIDDEN or kind == "Zs":
        return code_point(ch)
    if ch in CONFUSABLE:
        return f"{ch} {code_point(ch)}"
    return "\u25cc" + ch if kind.startswith("M") else ch


def printable(text):
    """Running text with every hidden character except newline and tab written as [U+XXXX]."""
    if text.isprintable():                   # the common case, in one fast pass
        return text
    return "".join(f"[{code_point(ch)}]" if ch not in "\n\t" and is_hidden(ch) else ch
                   for ch in text)


def shown(text):
    """A sample or passage for a plain-text line: printable, with spaces as an open box and newlines
    as a return arrow when the text is nothing but whitespace (it would otherwise look empty)."""
    text = printable(text)
    if text.strip():
        return text
    return text.replace(" ", NAMED[" "]).replace("\n", "\u21b5").replace("\t", "\u2192") or "(nothing)"


def md(text):
    """Text for one line of Markdown (a table cell or a sentence): printable, newlines shown
    as a return arrow, and Markdown's special characters backslash-escaped, so that pandoc
    (for LaTeX) and Jupyter both show them literally."""
    text = printable(text).replace("\n", "\u21b5").replace("\t", "\u2192")
    return "".join("\\" + ch if ch in MARKDOWN_SPECIAL else ch for ch in text)


def vocabulary_table(chars, per_row=10):
    """A Markdown table of `chars` in index order, `per_row` to a row, each shown by `label`."""
    head = "| index | " + " | ".join(f"+{j}" for j in range(per_row)) + " |"
    rows = [head, "|---:|" + ":---:|" * per_row]
    for start in range(0, len(chars), per_row):
        cells = [md(label(ch)) for ch in chars[start:start + per_row]]
        cells += [""] * (per_row - len(cells))
        rows.append(f"| {start} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def describe(chars):
    """What a vocabulary's characters are, in words: '52 Latin letters, 10 digits, 31 punctuation
    marks and symbols, and 2 whitespace characters'. chars: the distinct characters."""
    groups = {}
    for ch in chars:
        kind = unicodedata.category(ch)
        if kind.startswith("L"):
            script = unicodedata.name(ch, "OTHER").split()[0].capitalize()
            key = f"{script} letter"
        else:
            key = {"N": "digit", "P": "punctuation mark", "S": "symbol", "Z": "whitespace character",
                   "M": "combining mark"}.get(kind[0], "control or other character")
            key = "whitespace character" if ch in "\n\t" else key
        groups[key] = groups.get(key, 0) + 1
    parts = [f"{n} {key}{'s' if n != 1 else ''}" for key, n in sorted(groups.items(), key=lambda kv: -kv[1])]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
