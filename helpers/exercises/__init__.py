"""Exercise mode: where a student copy (`make exercises`) stands, exercise by exercise. Not part
of the assignment: nothing here is yours to write (README.md, "Exercise mode", lists what is).

    python -m helpers.exercises check [E2 ...] [--json] [--strict] [--timeout S]   make check-exercises
    python -m helpers.exercises grade DIR... [--format csv|json]         a teacher's table of copies
    python -m helpers.exercises grade DIR --format gradescope            Gradescope's results.json
    python -m helpers.exercises answers DIR... > answers.md              their answer cells, per question

`check` prints one line per exercise: PASS, FAIL, NOT STARTED (its stub still raises) or BLOCKED
(an exercise it needs does not pass yet), with the worst error against its bar; it exits 0 only
when every required exercise passes (an optional one, marked so, may be left undone). Each
exercise runs in its own process with a timeout, so a crash or a hang is a FAIL. `grade` checks
each submitted copy with its own `helpers` (asserted) and this repository's checks. In a
notebook: `exercises.require("E1", "E2")` in the first cell, `exercises.check("E2")`.
"""
import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from helpers.workbook import questions
from helpers.exercises import cases, platforms
from helpers.exercises.checks import EXERCISES
from helpers.exercises.run import evaluate
from helpers.workbook.stop import Stop

CHECKS = Path(__file__).resolve().parent          # the helpers/exercises/ whose checks, oracles and guards run
ROOT = CHECKS.parents[1]                          # the repository (or copy) they belong to


def closure(ids):
    """The exercises `ids` and all they need, in the order of EXERCISES; ValueError for an unknown id."""
    unknown = [e for e in ids if e not in EXERCISES]
    if unknown:
        raise ValueError(f"no exercise {unknown[0]}; the exercises are {', '.join(EXERCISES)}")
    want, todo = set(), list(ids or EXERCISES)
    while todo:
        eid = todo.pop()
        if eid not in want:
            want.add(eid)
            todo += EXERCISES[eid].needs
    return [e for e in EXERCISES if e in want]


