"""The README and its pages (docs/, TEACHING.md, data/README.md) tell the truth about the code: every
module, file and name they give exists, every command they type names a make target and settings
that exist, and every relative link resolves, in this repository and in the student copy."""
import ast
import importlib
import importlib.util
import inspect
import os
import re
from pathlib import Path

import pytest

from helpers.workbook import config

ROOT = Path(__file__).resolve().parent.parent
STUDENT_COPY = (ROOT / ".student").exists()
# Pages that other branches of the same change write (the GPU trainer's page, the last run's
# timings): a link to one may wait for it; once it exists it is checked like any other.
AWAITED = {"docs/gpu.md", "figures/timings.md"}
# Variables a command may set that neither the settings nor this repository's code read.
EXTERNAL = {"PIP_EXTRA_INDEX_URL": "pip's index", "OPENBLAS_CORETYPE": "OpenBLAS's kernels"}
FENCE = re.compile(r"^```.*?^```", re.M | re.S)
INLINE = re.compile(r"`([^`\n]+)`")
PATH = re.compile(r"(?<![\w/.])((?:helpers|tests|notebooks|docs)/[\w/.-]*[\w/])")     # a file or folder named
DOTTED = re.compile(r"(?<![\w/.])(helpers(?:\.\w+)+)")                                 # a module named
FILE_SUFFIXES = {"py", "md", "ipynb", "pdf", "png", "json", "npz", "txt", "cfg", "toml", "lm"}


def pages():
    """The pages, as paths relative to ROOT."""
    names = ["README.md", "TEACHING.md", "data/README.md"] + [f"docs/{p.name}" for p in sorted((ROOT / "docs").glob("*.md"))]
    return [n for n in names if (ROOT / n).is_file()]


def read(name):
    return (ROOT / name).read_text(encoding="utf-8")


def code(text):
    """Every code block and inline code span of a Markdown text."""
    blocks = [m.group(0) for m in FENCE.finditer(text)]
    return blocks + INLINE.findall(FENCE.sub("", text))


def prose(text):
    """A Markdown text without its code."""
    return INLINE.sub("", FENCE.sub("", text))


def slug(heading):
    """GitHub's anchor for a heading."""
    text = heading.strip().replace("`", "").lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(text):
    return {slug(h) for h in re.findall(r"^#{1,6}\s+(.+?)\s*#*$", FENCE.sub("", text), re.M)}


def links(text):
    """The relative link targets of a Markdown text."""
    found = re.findall(r"\]\(([^)\s]+)\)", prose(text))
    return [t for t in found if not re.match(r"[a-z]+:", t)]


def broken_links(texts, exists):
    """['page: target, why'] for each link in {page: text} that does not resolve; `exists(path)`
    says whether a path (relative to ROOT) is there."""
    bad = []
    for page, text in texts.items():
        for target in links(text):
            path, _, anchor = target.partition("#")
            where = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
            if where.startswith(".."):
                bad.append(f"{page}: {target} leaves the repository")
            elif not exists(where):
                if where not in AWAITED:
                    bad.append(f"{page}: {target}: no {where}")
            elif anchor and where.endswith(".md"):
                heads = anchors(texts[where] if where in texts else read(where))
                if anchor not in heads:
                    bad.append(f"{page}: {target}: {where} has no heading #{anchor}")
    return bad


def test_every_link_resolves():
    texts = {name: read(name) for name in pages()}
    assert len(texts) >= 5 and any(links(t) for t in texts.values())
    bad = broken_links(texts, lambda p: (ROOT / p).exists())
    assert not bad, bad


