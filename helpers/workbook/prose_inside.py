"""The sentences of `07_inside`, chosen by the numbers they describe (see helpers.workbook.prose)."""
import numpy as np

from helpers.inside import TRACKS, tracks
from helpers.workbook.prose import SAME_BITS, upper, versus

A = {"capital after a newline": "a capital after a newline", "first letter of a word": "the first letter of a word",
     "later letter of a word": "a later letter of a word", "space": "a space", "newline": "a newline",
     "punctuation mark": "a punctuation mark", "other character": "any other character"}


def gram(n):
    return "unigram" if n == 1 else f"{n}-gram"


def grams(orders):
    """'2-gram', '2-gram and 3-gram', '2-gram, 3-gram and 5-gram'."""
    names = [gram(n) for n in orders]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def sees(n):
    return "no context" if n == 0 else "the last character" if n == 1 else f"the last {n} characters"


def counting_verdict(counted, rnn_bits, m, gated_kind=None, gated_bits=None):
    """Network against counting on the test part. counted: {order: bits}; rnn_bits: the course's
    RNN with m units; gated_bits: the best gated model's (or None)."""
    best_n = min(counted, key=counted.get)
    beaten_by = sorted(n for n, b in counted.items() if versus(b, rnn_bits) < 0)
    if not beaten_by and versus(counted[best_n], rnn_bits) == 0:
        text = (f"Neither wins: the network's {rnn_bits:.2f} bits per character and the best count model's, the "
                f"{gram(best_n)}'s {counted[best_n]:.2f}, are about the same (within {SAME_BITS} bits).")
    elif not beaten_by:
        text = (f"The network wins: its {rnn_bits:.2f} bits per character beat every count model; the best, "
                f"the {gram(best_n)}, reaches {counted[best_n]:.2f}.")
    else:
        first = beaten_by[0]
        text = "Counting wins. " + (
            f"The network's {rnn_bits:.2f} bits per character beat the {gram(first - 1)} "
            f"({counted[first - 1]:.2f}), which predicts from {sees(first - 2)}, but not the {gram(first)} "
            f"({counted[first]:.2f}), which predicts from {sees(first - 1)}. " if first > 1 else
            f"Even the unigram ({counted[1]:.2f}) beats the network's {rnn_bits:.2f} bits per character. ")
        text += (f"The best count model, the {gram(best_n)}, reaches {counted[best_n]:.2f}. To beat it the "
                 f"network must shed {rnn_bits - counted[best_n]:.2f} bits per character, "
                 f"{(rnn_bits - counted[best_n]) / rnn_bits:.0%} of its loss. Its only memory is {m} numbers "
                 f"trained through 25-character windows; a wider state, longer windows and gated cells that "
                 f"keep information longer are the usual remedies.")
    if gated_bits is None:
        return text
    margin = counted[best_n] - gated_bits
    if versus(gated_bits, counted[best_n]) == 0:
        return text + (f" The best gated model, the {upper(gated_kind)}, scores {gated_bits:.2f}: about the same as "
                       f"the {gram(best_n)} (within {SAME_BITS} bits per character).")
    if margin > 0:
        return text + (f" The best gated model, the {upper(gated_kind)}, scores {gated_bits:.2f}: it beats every "
                       f"count model, the {gram(best_n)} by {margin:.2f} bits per character.")
    worse = sorted(n for n, b in counted.items() if b > gated_bits)
    better = sorted(n for n, b in counted.items() if b <= gated_bits)
    return text + (f" The best gated model, the {upper(gated_kind)}, scores {gated_bits:.2f}: "
                   + (f"it beats the {grams(worse)} but not the {grams(better)}; the best of them, the "
                      f"{gram(best_n)}, is {-margin:.2f} bits per character better." if worse else
                      "it beats none of them."))


def surprisal_by_kind(table, total_chars):
    """Which kinds of character are easy and hard. table: {kind: (count, mean bits)}."""
    easy, hard = min(table, key=lambda k: table[k][1]), max(table, key=lambda k: table[k][1])
    text = (f"The network is most confident predicting {A[easy]} ({table[easy][1]:.2f} bits on average) and "
            f"least predicting {A[hard]} ({table[hard][1]:.2f} bits). ")
    first, later = table.get("first letter of a word"), table.get("later letter of a word")
    if first and later:
        total = sum(n * b for n, b in table.values())
        ratio = first[1] / later[1]
        text += (f"Once a word has begun, its later letters cost {later[1]:.2f} bits each; choosing how a word "
                 f"starts costs {first[1]:.2f}, {ratio:.1f} times {'as much' if ratio >= 1 else 'less'}"
                 f"{'' if ratio >= 1 else ' (in reverse)'}. First letters are {first[0] / total_chars:.0%} of "
                 f"the characters and carry {first[0] * first[1] / total:.0%} of all surprisal.")
    return text


