"""The sentences of `07_inside`, chosen by the numbers they describe (see helpers.workbook.prose)."""
import numpy as np

from helpers.inside import FAINT, TRACKS, r_text, tracks
from helpers.textprops import RARE
from helpers.workbook.prose import SAME_BITS, listed, no_better_than_uniform, uniform, upper, versus

A = {"capital after a newline": "a capital after a newline", "first letter of a word": "the first letter of a word",
     "later letter of a word": "a later letter of a word", "space": "a space", "newline": "a newline",
     "punctuation mark": "a punctuation mark", "digit, symbol or other": "a digit, symbol or other character"}


def gram(n):
    return "unigram" if n == 1 else f"{n}-gram"


def grams(orders):
    """'2-gram', '2-gram and 3-gram', '2-gram, 3-gram and 5-gram'."""
    return listed(gram(n) for n in orders)


def sees(n):
    return "no context" if n == 0 else "the last character" if n == 1 else f"the last {n} characters"


def counting_verdict(counted, rnn_bits, m, gated_kind=None, gated_bits=None, K=None, quick_steps=None):
    """Network against counting on the test part. counted: {order: bits}; rnn_bits: the course's
    RNN with m units; gated_bits: the best gated model's (or None); K: the vocabulary's size, to
    say when no model beats a uniform guess instead of naming a winner; quick_steps: the RNN's
    updates in a QUICK=1 run (None otherwise), then named as the first cause of a loss."""
    scores = [*counted.values(), rnn_bits] + ([gated_bits] if gated_bits is not None else [])
    if no_better_than_uniform(scores, K):
        return uniform(K, "Every count model and network here") + ": none wins, for none predicts this test part."
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
                 f"{(rnn_bits - counted[best_n]) / rnn_bits:.0%} of its loss. " + remedies(m, quick_steps))
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


def remedies(m, quick_steps=None):
    """Why the RNN loses to counting: its short training first in a QUICK=1 run of `quick_steps`
    updates, else its small memory and the usual remedies."""
    memory = (f"its only memory is {m} numbers trained through 25-character windows; a wider state, longer "
              f"windows and gated cells that keep information longer are the usual remedies.")
    if quick_steps is None:
        return memory[0].upper() + memory[1:]
    return (f"The first cause is the short training: in this smoke-test run (QUICK=1) the comparison is from a "
            f"network trained for only {quick_steps:,} updates, not a finished one. Beyond that, " + memory)


def _kinds(kinds):
    """'a space', 'a space and a newline', 'a space, a newline and a digit, symbol or other character'."""
    return listed(A[k] for k in kinds)


def surprisal_by_kind(table, total_chars):
    """Which kinds of character are easy and hard, among those seen RARE times or more (a mean
    over fewer is no verdict). table: {kind: (count, mean bits)}."""
    seen = {k: v for k, v in table.items() if v[0] >= RARE}
    rare = [k for k in table if k not in seen]
    text = (f"Kinds seen fewer than {RARE} times here ({_kinds(rare)}) are too rare for a verdict. "
            if rare else "")
    if len(seen) >= 2:
        easy, hard = min(seen, key=lambda k: seen[k][1]), max(seen, key=lambda k: seen[k][1])
        text += (f"The network is most confident predicting {A[easy]} ({seen[easy][1]:.2f} bits on average) "
                 f"and least predicting {A[hard]} ({seen[hard][1]:.2f} bits). ")
    first, later = seen.get("first letter of a word"), seen.get("later letter of a word")
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


def learned_first(curves, every, scored, of, rare=(), falls_at_least=0.25):
    """What is learned first. curves: {kind: [mean bits at each snapshot]}; every: steps between
    them; scored: the test characters each snapshot is scored on, of the `of` the table above
    scores; rare: the kinds left out of the curves, seen fewer than RARE times in them."""
    part = "the same characters as the table above" if scored == of else f"the test part's first {scored:,} characters"
    text = f"Snapshots were saved every {every:,} steps, and each is scored on {part}. "
    if rare:
        text += f"Kinds seen fewer than {RARE} times there ({_kinds(rare)}) are left out of the figure. "
    moving = {k: (v[0] - v[1]) / (v[0] - v[-1]) for k, v in curves.items() if v[0] - v[-1] >= falls_at_least}
    if len(moving) >= 2:
        fast, slow = max(moving, key=moving.get), min(moving, key=moving.get)
        text += (f"By step {every:,}, the first snapshot after the start, the surprisal of "
                 f"{_progress(fast, curves[fast])}, while that of {_progress(slow, curves[slow])}. ")
    elif moving:
        (only,) = moving
        text += (f"By step {every:,}, the first snapshot after the start, the surprisal of "
                 f"{_progress(only, curves[only])}. ")
    flat = [k for k in curves if k not in moving]
    if flat:
        text += (f"The surprisal of {_kinds(flat)} fell by less than {falls_at_least} bits "
                 f"(or rose) over the whole run.")
    return text