def with_checks(root, checks, dest):
    """A copy of the repository or student copy `root` at `dest`, whose helpers/exercises/ is the
    folder `checks`: its helpers/ copied, every other top-level entry linked. Returns dest."""
    def ignored(folder, names):
        return [n for n in names if n == "__pycache__" or (Path(folder) == root / "helpers" and n == "exercises")]
    dest.mkdir()
    for entry in root.iterdir():
        if entry.name == "helpers":
            shutil.copytree(entry, dest / "helpers", ignore=ignored)
            shutil.copytree(checks, dest / "helpers" / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (dest / entry.name).symlink_to(entry.resolve(), target_is_directory=entry.is_dir())
    return dest


def isolated(eid, root, timeout, checks=CHECKS, held=None):
    """evaluate(eid) in a fresh process in `root`, on root's helpers; a crash or hang is a FAIL.
    held: a seed for held-back instances too (helpers.exercises.cases), None for the visible only.

    When root's checks are not `checks` (grading a submitted copy), the process runs in a scratch
    copy of root that holds `checks` instead (`with_checks`): a copy's edits to its own checks
    cannot grade it."""
    root = Path(root).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        if (root / "helpers" / "exercises").resolve() != checks:
            root = with_checks(root, checks, Path(tmp) / "copy")
        env = {k: v for k, v in os.environ.items() if k != cases.ENV}
        env.update({"PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"})
        if held is not None:
            env[cases.ENV] = str(held)
        out = Path(tmp) / "result.json"
        try:
            done = subprocess.run([sys.executable, "-m", "helpers.exercises.child", eid, str(out)], cwd=root,
                                  env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return {"status": "FAIL", "detail": f"no result within {timeout:g} s: an endless loop?"}
        if out.exists():
            return json.loads(out.read_text())
        last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        return {"status": "FAIL", "detail": f"crashed: {last[:160]}"}


def results(ids=(), run=None):
    """[result] for `ids` (default: all) and what they need; BLOCKED where a need does not pass.

    run: eid -> result dict (default: `evaluate`, in this process)."""
    run, done = run or evaluate, {}
    for eid in closure(ids):
        ex = EXERCISES[eid]
        blockers = [n for n in ex.needs if done[n]["status"] != "PASS"]
        base = {"id": eid, "title": ex.title}
        done[eid] = ({**base, "status": "BLOCKED", "detail": f"needs {', '.join(blockers)} to pass first"}
                     if blockers else {**base, **run(eid)})
    return list(done.values())


def score(r):
    """The points row r earns: all of its exercise's for a PASS, none otherwise."""
    return EXERCISES[r["id"]].points if r["status"] == "PASS" and r["id"] in EXERCISES else 0


def line(r):
    ex = EXERCISES.get(r["id"])
    title = r["title"] + " (optional)" * ex.optional if ex else r["title"]
    points = f"{score(r):>2}/{ex.points:<2} pts" if ex else ""
    return f"{r['id']:<3} {title:<30} {r['status']:<11} {points}  {r['detail']}"


def summary(rows):
    """The closing line of make check-exercises: exercises passed and points earned, the required
    ones and the optional ones apart."""
    def part(optional, kind):
        mine = [r for r in rows if EXERCISES[r["id"]].optional == optional]
        passed = sum(r["status"] == "PASS" for r in mine)
        return (f"{passed} of {len(mine)} {kind} ({sum(map(score, mine))} of "
                f"{sum(EXERCISES[r['id']].points for r in mine)} points)") if mine else None
    parts = [p for p in (part(False, "required exercises"), part(True, "optional ones")) if p]
    return "Passed their local checks: " + ", and ".join(parts) + "."


def done(rows):
    """True when every row's exercise passes, or is optional and not started or blocked (a
    failing optional one still counts: the student wrote something wrong)."""
    return all(r["status"] == "PASS" or (EXERCISES[r["id"]].optional and r["status"] in ("NOT STARTED", "BLOCKED"))
               for r in rows)


def check(*ids, timeout=120):
    """Print where exercises `ids` (default: all) and those they need stand, as make check-exercises does."""
    for r in results(ids, lambda eid: isolated(eid, ROOT, timeout)):
        print(line(r))


def require(*ids):
    """For a notebook's first cell: nothing when exercises `ids` pass their local checks (run here,
    in this process); otherwise Stop with one line naming the first that does not. Outside a
    student copy only the names are checked: there make test checks the exercises, in a copy."""
    if not (ROOT / ".student").exists():
        closure(ids)
        return
    for r in results(ids):
        if r["status"] != "PASS":
            raise Stop(f"{r['id']} ({r['title']}) is not done yet: make check-exercises")


def held_back_seed():
    """The teacher's seed for held-back instances (helpers/teacher/held_back.py, which a student
    copy does not hold), or None in a copy."""
    try:
        from helpers.teacher import held_back
    except ImportError:
        return None
    return held_back.seed()


def grade(dirs, timeout, held=None):
    """{dir: [result]} for each submitted copy, checked in isolation with this repository's checks,
    on held-back instances too when `held` (a seed) is given."""
    table = {}
    for d in dirs:
        root = Path(d).resolve()
        if not (root / "helpers" / "__init__.py").is_file():
            table[d] = [{"id": e, "status": "FAIL", "detail": "no helpers/ package"} for e in EXERCISES]
            continue
        table[d] = results((), lambda eid: isolated(eid, root, timeout, held=held))
    return table


def write_table(table, fmt, stream):
    """A row per submission, a column per exercise (its status), and the number passed; for
    gradescope, the one submission's results.json."""
    if fmt == "gradescope":
        json.dump(platforms.gradescope(next(iter(table.values()))), stream, indent=1)
        stream.write("\n")
        return
    if fmt == "json":
        json.dump([{"submission": d, **{r["id"]: r for r in rows}} for d, rows in table.items()], stream, indent=1)
        stream.write("\n")
        return
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["submission", *EXERCISES, "passed"])
    for d, rows in table.items():
        status = {r["id"]: r["status"] for r in rows}
        writer.writerow([d, *(status[e] for e in EXERCISES), sum(s == "PASS" for s in status.values())])


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m helpers.exercises", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="one line per exercise; exit 0 only when all pass")
    c.add_argument("ids", nargs="*")
    c.add_argument("--json", action="store_true")
    c.add_argument("--strict", action="store_true",
                   help="exit 0 only when every exercise checked PASSes, optional ones too (a grader's command)")
    g = sub.add_parser("grade", help="a table of submitted copies, a row each")
    g.add_argument("dirs", nargs="+")
    g.add_argument("--format", choices=("csv", "json", "gradescope"), default="csv",
                   help="gradescope: Gradescope's results.json, for one submission")
    a = sub.add_parser("answers", help="each copy's answers to the report's questions, side by side (Markdown)")
    a.add_argument("dirs", nargs="+")
    for p in (c, g):
        p.add_argument("--timeout", type=float, default=120.0, help="seconds per exercise (default 120)")
    args = parser.parse_args(argv)
    missing = [d for d in getattr(args, "dirs", []) if not Path(d).is_dir()]
    if missing:
        sys.exit(f"error: {missing[0]}: not a directory")
    if getattr(args, "format", None) == "gradescope" and len(args.dirs) != 1:
        sys.exit(f"error: --format gradescope grades one submission, not {len(args.dirs)}")
    try:
        if args.command == "answers":
            sys.stdout.write(questions.side_by_side(args.dirs))
            return
        if args.command == "grade":
            write_table(grade(args.dirs, args.timeout, held_back_seed()), args.format, sys.stdout)
            return
        rows = results(args.ids, lambda eid: isolated(eid, ROOT, args.timeout))
    except ValueError as e:
        sys.exit(f"error: {e}")
    print(json.dumps(rows, indent=1) if args.json else "\n".join(map(line, rows)))
    if not args.json:
        print(summary(rows))
    passed = all(r["status"] == "PASS" for r in rows) if args.strict else done(rows)
    sys.exit(0 if passed else 1)

