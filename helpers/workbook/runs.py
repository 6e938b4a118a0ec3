"""A run's own folder, so that runs never mix, and nothing a failed notebook made is ever read.

A run is the corpus (its resolved path and its content) plus every setting that changes what is
trained or measured. Everything a run makes -- checkpoints, snapshots, the best models and the
numbers each chapter records -- lives under CHECKPOINT_DIR/<corpus>-<id>/, where <id> is a hash
of exactly that. Another book, another seed or QUICK=1 gets another folder, so a notebook reads
only what its own run wrote, and a later run never picks up an earlier run's model.

A notebook writes into <run>/staged/ (`Run.out`) and its last cell, after its checks, moves what
it wrote, and the numbers it measured, into the run's folder (`Run.publish`). The other notebooks read only published files
(`Run.path`), so a notebook that fails half-way leaves the last good outputs in place.
"""
import hashlib
import json
import os
import shutil
from collections import namedtuple
from pathlib import Path

from helpers.workbook import results
from helpers.workbook.config import ROOT, corpus_name, rel, resolve, setting
from helpers.data import SHAKESPEARE, write_shakespeare
from helpers.workbook.stop import Stop

RUN_SETTINGS = ("QUICK", "STEPS", "EXT_STEPS", "SEED")   # what changes a run's numbers
MADE_BY = {"best.npz": "03_training", "snapshots.npz": "03_training", "gated_best.npz": "06_gated"}
COURSE = "the course's RNN"                              # what the prose calls a run's own best.npz
ModelName = namedtuple("ModelName", "short full own")   # see model_name
_digests = {}                                            # (path, size, mtime) -> sha256


def content_digest(path):
    """The sha256 of a file's bytes, computed once per version of the file."""
    path = Path(path)
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _digests:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        _digests[key] = h.hexdigest()
    return _digests[key]


class Run:
    """The run of the corpus `corpus` (a notebook's CORPUS: None for the bundled plays, a relative
    path read from the repository root) with the settings of the environment."""

    def __init__(self, corpus=None):
        self.corpus = None if corpus is None else resolve(corpus)
        self.staged = set()                  # the names this notebook wrote through out(), to publish

    def describe(self):
        """{'corpus': its path (from the repository root when inside it), 'sha256': of its bytes,
        'settings': {name: value}}: what makes this run."""
        path = self.corpus or SHAKESPEARE
        if self.corpus is None and not path.exists():
            write_shakespeare(path)
        # The path from the root: a moved clone keeps its runs.
        return {"corpus": str(rel(path)), "sha256": content_digest(path),
                "settings": {name: setting(name) for name in RUN_SETTINGS}}

    def folder(self, create=True):
        """CHECKPOINT_DIR/<corpus>-<id>: this run's folder (made, with a run.json saying what the
        run is, unless `create` is False)."""
        run = self.describe()
        digest = hashlib.sha256(json.dumps(run, sort_keys=True).encode()).hexdigest()[:12]
        where = Path(setting("CHECKPOINT_DIR")) / f"{corpus_name(self.corpus)}-{digest}"
        if create and not (where / "run.json").exists():
            where.mkdir(parents=True, exist_ok=True)
            (where / "run.json").write_text(json.dumps(run, indent=1) + "\n")
        return where

    def path(self, name):
        """The published file `name` of this run, e.g. path('best.npz'), to read."""
        return self.folder(create=False) / name

    def model(self, name, besides=None):
        """The model file a notebook reads in place of this run's published `name`: MODEL= when it
        is set (say, a helpers.torch_train model), else path(name). Stops in one line when MODEL
        cannot be read, its vocabulary is not this corpus's, or it is the file `besides` (the
        other model of a chapter that compares two)."""
        chosen = setting("MODEL")
        if chosen is None:
            return self.path(name)
        if besides is not None and Path(chosen).resolve() == Path(besides).resolve():
            raise Stop(f"MODEL={os.environ['MODEL']}: this chapter already compares that model with "
                       f"{name}; set MODEL= to another model")
        from helpers import checkpoint, data     # here: runs.py stays light for the other notebooks
        try:
            chars = checkpoint.load_model(chosen)[1].chars
        except ValueError as e:
            raise Stop(f"MODEL={os.environ['MODEL']}: {e}") from None
        if chars != data.Vocabulary.from_text(data.load_corpus(self.corpus)).chars:
            raise Stop(f"MODEL={os.environ['MODEL']}: its vocabulary is not this corpus's; train it on the same CORPUS")
        return Path(chosen)

    def out(self, name, keep=False):
        """Where this notebook writes `name` until it publishes it. keep: start from the published
        file, if any, so that save_best weighs a new model against the run's last good one."""
        staged = self.folder() / "staged" / name
        staged.parent.mkdir(exist_ok=True)
        self.staged.add(name)
        if keep and not staged.exists() and self.path(name).exists():
            shutil.copy2(self.path(name), staged)
        return staged

    def publish(self, chapter=None, **numbers):
        """Move what this notebook wrote through out() into the run's folder: the last step of a
        notebook whose checks all passed. What another notebook, stopped half-way, left staged stays
        there. chapter: also record `numbers` (JSON-friendly values) as that chapter's results
        (helpers.workbook.results.record), for 09 to read. Returns the names published."""
        if chapter is not None:
            results.record(self, chapter, **numbers)
        elif numbers:
            raise TypeError("publish: numbers need the chapter they belong to")
        staged = self.folder() / "staged"
        names = sorted(name for name in self.staged if (staged / name).exists())
        for name in names:
            os.replace(staged / name, staged.parent / name)
        return names

    def require(self, *names):
        """Stop with one line naming every notebook to run first when this run lacks `names`."""
        missing = [n for n in names if not self.path(n).exists()]
        notebooks = list(dict.fromkeys(MADE_BY[n] for n in missing))
        if notebooks:
            raise Stop(f"run {', '.join(f'notebooks/{nb}.ipynb' for nb in notebooks)} first (or make): this "
                       f"run ({self.folder(create=False).name}, the corpus and settings of this kernel) has no "
                       f"{', '.join(missing)} yet")


