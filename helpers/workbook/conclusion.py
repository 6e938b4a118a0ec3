"""The conclusion of `09_conclusion`, written from one run's recorded numbers (helpers.workbook.results),
each comparison chosen by those numbers (see helpers.workbook.prose)."""
import math

from helpers.inside import TRACKS, r_text, tracks
from helpers.workbook.prose import SAME_BITS, leader, no_better_than_uniform, pace, seconds, uniform, upper, versus
from helpers.workbook.prose_compression import NAMES, mixed
from helpers.workbook.prose_inside import gram, grams
from helpers.workbook.prose_training import precision_gap, quick_note
from helpers.workbook.runs import COURSE


def training(t, K):
    return (f"**The course's network.** A vanilla RNN with {t['m']} hidden units, trained for {t['steps']:,} "
            f"AdaGrad steps ({seconds(t['seconds'])} on one CPU core), predicts the test part at "
            f"{t['bits_test']:.2f} bits per character, against {math.log2(K):.2f} for a uniform guess over the "
            f"{K} characters. Its smooth loss {'fell' if t['smooth_last'] < t['smooth_first'] else 'rose'} from "
            f"{t['smooth_first']:.1f} to {t['smooth_last']:.1f} in the course's unit; the share of real words "
            f"in its samples at T = 1{chars(t)} went from {t['share_first']:.0%} in the untrained one to "
            f"{t['share_last5']:.0%} on average over the last five.")


def chars(numbers, each=True):
    """' (N characters each)' of the samples a chapter measured, when it recorded their length."""
    n = numbers.get("sample_len")
    return f" ({n:,} characters{' each' if each else ''})" if n else ""


def sampling(s):
    loop = s["greedy_distinct"]
    model = s.get("model", COURSE)        # the model 04 sampled (runs.model_name): MODEL= may name another
    head = ("**Its text.** " if model == COURSE else
            f"**The text of {model}.** 04_sampling sampled {s.get('model_full', model)}, not the course's RNN. ")
    n = s.get("measure_len")              # the characters 04 sampled per setting
    return (head + (f"In {n:,} characters sampled at T = 1, " if n else "At T = 1, ") + f"{s['share_T1']:.0%} of "
            f"its words are words of the training text, {'in as many ' if n else ''}at T = {s['best_T']} (of the "
            f"temperatures tried, the one with the most) {s['share_best_T']:.0%}, against {s['share_real']:.0%} "
            f"for {'as many characters of ' if n else ''}real text (the validation part). " + (
                f"Greedy decoding uses {loop} distinct word{'s' if loop != 1 else ''} in its last "
                f"{s['greedy_tail']:,} characters." if loop else
                f"Greedy decoding writes only whitespace in its last {s['greedy_tail']:,} characters."))


def extensions(e, K=None):
    """The mini-batches' paragraph; K: the vocabulary's size, to say when float32 diverged."""
    same = e["bits_batch_same_chars"]
    if same is None:
        per_char = "per character read the two cannot be compared, as its first validation point came later"
    else:
        word = {1: "behind", -1: "ahead of", 0: "about level with"}[versus(same, e["bits_course"])]
        per_char = (f"per character read the mini-batch run is {word} the course's: after as many characters it "
                    f"scores {same:.2f} bits against {e['bits_course']:.2f}")
    t32, t64 = seconds(e["seconds_batch32"]), seconds(e["seconds_batch"])
    faster = pace(e["seconds_batch32"], e["seconds_batch"])
    if no_better_than_uniform([e["bits_batch32"]], K) and not no_better_than_uniform([e["bits_batch"]], K):
        single = (f"In float32 it ends at {e['bits_batch32']:.2f}, no better than a uniform guess: single "
                  f"precision diverged here.")
    else:
        single = (f"In float32 it reaches {e['bits_batch32']:.2f}, {faster}: "
                  + (f"both {t32}." if t32 == t64 else f"{t32} instead of {t64}.")
                  + precision_gap(e["bits_batch32"], e["bits_batch"], e["steps"]))
    return (f"**Mini-batches.** With {e['batch']} streams per update, {e['steps']:,} updates reach "
            f"{e['bits_batch']:.2f} validation bits instead of the course's {e['bits_course']:.2f}, reading "
            f"{e['batch']} times the text; {per_char}. " + single)


def gated(g, K=None):
    """The gated cells' paragraph; K: the vocabulary's size, to say when no cell beats a uniform guess."""
    ahead = leader({k: g[f"bits_{k}"] for k in ("rnn", "gru", "lstm")}, K=K)
    return (f"**Gated cells.** On the same {g['chars_compare']:,} characters, with {g['m']} units each, the "
            f"test part scores RNN {g['bits_rnn']:.2f}, GRU {g['bits_gru']:.2f} and LSTM {g['bits_lstm']:.2f} "
            f"bits per character: {ahead}. The {upper(g['gated'])}, chosen on the validation "
            f"part and trained on, reaches {g['bits_best']:.2f} after {g['chars_best']:,} characters "
            f"({seconds(g['seconds_best'])}); its sample at T = 1{chars(g, False)} holds {g['share']:.0%} real words, "
            f"against {g['course_share']:.0%} in as many characters of the course's RNN from the same start.")


