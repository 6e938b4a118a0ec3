import json
import re
from pathlib import Path

import pytest

from helpers.workbook import numbering

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9]*.ipynb"))


def cells():
    return [c for nb in NOTEBOOKS for c in json.loads(nb.read_text())["cells"]]


def sources():
    """Every cell's source of every notebook, in report order."""
    return ["".join(c["source"]) for c in cells()]


def questions():
    """Every question in the cells' metadata, as the notebooks hold it."""
    return [c["metadata"]["question"] for c in cells() if "question" in c.get("metadata", {})]


def test_tables_are_numbered_in_the_order_the_report_shows_them():
    named = [m.group(1) for s in sources() for m in re.finditer(r"numbering\.table\('([^']+)'\)", s)]
    assert named == list(numbering.TABLES)                  # each caption once, in order
    assert numbering.table(numbering.TABLES[0]) == "Table 1"
    with pytest.raises(KeyError, match="no table called 'nope'"):
        numbering.table("nope")


def test_no_table_number_is_typed_in_a_cell():
    typed = [s for s in sources() if re.search(r"\bTables? \d", s)]
    assert not typed, typed[0][:200]


def test_questions_name_tables_by_name_and_the_copy_numbers_them():
    typed = [q for q in questions() if re.search(r"\bTables? \d", q)]
    assert not typed, typed[0]
    named = [q for q in questions() if "{table:" in q]
    assert named and all(re.search(r"\(Table \d+\b", numbering.numbered(q)) for q in named)
    assert numbering.numbered("How much ({table:protocols})?") == f"How much ({numbering.table('protocols')})?"
    with pytest.raises(KeyError, match="no table called 'nope'"):
        numbering.numbered("{table:nope}")
