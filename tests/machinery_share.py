"""How much of the notebooks' code touches the workbook's machinery (helpers.workbook: settings,
runs, results, prose, stop, visible, report, plots) rather than the course.

A code line counts as machinery when it imports from helpers.workbook or names something imported
from there; lines are the non-blank, non-comment lines of code cells. Run as a script to print the
share per notebook: python tests/machinery_share.py [notebooks/*.ipynb].
"""
import ast
import json
import sys
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def code_lines(source):
    """The numbers (from 1) of the non-blank lines of `source` that are not only a comment."""
    return {i for i, line in enumerate(source.splitlines(), 1) if line.strip() and not line.strip().startswith("#")}


def machinery_names(tree):
    """Names a notebook binds to helpers.workbook or anything imported from it."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("helpers.workbook"):
            names |= {a.asname or a.name for a in node.names}
        elif isinstance(node, ast.Import):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name.startswith("helpers.workbook")}
    return names


def machinery_lines(tree, names):
    """Line numbers of the import statements from helpers.workbook and of every use of `names`."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("helpers.workbook"):
            lines |= set(range(node.lineno, node.end_lineno + 1))
        elif isinstance(node, ast.Name) and node.id in names:
            lines.add(node.lineno)
    return lines


def share(path):
    """(machinery lines, code lines) of one notebook."""
    cells = [c for c in json.loads(Path(path).read_text())["cells"] if c["cell_type"] == "code"]
    sources = ["".join(c["source"]) for c in cells]
    trees = [ast.parse(s) for s in sources]
    names = set().union(*(machinery_names(t) for t in trees))
    used = total = 0
    for source, tree in zip(sources, trees):
        lines = code_lines(source)
        used += len(machinery_lines(tree, names) & lines)
        total += len(lines)
    return used, total


def main(paths):
    used = total = 0
    for path in paths:
        u, t = share(path)
        used, total = used + u, total + t
        print(f"{Path(path).name:24} {u:4d} / {t:4d}  {u / t:5.1%}")
    print(f"{'all notebooks':24} {used:4d} / {total:4d}  {used / total:5.1%}")
    return used / total


if __name__ == "__main__":
    main(sys.argv[1:] or sorted(NOTEBOOKS.glob("[0-9]*.ipynb")))
