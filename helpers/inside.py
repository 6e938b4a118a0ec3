"""Looking inside a trained character model: surprisal per character, kinds of characters, and
hidden units that track properties a person can name (after Karpathy, Johnson and Fei-Fei, 2015).

Surprisal is -log2 p(x_{t+1} | x_1..x_t) in bits; its mean over a text is the bits per character.
"""
import unicodedata

import numpy as np

from helpers import loss, models, rnn

TRACKS = 0.3   # |r| from which a unit is said to track a property; below it, none does
FAINT = 0.01   # |r| below this is printed as '|r| < 0.01', never as a rounded 'r = 0.00'

KINDS = ("capital after a newline", "first letter of a word", "later letter of a word", "space",
         "newline", "punctuation mark", "digit, symbol or other")   # the last: none of the others


def read(params, ids, chunk=1000, keep_probs=False):
    """Read `ids` as one stream from h = 0: surprisal, hidden states and (optionally) predictions.

    ids: (n,) int. Returns bits (n-1,): the surprisal of ids[1:]; H (n-1, m): the hidden state
    after each of ids[:-1]; P (n-1, K) the predicted distributions, or None.
    """
    ids = np.asarray(ids)
    m = params["W"].shape[0]
    h = np.zeros((m, 1), dtype=params["W"].dtype)
    bits, states, probs = [], [], []
    for s in range(0, len(ids) - 1, chunk):
        X, Y = ids[s:s + chunk + 1][:-1, None], ids[s + 1:s + chunk + 1]
        H, O, h = rnn.forward(params, X, h)
        bits.append(loss.cross_entropy(O, Y) / np.log(2))
        states.append(H[1:, 0])
        probs.append(loss.softmax(O) if keep_probs else None)
    return np.concatenate(bits), np.concatenate(states), np.concatenate(probs) if keep_probs else None


def char_kinds(text):
    """(n,) index into KINDS for every character of `text` (the kind of the character itself)."""
    out = np.empty(len(text), dtype=np.int64)
    prev = "\n"
    for i, ch in enumerate(text):
        if ch.isalpha():
            out[i] = 0 if prev == "\n" and ch.isupper() else 1 if not prev.isalpha() else 2
        elif ch == " ":
            out[i] = 3
        elif ch == "\n":
            out[i] = 4
        else:
            out[i] = 5 if unicodedata.category(ch).startswith("P") else 6
        prev = ch
    return out


def by_kind(bits, kinds, at_least=1):
    """{kind: (count, mean bits)} for the kinds seen at least `at_least` times; bits and kinds: (n,) aligned."""
    counts = np.bincount(kinds, minlength=len(KINDS))
    sums = np.bincount(kinds, weights=bits, minlength=len(KINDS))
    return {KINDS[i]: (int(counts[i]), sums[i] / counts[i]) for i in range(len(KINDS)) if counts[i] >= max(at_least, 1)}


def correlations(H, props):
    """{name: (m,) Pearson correlation of each hidden unit with the property}; H: (n, m)."""
    Hz = (H - H.mean(axis=0)) / np.where(H.std(axis=0) > 1e-12, H.std(axis=0), np.inf)
    out = {}
    for name, p in props.items():
        pz = (p - p.mean()) / (p.std() if p.std() > 0 else np.inf)
        out[name] = Hz.T @ pz / len(p)
    return out


def best_units(corr):
    """{name: (unit, r)}: the unit whose activation correlates most (in absolute value); whether
    it tracks the property is `tracks(r)`."""
    return {name: (int(np.argmax(np.abs(r))), float(r[np.argmax(np.abs(r))])) for name, r in corr.items()}


def tracks(r):
    """True when a correlation r is strong enough (|r| >= TRACKS) to say a unit tracks a property."""
    return abs(r) >= TRACKS


def r_text(r, label="r = "):
    """'r = +0.25' for a correlation r, '|r| < 0.01' when |r| < FAINT. label '' gives a table's cell
    ('+0.25'); a label starting with '|' gives the size alone ('|r| = 0.25')."""
    if abs(r) < FAINT:
        return f"|r| < {FAINT}"
    return f"{label}{abs(r):.2f}" if label.startswith("|") else f"{label}{r:+.2f}"


def flipping(H, below=-0.9):
    """(m,) bool: units whose activations one step apart correlate below `below`, i.e. that flip
    sign at every character (a period-2 oscillation); H: (n, m)."""
    Hz = (H - H.mean(axis=0)) / np.where(H.std(axis=0) > 1e-12, H.std(axis=0), np.inf)
    return np.mean(Hz[1:] * Hz[:-1], axis=0) < below


def showcase(text, props, length, search=20_000):
    """The start of a line within the first `search` characters from which the next `length`
    characters hold every on/off property both on and off (else the first line start)."""
    starts = [i + 1 for i, ch in enumerate(text[:search]) if ch == "\n" and i + 1 + length <= len(text)]
    binary = [p for p in props.values() if set(np.unique(p)) <= {0.0, 1.0}]
    for s in starts:
        if all(0.05 < p[s:s + length].mean() < 0.95 for p in binary):
            return s
    return starts[0] if starts else 0


def read_gated(kind, params, ids, chunk=1000):
    """Read `ids` as one stream through the gated model `kind` ('lstm' or 'gru') from zero.

    Returns H (n-1, m), the hidden state after each of ids[:-1]; C (n-1, m), the cell states
    (None for a GRU); and {gate: (n-1, m)} the gates' activations at each step.
    """
    module, ids = models.get(kind), np.asarray(ids)
    state = module.zero_state(params, 1)
    H, C, G = [], [], {}
    for s in range(0, len(ids) - 1, chunk):
        cache, _, state = module.forward(params, ids[s:s + chunk + 1][:-1, None], state)
        H.append(cache[-1][1:, 0].copy())
        cells = module.cells(cache)
        C.append(None if cells is None else cells[:, 0].copy())
        for gate, v in module.gates(cache).items():
            G.setdefault(gate, []).append(v[:, 0].copy())
    C = None if C[0] is None else np.concatenate(C)
    return np.concatenate(H), C, {g: np.concatenate(v) for g, v in G.items()}


def saturation(gates, low=0.1, high=0.9):
    """{gate: (left (m,), right (m,))}: the fraction of steps each unit's gate is below `low`
    (closed) and above `high` (open)."""
    return {g: (np.mean(v < low, axis=0), np.mean(v > high, axis=0)) for g, v in gates.items()}
