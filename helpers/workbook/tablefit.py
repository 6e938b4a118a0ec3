"""Markdown tables sized for the PDF page: column widths chosen from what the cells hold.

Pandoc sets a pipe table at its natural width when no line of its source is longer than its
--columns, and otherwise spreads it over the whole text width, each column's share in proportion
to the dashes under its header. The report runs pandoc with PANDOC_ARGS, a --columns no table
line reaches, and `fit_markdown` rewrites the separator of each table too wide for the page:
headers and text labels may wrap (labels onto two lines), numbers never do. Widths are estimates
in em of the report's table font (\\small DejaVu Serif, report/template/index.tex.j2).
A table is also kept together with the short paragraph before it (its caption) where it is short
enough that moving it to the next page leaves its page at least half full.
"""
import copy
import math
import re
import unicodedata

COLUMNS = 1000                       # pandoc's --columns: a longer line asks for relative widths
PANDOC_ARGS = [f"--columns={COLUMNS}"]
LINE_EM = 469.75 / 9.2               # \linewidth (6.5 in) in em of the table font (10 pt x 0.92)
GAP_EM = 12 / 9.2                    # 2 \tabcolsep between two columns
KEEP_LINES = 20                      # a table this tall or less is not split from its caption
CAPTION_CHARS = 400                  # a paragraph this short before a table is its caption
HEADING_LINES = 3                    # lines a heading and the space around it take
FIGURE_SPACE = "0.4\\textheight"       # a heading before a figure: room for a typical one below it
SEPARATOR = re.compile(r"^\s*\|?(\s*:?-+:?\s*\|)*\s*:?-+:?\s*\|?\s*$")
MARKUP = re.compile(r"\\(?=[^\w\s])|\*\*|[*`$]")          # escapes, emphasis, code, math signs
CELL = re.compile(r"(?<!\\)\|")
WIDE = {"%": 0.95, "m": 0.95, "M": 1.0, "W": 1.0, "w": 0.82, "@": 1.0, "—": 1.0, "…": 1.0}   # DejaVu's widest


def em(text):
    """Estimated width of a Markdown cell's text in em, from DejaVu Serif's advances: a space
    0.32, a digit 0.64, a capital 0.74, the WIDE ones their own, others 0.6 at most, East Asian
    wide characters a full em."""
    plain = MARKUP.sub("", text)
    return sum(WIDE.get(c) or (1.0 if unicodedata.east_asian_width(c) in "WF" else 0.32 if c == " "
                               else 0.74 if c.isupper() else 0.64 if c.isdigit() else 0.6) for c in plain)


def two_lines(text):
    """The narrowest width (em) that sets `text` on at most two lines, broken at a space."""
    words = text.split(" ")
    return min(max(em(" ".join(words[:i])), em(" ".join(words[i:]))) for i in range(1, len(words) + 1))


def cells(line):
    """The stripped cells of one table row ('| a | b |' -> ['a', 'b'])."""
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [c.strip() for c in CELL.split(inner)]


def wraps(spec):
    """May a column with this separator cell (':---', '---:', ':-:') wrap? Only left-aligned text."""
    return not spec.endswith(":")


def column_widths(header, rows, specs):
    """Each column's share of the text width, or None when the table fits at its natural width.

    header: n cells; rows: lists of n cells; specs: n separator cells. A column may shrink to its
    header's longest word, and to two lines of its widest label if it wraps, else to its widest
    cell. The room left sets labels on one line first, then headers on fewer lines."""
    columns = list(zip(header, *rows))
    room = LINE_EM - (len(header) - 1) * GAP_EM
    natural = [max(map(em, col)) for col in columns]
    if sum(natural) <= room:
        return None
    head = [max(map(em, col[0].split(" "))) for col in columns]
    body = [max(map(em, col[1:]), default=0) for col in columns]
    least = [max([h] + [two_lines(c) if wraps(spec) else em(c) for c in col[1:]])
             for h, col, spec in zip(head, columns, specs)]
    widths = least
    for wanted in ([max(h, b) for h, b in zip(head, body)], natural):   # labels, then headers
        widths = fill(widths, wanted, room)
    return [w / sum(widths) for w in widths]


def fill(widths, wanted, room):
    """`widths` grown towards `wanted` (never shrunk) within `room`, each in proportion to its lack."""
    lack = [max(w - x, 0) for x, w in zip(widths, wanted)]
    give = min(1, max(room - sum(widths), 0) / sum(lack)) if sum(lack) else 0
    return [x + give * d for x, d in zip(widths, lack)]


