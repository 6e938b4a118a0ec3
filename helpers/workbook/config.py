"""Settings that may be overridden from outside, declared, read and checked in one place.

Every setting is an environment variable, e.g. `CORPUS=data/goblet_book.txt STEPS=20000 make`.
Notebooks read them with `setting(NAME)`, or several at once with `settings(...)`. `python -m helpers.workbook.config` checks every one that is
set, and the corpus, before `make` runs any notebook: a bad one stops it in one line.
Standard library only, so that the check runs before anything heavy is imported.
"""
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from helpers.textfile import MIN_CHARS, ROOT, CorpusError, read_text, resolve


@dataclass(frozen=True)
class Spec:
    kind: type              # int, float or str
    default: object         # None: the notebook (or code) that reads it gives its own
    low: float = None       # the smallest value allowed
    high: float = None      # the largest value allowed
    quick: object = None    # the default when QUICK=1
    help: str = ""
    path: bool = False      # a file or folder: a relative one is read from the repository root


SETTINGS = {
    "CORPUS": Spec(str, None, help="a UTF-8 text file; unset = the bundled Shakespeare plays", path=True),
    "QUICK": Spec(int, 0, 0, 1, help="1 scales every training budget down to a smoke test"),
    "STEPS": Spec(int, 100_000, 100, quick=2_000, help="AdaGrad updates in 03_training (fewer than 100 cannot show a loss falling)"),
    "EXT_STEPS": Spec(int, 10_000, 1, quick=500, help="updates per run in 05_extensions"),
    "SEED": Spec(int, None, 0, 2 ** 63 - 1, help="seeds every numpy Generator (each notebook has its own)"),
    "SHOW_CODE": Spec(int, 0, 0, 1, help="1 keeps the code in the PDF report"),
    "AUTHOR": Spec(str, None, help="the report's author (default: git config user.name)"),
    "EXTENSIONS": Spec(int, None, 0, 1, help="1: make runs and reports the chapters after 04 too "
                                             "(default: 1, in a student copy 0)"),
    "FIGURES_DIR": Spec(str, str(ROOT / "figures"), help="where figures are written", path=True),
    "CHECKPOINT_DIR": Spec(str, str(ROOT / "checkpoints"), help="where runs keep their models and numbers",
                           path=True),
    "MODEL": Spec(str, None, help="a saved model, e.g. checkpoints/torch-gru/model.npz from helpers.torch_train: "
                                  "04 samples from it and 08 compresses with it in place of 06's", path=True),
    "BENCH_REPEATS": Spec(int, 5, 1, help="repeats per mode in make bench"),
    "BENCH_TARGET": Spec(float, 3.5, 0.01, help="validation bits per character make bench trains to"),
    "BENCH_BUDGET": Spec(float, 300.0, 1, help="seconds per mode make bench may train"),
}


class SettingError(ValueError):
    """A setting whose value cannot be used; str gives 'NAME=value: what is wrong'."""


def parse(name, raw, kind, low=None, high=None):
    """The text `raw` of setting `name` as `kind`, checked against [low, high]."""
    if kind is str:
        return raw
    text = raw.strip().replace("_", "")                  # accepts 100000, 100_000 and 1e5
    try:
        value = int(text) if kind is int and text.lstrip("+-").isdigit() else float(text)   # exact when whole
    except ValueError:
        value = None
    if value is None or value != value or (kind is int and value != int(value)):
        raise SettingError(f"{name}={raw}: not a {'whole number' if kind is int else 'number'}")
    value = kind(value)
    if low is not None and high is not None and high - low == 1 and value not in (low, high):
        raise SettingError(f"{name}={raw}: must be {low} or {high}")
    if low is not None and value < low:
        raise SettingError(f"{name}={raw}: must be at least {low:,}")
    if high is not None and value > high:
        raise SettingError(f"{name}={raw}: must be at most {high:,}")
    return value


def setting(name, default=None):
    """The environment variable `name`, parsed and checked as SETTINGS declares it.

    Unset or empty: `default` if given, else the declared default (its QUICK one when QUICK=1).
    Names not in SETTINGS are parsed like `default`. A path setting comes back absolute: a
    relative one is taken from the repository root, wherever the kernel or shell runs.
    """
    spec = SETTINGS.get(name) or Spec(str if default is None else type(default), default)
    raw = os.environ.get(name, "")
    if raw == "":
        if default is not None:
            return default
        return spec.quick if spec.quick is not None and quick() else spec.default
    value = parse(name, raw, spec.kind, spec.low, spec.high)
    return str(resolve(value)) if spec.path else value


