"""A student's own machine: the Python it needs, and tests that run without TeX."""
import os
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent


def fake_python(folder, version):
    """A stand-in interpreter that reports `version` and fails at anything else, loudly."""
    path = folder / f"python{version}"
    path.write_text('#!/bin/sh\ncase "$*" in *version_info*) echo "%s";; *) echo "ran: $*" >&2; exit 3;; esac\n'
                    % version.replace(".", " "))
    path.chmod(0o755)
    return path


def make_venv(tmp_path, python):
    venv = tmp_path / f"venv-{Path(python).name}"
    out = subprocess.run(["make", "--no-print-directory", f"PYTHON={python}", f"VENV={venv}", f"{venv}/.installed"],
                         cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    return out, venv


def test_make_names_the_python_it_needs_before_it_creates_the_venv(tmp_path):
    for version in ("3.10.12", "2.7.18"):
        python = fake_python(tmp_path, version)
        out, venv = make_venv(tmp_path, python)
        assert out.returncode != 0
        assert out.stderr.splitlines()[0] == (f"error: Python 3.11 or newer is needed; {python} is {version} "
                                              f"(set PYTHON=python3.11)")
        assert "ran:" not in out.stderr and not venv.exists()
    out, _ = make_venv(tmp_path, tmp_path / "no-such-python")
    assert out.stderr.splitlines()[0].startswith("error: Python 3.11 or newer is needed; ")
    for version in ("3.11.0", "3.13.1", "4.0.0"):                 # new enough: on to `python -m venv`
        out, _ = make_venv(tmp_path, fake_python(tmp_path, version))
        assert "error: Python" not in out.stderr and "ran: -m venv" in out.stderr


def test_the_python_floor_is_the_pinned_packages_floor():
    pins = [Requirement(line) for line in (ROOT / "requirements.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    floors = {}
    for pin in pins:
        needs = SpecifierSet(metadata.metadata(pin.name).get("Requires-Python") or "")
        floors[pin.name] = max((tuple(map(int, s.version.split(".")[:2])) for s in needs
                                if s.operator == ">="), default=(3, 0))
    floor = "%d.%d" % max(floors.values())
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert pyproject == f">={floor}", floors
    assert re.search(r"^MIN_PYTHON := (.+)$", (ROOT / "Makefile").read_text(), re.M)[1] == floor


def pytest_without_tex(tmp_path, **env):
    """The PDF tests of test_report.py, run where no TeX is on PATH."""
    env = {**{k: v for k, v in os.environ.items() if k != "CI"}, "PATH": str(tmp_path), **env}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                           "tests/test_report.py", "-k", "not bars and not widget and not visible"],
                          cwd=ROOT, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)


def test_without_tex_the_pdf_tests_skip_in_one_line_and_fail_on_ci(tmp_path):
    out = pytest_without_tex(tmp_path)
    assert out.returncode == 0, out.stdout
    skipped = [line for line in out.stdout.splitlines() if line.startswith("SKIPPED")
               and "(EXTENSIONS=0)" not in line]           # a student copy's later chapters: left out anyway
    assert len(skipped) == 1 and "no xelatex, pandoc, pdftotext on PATH" in skipped[0]
    assert all(how in skipped[0] for how in ("sudo apt-get install texlive-xetex", "brew install", "WSL"))
    summary = out.stdout.splitlines()[-1]
    assert "skipped" in summary and "passed" not in summary and "failed" not in summary
    out = pytest_without_tex(tmp_path, CI="true")
    assert out.returncode == 1 and "CI=true: no xelatex" in out.stdout
    assert not [line for line in out.stdout.splitlines() if line.startswith("SKIPPED") and "no xelatex" in line]


def test_the_sanitizer_masks_rounding_noise_in_every_form_and_nothing_else():
    from nbval.plugin import get_sanitize_patterns

    patterns = get_sanitize_patterns((ROOT / "tests" / "sanitize.cfg").read_text())
    assert len(patterns) == 4

    def sanitize(s):                                             # as nbval applies them, in order
        for regex, replace in patterns:
            s = re.sub(regex, replace, s)
        return s

    for noise in ("2.90e-09", "1.5e-16", "4e-15", "1e-16", "-3e-05", "4.440892098500626e-16", "3.1e+02"):
        assert sanitize(f"| U | {noise} |") == "| U | SCI |", noise
    assert sanitize("forward passes exactly;") == sanitize("forward passes to within 4e-15;")
    kept = "4,986,943 characters, K = 80, ln K = 4.382, 15.09%, 109.55, U+001A, (100, 80), 400 / 20, v1e-5"
    assert sanitize(kept) == kept
