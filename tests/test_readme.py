"""The README stays short and tells the truth about the house: it opens with `make` and `make test`,
every section the code points to is there, and its page "What lives where" (docs/layout.md) names
every module where it lives. Its links, modules and commands are checked with the other pages in
test_docs.py."""
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
LAYOUT = (ROOT / "docs" / "layout.md").read_text(encoding="utf-8")
STUDENT_COPY = (ROOT / ".student").exists()
MAX_WORDS = 1_800        # a newcomer reads it in minutes; the reference lives in docs/


def tracked(pattern):
    """The tracked files matching a git pathspec, that exist in the working tree."""
    names = subprocess.run(["git", "ls-files", pattern], cwd=ROOT, capture_output=True, text=True).stdout
    return [n for n in names.split() if (ROOT / n).is_file()]


def tracked_modules():
    """{folder under helpers/ ('' for the top): {module name}} of the tracked .py files."""
    out = {}
    for name in tracked("helpers/*.py"):
        path = Path(name).relative_to("helpers")
        if path.stem not in ("__init__", "__main__"):
            out.setdefault(str(path.parent) if path.parent != Path(".") else "", set()).add(path.stem)
    return out


def test_what_lives_where_names_every_module_in_its_folders_row():
    rows = {m[1]: m[2] for m in re.finditer(r"^\| `helpers/([\w/]*)` \| (.*)\|$", LAYOUT, re.M)}
    for folder, modules in tracked_modules().items():
        row = rows.get(f"{folder}/" if folder else "")
        assert row is not None, f"docs/layout.md ('What lives where') has no row for helpers/{folder}"
        missing = sorted(m for m in modules if f"`{m}`" not in row)
        assert not missing, f"helpers/{folder}: docs/layout.md does not name {missing}"
        never_in_a_copy = set(re.findall(r"`(\w+)` \(never in a copy", row))   # a student copy lacks these
        stale = sorted(set(re.findall(r"`(\w+)`", row)) - modules - subpackages(folder) - never_in_a_copy)
        assert not stale, f"helpers/{folder}: docs/layout.md names {stale}, which it does not hold"


def subpackages(folder):
    """The names of the packages directly under helpers/`folder`."""
    return {p.parent.name for p in (ROOT / "helpers" / folder).glob("*/__init__.py")}


def test_the_readme_is_short():
    words = len(README.split())                # as wc -w counts them, the copy's own parts included
    assert words <= MAX_WORDS, f"README.md has {words:,} words (at most {MAX_WORDS:,}): move reference to docs/"


def first_commands(text):
    """The first two command lines of the first bash block, comments dropped."""
    block = re.search(r"^```bash\n(.*?)^```", text, re.M | re.S).group(1)
    return [line.split("#")[0].strip() for line in block.splitlines()][:2]


def test_the_readme_opens_with_make_and_make_test():
    assert first_commands(README) == ["make", "make test"]


@pytest.mark.skipif(STUDENT_COPY, reason="a student copy's README is checked as it is, above")
def test_the_copys_readme_opens_with_make_and_make_test_too():
    from helpers.teacher import student
    copy = student.student_readme(README, "README.md")
    assert first_commands(copy) == ["make", "make test"] and copy != README


def test_every_readme_section_the_code_points_to_is_there():
    headings = set(re.findall(r"^#{2,3} (.+)$", README, re.M))
    cited = set()
    for name in ["Makefile", *tracked("helpers/*.py")]:
        cited |= set(re.findall(r'README\.md, \\?"([^"\\]+)\\?"', (ROOT / name).read_text(encoding="utf-8")))
    assert cited, "no file points to a README section: the pattern is out of date"
    assert not cited - headings, f"README.md has no section {sorted(cited - headings)}"
