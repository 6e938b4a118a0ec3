import json

from machinery_share import share


def notebook(tmp_path, *cells):
    path = tmp_path / "01_x.ipynb"
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "source": c} for c in cells]}))
    return path


def test_lines_that_name_the_machinery_are_counted_and_figures_are_not(tmp_path):
    path = notebook(tmp_path,
                    "from helpers import rnn\nfrom helpers.workbook import plots, prose\n"
                    "from helpers.workbook.config import setting\n\nSEED = setting('SEED')   # a setting\n",
                    "# a comment\nloss = rnn.loss(1)\nprint(prose.seconds(loss))\nplots.lines({}, 'a.png')\n")
    assert share(path) == (4, 7)                 # two imports, the setting, the prose call
    assert share(path, figures=True) == (5, 7)   # and the figure