def inside(i, K=None):
    """The paragraph on counting and the RNN's units; K: the vocabulary's size, to say when no model
    beats a uniform guess."""
    counted = {int(n): b for n, b in i["ngram"].items()}
    if no_better_than_uniform([*counted.values(), i["bits_rnn"], i["bits_gated"]], K):
        return (f"**Against counting.** On the same {i['scored']:,} test characters, " +
                uniform(K, "every Kneser-Ney model, the course's RNN and the best gated model") + ". " + units(i))
    best_n = min(counted, key=counted.get)
    beaten = sorted(n for n, b in counted.items() if versus(b, i["bits_rnn"]) < 0)
    text = (f"**Against counting.** On the same {i['scored']:,} test characters, the best Kneser-Ney model, the "
            f"{gram(best_n)}, reaches {counted[best_n]:.2f} bits per character; the course's RNN "
            f"({i['bits_rnn']:.2f}) " + (f"loses to the {grams(beaten)}. " if beaten else
                                         "beats every order. "))
    margin = counted[best_n] - i["bits_gated"]
    text += (f"The best gated model ({i['bits_gated']:.2f}) " +
             {1: f"beats it by {margin:.2f} bits. ", -1: f"does not beat it ({-margin:.2f} bits behind). ",
              0: f"is about the same (within {SAME_BITS} bits). "}[versus(counted[best_n], i["bits_gated"])])
    return text + units(i)


def units(i):
    """What the RNN's units and letters show, the end of the paragraph on counting."""
    text = (f"Inside the RNN, the first letter of a word costs {i['first_letter']:.2f} bits and a later letter "
            f"{i['later_letter']:.2f}; " + (f"unit {i['top_unit']} tracks *{i['top_property']}* ({r_text(i['top_r'])})"
                                             if tracks(i["top_r"]) else
                                             f"no unit tracks a named property (the strongest: "
                                             f"{r_text(i['top_r'], '|r| = ')}, below {TRACKS})"))
    flips = i["flipping"]
    return text + (f", and {flips} unit{'s merely flip their' if flips > 1 else ' merely flips its'} sign at every "
                   f"character." if flips else ".")


def compression(c, K=None):
    """The compression paragraph; K: the vocabulary's size, to say when no model beats a uniform guess."""
    if no_better_than_uniform([*c["static"].values(), *c["adaptive"].values()], K):
        return (f"**A model is a compressor.** On the test part, frozen or learning as it reads, "
                + uniform(K) + f"; the best general-purpose compressor, given the training text, reads it at "
                f"{min(c['compressors'].values()):.3f}.")
    best = min(c["compressors"], key=c["compressors"].get)
    shown = NAMES.get(best, best)
    frozen = min((k for k in c["adaptive"] if k in c["static"]), key=c["static"].get)
    learning = min(c["adaptive"], key=c["adaptive"].get)
    margin = c["compressors"][best] - c["adaptive"][learning]
    text = (f"**A model is a compressor.** Given the training text, the best general-purpose compressor, {shown} "
            f"({c['labels'][best]}), reads the test part at {c['compressors'][best]:.3f} bits per character and the "
            f"best frozen model, {_the(frozen)}, at {c['static'][frozen]:.3f}. Learning as they read, as a compressor "
            f"does, the best is {_the(learning)} at {c['adaptive'][learning]:.3f}: " +
            {1: f"{margin:.3f} bits ahead of {shown}.", -1: f"{shown} stays {-margin:.3f} bits ahead.",
             0: f"about the same as {shown} (within {SAME_BITS} bits)."}[versus(c["compressors"][best], c["adaptive"][learning])])
    if "mixture" in c:                  # the network mixed with an n-gram, its weight chosen on validation
        m = c["mixture"]
        parts = (c["adaptive"][m["network"]], c["adaptive"][m["ngram"]])
        text += (" Mixed as they read, " + mixed(m["network"].removeprefix("the "), m["ngram"], m["weight"], parts,
                                                 c["adaptive"][m["label"]]) + ".")
    if "coded_bytes" not in c:
        return text
    text += f" As an arithmetic coder, the {upper(c['coder'])} writes the test part in {coded(c)}"
    if "adaptive_coded_bytes" in c:
        text += f"; learning as it codes, the {upper(c['adaptive_coder'])} writes it in {coded(c, 'adaptive_')}"
    if "compressor_bytes" in c:          # the smaller of the coders' files against the best compressor's
        diff = c["compressor_bytes"][best] - min(c["coded_bytes"], c.get("adaptive_coded_bytes", c["coded_bytes"]))
        than = f"{abs(diff):,} bytes {'fewer' if diff > 0 else 'more'} than" if diff else "as many bytes as"
        text += (": the smaller file takes " if "adaptive_coded_bytes" in c else ": ") + f"{than} {shown}'s"
    return text + "."


def coded(c, prefix=""):
    """'N bytes, M under its bound' of the coder's file whose keys start with `prefix`."""
    size = c[f"{prefix}coded_bytes"]
    over = size - round(c[f"{prefix}bound_bytes"])      # the bound as 08 prints it, in whole bytes
    return f"{size:,} bytes, " + (f"{-over:,} under" if over <= 0 else f"{over:,} over") + " its bound"


def opening(r, K, is_quick):
    """The first paragraph: the course's network, after the note on a QUICK=1 run when `is_quick`."""
    note = quick_note(is_quick, {"STEPS": r["training"]["steps"], "EXT_STEPS": r["extensions"]["steps"]})
    return (note + " " if note else "") + training(r["training"], K)


def paragraphs(r, K, is_quick=False):
    """The conclusion's paragraphs from {chapter: numbers} of one run; K: the vocabulary's size;
    is_quick: a QUICK=1 run, which the first paragraph says first."""
    return [opening(r, K, is_quick), sampling(r["sampling"]), extensions(r["extensions"], K),
            gated(r["gated"], K), inside(r["inside"], K), compression(r["compression"], K)]


def _the(name):
    """'the 7-gram' for '7-gram'; 'the GRU' stays as it is."""
    return name if name.startswith("the ") else f"the {name}"
