"""Figures the notebooks show and save under figures/."""
import matplotlib.pyplot as plt
import numpy as np


def smooth_loss(history, seq_length, path=None, title="Smooth loss"):
    """Smooth loss per step in the course's unit (summed over seq_length characters), with
    nats per character on the right axis and held-out validation points."""
    fig, ax = plt.subplots(figsize=(7, 3.6))
    steps = np.arange(1, len(history.smooth_loss) + 1)
    ax.plot(steps, history.smooth_loss, lw=1, label="smooth training loss")
    if history.val:
        vs, vn = np.array(history.val).T
        ax.plot(vs, vn * seq_length, "o", ms=4, label="validation (held out)")
    ax.set_xlabel("update step")
    ax.set_ylabel(f"loss summed over {seq_length} characters")
    right = ax.secondary_yaxis("right", functions=(lambda v: v / seq_length, lambda v: v * seq_length))
    right.set_ylabel("nats per character")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=150)
    return fig


def curves(runs, path=None, xlabel="characters read", title=None):
    """Validation bits per character against `x` for several runs: {label: (x, bits)}."""
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for label, (x, bits) in runs.items():
        ax.plot(x, bits, "o-", ms=3, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("validation bits per character")
    ax.set_xscale("log")
    ax.grid(alpha=0.3)
    ax.legend()
    if title:
        ax.set_title(title)
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=150)
    return fig
