"""The numbers each chapter measured, kept in its run's folder (helpers.workbook.runs) so that the
conclusion is written from that run's numbers only: <run>/results.json, written atomically, and
published with the rest of a notebook's outputs once its checks have passed."""
import json
import os
import tempfile

from helpers.workbook.stop import Stop

CHAPTERS = {"training": "03_training", "sampling": "04_sampling", "extensions": "05_extensions",
            "gated": "06_gated", "inside": "07_inside", "compression": "08_compression"}


def _read(path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def record(run, chapter, **numbers):
    """Store `numbers` (JSON-friendly values) under `chapter` for helpers.workbook.runs.Run `run`, keeping
    the other chapters'; they are read by others once the notebook publishes."""
    target = run.out("results.json")
    everything = _read(target) if target.exists() else load(run)
    everything[chapter] = {k: (v.item() if hasattr(v, "item") else v) for k, v in numbers.items()}
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        json.dump(everything, f, indent=1)
    os.replace(tmp, target)


def load(run):
    """{chapter: {key: value}} published so far in `run` (empty when none)."""
    return _read(run.path("results.json"))


def require(run, *chapters):
    """`run`'s results of `chapters`, or a one-line Stop naming every notebook still to run."""
    found = load(run)
    missing = [CHAPTERS[c] for c in chapters if c not in found]
    if missing:
        raise Stop(f"run {', '.join(f'notebooks/{n}.ipynb' for n in missing)} first (or make): "
                   f"this run has no results from {'them' if len(missing) > 1 else 'it'} yet")
    return found
