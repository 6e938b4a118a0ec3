"""How long a run took: figures/timings.json, and figures/timings.md for a person to read first;
and how fast training runs, as `make bench` last measured it (`benchmark`, for 05_extensions).

A run of `make` or `make notebooks` writes its times (per notebook, the PDF, the total), its
settings and the machine into its figures when every notebook succeeded, so they are published
with the rest; `make test` adds its total when it passed, on a machine a run was recorded on, and
never on CI (where it would leave the clone changed). Each kind of run keeps one entry, its last.
Standard library only: `make check` reads it before anything is installed.

    python -m helpers.workbook.timings test START   -- record `make test`, begun at time.time() START
"""
import json
import os
import platform
import sys
import time
from pathlib import Path

from helpers.workbook.config import FIGURES, rel, setting

NAME = "timings"                      # figures/timings.json and figures/timings.md
# What changes how long a run takes (and so what makes another kind of run).
KIND_SETTINGS = ("CORPUS", "QUICK", "STEPS", "EXT_STEPS", "SEED", "EXTENSIONS")


def duration(seconds):
    """'4.2 s', '42 s', '8 min 3 s' or '1 h 2 min'."""
    if seconds < 10:
        return f"{seconds:.1f} s"
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60} s"
    return f"{s // 3600} h {s % 3600 // 60} min"


def last_time(seconds):
    """' (last time 8 min 3 s)', or '' when there was none."""
    return f" (last time {duration(seconds)})" if seconds else ""


def machine():
    """The CPU model, the cores this process may use and the 15-minute load, e.g.
    'AMD EPYC 7B13, 2 cores, load 1.0'."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith(("model name", "Hardware")):
                model = " ".join(line.split(":", 1)[1].split())
                break
    except OSError:
        pass                                           # not Linux: platform's name stays
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    # Other work on the machine slows a run: the load over the last 15 minutes says how busy it was.
    load = f", load {os.getloadavg()[2]:.1f}" if hasattr(os, "getloadavg") else ""
    return f"{model}, {cores} core{'s' * (cores != 1)}{load}"


def same_machine(a, b):
    """Whether two machine() texts name the same CPU and cores, whatever the load was."""
    return a.split(", load ")[0] == b.split(", load ")[0]


def run_name(target="make"):
    """The kind of run, as it was typed: 'make', 'QUICK=1 make notebooks', 'STEPS=1e5 make'..."""
    typed = [f"{n}={os.environ[n]}" for n in KIND_SETTINGS if os.environ.get(n)]
    return " ".join(typed + [target])


def settings_text():
    """The settings that change a run's length, as parsed: 'QUICK=0, STEPS=100,000, ...'."""
    corpus = setting("CORPUS")
    shown = [f"corpus: {Path(corpus).name if corpus else 'the bundled plays'}"]
    for name in KIND_SETTINGS[1:]:
        value = setting(name)
        if value is not None:
            shown.append(f"{name}={value:,}")
    return ", ".join(shown)


def load(folder=FIGURES):
    """The recorded entries, newest kind last: [{'run', 'machine', 'date', 'settings',
    'notebooks': {stem: seconds}, 'pdf': seconds or None, 'total': seconds}]."""
    try:
        return json.loads((Path(folder) / f"{NAME}.json").read_text())["runs"]
    except (OSError, ValueError, KeyError, TypeError):
        return []                                      # none yet, or unreadable: start afresh


def last(name, folder=FIGURES):
    """The entry of the last run of kind `name`, or None."""
    return next((e for e in load(folder) if e.get("run") == name), None)


def record(folder, name, notebooks, pdf=None, total=None):
    """Replace the entry of kind `name` in folder/timings.json and .md. notebooks: {stem: seconds}."""
    entry = {"run": name, "machine": machine(), "date": time.strftime("%Y-%m-%d", time.gmtime()),
             "settings": settings_text(), "notebooks": notebooks, "pdf": pdf,
             "total": sum(notebooks.values()) + (pdf or 0) if total is None else total}
    entries = [e for e in load(folder) if e.get("run") != name] + [entry]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for suffix, text in (("json", json.dumps({"runs": entries}, indent=1) + "\n"), ("md", markdown(entries))):
        tmp = folder / f"{NAME}.{suffix}.tmp"
        tmp.write_text(text)
        tmp.replace(folder / f"{NAME}.{suffix}")
    return entry


def markdown(entries):
    """Two tables: one row per kind of run, then the notebooks' times, one column per kind."""
    lines = ["# How long a run takes", "",
             "Written by the runs themselves (`helpers/workbook/timings.py`): `make` and `make notebooks` "
             "when every notebook succeeded, `make test` when it passed. Each kind of run keeps its last time.", "",
             "| run | total | PDF | machine | date | settings |", "|---|---:|---:|---|---|---|"]
    for e in entries:
        pdf = duration(e["pdf"]) if e.get("pdf") else "-"
        lines.append(f"| `{e['run']}` | {duration(e['total'])} | {pdf} | {e['machine']} | {e['date']} "
                     f"| {e['settings']} |")
    runs = [e for e in entries if e.get("notebooks")]
    stems = list(dict.fromkeys(s for e in runs for s in e["notebooks"]))
    if stems:
        lines += ["", "| notebook | " + " | ".join(f"`{e['run']}`" for e in runs) + " |",
                  "|---|" + "---:|" * len(runs)]
        for stem in stems:
            cells = [duration(e["notebooks"][stem]) if stem in e["notebooks"] else "-" for e in runs]
            lines.append(f"| {stem} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def record_test(start, folder=FIGURES):
    """Record `make test`, begun at `start` (time.time()), unless on CI or on a machine no run of
    this table was recorded on. Returns (the entry, None), or (None, why it was not recorded)."""
    if os.environ.get("CI", "").lower() in ("true", "1"):
        return None, "CI"
    here = machine()
    if not any(same_machine(e.get("machine", ""), here) for e in load(folder)):
        return None, f"no run was recorded on this machine ({here})"
    return record(folder, run_name("make test"), {}, total=time.time() - start), None


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2 or argv[0] != "test":
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    entry, why = record_test(float(argv[1]))
    print(f"make test took {duration(entry['total'])}: recorded in {FIGURES / NAME}.md" if entry
          else f"make test's time is not recorded: {why}")
    return 0


def measured_where(bench_K, K, corpus):
    """The caption of a table `make bench` measured, from its record's vocabulary size bench_K:
    whether it was this text (vocabulary size K; corpus: the CORPUS setting, None for the default)."""
    if bench_K != K:
        again = "make bench" if corpus is None else f"CORPUS={rel(corpus)} make bench"
        return (f"Measured by `make bench` on another text, with K = {bench_K} characters; this text has "
                f"K = {K}, and the cost of an update grows with K. `{again}` measures it on this one.")
    return f"Measured by `make bench` when it last ran, with K = {K} characters, as this text has."


def benchmark(K, corpus):
    """The table `make bench` last wrote (FIGURES/benchmark.md) under the line saying which text it
    measured (measured_where), or how to make it when it has not run here."""
    table = FIGURES / "benchmark.md"
    if not table.exists():
        return "Run `make bench` to measure the speed on this machine."
    bench_K = json.loads(table.with_suffix(".json").read_text())["K"]
    return f"*{measured_where(bench_K, K, corpus)}*\n\n" + table.read_text()


if __name__ == "__main__":
    sys.exit(main())
