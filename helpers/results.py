"""The numbers each chapter measured, kept in one JSON file per corpus so that the conclusion can
be written from all of them: CHECKPOINT_DIR/<corpus>_results.json, written atomically."""
import json
import os
import tempfile
from pathlib import Path

from .config import CHECKPOINTS


def path(name):
    return Path(CHECKPOINTS) / f"{name}_results.json"


def record(name, chapter, **numbers):
    """Store `numbers` (JSON-friendly scalars) under `chapter`, keeping the other chapters'."""
    everything = load(name)
    everything[chapter] = {k: (v.item() if hasattr(v, "item") else v) for k, v in numbers.items()}
    target = path(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        json.dump(everything, f, indent=1)
    os.replace(tmp, target)


def load(name):
    """{chapter: {key: number}} recorded so far for corpus `name` (empty when none)."""
    try:
        return json.loads(path(name).read_text())
    except (OSError, ValueError):
        return {}
