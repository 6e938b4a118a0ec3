"""Compress a text with a trained character model, and back.

    python -m helpers.compress encode CHECKPOINT IN OUT   # IN: a UTF-8 text; OUT: the compressed file
    python -m helpers.compress decode CHECKPOINT IN OUT   # IN: the compressed file; OUT: the text, UTF-8
    python -m helpers.compress encode CHECKPOINT IN OUT --adapt eta=1e-3,segment=50,rule=rms
                                                          # the model learns as it codes (dynamic evaluation)

decode needs no flag: an adaptive file carries its setting, and the decoder learns as the encoder did.

The text is read as the workbook reads a corpus (helpers.textfile: CR LF and lone CR become LF, a
leading byte-order mark is dropped), so a decoded file equals the normalised text byte for byte.
Errors are one line on stderr, `error: ...`, with exit code 1.
"""
import argparse
import sys
from pathlib import Path

from helpers import textfile
from helpers.compress import CompressError, adaptive, bound_bytes, decode, encode

ADAPT_HELP = ("encode only: learn from the text while coding it, one gradient step after every segment "
              "(helpers.compress.dynamic), e.g. eta=1e-3,segment=50,rule=rms. Keys: eta (step size, "
              "required, >= 0), segment (characters per step, default 50), rule (sgd or rms, default sgd), "
              "decay (pull toward the trained weights, 0 to 1, default 0). The file carries the setting: "
              "decode needs no flag")


def read_text(path):
    """The UTF-8 text at `path`, normalised; empty and white-space-only texts compress too."""
    try:
        return textfile.read_text(path)[0]
    except textfile.CorpusError as e:
        if e.reason not in ("file is empty", "holds only white space"):
            raise
    return textfile.normalise(Path(path).read_bytes().decode("utf-8"))[0]


def read_bytes(path):
    """The bytes of the file at `path`, or a one-line CompressError naming it."""
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise CompressError(f"{path}: cannot be read ({e.strerror})") from None


def write(path, data):
    """Write bytes to `path`, or a one-line CompressError naming it."""
    try:
        Path(path).write_bytes(data)
    except OSError as e:
        raise CompressError(f"{path}: cannot be written ({e.strerror})") from None


def run(args):
    """Do what `args` say; the summary line to print."""
    if args.command == "encode":
        adapt = None if args.adapt is None else adaptive.parse(args.adapt, "--adapt")
        text = read_text(args.input)
        data = encode(args.checkpoint, text, source=args.input, adapt=adapt)
        write(args.output, data)
        bound = bound_bytes(args.checkpoint, text, adapt)
        verb = f"encoded {len(text):,} characters into {len(data):,} bytes"
        if adapt:
            verb += f", learning as it coded ({adaptive.spec(adapt)})"
        return f"{verb}: {8 * len(data) / max(len(text), 1):.4f} bits per character (bound {bound:,.0f} bytes)"
    if args.adapt is not None:
        raise CompressError("--adapt: for encode only; decode reads the setting from the file")
    data = read_bytes(args.input)
    text = decode(args.checkpoint, data, source=args.input)
    write(args.output, text.encode("utf-8"))
    return (f"decoded {len(text):,} characters from {len(data):,} bytes: "
            f"{8 * len(data) / max(len(text), 1):.4f} bits per character")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m helpers.compress", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("encode", "decode"))
    parser.add_argument("checkpoint", help="a model checkpoint (helpers.checkpoint), e.g. gated_best.npz")
    parser.add_argument("input", help="encode: a UTF-8 text; decode: a file written by encode")
    parser.add_argument("output", help="where to write the result")
    parser.add_argument("--adapt", metavar="SETTING", help=ADAPT_HELP)
    args = parser.parse_args(argv)
    try:
        print(run(args))
    except ValueError as e:       # CompressError and textfile.CorpusError: one line naming the file
        sys.exit(f"error: {e}")


if __name__ == "__main__":
    main()