def _progress(kind, v):
    """How far the surprisal curve v of `kind` had come by the first snapshot after the start."""
    fall = v[0] - v[-1]
    done = (v[0] - v[1]) / fall
    if v[1] > v[0]:
        return f"{A[kind]} had first risen, to {v[1]:.2f} bits, before it fell to {v[-1]:.2f}"
    if done > 1:
        return (f"{A[kind]} had already fallen from {v[0]:.2f} to {v[1]:.2f} bits, lower than where "
                f"it ended ({v[-1]:.2f})")
    return f"{A[kind]} had made {done:.0%} of its whole fall (from {v[0]:.2f} to {v[-1]:.2f} bits)"


def learned_first(curves, every, scored, of, falls_at_least=0.25):
    """What is learned first. curves: {kind: [mean bits at each snapshot]}; every: steps between
    them; scored: the test characters each snapshot is scored on, of the `of` the table above scores."""
    part = "the same characters as the table above" if scored == of else f"the test part's first {scored:,} characters"
    text = f"Snapshots were saved every {every:,} steps, and each is scored on {part}. "
    moving = {k: (v[0] - v[1]) / (v[0] - v[-1]) for k, v in curves.items() if v[0] - v[-1] >= falls_at_least}
    if len(moving) >= 2:
        fast, slow = max(moving, key=moving.get), min(moving, key=moving.get)
        text += (f"By the first of them, the surprisal of {_progress(fast, curves[fast])}, while that of "
                 f"{_progress(slow, curves[slow])}. ")
    elif moving:
        (only,) = moving
        text += f"By the first of them, the surprisal of {_progress(only, curves[only])}. "
    flat = [k for k in curves if k not in moving]
    if flat:
        names = [A[k] for k in flat]
        names = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        text += (f"The surprisal of {names} fell by less than {falls_at_least} bits "
                 f"(or rose) over the whole run.")
    return text


def units_summary(best, per_unit, flip, gated_kind=None):
    """The clearest unit, how many track anything, oscillating units, and what the gated model has.

    best: {property: (unit, r)}; per_unit: (m,) each unit's largest |r|; flip: (m,) bool."""
    top = max(best, key=lambda n: abs(best[n][1]))
    unit, r = best[top]
    if tracks(r):
        text = f"The clearest unit is {unit}, for *{top}* (r = {r:+.2f}). "
    else:
        text = (f"No unit tracks any of these properties: the strongest correlation, unit {unit}'s with *{top}*, "
                f"is r = {r:+.2f}, below the |r| = {TRACKS} from which this report says a unit tracks one. ")
    text += (f"{int(np.sum(per_unit > 0.5))} of the {len(per_unit)} units "
             f"{'correlates' if np.sum(per_unit > 0.5) == 1 else 'correlate'} above 0.5 in absolute value "
             f"with some property; the median unit reaches only {np.median(per_unit):.2f}. ")
    if flip.any():
        text += (f"{int(flip.sum())} unit{'s flip their' if flip.sum() > 1 else ' flips its'} sign at every "
                 f"character (activations one step apart correlate below -0.9), tracking none of the "
                 f"properties above |r| = {per_unit[flip].max():.2f}. ")
    if np.mean(per_unit > 0.5) < 0.1:
        text += "Units with a simple name are the exception here, as Karpathy and colleagues found too. "
    text += "A vanilla RNN has no cell state or gates to inspect"
    if gated_kind == "lstm":
        return text + "; the LSTM below has both."
    if gated_kind == "gru":
        return text + "; the GRU below has gates, though no cell state apart from its hidden one."
    return text + "."


def gated_clearest(kind, prop, r_gated, r_rnn):
    """The gated model's strongest unit on `prop` against the RNN's best on the same property."""
    if not tracks(r_gated):
        return (f"No unit of the {upper(kind)} tracks a property either: its strongest, on *{prop}*, reaches "
                f"|r| = {abs(r_gated):.2f}, below {TRACKS} (the RNN's best on it: {abs(r_rnn):.2f}).")
    return (f"Its clearest unit tracks *{prop}* with |r| = {abs(r_gated):.2f}, against {abs(r_rnn):.2f} for "
            f"the RNN's best unit on the same property.")
