"""Sentences chosen by the numbers they describe: every comparison in the report's prose comes from
here, so that a word like 'ahead', 'rose' or 'beats' is decided by the numbers and tested with
contrary ones (tests/test_prose.py). Bits are bits per character; lower is better."""
import numpy as np

from helpers import textstats
from helpers.workbook.prose_training import PRECISION_GAP, precision_gap, short_comparison

NAMES = {"rnn": "RNN", "gru": "GRU", "lstm": "LSTM"}
SAME_BITS = 0.005   # bits per character: a smaller difference is rounding, "about the same", not a win
SAME_TIME = 0.05    # a relative difference in wall time below this is noise: "about as fast"
UNSEEN = 0.01       # a share of the test part's characters, never seen in training, worth a sentence
RARE = 5            # a character seen at most this often in the training part is rare


def versus(a, b, margin=SAME_BITS):
    """-1 when a is below b by more than `margin` (fewer bits: a is ahead), +1 when above, 0 when
    they are about the same."""
    return 0 if abs(a - b) <= margin else (-1 if a < b else 1)


def pace(t, reference):
    """'faster', 'slower' or 'about as fast', of t seconds against reference seconds."""
    return {0: "about as fast", -1: "faster", 1: "slower"}[versus(t / reference, 1.0, SAME_TIME)]


def times_as_long(t, reference):
    """'2.7 times the wall time' of t seconds against reference seconds, or 'about the same wall
    time' when they differ by less than SAME_TIME (so never '1.0 times')."""
    ratio = t / reference
    if versus(ratio, 1.0, SAME_TIME) == 0:
        return "about the same wall time"
    return f"{ratio:.1f} times the wall time" if ratio >= 1 else f"{1 / ratio:.1f} times less wall time"


def model_record(name, meta):
    """A saved model's name and what its metadata says of it: 'the course's RNN (...), from step
    96,685 of its training, with smooth loss 45.95 (summed over 25-character sequences) and 3.101
    bits per character on the test part'.
    The smooth loss is left out when the file does not say its sequence length (its unit), the test
    score when it has none, and a test score of part of the test part says how many characters."""
    scores = []
    if "seq_length" in meta and "smooth_loss" in meta:
        scores.append(f"smooth loss {float(meta['smooth_loss']):.2f} (summed over "
                      f"{int(meta['seq_length'])}-character sequences)")
    if "test_nats" in meta:
        part = (f"the first {int(meta['test_chars']):,} characters of the test part" if "test_chars" in meta
                else "the test part")
        scores.append(f"{float(meta['test_nats']) / np.log(2):.3f} bits per character on {part}")
    said = [f"from step {int(meta['step']):,} of its training"] if "step" in meta else []
    return ", ".join([name] + said + (["with " + " and ".join(scores)] if scores else []))


def upper(label):
    """'lstm, AdaGrad' -> 'LSTM, AdaGrad'."""
    kind, _, rest = label.partition(",")
    return NAMES.get(kind, kind) + ("," + rest if rest else "")


def seconds(s):
    """'under a second', '7.5 s', '64 s': enough digits that two different times of a second or
    more never read the same, and no time that reads as 0 s."""
    return "under a second" if s < 1 else f"{s:.1f} s" if s < 10 else f"{s:.0f} s"


def listed(items):
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def no_better_than_uniform(bits, K):
    """True when K is given and none of `bits` beats a uniform guess over K characters (log2 K
    bits per character) by more than SAME_BITS: then no model deserves to be called the best."""
    return K is not None and all(versus(b, np.log2(K)) >= 0 for b in bits)


def uniform(K, what="every model"):
    """'every model scores no better than a uniform guess over the K characters (log2 K = u bits)'."""
    return (f"{what} scores no better than a uniform guess over the {K} characters (log2 K = "
            f"{np.log2(K):.2f} bits per character)")


def unseen(train_ids, test_ids):
    """(test characters whose character never occurs in the training part, test characters)."""
    test_ids = np.asarray(test_ids)
    return int(np.isin(test_ids, np.asarray(train_ids), invert=True).sum()), len(test_ids)


def unseen_caveat(train_ids, test_ids):
    """The sentence on test characters that training never showed, when they are UNSEEN or more of
    the test part, or ''."""
    if train_ids is None:
        return ""
    n, total = unseen(train_ids, test_ids)
    if n < UNSEEN * total:
        return ""
    return (f" **{n / total:.0%} of the test part's characters ({n:,} of {total:,}) never occur in the "
            f"training part:** the model learned to give them almost no probability, so each costs it many bits.")


