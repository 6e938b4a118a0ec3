"""The sentences of `08_compression`, chosen by the numbers they describe (see helpers.workbook.prose).
Bits are bits per character of the test part; lower is better."""
import numpy as np

from helpers.compress.baselines import NAMES
from helpers.workbook.numbering import table
from helpers.workbook.prose import SAME_BITS, listed, no_better_than_uniform, seconds, uniform, versus

LITTLE = 0.05    # a compressor whose size the training text changes by less than this share barely gains


def sentence(text):
    """`text` with its first letter in upper case."""
    return text[:1].upper() + text[1:]


def name(key):
    return NAMES.get(key, key)


def compressors_verdict(rows, network, network_bits, K=None):
    """The compressor table in words. rows: {compressor: {test_bits, test_bytes, alone_bytes, label}};
    network: the frozen network that scores validation best, network_bits its test score; K: the
    vocabulary's size, to say when that network is no better than a uniform guess."""
    order = sorted(rows, key=lambda k: rows[k]["test_bits"])
    best, b = order[0], rows[order[0]]["test_bits"]
    text = f"{name(best)} ({rows[best]['label']}) compresses the test part best, to {b:.3f} bits per character"
    if len(order) > 1 and versus(rows[order[1]]["test_bits"], b) == 0:
        text = (f"{name(best)} ({rows[best]['label']}) and {name(order[1])} compress the test part about equally "
                f"well, to {b:.3f} and {rows[order[1]]['test_bits']:.3f} bits per character (within {SAME_BITS}). ")
    else:
        text += (f", {rows[order[1]]['test_bits'] - b:.3f} fewer than the next, {name(order[1])}. "
                 if len(order) > 1 else ". ")
    text += gains_verdict({k: 1 - r["test_bytes"] / r["alone_bytes"] for k, r in rows.items()})
    if no_better_than_uniform([network_bits], K):
        return text + sentence(uniform(K, f"the frozen network with the best validation score, the {network} "
                                          f"({network_bits:.3f}),") + ".")
    if versus(b, network_bits) == 0:
        return text + (f"{name(best)} and the best frozen network, the {network} ({network_bits:.3f}), are about "
                       f"the same (within {SAME_BITS} bits per character).")
    if b < network_bits:
        return text + (f"{name(best)} beats the best frozen network, the {network} ({network_bits:.3f}), by "
                       f"{network_bits - b:.3f} bits per character.")
    return text + (f"The best frozen network, the {network} ({network_bits:.3f}), beats every compressor, "
                   f"{name(best)} by {b - network_bits:.3f} bits per character.")


def gains_verdict(gain):
    """What the training text does to each compressor's size of the test part, in words. gain:
    {compressor: 1 - size given the training text / size alone}; negative when it makes it larger."""
    worse = [k for k, g in gain.items() if g < 0]
    little = [name(k) for k, g in gain.items() if 0 <= g < LITTLE]
    text = ""
    if worse:
        by = [f"{-gain[k]:.1%}" + (f" ({name(k)})" if len(worse) > 1 else "") for k in worse]
        text += (f"The training text makes {listed([name(k) for k in worse])} worse: given it, the test part "
                 f"compresses larger than alone, by {listed(by)}. ")
    if little:
        text += (f"The training text barely helps {listed(little)}: with it, "
                 f"{'they save' if len(little) > 1 else 'it saves'} less than {LITTLE:.0%} of the test part's "
                 f"compressed size. ")
    most = max(gain, key=gain.get)
    if gain[most] <= 0:
        return text
    return text + (f"The training text helps {name(most)} most: given it, the test part compresses {gain[most]:.0%} "
                   f"smaller than alone. ")