EXCEPTION = 0.1   # a share of the units below which units that track a property are the exception


def _flippers(per_unit, flip):
    """The sentence on units that flip sign at every character, or ''; per_unit, flip: (m,)."""
    if not flip.any():
        return ""
    n, top = int(flip.sum()), per_unit[flip].max()
    text = (f"{n} unit{'s flip their' if n > 1 else ' flips its'} sign at every character (activations one "
            f"step apart correlate below -0.9)")
    size = r_text(top, "|r| = ")
    if tracks(top):
        return text + f"; even so, {'at least one of them tracks' if n > 1 else 'it tracks'} a property ({size}). "
    return text + f", tracking none of the properties (the strongest: {size}). "


def units_summary(best, per_unit, flip, gated_kind=None):
    """The clearest unit, how many track anything, oscillating units, and what the gated model has.

    best: {property: (unit, r)}; per_unit: (m,) each unit's largest |r|; flip: (m,) bool."""
    top = max(best, key=lambda n: abs(best[n][1]))
    unit, r = best[top]
    if tracks(r):
        text = f"The clearest unit is {unit}, for *{top}* ({r_text(r)}). "
    else:
        text = (f"No unit tracks any of these properties: the strongest correlation, unit {unit}'s with *{top}*, "
                f"is {r_text(r)}, below the |r| = {TRACKS} from which this report says a unit tracks one. ")
    n, median = int(np.sum([tracks(v) for v in per_unit])), np.median(per_unit)
    text += (f"{n} of the {len(per_unit)} units {'tracks' if n == 1 else 'track'} some property (|r| of "
             f"{TRACKS} or more); the median" if n else "The median")
    reach = (f"stays below |r| = {FAINT}" if abs(median) < FAINT else
             f"reaches {'' if tracks(median) else 'only '}{r_text(median, '|r| = ')}")
    text += f" unit {reach}. " + _flippers(per_unit, flip)
    if 0 < n < EXCEPTION * len(per_unit):
        text += "Units with a simple name are the exception here, as Karpathy and colleagues found too. "
    text += "A vanilla RNN has no cell state or gates to inspect"
    if gated_kind == "lstm":
        return text + "; the LSTM below has both."
    if gated_kind == "gru":
        return text + "; the GRU below has gates, though no cell state apart from its hidden one."
    return text + "."


def gated_clearest(kind, prop, r_gated, r_rnn, rnn_top=None):
    """The gated model's strongest unit, on `prop` (r_gated), against the RNN's best on the same
    property (r_rnn). rnn_top: the RNN's strongest r on any property; only when it is given and
    below TRACKS does the sentence say 'either' (the RNN too has no unit that tracks one)."""
    either = " either" if rnn_top is not None and not tracks(rnn_top) else ""
    if not tracks(r_gated):
        return (f"No unit of the {upper(kind)} tracks a property{either}: its strongest, on *{prop}*, reaches "
                f"{r_text(r_gated, '|r| = ')}, below {TRACKS} (the RNN's best on it: {r_text(r_rnn, '|r| = ')}).")
    return (f"Its clearest unit tracks *{prop}* with {r_text(r_gated, '|r| = ')}, against {r_text(r_rnn, '|r| = ')} "
            f"for the RNN's best unit on the same property.")


def left_out(skipped):
    """The one line naming the properties left out and why, or ''. skipped: {name: why} as
    helpers.textprops.properties gives it."""
    if not skipped:
        return ""
    parts = [f"*{name}*, because {why}" for name, why in skipped.items()]
    return "Left out: " + ("; ".join(parts[:-1]) + "; and " + parts[-1] if len(parts) > 1 else parts[0]) + "."
