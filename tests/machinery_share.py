"""How much of the notebooks' code touches the workbook's machinery rather than the course.

Machinery is what issue 24 lists: settings, runs, results, prose, stop, visible, report, that is
the modules in MACHINERY. The other modules of helpers.workbook show results: the figures (plots,
textplots), the tables' numbers in their captions (numbering) and the benchmark's table (timings).
A code line counts when it imports machinery or names something bound to it (a module or a name
imported from one); lines are the non-blank, non-comment lines of code cells.

    python tests/machinery_share.py [--all] [notebooks/*.ipynb]    the share per notebook
                                                (--all: every module of helpers.workbook counted)
"""
import ast
import json
import sys
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
MACHINERY = {"config", "runs", "results", "prose", "prose_inside", "prose_compression", "conclusion", "stop",
             "visible", "report"}


def code_lines(source):
    """The numbers (from 1) of the non-blank lines of `source` that are not only a comment."""
    return {i for i, line in enumerate(source.splitlines(), 1) if line.strip() and not line.strip().startswith("#")}


def counted(module, everything=False):
    """Whether helpers.workbook's `module` (its last name) is machinery, or `everything` counts."""
    return everything or module in MACHINERY


def machinery_names(tree, everything=False):
    """Names a notebook binds to a machinery module or to anything imported from one."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("helpers.workbook"):
            inside = node.module.removeprefix("helpers.workbook").lstrip(".")
            names |= {a.asname or a.name for a in node.names if counted(inside or a.name, everything)}
        elif isinstance(node, ast.Import):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names
                      if a.name.startswith("helpers.workbook.") and counted(a.name.split(".")[2], everything)}
    return names


def machinery_lines(tree, names):
    """Line numbers of the import statements that bind `names` and of every use of them."""
    lines = set()
    for node in ast.walk(tree):
        bound = {(a.asname or a.name).split(".")[0] for a in getattr(node, "names", [])}
        if isinstance(node, (ast.Import, ast.ImportFrom)) and bound & names:
            lines |= set(range(node.lineno, node.end_lineno + 1))
        elif isinstance(node, ast.Name) and node.id in names:
            lines.add(node.lineno)
    return lines


def share(path, everything=False):
    """(machinery lines, code lines) of one notebook."""
    cells = [c for c in json.loads(Path(path).read_text())["cells"] if c["cell_type"] == "code"]
    sources = ["".join(c["source"]) for c in cells]
    trees = [ast.parse(s) for s in sources]
    names = set().union(*(machinery_names(t, everything) for t in trees))
    used = total = 0
    for source, tree in zip(sources, trees):
        lines = code_lines(source)
        used += len(machinery_lines(tree, names) & lines)
        total += len(lines)
    return used, total


def main(paths, everything=False):
    """Print each notebook's share and the total; returns the total share."""
    used = total = 0
    for path in paths:
        u, t = share(path, everything)
        used, total = used + u, total + t
        print(f"{Path(path).name:24} {u:4d} / {t:4d}  {u / t:5.1%}")
    print(f"{'all notebooks':24} {used:4d} / {total:4d}  {used / total:5.1%}")
    return used / total


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--all"]
    main(args or sorted(NOTEBOOKS.glob("[0-9]*.ipynb")), everything="--all" in sys.argv)