def protocols_verdict(static, adaptive, compressor, compressor_bits, K=None):
    """Static against adaptive in words. static, adaptive: {model: bits} of the models that can
    learn as they read (adaptive's models a subset of static's); compressor_bits: the best
    compressor's test score, for comparison; K: the vocabulary's size, to say when no model beats
    a uniform guess. A change within SAME_BITS counts as none."""
    gains = {k: static[k] - adaptive[k] for k in adaptive}
    better = [k for k, g in gains.items() if g > SAME_BITS]
    worse = [k for k, g in gains.items() if g < -SAME_BITS]
    same = [k for k in gains if k not in better and k not in worse]
    text = ""
    if len(better) == 1:
        k = better[0]
        text += (f"Learning as it reads helps only the {k}, by {gains[k]:.3f} bits per character "
                 f"({static[k]:.3f} to {adaptive[k]:.3f}). ")
    elif better:
        most = max(better, key=gains.get)
        text += (f"Learning as it reads helps {'every model that can learn' if len(better) == len(gains) else 'the ' + listed(better)}; "
                 f"the {most} gains most, {gains[most]:.3f} bits per character "
                 f"({static[most]:.3f} to {adaptive[most]:.3f}). ")
    if same:
        text += sentence(f"the {listed(same)} {'stays' if len(same) == 1 else 'stay'} within {SAME_BITS} bits of "
                      f"{'its' if len(same) == 1 else 'their'} frozen score. ")
    if worse:
        text += sentence(f"the {listed(worse)} {'gets' if len(worse) == 1 else 'get'} worse learning as "
                      f"{'it reads' if len(worse) == 1 else 'they read'}. ")
    first_static, first_adaptive = min(static, key=static.get), min(adaptive, key=adaptive.get)
    # a runner-up that scores exactly as the first is the same predictor (a mixture of weight 0 or 1)
    runner_up = [k for k in sorted(adaptive, key=adaptive.get)
                 if abs(adaptive[k] - adaptive[first_adaptive]) > 1e-9][:1]
    if no_better_than_uniform([*static.values(), *adaptive.values()], K):
        also = "" if versus(compressor_bits, np.log2(K)) < 0 else f", and so does {compressor} ({compressor_bits:.3f})"
        return text + sentence(uniform(K, "under both protocols every model") + also + ".")
    if runner_up and versus(adaptive[runner_up[0]], adaptive[first_adaptive]) == 0:
        text += (f"Learning as they read, the {first_adaptive} ({adaptive[first_adaptive]:.3f}) and the "
                 f"{runner_up[0]} ({adaptive[runner_up[0]]:.3f}) are about the same, within {SAME_BITS} bits. ")
    elif first_static == first_adaptive:
        text += (f"The {first_static} is ahead under both protocols ({static[first_static]:.3f} frozen, "
                 f"{adaptive[first_adaptive]:.3f} learning as it reads). ")
    else:
        text += (f"Frozen, the {first_static} is ahead ({static[first_static]:.3f}); learning as they read, the "
                 f"{first_adaptive} ({adaptive[first_adaptive]:.3f}), so the protocol changes the order. ")
    margin = compressor_bits - adaptive[first_adaptive]
    if versus(compressor_bits, adaptive[first_adaptive]) == 0:
        return text + (f"The {first_adaptive} and {compressor} ({compressor_bits:.3f}) are about the same, within "
                       f"{SAME_BITS} bits per character, both learning as they read.")
    if margin > 0:
        return text + (f"The {first_adaptive} beats {compressor} ({compressor_bits:.3f}) by {margin:.3f} bits per "
                       f"character, on equal terms: both learn as they read.")
    return text + (f"{compressor} ({compressor_bits:.3f}) still beats the {first_adaptive}, by {-margin:.3f} bits "
                   f"per character, though both learn as they read.")


def coder_verdict(model, coded_bytes, bound_bytes, chars, rows, learning=None):
    """The model as a compressor: its file against the bound (the model's summed surprisal plus
    0.1 % plus 16 bytes) and the compressors' sizes of the same text given the training text.
    rows: as in compressors_verdict. learning: (model, bytes, bound) of the coder that learns as it
    codes (dynamic evaluation on both sides), or None; the smaller file meets the compressors."""
    best = min(rows, key=lambda k: rows[k]["test_bytes"])
    text = (f"Coded with the {model}, the test part takes {coded_bytes:,} bytes, "
            f"{8 * coded_bytes / chars:.3f} bits per character, "
            + ("within" if coded_bytes <= bound_bytes else "over")
            + f" the bound of {bound_bytes:,.0f} bytes: the model's summed surprisal, plus 0.1% and 16 bytes "
            "for the file's header and the coder's last bits. ")
    if learning is None:
        diff = rows[best]["test_bytes"] - coded_bytes
        if diff > 0:
            return text + (f"That is {diff:,} bytes fewer than {name(best)}, the best compressor, given the "
                           "training text.")
        return text + f"{name(best)}, given the training text, needs {-diff:,} bytes fewer."
    learner, learned_bytes, learned_bound = learning
    text += (f"Learning as it codes, with its setting from {table('protocols')}, the {learner} takes {learned_bytes:,} bytes, "
             f"{8 * learned_bytes / chars:.3f} bits per character, "
             + ("within" if learned_bytes <= learned_bound else "over")
             + f" its bound of {learned_bound:,.0f} bytes (dynamic evaluation's summed surprisal, with the same "
             "margin and the setting's bytes in the header); the decoder takes the same steps as the encoder, so "
             "it needs only the checkpoint and the file. ")
    smaller, size = (("learning", learned_bytes) if learned_bytes < coded_bytes else ("frozen", coded_bytes))
    diff = rows[best]["test_bytes"] - size
    text += "" if smaller == "learning" else "Learning does not pay in bytes here. "
    if diff > 0:
        return text + (f"The {smaller} coder's file is {diff:,} bytes smaller than that of {name(best)}, the best "
                       "compressor, given the training text.")
    return text + f"{name(best)}, given the training text, still needs {-diff:,} bytes fewer than the {smaller} coder."