def training_caveats(val, test_bits, K, val_bits=None, train_ids=None, test_ids=None, gap=0.25):
    """03: what a reader must know before trusting the model, or ''. val: [(step, validation
    bits)]; test_bits, val_bits: the best model's test and validation scores; K: the vocabulary's
    size; train_ids, test_ids: the two parts, to count test characters training never showed;
    gap: bits between the two scores that are worth a warning."""
    text = ""
    if val_bits is not None and abs(test_bits - val_bits) > gap:
        text += (f" **Its validation and test scores differ by {abs(test_bits - val_bits):.2f} bits.** Each is "
                 f"one pass from h = 0 over a small part of the text, and a network trained this little can "
                 f"settle into different states depending on where such a pass starts: take neither score as "
                 f"precise. More updates (`STEPS`) or a longer text may bring them together.")
    steps, bits = zip(*val) if val else ((), ())
    for low, at, last in unstable({"": (steps, bits)}).values():
        text += (f" Its validation loss did not keep falling: it was lowest, {low:.2f} bits, after step "
                 f"{at:,} and ended at {last:.2f}.")
    unseen_text = unseen_caveat(train_ids, test_ids)
    return text + unseen_text + (worse_than_uniform(test_bits, K, val_bits, bool(unseen_text))
                                 if test_bits >= np.log2(K) else "")


def worse_than_uniform(test_bits, K, val_bits, unseen_share):
    """03's warning that the test score is worse than a uniform guess, with its likely cause:
    characters training never showed (when `unseen_share`), else a hidden state gone astray."""
    also = (f", and on the validation part too ({val_bits:.2f} bits)"
            if val_bits is not None and val_bits >= np.log2(K) else "")
    cause = ("Those unseen characters are a likely cause; a text whose training part holds every character "
             "would avoid it." if unseen_share else
             "Read in one long pass from h = 0, its hidden state may drift where training never took it. More "
             "updates (`STEPS`), another `SEED` or a longer text may help.")
    return (f" **On the test part it does worse than a uniform guess** ({test_bits:.2f} bits against "
            f"log2 K = {np.log2(K):.2f}){also}. " + cause)


def rare_characters(chars, train_ids, samples):
    """03: the characters of the vocabulary `chars` seen at most RARE times in the training part
    (how many never), and how often they appear in the untrained sample and in the later ones.
    samples: [(step, text)], the untrained one first."""
    counts = np.bincount(np.asarray(train_ids), minlength=len(chars))
    rare = [ch for ch, c in zip(chars, counts) if c <= RARE]
    if not rare:
        return f"Every character of the vocabulary occurs more than {RARE} times in the training part."
    never = int((counts == 0).sum())
    first = sum(samples[0][1].count(ch) for ch in rare)
    later = sum(s.count(ch) for _, s in samples[1:] for ch in rare)
    absent = (f" ({never} of them never: {never} of the vocabulary's {len(chars)} characters occur only in "
              f"the validation or test part)" if never else "")
    return (f"The {len(rare)} characters of the vocabulary that occur at most {RARE} times in the training "
            f"part{absent} appear {_times(first)} in the untrained sample and {_times(later)} in all later "
            f"samples together.")


def _times(n):
    """'1 time', '2 times'."""
    return f"{n:,} time{'' if n == 1 else 's'}"


def moved(before, after):
    """'rose', 'fell' or 'stayed at' for a change from `before` to `after`."""
    return "rose" if after > before else "fell" if after < before else "stayed at"


