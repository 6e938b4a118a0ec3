"""Settings that may be overridden from outside, read in one place.

Every notebook calls `setting(NAME, default)`; the environment variable NAME wins
when set, e.g. `CORPUS=data/goblet_book.txt STEPS=20000 make`.
"""
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent   # repository root
CHECKPOINTS = ROOT / "checkpoints"              # gitignored; 03_training writes, 04 reads
FIGURES = ROOT / "figures"


def setting(name, default):
    """The environment variable `name` parsed like `default`, or `default` when unset."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if default is None or isinstance(default, str):
        return raw
    kind = type(default)
    try:
        value = float(raw.replace("_", ""))     # accepts 100000, 100_000 and 1e5
        if kind is int and value != int(value):
            raise ValueError
        return kind(value)
    except ValueError:
        raise ValueError(f"environment variable {name}={raw!r} is not a valid {kind.__name__}") from None


def corpus_name(path):
    """A short name for a corpus: the file stem, or 'shakespeare' for the bundled one."""
    return "shakespeare" if path is None else Path(path).stem


def author():
    """The report's author: $AUTHOR, else git's user.name, else a placeholder."""
    name = os.environ.get("AUTHOR")
    if name:
        return name
    try:
        out = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True, cwd=ROOT)
        return out.stdout.strip() or "Anonymous student"
    except OSError:
        return "Anonymous student"
