"""How much of the notebooks' code touches the workbook's machinery rather than the course.

Machinery is what issue 24 lists: settings, runs, results, prose, stop, visible, report, that is
every module of helpers.workbook except the figures (plots, textplots), which show the course's
results. A code line counts when it imports from helpers.workbook or names something bound to it
(a module or a name imported from one); lines are the non-blank, non-comment lines of code cells.

    python tests/machinery_share.py [--all] [notebooks/*.ipynb]    the share per notebook
                                                                    (--all: figures counted too)
"""
import ast
import json
import sys
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
FIGURES = {"plots", "textplots"}      # helpers.workbook's figure modules: not counted unless --all


def code_lines(source):
    """The numbers (from 1) of the non-blank lines of `source` that are not only a comment."""
    return {i for i, line in enumerate(source.splitlines(), 1) if line.strip() and not line.strip().startswith("#")}


def machinery_names(tree, figures=False):
    """Names a notebook binds to helpers.workbook or anything imported from it (the figure
    modules only when `figures`)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("helpers.workbook"):
            if node.module.split(".")[-1] in FIGURES and not figures:
                continue
            names |= {a.asname or a.name for a in node.names if figures or a.name not in FIGURES}
        elif isinstance(node, ast.Import):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name.startswith("helpers.workbook")}
    return names


def machinery_lines(tree, names):
    """Line numbers of the import statements that bind `names` and of every use of them."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and {a.asname or a.name for a in node.names} & names:
            lines |= set(range(node.lineno, node.end_lineno + 1))
        elif isinstance(node, ast.Name) and node.id in names:
            lines.add(node.lineno)
    return lines


def share(path, figures=False):
    """(machinery lines, code lines) of one notebook."""
    cells = [c for c in json.loads(Path(path).read_text())["cells"] if c["cell_type"] == "code"]
    sources = ["".join(c["source"]) for c in cells]
    trees = [ast.parse(s) for s in sources]
    names = set().union(*(machinery_names(t, figures) for t in trees))
    used = total = 0
    for source, tree in zip(sources, trees):
        lines = code_lines(source)
        used += len(machinery_lines(tree, names) & lines)
        total += len(lines)
    return used, total


def main(paths, figures=False):
    """Print each notebook's share and the total; returns the total share."""
    used = total = 0
    for path in paths:
        u, t = share(path, figures)
        used, total = used + u, total + t
        print(f"{Path(path).name:24} {u:4d} / {t:4d}  {u / t:5.1%}")
    print(f"{'all notebooks':24} {used:4d} / {total:4d}  {used / total:5.1%}")
    return used / total


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--all"]
    main(args or sorted(NOTEBOOKS.glob("[0-9]*.ipynb")), figures="--all" in sys.argv)
