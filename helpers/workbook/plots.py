"""Figures the notebooks show and save under figures/: a `path` that is a bare file name goes
into FIGURES (figures/, or FIGURES_DIR)."""
import matplotlib.pyplot as plt
import numpy as np

from helpers.workbook.config import FIGURES


def saved(name, width=700):
    """The figure FIGURES/name as an IPython Image, or None (nothing shown) when it was never made."""
    from IPython.display import Image
    return Image(FIGURES / name, width=width) if (FIGURES / name).exists() else None


def smooth_loss(history, seq_length, path=None, title="Smooth loss"):
    """Smooth loss per step in the course's unit (summed over seq_length characters), with
    nats per character on the right axis and the validation part's points."""
    fig, ax = plt.subplots(figsize=(7, 3.6))
    steps = np.arange(1, len(history.smooth_loss) + 1)
    ax.plot(steps, history.smooth_loss, lw=1, label="smooth training loss")
    if history.val:
        vs, vn = np.array(history.val).T
        ax.plot(vs, vn * seq_length, "o", ms=4, label="validation part")
    ax.set_xlabel("update step")
    ax.set_ylabel(f"loss summed over {seq_length} characters")
    right = ax.secondary_yaxis("right", functions=(lambda v: v / seq_length, lambda v: v * seq_length))
    right.set_ylabel("nats per character")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
    return _finish(fig, ax, path)


def curves(runs, path=None, xlabel="characters read", title=None):
    """Validation bits per character against `x` for several runs: {label: (x, bits)}."""
    return lines(runs, path, xlabel, "validation bits per character", title, logx=True)


def lines(series, path=None, xlabel="", ylabel="", title=None, logx=False):
    """One line with markers per entry of {label: (x, y)}."""
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for label, (x, y) in series.items():
        ax.plot(x, y, "o-", ms=3, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if logx:
        ax.set_xscale("log")
    ax.grid(alpha=0.3)
    outside(ax)
    return _finish(fig, ax, path, title)


def outside(ax, columns=2):
    """The legend under the axes (below the x label), where it cannot cover a line or a bar."""
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=columns, frameon=False)


def histogram(values, path=None, xlabel="", ylabel="", title=None, bins=20):
    """A histogram of `values` on [0, 1]."""
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.hist(values, bins=bins, range=(0, 1), color="tab:blue", edgecolor="white")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return _finish(fig, ax, path, title)


def benchmark(res, path):
    """Speed-ups per mode, and the cost's growth with m and tau (res as in benchmark.json)."""
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.8))
    t = res["throughput"]
    names = list(t)
    ratios = [t[n]["speedup_chars"] for n in names]
    axes[0].barh(names, ratios, color="tab:blue")
    for i, r in enumerate(ratios):
        axes[0].text(r, i, f" {r:.1f}x", va="center", fontsize=8)
    axes[0].axvline(1, color="k", lw=0.8)
    axes[0].set_xscale("log")
    axes[0].set_xlim(0.5, 4 * max(ratios))
    axes[0].set_xlabel("characters per second, x reference")
    axes[0].invert_yaxis()
    for key, ax, label in (("m", axes[1], "hidden size m"), ("tau", axes[2], "sequence length tau")):
        xs = [int(v) for v in res["scaling"][key]]
        for impl in ("reference", "vectorised"):
            ax.plot(xs, [r[impl] for r in res["scaling"][key].values()], "o-", label=impl)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks(xs, [str(x) for x in xs])
        ax.minorticks_off()
        ax.set_xlabel(label)
        ax.set_ylabel("update steps per second")
        ax.grid(alpha=0.3)
        ax.legend()
    _finish(fig, axes[0], path)


def saturation(fractions, path=None, title=None):
    """Karpathy et al.'s picture: for each gate, one point per unit at (fraction of time the gate
    is closed, below 0.1; fraction open, above 0.9). fractions: {gate: (left (m,), right (m,))}."""
    fig, axes = plt.subplots(1, len(fractions), figsize=(3.2 * len(fractions), 3.3), squeeze=False)
    for ax, (gate, (left, right)) in zip(axes[0], fractions.items()):
        ax.plot([0, 1], [1, 0], color="0.7", lw=0.8)
        ax.scatter(left, right, s=8, alpha=0.6)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel("fraction of time below 0.1")
        ax.set_title(f"{gate} gate", fontsize=10)
    axes[0][0].set_ylabel("fraction of time above 0.9")
    fig.suptitle(title or "")
    return _finish(fig, axes[0][0], path)


def protocols(static, adaptive, path=None, title=None, reference=None):
    """Bits per character by model, frozen against learning as it reads: {label: bits} each,
    adaptive's labels a subset of static's (a model missing there is drawn frozen only);
    reference: (label, bits) drawn as a vertical line, e.g. the best compressor."""
    fig, ax = plt.subplots(figsize=(7, 1.2 + 0.35 * len(static)))
    y = np.arange(len(static))
    ax.barh(y + 0.2, list(static.values()), 0.4, label="static: frozen after training")
    both = [i for i, k in enumerate(static) if k in adaptive]
    ax.barh(y[both] - 0.2, [adaptive[k] for k in static if k in adaptive], 0.4,
            label="adaptive: learns each character once it is scored")
    if reference is not None:
        ax.axvline(reference[1], color="k", ls="--", lw=1, label=reference[0])
    ax.set_yticks(y, list(static))
    ax.invert_yaxis()
    ax.set_xlabel("test bits per character")
    ax.grid(axis="x", alpha=0.3)
    outside(ax)
    return _finish(fig, ax, path, title)


def _finish(fig, ax, path, title=None):
    """Title, tight layout, and the file under `path` when given."""
    if title:
        ax.set_title(title)
    fig.tight_layout()
    if path is not None:
        fig.savefig(FIGURES / path, dpi=150)
    return fig