def sampling_summary(t_hi, t_lo, p_hi, p_lo, base, real, loop, words, tail, chars=None, model=None):
    """04: what temperature and nucleus sampling do to the samples' measures.

    Each of t_hi, t_lo, p_hi, p_lo, base, real is {'label', 'share', 'distinct'}: the hottest and
    coolest temperature, the widest and narrowest nucleus, T = 1 and real text. loop: distinct
    words among the `words` words in the last `tail` characters of greedy decoding. chars: the
    characters each setting wrote (and real text gave); model: how the prose names the model."""
    def change(a, b, key, fmt):                  # as rounded: never 'fell from 2% to 2%'
        x, y = f"{a[key]:{fmt}}", f"{b[key]:{fmt}}"
        return f"stayed at {x}" if x == y else f"{moved(a[key], b[key])} from {x} to {y}"
    same = (np.sign(t_lo["share"] - t_hi["share"]) == np.sign(p_lo["share"] - p_hi["share"]))
    nucleus = change(p_hi, p_lo, "share", ".0%")
    nucleus = (f"leaves the share of real words at {p_lo['share']:.0%}" if nucleus.startswith("stayed") else
               f"moves the share of real words {'the same way' if same else 'the other way'}: it {nucleus}")
    what = " of " + model if model else ""
    text = (f"In {chars:,} characters per setting{what}, from the same start: " if chars else "")
    text += (f"{'c' if chars else 'C'}ooling from {t_hi['label']} to {t_lo['label']}, the share of real words "
            f"{change(t_hi, t_lo, 'share', '.0%')}, while distinct words per 100 "
            f"{change(t_hi, t_lo, 'distinct', '.0f')}. Narrowing the nucleus from {p_hi['label']} to "
            f"{p_lo['label']} {nucleus}. Plain sampling (T = 1) gives {base['share']:.0%}, "
            f"real text (" + (f"as many characters of " if chars else "") + f"the validation part) "
            f"{real['share']:.0%} with {real['distinct']:.0f} distinct words per 100. ")
    if loop == 0:                            # nothing but whitespace: the sample looks empty
        return text + (f"Greedy decoding, the limit of both knobs, writes no word at all in its last {tail:,} "
                       f"characters, only whitespace: after whitespace its most likely next character is whitespace again.")
    if loop < 0.1 * words:                   # a tenth of the words or fewer: a loop
        return text + (f"Greedy decoding is the limit of both knobs: its last {tail:,} characters use "
                       f"only {loop} distinct words, because the most likely continuation soon repeats itself.")
    return text + (f"Greedy decoding, the limit of both knobs, uses {loop} distinct word{'s' if loop != 1 else ''} in its "
                   f"last {tail:,} characters.")


def batches_summary(course, batch, rand, brand, batch32, B, steps, K=None):
    """05: mini-batches, random chunks and float32 against the course's run, on validation text.

    Each run is {'bits': final validation bits, 'seconds', 'chars': characters read}; batch also
    has 'same_chars': its bits where it had read as many characters as the course's run, or None
    when its first validation point came later (there is nothing to compare it with). K: the
    vocabulary's size, to name the runs that ended no better than a uniform guess."""
    if batch["same_chars"] is None:
        per_char = (f"Measured per character read, the two cannot be compared here: the mini-batch run's first "
                    f"validation point came after more than the {int(course['chars']):,} characters the course's "
                    f"run read in all.")
    else:
        word = {1: "behind", -1: "ahead", 0: "about level"}[versus(batch["same_chars"], course["bits"])]
        per_char = (f"Measured per character read, the mini-batch run is {word}: at the {int(course['chars']):,} "
                    f"characters the course's run has read, it stands at {batch['same_chars']:.3f} bits.")
    return (f"After {steps:,} updates the course's training reaches {course['bits']:.3f} bits per character "
            f"on the validation part. With B = {B} streams each update reads {B} times as much text: it "
            f"reaches {batch['bits']:.3f} bits in {times_as_long(batch['seconds'], course['seconds'])}. "
            f"{per_char} Random chunks, read from h = 0, give {rand['bits']:.3f} bits at "
            f"B = 1 and {brand['bits']:.3f} at B = {B}, against {course['bits']:.3f} and {batch['bits']:.3f} "
            f"for sequential reading, which carries the hidden state across sequences. "
            + float32_verdict(batch32, batch, B, steps, K) + diverged(
                {"the course's run": course, f"the B = {B} run": batch, "random chunks at B = 1": rand,
                 f"random chunks at B = {B}": brand}, K))


def float32_verdict(batch32, batch, B, steps, K=None):
    """05: float32 against float64 at the same B: its time when it trained, else that it diverged."""
    if no_better_than_uniform([batch32["bits"]], K) and not no_better_than_uniform([batch["bits"]], K):
        return (f"float32 ends at {batch32['bits']:.3f} bits at B = {B}, no better than a uniform guess "
                f"(log2 K = {np.log2(K):.2f}), where float64 reaches {batch['bits']:.3f}: single precision "
                f"diverged here, so its wall time says nothing about its speed.")
    return (f"float32 reaches {batch32['bits']:.3f} bits at B = {B} in {seconds(batch32['seconds'])} instead of "
            f"{seconds(batch['seconds'])} in float64: {pace(batch32['seconds'], batch['seconds'])}."
            + precision_gap(batch32["bits"], batch["bits"], steps))


