"""The package as pip builds it: a wheel that holds every module, and an import that changes nothing."""
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD_FILES = ("pyproject.toml", "setup.py", "setup.cfg", "MANIFEST.in")   # what a build may read


def build_wheel(tmp_path):
    """The wheel `pip wheel --no-build-isolation .` makes of this repository: the build backend that
    pyproject.toml names, called as pip calls it (PEP 517), on a copy (no build/ left behind)."""
    src, dist = tmp_path / "src", tmp_path / "dist"
    shutil.copytree(ROOT / "helpers", src / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    for name in BUILD_FILES:
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, src / name)
    backend = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["build-backend"]
    code = f"import importlib, sys; print(importlib.import_module({backend!r}).build_wheel(sys.argv[1]))"
    out = subprocess.run([sys.executable, "-c", code, str(dist)], cwd=src, check=True, capture_output=True,
                         text=True).stdout
    return dist / out.strip().splitlines()[-1]


def test_the_wheel_holds_every_subpackage_and_imports_from_it(tmp_path):
    wheel = build_wheel(tmp_path)
    held = set(zipfile.ZipFile(wheel).namelist())
    packages = {p.relative_to(ROOT).as_posix() for p in (ROOT / "helpers").rglob("__init__.py")}
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "helpers").rglob("*.py")}
    assert "helpers/models/__init__.py" in packages and len(packages) > 5      # the subpackages were found
    assert not packages - held, f"the wheel lacks {sorted(packages - held)}"
    assert not modules - held, f"the wheel lacks {sorted(modules - held)}"
    # Installed from the wheel alone (a wheel of pure Python imports as a zip), not from this checkout.
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import helpers.train, helpers.models; "
            "print(helpers.train.__file__)")
    out = subprocess.run([sys.executable, "-c", code, str(wheel)], cwd=tmp_path, check=True,
                         capture_output=True, text=True).stdout
    assert out.startswith(str(wheel)), out


def test_importing_helpers_changes_no_environment_variable(tmp_path):
    """BLAS threads are the caller's to set (the notebooks do it visibly): `import helpers` sets none."""
    code = "import os; before = dict(os.environ); import helpers; print(dict(os.environ) == before)"
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, check=True,
                         capture_output=True, text=True).stdout
    assert out.strip() == "True"