def height(header, rows, shares):
    """Estimated lines a table takes: rules and header, and each row at its widest cell."""
    if shares is None:
        return 3 + len(rows)
    room = LINE_EM - (len(header) - 1) * GAP_EM
    def lines(row):
        return max(math.ceil(em(c) / (s * room) + 0.01) for c, s in zip(row, shares))
    return 2 + lines(header) + sum(map(lines, rows))


def separator(specs, shares):
    """A separator line whose dashes give pandoc `shares`, longer than COLUMNS so that it does."""
    def one(spec, share):
        dashes = "-" * max(3, round(share * 2 * COLUMNS))
        return (":" if spec.startswith(":") else "") + dashes + (":" if spec.endswith(":") else "")
    return "|" + "|".join(one(s, x) for s, x in zip(specs, shares)) + "|"


def tables(lines):
    """(start, stop) line ranges of the pipe tables in `lines`: header, separator and rows."""
    i = 0
    while i + 1 < len(lines):
        if lines[i].lstrip().startswith("|") and "|" in lines[i + 1] and SEPARATOR.match(lines[i + 1]):
            stop = i + 2
            while stop < len(lines) and "|" in lines[stop] and lines[stop].strip():
                stop += 1
            yield i, stop
            i = stop
        else:
            i += 1


def fit_table(lines):
    """One table's lines, its separator rewritten where it is too wide; and its height in lines."""
    header, specs = cells(lines[0]), cells(lines[1])
    rows = [(cells(line) + [""] * len(header))[:len(header)] for line in lines[2:]]
    shares = column_widths(header, rows, specs)
    fitted = lines if shares is None else [lines[0], separator(specs, shares), *lines[2:]]
    return fitted, height(header, rows, shares)


def keep_together(lines, start, table_lines):
    """Where a \\needspace goes before the table at `start` (before a short caption paragraph
    just above it, if any) and the lines to ask for; None for a table that may split."""
    end = start
    while end > 0 and not lines[end - 1].strip():              # the blank lines above the table
        end -= 1
    top = end
    while top > 0 and lines[top - 1].strip():                  # the paragraph above them
        top -= 1
    caption = " ".join(lines[top:end])
    if not caption or len(caption) > CAPTION_CHARS:
        top, caption = start, ""
    need = table_lines + math.ceil(len(caption) / 90)
    return (top, need) if need <= KEEP_LINES else None


def fit_markdown(text):
    """`text` (Markdown) with every pipe table sized for the page and kept with its caption."""
    lines = text.split("\n")
    for start, stop in reversed(list(tables(lines))):           # from the end: indices hold
        fitted, table_lines = fit_table(lines[start:stop])
        lines[start:stop] = fitted
        keep = keep_together(lines, start, table_lines)
        if keep:
            lines[keep[0]:keep[0]] = [f"\\needspace{{{keep[1]}\\baselineskip}}", ""]
    return "\n".join(lines)


def fit_notebook(nb):
    """A copy of notebook `nb` whose Markdown cells and Markdown outputs are fitted for the PDF."""
    nb = copy.deepcopy(nb)
    for before, cell in zip([None, *nb.cells], nb.cells):
        if cell.cell_type == "markdown":
            cell.source = fit_markdown(cell.source)
        for output in cell.get("outputs", []):
            if "text/markdown" in output.get("data", {}):
                output.data["text/markdown"] = fit_markdown(output.data["text/markdown"])
        if before is not None and before.cell_type == "markdown":
            before.source = keep_heading(before.source, cell)
    return nb


def keep_heading(source, cell):
    """`source` (a Markdown cell) with a \\needspace before a heading that ends it, when `cell`, the
    cell after it, opens with a table kept together or a figure: so the heading moves to the page
    they move to, instead of staying alone at the bottom of the page before."""
    lines = source.rstrip().split("\n")
    outputs = [o.get("data", {}) for o in cell.get("outputs", []) if o.get("data")]
    if not outputs or not lines[-1].startswith("#"):
        return source
    need = re.match(r"\\needspace\{(\d+)\\baselineskip\}", outputs[0].get("text/markdown", ""))
    if need:
        space = f"{int(need.group(1)) + HEADING_LINES}\\baselineskip"
    elif "image/png" in outputs[0]:
        space = FIGURE_SPACE
    else:
        return source
    lines[-1:-1] = [f"\\needspace{{{space}}}", ""]
    return "\n".join(lines)
