"""`make exercises`: the GitHub Classroom autograding workflow of a student copy,
`.github/workflows/classroom.yml`, made from the exercise registry (its points, one source).

One `classroom-resources/autograding-command-grader@v1` step per exercise, whose command is that
exercise's check in the copy (`python -m helpers.exercises check EID --strict`: exit 0 only when
it PASSes) and whose max-score is its points; then `autograding-grading-reporter@v1`, which adds
them up for Classroom. The job installs what the checks need on ubuntu-latest, PyTorch's CPU
build first (the default Linux wheel pulls CUDA, gigabytes), with pip's cache. It runs in the
student's own repository, so it runs only the checks a student can read (TEACHING.md).
"""
import json
from pathlib import Path

from helpers.exercises import closure
from helpers.exercises.checks import EXERCISES

WORKFLOW = Path(".github/workflows/classroom.yml")
PYTHON = "3.11"                     # the Makefile's MIN_PYTHON
PER_CHECK = 120                     # seconds each exercise's check may take (the check's --timeout)


def _q(text):
    """A YAML double-quoted scalar (JSON's strings are YAML's)."""
    return json.dumps(text)


def command(eid):
    """The shell command that grades exercise `eid` in a copy: exit 0 only when it PASSes."""
    return f"python -m helpers.exercises check {eid} --strict --timeout {PER_CHECK}"


def timeout_minutes(eid):
    """Minutes for `eid`'s grader: each exercise its check runs (it and those it needs) may take
    PER_CHECK seconds, plus a minute to start."""
    return len(closure([eid])) * PER_CHECK // 60 + 1


def grader(eid, ex):
    return [f"      - name: {_q(f'{eid} {ex.title}')}",
            f"        id: {eid.lower()}",
            "        uses: classroom-resources/autograding-command-grader@v1",
            "        with:",
            f"          test-name: {_q(f'{eid} {ex.title}' + ' (optional)' * ex.optional)}",
            f"          command: {_q(command(eid))}",
            f"          timeout: {timeout_minutes(eid)}",
            f"          max-score: {ex.points}"]


def workflow(torch_pin, index):
    """The workflow's text; torch_pin: requirements.txt's torch line, e.g. 'torch==2.13.0', and
    index: the package index of PyTorch's CPU builds."""
    ids = list(EXERCISES)
    head = ["name: Autograding", "\"on\": [push, repository_dispatch, workflow_dispatch]",
            "permissions:", "  checks: write", "  actions: read", "  contents: read",
            "jobs:", "  autograding:", "    runs-on: ubuntu-latest",
            "    if: github.actor != 'github-classroom[bot]'", "    steps:",
            "      - uses: actions/checkout@v4",
            "      - uses: actions/setup-python@v5", "        with:", f"          python-version: {_q(PYTHON)}",
            "          cache: pip", "          cache-dependency-path: requirements.txt",
            "      - name: Install the requirements, PyTorch's CPU build first", "        run: |",
            f"          python -m pip install {torch_pin} --index-url {index}",
            "          python -m pip install -r requirements.txt",
            "          python -m pip install --no-deps -e ."]
    steps = [line for eid in ids for line in grader(eid, EXERCISES[eid])]
    report = ["      - name: Autograding Reporter", "        uses: classroom-resources/autograding-grading-reporter@v1",
              "        env:", *(f"          {eid.upper()}_RESULTS: \"${{{{steps.{eid.lower()}.outputs.result}}}}\""
                               for eid in ids),
              "        with:", f"          runners: {','.join(eid.lower() for eid in ids)}"]
    return "\n".join(head + steps + report) + "\n"


def write(dest, torch_pin, index):
    """Write the workflow into the copy at `dest`; returns its path."""
    path = Path(dest) / WORKFLOW
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(workflow(torch_pin, index))
    return path