def module_file(dotted):
    """The file (relative to ROOT) of the longest module that `dotted` starts with, or None."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        if module_exists(".".join(parts[:i])):
            return str(Path(importlib.util.find_spec(".".join(parts[:i])).origin).relative_to(ROOT))
    return None


@pytest.mark.skipif(STUDENT_COPY, reason="a student copy's pages are checked as they are, above")
def test_the_student_copys_pages_name_and_link_only_what_the_copy_holds():
    from helpers.teacher import student
    files = set(student.tracked(ROOT)) | {".student", "conftest.py", ".gitignore"}
    texts = {name: student.student_readme(read(name), name) for name in pages() if name in files}
    assert "README.md" in texts and "TEACHING.md" not in texts
    assert set(student.README_FIXES) <= set(texts), "README_FIXES names a page the copy does not hold"

    def holds(path):                        # a file the copy has, or a folder it has files in
        return path in files or any(f.startswith(path.rstrip("/") + "/") for f in files)
    bad = broken_links(texts, holds)
    for page, text in texts.items():
        bad += [f"{page}: {p}" for p in PATH.findall(text) if not holds(p) and p not in AWAITED]
        bad += [f"{page}: {m}" for m in DOTTED.findall("\n".join(code(text)))
                if module_file(m) and not holds(module_file(m))]
    assert not bad, bad


def module_exists(name):
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def resolves(dotted):
    """True when `dotted` (helpers.a.b.c) is a module, or a module's attribute (chain)."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        if module_exists(".".join(parts[:i])):
            obj = importlib.import_module(".".join(parts[:i]))
            for attr in parts[i:]:
                if not hasattr(obj, attr):
                    return False
                obj = getattr(obj, attr)
            return True
    return False


def runnable(module):
    """True when `python -m module` runs something: a package's __main__, or a module's main guard."""
    spec = importlib.util.find_spec(module)
    if spec.submodule_search_locations:
        return module_exists(f"{module}.__main__")
    return '__name__ == "__main__"' in Path(spec.origin).read_text(encoding="utf-8")


def short_names():
    """{stem: helpers module} for every module under helpers/ whose stem is unique."""
    stems = {}
    for path in (ROOT / "helpers").rglob("*.py"):
        if path.stem not in ("__init__", "__main__"):
            stems.setdefault(path.stem, []).append(".".join(path.relative_to(ROOT).with_suffix("").parts))
    for pkg in (ROOT / "helpers").iterdir():
        if (pkg / "__init__.py").is_file():
            stems.setdefault(pkg.name, []).append(f"helpers.{pkg.name}")
    return {stem: mods[0] for stem, mods in stems.items() if len(mods) == 1}


@pytest.mark.parametrize("page", pages())
def test_every_module_and_file_a_page_names_exists(page):
    text, snippets = read(page), code(read(page))
    joined = "\n".join(snippets)
    missing = [p for p in PATH.findall(text) if not (ROOT / p).exists() and p not in AWAITED]
    missing += [f"python -m {m}" for m in re.findall(r"python -m (helpers[\w.]*)", joined)
                if not module_exists(m) or not runnable(m)]
    missing += [m for m in DOTTED.findall(joined)
                if m.rsplit(".", 1)[-1] not in FILE_SUFFIXES and not resolves(m)]
    stems = short_names()
    for stem, attrs in re.findall(r"(?<![\w/.<-])(\w+)((?:\.[A-Za-z_]\w*)+)", joined):
        if stem in stems and attrs.rsplit(".", 1)[-1] not in FILE_SUFFIXES and not resolves(stems[stem] + attrs):
            missing.append(f"{stem}{attrs} ({stems[stem]})")
    assert not missing, f"{page} names what does not exist: {sorted(set(missing))}"


def make_targets():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([\w-]+):", text, re.M))


def commands(text):
    """[(assignments, make target or '')] of every `make` a page types, in code."""
    found = []
    for snippet in code(text):
        for line in re.split(r"\n|&&|;", snippet):
            line = line.split(" #")[0].strip()
            m = re.match(r"((?:[A-Z_]+=(?:\"[^\"]*\"|\S+) +)*)make(?: +([\w-]+))?\s*$", line)
            if m and not line.startswith("error:"):
                found.append((re.findall(r"([A-Z_]+)=(\"[^\"]*\"|\S+)", m.group(1)), m.group(2) or ""))
    return found


def read_somewhere(name):
    """True when the Makefile, tests/conftest.py or a helpers module reads the variable `name`."""
    sources = [ROOT / "Makefile", ROOT / "tests" / "conftest.py", *(ROOT / "helpers").rglob("*.py")]
    return any(name in p.read_text(encoding="utf-8") for p in sources)


