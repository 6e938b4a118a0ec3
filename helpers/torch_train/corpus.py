"""The workbook's text for torch_train: its corpus setting, vocabulary, split and stream layout,
and the starting parameters (fresh, or a workbook model given as --init)."""
import hashlib

import numpy as np

from helpers import checkpoint, data, models
from helpers.train import Streams
from helpers.workbook import config
from helpers.torch_train.options import UsageError

DEFAULT_HIDDEN = 256


def load():
    """(vocab, (train, val, test) int arrays, sha256 of the text): CORPUS= as `make check` reads it,
    split 90/5/5 as the notebooks split it; a bad corpus is config's one-line SettingError."""
    config.check()
    text = data.load_corpus(config.setting("CORPUS"))
    vocab = data.Vocabulary.from_text(text)
    return vocab, data.split(vocab.encode(text)), hashlib.sha256(text.encode("utf-8")).hexdigest()


class RankStreams:
    """The workbook's B streams (helpers.train.Streams, in course order), of which this rank reads
    the `rank`-th of `world` equal slices: together the ranks read what one process would."""

    def __init__(self, ids, seq, batch, rank=0, world=1):
        if world > batch:
            raise UsageError(f"--batch {batch}: fewer streams than the {world} ranks; give each rank one at least")
        if batch % world:
            raise UsageError(f"--batch {batch}: not divisible by the {world} ranks")
        if (len(ids) - 1) // batch < seq + 1:
            raise UsageError(f"--batch {batch} --seq {seq}: the training text ({len(ids):,} characters) is too "
                             "short for so many streams of that length")
        self.streams = Streams(ids, seq, batch, "sequential", None, lambda: None)
        local = batch // world
        self.rows = slice(rank * local, (rank + 1) * local)

    @property
    def pos(self):
        return self.streams.pos

    @pos.setter
    def pos(self, value):
        self.streams.pos = value

    def next(self):
        """(X, Y, reset): this rank's inputs and targets, (seq, B / world) int each, and whether
        the streams rewound (their states then start from zero)."""
        X, Y, kept = self.streams.next(True)
        X, Y = np.atleast_2d(X)[self.rows], np.atleast_2d(Y)[self.rows]
        return X.T, Y.T, kept is None


def start_params(args, vocab):
    """The starting parameters: --init's parameters, checked against --model, --hidden and the
    corpus's vocabulary, or fresh ones drawn from a Generator seeded with --seed. Sets
    args.hidden to the width chosen."""
    module = models.get(args.model)
    if args.init is None:
        args.hidden = m = args.hidden or DEFAULT_HIDDEN
        rng = np.random.default_rng(args.seed)
        return module.init_params(len(vocab), m, m ** -0.5, rng, np.float64)
    params, init_vocab, meta = checkpoint.load_model(args.init)
    if meta["model"] != args.model:
        raise UsageError(f"--init {args.init}: a {meta['model']} model, but --model is {args.model}")
    if init_vocab.chars != vocab.chars:
        raise UsageError(f"--init {args.init}: its vocabulary ({len(init_vocab)} characters) is not this "
                         f"corpus's ({len(vocab)}); train it on the same CORPUS")
    m = params["V"].shape[1]
    if args.hidden not in (None, m):
        raise UsageError(f"--init {args.init}: {m} hidden units, but --hidden is {args.hidden}")
    args.hidden = m
    return params