def settings(*names, **defaults):
    """Several settings at once, in the order named, for a notebook's configuration cell:
    `CORPUS, STEPS, SEED = settings("CORPUS", "STEPS", SEED=1)`; a keyword gives that setting the
    notebook's own default, as `setting(name, default)` does."""
    return tuple(setting(n) for n in names) + tuple(setting(n, d) for n, d in defaults.items())


def quick():
    """True when QUICK=1: every training budget is scaled down to a smoke test."""
    return setting("QUICK") == 1


def default_run():
    """True for the default run (bundled corpus, full budgets, default seeds), the only one whose
    outputs thresholds tuned on the bundled corpus may check."""
    return not quick() and not any(os.environ.get(n) for n in ("CORPUS", "STEPS", "EXT_STEPS", "SEED", "MODEL"))


FIGURES = Path(setting("FIGURES_DIR"))          # figures/: the notebooks save their pictures here
CHECKPOINTS = Path(setting("CHECKPOINT_DIR"))   # checkpoints/ (gitignored): 03 writes, 04 reads


STUDENT_COPY = (ROOT / ".student").exists()   # a student copy, made by `make exercises`
LAST_ASSIGNED = 4                              # chapters 01-04 are the assignment; later ones extensions


def extensions():
    """True when make runs and reports the chapters after 04: EXTENSIONS=1, or by default outside
    a student copy."""
    value = setting("EXTENSIONS")
    return not STUDENT_COPY if value is None else value == 1


def corpus_name(path):
    """A short name for a corpus: the file stem, or 'shakespeare' for the bundled one."""
    return "shakespeare" if path is None else Path(path).stem


ANONYMOUS = "Anonymous student"


def author():
    """The report's author: $AUTHOR, else git's user.name, else ANONYMOUS."""
    name = os.environ.get("AUTHOR")
    if name:
        return name
    try:
        out = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True, cwd=ROOT)
        return out.stdout.strip() or ANONYMOUS
    except OSError:
        return ANONYMOUS


def check():
    """Every setting that is set, then the corpus file: a one-line summary, or SettingError."""
    for name in SETTINGS:
        setting(name)
    corpus, raw = setting("CORPUS"), os.environ.get("CORPUS", "")
    if corpus is None:
        return "settings checked; corpus: the bundled Shakespeare plays"
    where = "" if Path(raw).expanduser().is_absolute() else f" (looked for {corpus})"
    try:
        text, _ = read_text(corpus, MIN_CHARS)
    except CorpusError as e:
        raise SettingError(f"CORPUS={raw}: {e.reason}{where if e.reason == 'file not found' else ''}") from None
    return f"settings checked; corpus: {corpus}, {len(text):,} characters"


# How a setting left unset reads, where None alone would not say.
UNSET = {"CORPUS": lambda: "the bundled Shakespeare plays", "SEED": lambda: "each notebook's own",
         "AUTHOR": author, "EXTENSIONS": lambda: str(int(extensions()))}


def parsed():
    """Every setting as it was parsed, one line each: name, value, and where it came from
    ('from STEPS=1e5', 'QUICK=1's default', 'default'). Bench settings only when set."""
    lines = []
    for name, spec in SETTINGS.items():
        raw = os.environ.get(name, "")
        if name.startswith("BENCH_") and not raw:
            continue                                  # make bench's: noise for make
        value = setting(name)
        if value is None:
            shown = UNSET.get(name, lambda: "unset")()
        elif spec.path:
            shown = str(rel(value))
        else:
            shown = f"{value:,}" if spec.kind in (int, float) else str(value)
        source = (f"from {name}={raw}" if raw else "QUICK=1's default" if spec.quick is not None and quick()
                  else "default")
        lines.append(f"  {name:<15}{shown}  ({source})")
    return lines


def rel(path):
    """`path` from the repository root when it is inside it, else absolute: as a report shows it."""
    path = Path(path).resolve()
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def main():
    from helpers.workbook import timings       # it reads the settings: imported once they are
    try:
        print(check(), *parsed(), sep="\n", flush=True)
    except SettingError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    entry = timings.last(timings.run_name())
    if entry:
        print(f"a run like this took {timings.duration(entry['total'])} on {entry['machine']}, {entry['date']} "
              f"(every kind of run: {rel(FIGURES)}/timings.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
