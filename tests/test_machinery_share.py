import json

from machinery_share import NOTEBOOKS, share


def notebook(tmp_path, *cells):
    path = tmp_path / "01_x.ipynb"
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "source": c} for c in cells]}))
    return path


def test_lines_that_name_the_machinery_are_counted_and_displays_are_not(tmp_path):
    path = notebook(tmp_path,
                    "from helpers import rnn\nfrom helpers.workbook import numbering, plots, prose\n"
                    "from helpers.workbook.config import setting\n\nSEED = setting('SEED')   # a setting\n",
                    "# a comment\nloss = rnn.loss(1)\nprint(prose.seconds(loss))\nplots.lines({}, 'a.png')\n"
                    "print(numbering.table('x'))\n")
    assert share(path) == (4, 8)                    # two imports, the setting, the prose call
    assert share(path, everything=True) == (6, 8)   # and the figure and the table's number


def test_a_module_imported_by_its_own_name_counts_as_its_names_do(tmp_path):
    path = notebook(tmp_path, "import helpers.workbook.runs as r\nimport helpers.workbook.plots as p\n"
                              "from helpers.workbook.plots import lines\nr.Run(1)\np.lines(2)\nlines(3)\n")
    assert share(path) == (2, 6)


def test_the_notebooks_share_of_machinery_is_at_most_8_percent():
    """Issue 24's bound. What is left: each chapter's import, settings, run and default-run lines,
    one prose call per analysis paragraph, 01's characters shown as they are, and 09's reading of
    the chapters' numbers."""
    counts = [share(p) for p in sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))]
    used, total = sum(u for u, _ in counts), sum(t for _, t in counts)
    assert len(counts) >= 9 and used / total <= 0.08, f"{used} of {total} lines"