def mixed(network, ngram, w, parts, bits):
    """The mixture against its parts, a clause: w the network's weight, parts (network bits,
    n-gram bits), bits the mixture's. A weight of 0 or 1 is one part alone; a change within SAME_BITS
    is none."""
    if w in (0, 1):
        return f"the weight chosen on validation, w = {w:g}, keeps the {network if w == 1 else ngram} alone"
    better = network if parts[0] <= parts[1] else ngram
    gain = min(parts) - bits
    text = f"{w:.2f} of the {network} and {1 - w:.2f} of the {ngram} score {bits:.3f}, "
    if gain > SAME_BITS:
        return text + f"{gain:.3f} bits per character below the better part alone, the {better} ({min(parts):.3f})"
    if gain < -SAME_BITS:
        return text + f"{-gain:.3f} bits per character above the better part alone, the {better} ({min(parts):.3f})"
    return text + f"within {SAME_BITS} bits of the better part alone, the {better} ({min(parts):.3f})"


def mixture_verdict(network, ngram, tests, weights):
    """The mixture of a network and an n-gram in words, under each protocol. tests: {'frozen',
    'learning as they read': (network bits, n-gram bits, mixture bits)} on the test part; weights:
    {same protocols: the network's weight, chosen on the validation part}."""
    text = ""
    if len(weights) > 1 and len(set(weights.values())) == 1 and next(iter(weights.values())) in (0, 1):
        w = next(iter(weights.values()))
        return (f"Under both protocols the weight chosen on validation, w = {w:g}, keeps the "
                f"{network if w == 1 else ngram} alone: the mixture is that model, and adds nothing here.")
    for protocol, (a, b, m) in tests.items():
        text += sentence(f"{protocol}, {mixed(network, ngram, weights[protocol], (a, b), m)}. ")
    gains = {p: min(a, b) - m for p, (a, b, m) in tests.items()}
    if all(g > SAME_BITS for g in gains.values()):
        text += ("Beating both parts on average, each must predict some characters better than the other: "
                 "on each character the mixture spends at most the better part's bits there, plus "
                 "log2(1/w) for that part's weight w.")
    return text


GOALS = {"frozen": 2.05, "learning": 1.85}   # test bits per character the bundled plays' run aims at


def goals(frozen, learning, coded_bytes, ppmd_bytes):
    """The default run's goals against what it measured, a paragraph: frozen = (network, bits) the
    best frozen network, learning = (model, bits) the best model learning as it reads, coded_bytes
    the smaller coder file's bytes, ppmd_bytes PPMd's given the training text."""
    def against(goal, label, bits):
        gap = bits - goal
        label = label if label.startswith("the ") else f"the {label}"
        return (f"{label} reaches {bits:.3f}, " +
                ("met" if gap <= 0 else f"{gap:.3f} bits per character short"))
    lines = [f"a frozen network at {GOALS['frozen']} bits per character or below: {against(GOALS['frozen'], *frozen)}",
             f"a model learning as it reads at {GOALS['learning']} or below: {against(GOALS['learning'], *learning)}",
             "a coder's file smaller than PPMd's: " + (f"{ppmd_bytes - coded_bytes:,} bytes smaller, met"
                                                       if coded_bytes < ppmd_bytes else
                                                       f"{coded_bytes - ppmd_bytes:,} bytes larger, missed")]
    return ("**Goals on the bundled plays.** This chapter aims at three goals on their test part"
            ": " + "; ".join(lines) + ".")


def took(orders, times, networks):
    """The time Table 12 took, a sentence. orders: how many n-gram orders; times: {'ngrams',
    'mixture', each of `networks`: seconds}; networks: the networks' short names ('the GRU')."""
    each = ", ".join(f"{seconds(times[n])} ({n.removeprefix('the ')})" for n in networks)
    return (f"Counting all {orders} orders both ways took {seconds(times['ngrams'])}; choosing and scoring "
            f"the networks {each}; the mixture {seconds(times['mixture'])}.")
