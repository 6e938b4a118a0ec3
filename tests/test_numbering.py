import json
import re
from pathlib import Path

import pytest

from helpers.workbook import numbering

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9]*.ipynb"))


def sources():
    """Every cell's source of every notebook, in report order."""
    return ["".join(c["source"]) for nb in NOTEBOOKS for c in json.loads(nb.read_text())["cells"]]


def test_tables_are_numbered_in_the_order_the_report_shows_them():
    named = [m.group(1) for s in sources() for m in re.finditer(r"numbering\.table\('([^']+)'\)", s)]
    assert named == list(numbering.TABLES)                  # each caption once, in order
    assert numbering.table(numbering.TABLES[0]) == "Table 1"
    with pytest.raises(KeyError, match="no table called 'nope'"):
        numbering.table("nope")


def test_no_table_number_is_typed_in_a_cell():
    typed = [s for s in sources() if re.search(r"\bTables? \d", s)]
    assert not typed, typed[0][:200]
