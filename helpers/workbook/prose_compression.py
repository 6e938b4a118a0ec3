"""The sentences of `08_compression`, chosen by the numbers they describe (see helpers.workbook.prose).
Bits are bits per character of the test part; lower is better."""

NAMES = {"gzip": "gzip", "bz2": "bzip2", "xz": "xz", "zstd": "zstd", "ppmd": "PPMd"}


def name(key):
    return NAMES.get(key, key)


def listed(items):
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def compressors_verdict(rows, network, network_bits):
    """The compressor table in words. rows: {compressor: {test_bits, test_bytes, alone_bytes, label}};
    network: the best frozen network's name, network_bits its test score."""
    best = min(rows, key=lambda k: rows[k]["test_bits"])
    worst = max(rows, key=lambda k: rows[k]["test_bits"])
    b = rows[best]["test_bits"]
    text = (f"{name(best)} ({rows[best]['label']}) compresses the test part best, to {b:.3f} bits per character, "
            f"{rows[worst]['test_bits'] - b:.2f} fewer than {name(worst)}. ")
    gain = {k: 1 - r["test_bytes"] / r["alone_bytes"] for k, r in rows.items()}
    little = [name(k) for k, g in gain.items() if g < 0.05]
    most = max(gain, key=gain.get)
    if little:
        text += (f"The training text barely helps {listed(little)}: with it, "
                 f"{'they save' if len(little) > 1 else 'it saves'} less than 5% of the test part's "
                 f"compressed size. ")
    text += f"It helps {name(most)} most: {gain[most]:.0%} smaller than the test part compressed alone. "
    if b < network_bits:
        return text + (f"{name(best)} beats the best frozen network, the {network} ({network_bits:.3f}), by "
                       f"{network_bits - b:.3f} bits per character.")
    return text + (f"The best frozen network, the {network} ({network_bits:.3f}), beats every compressor, "
                   f"{name(best)} by {b - network_bits:.3f} bits per character.")


def protocols_verdict(static, adaptive, compressor, compressor_bits):
    """Static against adaptive in words. static, adaptive: {model: bits} (adaptive's models a
    subset of static's); compressor_bits: the best compressor's test score, for comparison."""
    gains = {k: static[k] - adaptive[k] for k in adaptive}
    worse = [k for k, g in gains.items() if g < 0]
    most = max(gains, key=gains.get)
    text = (f"Learning as it reads helps {'every model' if not worse else 'all but ' + listed(worse)}; "
            f"the {most} gains most, {gains[most]:.3f} bits per character "
            f"({static[most]:.3f} to {adaptive[most]:.3f}). ")
    if worse:
        text += (f"{listed(worse)} get{'s' if len(worse) == 1 else ''} worse: the step chosen on the validation "
                 f"part does not carry over to the test part. ")
    first_static, first_adaptive = min(static, key=static.get), min(adaptive, key=adaptive.get)
    text += (f"Frozen, the {first_static} is ahead ({static[first_static]:.3f}); learning as they read, the "
             f"{first_adaptive} ({adaptive[first_adaptive]:.3f})"
             + (". " if first_static == first_adaptive else ", so the protocol changes the order. "))
    margin = compressor_bits - adaptive[first_adaptive]
    if margin > 0:
        return text + (f"It beats {compressor} ({compressor_bits:.3f}) by {margin:.3f} bits per character: "
                       f"compared on equal terms, a model that learns as it reads, the model wins.")
    return text + (f"{compressor} ({compressor_bits:.3f}) still beats it, by {-margin:.3f} bits per character.")


def coder_verdict(model, coded_bytes, bound_bytes, rows):
    """The model as a compressor, against its bound (the bytes its summed surprisal allows) and the
    compressors' sizes of the same text conditioned on the training text. rows: as in
    compressors_verdict."""
    best = min(rows, key=lambda k: rows[k]["test_bytes"])
    over = coded_bytes - bound_bytes
    text = (f"Coded with the {model}, the test part takes {coded_bytes:,} bytes, "
            + (f"{-over:,} under" if over <= 0 else f"{over:,} over") + f" the bound of {bound_bytes:,} its "
            f"surprisal sets. ")
    diff = rows[best]["test_bytes"] - coded_bytes
    if diff > 0:
        return text + f"That is {diff:,} bytes fewer than {name(best)}, the best compressor, given the training text."
    return text + f"{name(best)}, given the training text, needs {-diff:,} bytes fewer."
