"""Figures of text coloured character by character (surprisal, a unit's activation, predictions).

They are matplotlib figures, not HTML, so they show in Jupyter and in the PDF alike.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import Normalize
from matplotlib.patches import Rectangle

from helpers.inside import r_text, tracks
from helpers.workbook.config import FIGURES
from helpers.workbook.visible import CONFUSABLE, label

FONT = dict(family="DejaVu Sans Mono", ha="center", va="center")
GLYPH = {"\n": "\u21b5", "\t": "\u2192"}                  # newline and tab get a visible cell
STILL = 1e-3   # a unit whose activation moves less than this over the passage is shown as constant


def glyph(ch):
    """One printable character standing for `ch` in a grid cell."""
    if ch in GLYPH:
        return GLYPH[ch]
    shown = label(ch)
    if ch == " " or ch in CONFUSABLE:              # a grid cell shows the glyph itself; tables give code points
        return ch
    return shown if len(shown) == 1 else "\u00a4"


def layout(text, width):
    """(row, column) of each character: lines end after a newline or at `width` characters."""
    rows, cols, r, c = [], [], 0, 0
    for ch in text:
        rows.append(r)
        cols.append(c)
        c += 1
        if ch == "\n" or c == width:
            r, c = r + 1, 0
    return np.array(rows), np.array(cols)


def extent(text, width):
    """(rows, columns) the grid of `text` needs: the longest line sets the columns."""
    rows, cols = layout(text, width)
    return (rows.max() + 1, cols.max() + 1) if len(rows) else (1, 1)


def draw_text(ax, text, colours, width=80, fontsize=7):
    """Draw `text` on `ax` in a character grid, each cell filled with its colour (n, 4)."""
    rows, cols = layout(text, width)
    for ch, r, c, col in zip(text, rows, cols, colours):
        ax.add_patch(Rectangle((c, -r - 1), 1, 1, color=col, lw=0))
        ax.text(c + 0.5, -r - 0.5, glyph(ch), fontsize=fontsize, **FONT)
    n_rows, n_cols = extent(text, width)
    ax.set_xlim(0, n_cols)
    ax.set_ylim(-n_rows, 0)
    ax.axis("off")


def coloured_text(text, values, path=None, title="", cmap="Reds", vmin=None, vmax=None,
                  label_="", width=80):
    """One passage coloured by a value per character, with a colour bar."""
    rows, cols = extent(text, width)
    fig, ax = plt.subplots(figsize=(1.2 + cols * 0.11, 0.6 + 0.19 * rows))
    norm = Normalize(np.min(values) if vmin is None else vmin, np.max(values) if vmax is None else vmax)
    colours = plt.get_cmap(cmap)(norm(values))
    draw_text(ax, text, colours, width)
    fig.colorbar(plt.cm.ScalarMappable(norm, cmap), ax=ax, label=label_, fraction=0.02, pad=0.01)
    ax.set_title(title, fontsize=9, loc="left")
    return _save(fig, path)


def units_passages(text, H, best, path=None, width=80):
    """For each property, its best unit's activation (tanh, -1 to 1) over the same passage."""
    rows, cols = extent(text, width)
    fig, axes = plt.subplots(len(best), 1, figsize=(1.2 + cols * 0.11, len(best) * (0.5 + 0.19 * rows)),
                             layout="constrained")       # room for each title above its strip
    axes = np.atleast_1d(axes)
    norm, cmap = Normalize(-1, 1), plt.get_cmap("coolwarm")
    for ax, (name, (unit, r)) in zip(axes, best.items()):
        draw_text(ax, text, cmap(norm(H[:len(text), unit])), width)
        ax.set_title(strip_title(name, unit, r, H[:len(text), unit]), fontsize=9, loc="left")
    fig.colorbar(plt.cm.ScalarMappable(norm, cmap), ax=axes, label="activation", fraction=0.02, pad=0.01)
    return _save(fig, path)


def strip_title(name, unit, r, values):
    """The title of one unit's strip: its property, unit and r (see helpers.inside.r_text), saying
    when the unit tracks nothing (|r| below TRACKS) and when its activation, values (n,), stays
    constant over the passage shown, so the strip shows nothing."""
    head = f"{name}: unit {unit}, {r_text(r)}" + ("" if tracks(r) else ", so no unit tracks it")
    if len(values) and np.ptp(values) < STILL:
        return head + f"; its activation is constant here ({np.mean(values):+.2f}), the strip shows nothing"
    return head


def top_predictions(text, P, chars, path=None, k=5):
    """The blog's picture: each character of `text` on top, and under it the k characters the
    model thought most likely to come next, shaded by probability. P: (n, K) for the first n
    characters; text holds one more, the last one's successor."""
    fig, ax = plt.subplots(figsize=(0.32 * len(P), 0.32 * (k + 1) + 0.4))
    cmap = plt.get_cmap("Greens")
    for c, ch in enumerate(text[:len(P)]):
        ax.add_patch(Rectangle((c, -1), 1, 1, color="0.85", lw=0))
        ax.text(c + 0.5, -0.5, glyph(ch), fontsize=9, weight="bold", **FONT)
        for j, w in enumerate(np.argsort(-P[c])[:k]):
            hit = c + 1 < len(text) and chars[w] == text[c + 1]
            ax.add_patch(Rectangle((c, -j - 2), 1, 1, color=cmap(P[c, w]), lw=0))
            ax.add_patch(Rectangle((c + 0.04, -j - 1.96), 0.92, 0.92, fill=False,
                                   ec="k" if hit else "none", lw=0.8))
            ax.text(c + 0.5, -j - 1.5, glyph(chars[w]), fontsize=8, **FONT)
    ax.set_xlim(0, len(P))
    ax.set_ylim(-k - 1, 0)
    ax.axis("off")
    ax.set_title(f"Each input character (top) and the {k} likeliest next ones, darker = more "
                 f"probable; a box marks the one that came", fontsize=8, loc="left")
    return _save(fig, path)


def _save(fig, path):
    """Save under `path`; a bare file name goes into FIGURES (figures/)."""
    if path is not None:
        fig.savefig(FIGURES / path, dpi=150, bbox_inches="tight")
    return fig