@pytest.mark.parametrize("page", pages())
def test_every_make_command_names_a_target_and_settings_that_exist(page):
    targets, bad = make_targets(), []
    for assignments, target in commands(read(page)):
        if target and target not in targets:
            bad.append(f"make {target}: no such target in the Makefile")
        for name, value in assignments:
            if name in config.SETTINGS:
                spec = config.SETTINGS[name]
                try:
                    config.parse(name, value.strip('"'), spec.kind, spec.low, spec.high)
                except config.SettingError as e:
                    bad.append(str(e))
            elif name not in EXTERNAL and not read_somewhere(name):
                bad.append(f"{name}: neither a setting nor read by the Makefile or the helpers")
    assert not bad, f"{page}: {bad}"


def test_the_pages_type_make_commands():
    assert sum(len(commands(read(p))) for p in pages()) >= 10


def settings_rows():
    """[(names, default cell)] of the settings table in docs/settings.md."""
    text = read("docs/settings.md")
    table = text[text.index("| variable | default | meaning |"):]
    rows = [r.split(" | ") for r in table[:table.index("\n\n")].splitlines()[2:]]
    return [(re.findall(r"`(\w+)`", r[0]), r[1]) for r in rows]


def test_the_settings_table_lists_every_setting_with_its_defaults():
    rows = settings_rows()
    listed = [n for names, _ in rows for n in names]
    assert sorted(listed) == sorted(config.SETTINGS), "docs/settings.md's table and SETTINGS differ"
    for names, cell in rows:
        values = re.findall(r"`([^`]+)`(?: \(`([^`]+)`\))?", cell)
        for name, (value, quick) in zip(names, values):
            spec = config.SETTINGS[name]
            if spec.default is None:
                continue
            if spec.path:
                assert value == str(Path(spec.default).relative_to(ROOT)), name
            else:
                assert config.parse(name, value, spec.kind) == spec.default, name
                assert quick == ("" if spec.quick is None else str(spec.quick)), name


def calls(snippet):
    """[(dotted function name, number of positional arguments or None after a `...`, keywords)] of
    the calls in a snippet of Python; [] when it is not Python."""
    try:
        tree = ast.parse(snippet)
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            parts, obj = [], node.func
            while isinstance(obj, ast.Attribute):
                parts.insert(0, obj.attr)
                obj = obj.value
            if isinstance(obj, ast.Name):
                elided = any(isinstance(a, ast.Constant) and a.value is Ellipsis for a in node.args)
                found.append((".".join([obj.id, *parts]), None if elided else len(node.args),
                              [k.arg for k in node.keywords if k.arg]))
    return found


def wrong_arguments(function, positional, keywords):
    """What a call gives that `function`'s signature does not take, or []."""
    params = inspect.signature(function).parameters.values()
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return []
    names = {p.name for p in params if p.kind not in (p.POSITIONAL_ONLY, p.VAR_POSITIONAL)}
    bad = [f"{k}=" for k in keywords if k not in names]
    takes = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if positional is not None and positional > len(takes) and not any(p.kind is p.VAR_POSITIONAL for p in params):
        bad.append(f"{positional} positional arguments")
    return bad


@pytest.mark.parametrize("page", pages())
def test_every_call_a_page_types_takes_the_arguments_it_gives(page):
    stems, bad = short_names(), []
    for snippet in code(read(page)):
        for name, positional, keywords in calls(snippet.removeprefix("```python\n").removesuffix("```")):
            stem, _, rest = name.partition(".")
            if stem in stems and resolves(f"{stems[stem]}.{rest}"):
                function = importlib.import_module(stems[stem])
                for attr in rest.split("."):
                    function = getattr(function, attr)
                bad += [f"{name}: {w}" for w in wrong_arguments(function, positional, keywords)]
    assert not bad, f"{page}: {bad}"


def test_the_pages_type_calls_of_the_helpers():
    stems = short_names()
    typed = [n for p in pages() for s in code(read(p)) for n, *_ in calls(s.removeprefix("```python\n").removesuffix("```"))
             if n.partition(".")[0] in stems]
    assert len(typed) >= 10, typed
