"""`make gradescope`: autograder.zip, Gradescope's programming-assignment autograder for a student
copy's submissions.

At the zip's root: `setup.sh` (Gradescope runs it once, building the image: Python, PyTorch's CPU
build, the requirements), `run_autograder` (run for each submission: grades
$AUTOGRADER_ROOT/submission, /autograder/submission by default, and writes
$AUTOGRADER_ROOT/results/results.json), the requirements, and the teacher's checks: the
`helpers/exercises/` folder and what it imports, and the held-back seed (helpers/teacher/held_back.py),
none of which a student can read there. The submission's own `helpers` is graded; its checks are
not used (helpers.exercises.grade).

    python -m helpers.teacher.gradescope [ZIP]      (default: autograder.zip)
"""
import sys
import zipfile
from pathlib import Path

from helpers.teacher import held_back, student

ROOT = Path(__file__).resolve().parents[2]
# What `python -m helpers.exercises grade` imports in the teacher's process.
PACKAGES = ("helpers/exercises", "helpers/workbook")
FILES = ("helpers/__init__.py", "helpers/teacher/__init__.py", "helpers/teacher/held_back.py", "requirements.txt")
SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu).
set -euo pipefail
cd /autograder/source
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3.11 python3.11-venv
python3.11 -m venv /autograder/venv
/autograder/venv/bin/pip install -q --upgrade pip
/autograder/venv/bin/pip install -q {torch} --index-url {index}
/autograder/venv/bin/pip install -q -r requirements.txt
"""
RUN = """#!/usr/bin/env bash
# Gradescope runs this for each submission. AUTOGRADER_ROOT (default /autograder) holds source/ (this
# zip), submission/ and results/; AUTOGRADER_PYTHON is the Python with the requirements.
set -uo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
PY="${{AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}}"
mkdir -p "$ROOT/results"
cd "$ROOT/source"
if ! EXERCISES_SEED="${{EXERCISES_SEED:-{seed}}}" PYTHONPATH="$ROOT/source" "$PY" -m helpers.exercises grade \\
        --format gradescope "$ROOT/submission" > "$ROOT/results/results.json" 2> "$ROOT/results/stderr.txt"; then
    "$PY" -c 'import json, sys; print(json.dumps({{"score": 0, "visibility": "visible", "output":
        "the autograder could not grade this submission: " + (open(sys.argv[1]).read().strip().splitlines()
        or ["no message"])[-1]}}))' "$ROOT/results/stderr.txt" > "$ROOT/results/results.json"
fi
"""


def sources(root=ROOT):
    """{path in the zip: the file} of the teacher's checks and what they import (tracked files)."""
    names = [n for n in student.git(["ls-files", "-z"], root).split("\0") if (root / n).is_file()]
    wanted = [n for n in names if n in FILES or (n.startswith(PACKAGES) and n.endswith(".py"))]
    return {n: root / n for n in wanted}


def build(dest, root=ROOT, seed=None):
    """Write the autograder zip to `dest` (written beside it, then moved into place); returns its path."""
    dest = Path(dest).resolve()
    files = sources(root)
    missing = [n for n in FILES if n not in files]
    if missing:
        raise student.BuildError(f"{missing[0]} is not tracked by git in {root}: the autograder needs it")
    texts = {"setup.sh": SETUP.format(torch=student.torch_pin(root), index=student.CPU_TORCH),
             "run_autograder": RUN.format(seed=held_back.seed() if seed is None else seed)}
    partial = dest.with_name(dest.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in texts.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o755 << 16                 # executable when unzipped
            z.writestr(info, text)
        for name, path in sorted(files.items()):
            z.write(path, name)
    partial.replace(dest)
    return dest


def main(argv):
    try:
        path = build(argv[0] if argv else ROOT / "autograder.zip")
    except (student.BuildError, ValueError, OSError) as e:
        sys.exit(f"error: {e}")
    print(f"{path}: Gradescope's autograder (upload it as the assignment's zip); run_autograder grades "
          "/autograder/submission with held-back cases")


if __name__ == "__main__":
    main(sys.argv[1:])