def diverged(runs, K=None):
    """' Of these, X and Y end no better than a uniform guess ...', or ''; runs: {label: {'bits'}}."""
    bad = [label for label, r in runs.items() if no_better_than_uniform([r["bits"]], K)]
    if not bad:
        return ""
    names = listed(bad)
    return (f" **{names[0].upper() + names[1:]} ended no better than a uniform guess over the {K} characters** "
            f"(log2 K = {np.log2(K):.2f} bits): {'it' if len(bad) == 1 else 'they'} did not learn here, and "
            f"{'its' if len(bad) == 1 else 'their'} numbers above compare nothing.")


def leader(bits, kinds=("rnn", "gru", "lstm"), K=None):
    """'the LSTM is ahead', or 'the GRU and LSTM are about the same, ahead' when the best are
    within SAME_BITS, or, when none beats a uniform guess over K characters, that; bits: {kind: bits}."""
    if no_better_than_uniform([bits[k] for k in kinds], K):
        return uniform(K, f"each of the {len(kinds)}")
    first = min(kinds, key=bits.get)
    tied = [k for k in kinds if versus(bits[k], bits[first]) == 0]
    if len(tied) == 1:
        return f"the {upper(first)} is ahead"
    if len(tied) == len(kinds):
        return f"the {len(kinds)} are about the same (within {SAME_BITS} bits)"
    return f"the {' and '.join(upper(k) for k in tied)} are about the same (within {SAME_BITS} bits), ahead"


def unstable(curves, margin=0.2):
    """{label: (lowest bits, characters then, last bits)} for runs whose validation curve ended more
    than `margin` bits above its lowest point. curves: {label: (chars, bits)}."""
    out = {}
    for label, (chars, bits) in curves.items():
        bits = np.asarray(bits)
        low = int(np.argmin(bits))
        if bits[-1] > bits[low] + margin:
            out[label] = (float(bits[low]), int(chars[low]), float(bits[-1]))
    return out


def gated_summary(final, curves, gated, final_best, chars_best, anneal, course_bits, K=None, quick=False):
    """06: the three cells at equal characters, Adam against AdaGrad, and the continued model.

    final: {'rnn', 'gru', 'lstm', 'lstm, AdaGrad': test bits}; curves: {same labels: (chars,
    validation bits)}; gated: the kind that went on; final_best: its test bits after chars_best
    characters; course_bits: the course's RNN (03_training) on the test part; K: the vocabulary's
    size, to say when no model beats a uniform guess; quick: a QUICK=1 run, whose short training is
    named first."""
    chars = int(curves["rnn"][0][-1])
    gain = final["lstm, AdaGrad"] - final["lstm"]
    adam = {-1: f"AdaGrad, not Adam, is ahead for the LSTM, by {-gain:.2f} bits. ",
            1: f"Adam beats AdaGrad for the LSTM by {gain:.2f} bits at the same point. ",
            0: f"Adam and AdaGrad are about the same for the LSTM (within {SAME_BITS} bits). "}
    text = (short_comparison(chars) if quick else "") + (f"Scored on the test part after the same {chars:,} characters, {leader(final, K=K)}: RNN "
                f"{final['rnn']:.2f}, GRU {final['gru']:.2f}, LSTM {final['lstm']:.2f} bits per character. "
                + adam[versus(final["lstm, AdaGrad"], final["lstm"])])
    for label, (low, at, last) in unstable(curves).items():
        text += (f"The {upper(label)}'s validation loss did not keep falling: it was lowest, {low:.2f} bits, "
                 f"after {at:,} characters and ended at {last:.2f}, so with this learning rate its training "
                 f"was unstable here. ")
    verdict = "below" if final_best < course_bits else "not below"
    return text + (f"The {upper(gated)}, the better gated model on the validation part, then read "
                   f"{chars_best:,} characters in all, its learning rate falling linearly toward zero over "
                   f"the last {anneal:,} steps, and scores **{final_best:.3f} bits** on the test part, "
                   f"{verdict} the {course_bits:.3f} of the course's RNN from `03_training`. That RNN is "
                   f"smaller and read other amounts of text, so this gap is not the cell's alone: the "
                   f"equal-characters comparison above is the one that isolates the cell."
                   + (" Even so, " + uniform(K, "it") + "." if no_better_than_uniform([final_best], K) else ""))


def names_left_out(corpus):
    """The one line saying the names were left out, and why: `corpus` has none (textstats.proper_names)."""
    return f"Left out: *names of the corpus*, because it has {textstats.names_rule(corpus)}."


def names_found(found, names, corpus, where="the samples"):
    """03: the corpus's names found in `where`, or, when it has none, the line saying they were left out."""
    if not names:
        return names_left_out(corpus)
    return (f"Names of the corpus found in {where}: {len(found)}"
            f"{' (' + ', '.join(found[:12]) + ')' if found else ''}.")
