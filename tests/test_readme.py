"""The README tells the truth about the house: every module named where it lives, and the exercise
table naming exactly the files a student edits."""
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def tracked_modules():
    """{folder under helpers/ ('' for the top): {module name}} of the tracked .py files."""
    names = subprocess.run(["git", "ls-files", "helpers/*.py"], cwd=ROOT, capture_output=True, text=True).stdout
    out = {}
    for name in names.split():
        path = Path(name).relative_to("helpers")
        if path.stem not in ("__init__", "__main__") and (ROOT / name).is_file():
            out.setdefault(str(path.parent) if path.parent != Path(".") else "", set()).add(path.stem)
    return out


def test_what_lives_where_names_every_module_in_its_folders_row():
    rows = {m[1]: m[2] for m in re.finditer(r"^\| `helpers/([\w/]*)` \| (.*)\|$", README, re.M)}
    for folder, modules in tracked_modules().items():
        row = rows.get(f"{folder}/" if folder else "")
        assert row is not None, f"README's 'What lives where' has no row for helpers/{folder}"
        missing = sorted(m for m in modules if f"`{m}`" not in row)
        assert not missing, f"helpers/{folder}: README does not name {missing}"
