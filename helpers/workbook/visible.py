"""Showing a corpus's characters safely, in Jupyter and in the LaTeX-built PDF alike.

A user's text may hold control characters (a 0x1A end-of-file byte), invisible ones (zero-width
joiners, soft hyphens) and characters special to Markdown or LaTeX. Raw, the first stop xelatex
and the last break tables. Here they become visible stand-ins or code points such as U+001A.
"""
import unicodedata

NAMED = {"\n": "\\n", "\t": "\\t", " ": "\u2423"}     # newline, tab, space (an open box)
HIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}      # control, format, unassigned, separators
MARKDOWN_SPECIAL = set("\\`*_{}[]()<>#+-.!|$~^&%\"'=:;@/?,")


def code_point(ch):
    """'U+001A' for '\\x1a'."""
    return f"U+{ord(ch):04X}"


def is_hidden(ch):
    """True for a character that prints as nothing, or that LaTeX cannot typeset."""
    return unicodedata.category(ch) in HIDDEN


def label(ch):
    """One character as a table shows it: \\n, \\t, an open box for space, U+XXXX for hidden
    characters and other spaces (such as U+00A0), a dotted circle under a lone combining mark."""
    if ch in NAMED:
        return NAMED[ch]
    kind = unicodedata.category(ch)
    if kind in HIDDEN or kind == "Zs":
        return code_point(ch)
    return "\u25cc" + ch if kind.startswith("M") else ch


def printable(text):
    """Running text with every hidden character except newline and tab written as [U+XXXX]."""
    if text.isprintable():                   # the common case, in one fast pass
        return text
    return "".join(f"[{code_point(ch)}]" if ch not in "\n\t" and is_hidden(ch) else ch
                   for ch in text)


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