def model_name(path, params, meta, run=None):
    """How the prose names the model saved at `path` (params and meta as checkpoint.load_model
    gives them), from the checkpoint alone: its cell (meta['model']), its width (V's columns) and
    where it came from. A ModelName of
        short   for tables and sentences: "the course's RNN" and "the GRU" for `run`'s own best.npz
                and gated_best.npz (as the workbook always called them), else the cell and its
                width with their maker, e.g. "the torch_train GRU-128", "the GRU-256 of run plays-1a2b"
        full    short, then the width and the file's origin in brackets, for a model's first mention
        own     True for `run`'s own published file (what a notebook reads without MODEL=)
    A file in a run's folder was saved by the notebook MADE_BY names; a file that says so in its
    metadata (trained_by), or lies beside the last.npz and result.json a training run leaves, was
    trained by helpers.torch_train."""
    from helpers.workbook.prose import NAMES      # here: runs.py stays light for the other notebooks
    path = Path(path)
    cell, m = NAMES.get(meta["model"], meta["model"]), int(params["V"].shape[1])
    shown = path.relative_to(ROOT) if path.resolve().is_relative_to(ROOT) and path.is_absolute() else path
    own = run is not None and path.name in MADE_BY and path.resolve() == run.path(path.name).resolve()
    by_notebook = MADE_BY.get(path.name) if (path.parent / "run.json").exists() else None
    trainer = meta.get("trained_by") or ("helpers.torch_train" if all(
        (path.parent / f).exists() for f in ("last.npz", "result.json")) else None)
    if own:
        short = COURSE if meta["model"] == "rnn" and path.name == "best.npz" else f"the {cell}"
        return ModelName(short, f"{short} ({m} hidden units, saved by {by_notebook})", True)
    if by_notebook:
        short = f"the {cell}-{m} of run {path.parent.name}"
        return ModelName(short, f"{short} ({m} hidden units, saved by {by_notebook} in {shown})", False)
    if trainer:
        short = f"the {trainer.rpartition('.')[2]} {cell}-{m}"
        return ModelName(short, f"{short} ({m} hidden units: {shown}, trained by {trainer})", False)
    short = f"the {cell}-{m} from {path.name}"
    return ModelName(short, f"{short} ({m} hidden units: {shown})", False)
