"""The report's layout: tables sized for the page (helpers.workbook.tablefit), the benchmark's short tables,
and the template's floating figures."""
import json
import re
from pathlib import Path

import nbformat
import pytest

from helpers import bench

from helpers.workbook import report, tablefit

ROOT = Path(__file__).resolve().parent.parent
BENCH_MD = ROOT / "figures" / "benchmark.md"
NARROW = "| model | bits |\n|:---|---:|\n| 3-gram | 2.969 |\n| the RNN | 3.062 |"
WIDE_HEAD = "| mode | input | float64, characters/s | × reference | float32, characters/s | × reference |"


def wide(label="per-step reference of the course, float64", rows=3):
    """A table too wide for the page at its natural widths, with a long label."""
    lines = [WIDE_HEAD, "|:---|:---|" + "---:|" * 4]
    lines += [f"| {label} | one-hot | 10,934 | 1.0 | 370,281 | 33.9 |"] * rows
    return "\n".join(lines)


def parsed(markdown):
    """[(header, separator cells, rows)] of every pipe table in `markdown`."""
    lines = markdown.split("\n")
    return [(tablefit.cells(lines[a]), tablefit.cells(lines[a + 1]), [tablefit.cells(x) for x in lines[a + 2:b]])
            for a, b in tablefit.tables(lines)]


def room(n):
    return tablefit.LINE_EM - (n - 1) * tablefit.GAP_EM


def test_a_table_that_fits_keeps_its_natural_widths():
    assert tablefit.fit_markdown(NARROW).endswith(NARROW)
    [(header, specs, rows)] = parsed(NARROW)
    assert tablefit.column_widths(header, rows, specs) is None


def test_a_wide_table_wraps_its_label_on_two_lines_and_never_its_numbers():
    [(header, specs, rows)] = parsed(wide())
    shares = tablefit.column_widths(header, rows, specs)
    assert shares is not None and abs(sum(shares) - 1) < 1e-9
    width = [s * room(len(header)) for s in shares]
    label = rows[0][0]
    assert tablefit.em(label) > width[0] >= tablefit.two_lines(label)          # two lines, not more
    assert all(tablefit.em(c) <= w for c, w in zip(rows[0][2:], width[2:]))    # numbers on one line
    separator = next(x for x in tablefit.fit_markdown(wide()).split("\n") if x.startswith("|:-"))
    assert len(separator) > tablefit.COLUMNS and separator.count("|") == len(header) + 1
    assert re.fullmatch(r"\|:-+\|:-+(\|-+:)+\|", separator)                    # alignments kept


def test_escaped_pipes_stay_inside_their_cell():
    assert tablefit.cells(r"| a \| b | 2 |") == [r"a \| b", "2"]


def test_a_short_table_is_kept_with_its_caption_and_a_long_one_may_split():
    short = tablefit.fit_markdown("Text.\n\n**Table 1.** A caption.\n\n" + NARROW)
    assert re.match(r"Text\.\n\n\\needspace\{\d+\\baselineskip\}\n\n\*\*Table 1", short)
    long = tablefit.fit_markdown("**Table 2.** Many rows.\n\n" + wide(rows=tablefit.KEEP_LINES + 5))
    assert "needspace" not in long


def test_a_heading_goes_with_the_kept_table_of_the_cell_after_it():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Text.\n\n## The two checks"),
                                         nbformat.v4.new_code_cell("table()"),
                                         nbformat.v4.new_markdown_cell("## Notes\n\nNo table follows.")])
    nb.cells[1].outputs = [nbformat.v4.new_output("display_data", {"text/markdown": "**Table 1.** A caption.\n\n" + NARROW})]
    fitted = tablefit.fit_notebook(nb)
    need = int(re.match(r"\\needspace\{(\d+)", fitted.cells[1].outputs[0].data["text/markdown"]).group(1))
    assert fitted.cells[0].source == f"Text.\n\n\\needspace{{{need + tablefit.HEADING_LINES}\\baselineskip}}\n\n## The two checks"
    assert fitted.cells[2].source == nb.cells[2].source and nb.cells[0].source == "Text.\n\n## The two checks"

    nb.cells[1].outputs = [nbformat.v4.new_output("display_data", {"image/png": "iVBORw0KGgo="})]
    fitted = tablefit.fit_notebook(nb)
    assert fitted.cells[0].source == f"Text.\n\n\\needspace{{{tablefit.FIGURE_SPACE}}}\n\n## The two checks"


needs_benchmark = pytest.mark.skipif(not BENCH_MD.exists(), reason="figures/ is the workbook's run (a student copy has none)")


@needs_benchmark
def test_the_benchmark_tables_have_short_labels_and_fit_the_page():
    tables = parsed(BENCH_MD.read_text())
    assert len(tables) >= 5
    for header, specs, rows in tables:
        assert len(header) <= 7 and all(len(r[0]) <= 20 for r in rows), header
        shares = tablefit.column_widths(header, rows, specs)
        if shares is not None:
            width = [s * room(len(header)) for s in shares]
            for r in rows:
                assert tablefit.em(r[0]) <= width[0] + 1e-9 or not tablefit.wraps(specs[0]), r[0]   # one line
                assert all(tablefit.em(c) <= w + 1e-9 for c, w in zip(r[1:], width[1:])), r


@needs_benchmark
def test_the_committed_benchmark_markdown_is_what_write_markdown_writes(tmp_path):
    out = tmp_path / "benchmark.md"
    bench.write_markdown(json.loads((ROOT / "figures" / "benchmark.json").read_text()), out)
    assert out.read_text() == BENCH_MD.read_text()


def latex_of(nb):
    """The report's LaTeX for `nb`, as to_pdf makes it (without running xelatex)."""
    from nbconvert import LatexExporter
    exporter = LatexExporter(extra_template_basedirs=[str(report.TEMPLATE.parent)], template_name="template")
    body, _ = exporter.from_notebook_node(tablefit.fit_notebook(nb), resources={"pandoc_args": tablefit.PANDOC_ARGS})
    return body


PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def test_the_latex_floats_figures_and_sizes_tables_to_the_line(tex):
    outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": text}) for text in (NARROW, wide())]
    outputs.append(nbformat.v4.new_output("display_data", data={"image/png": PNG}))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("show()", outputs=outputs)])
    latex = latex_of(nb)
    specs = re.findall(r"\\begin\{longtable\}\[\]\{@\{\}(.*?)@\{\}\}", latex, flags=re.S)
    assert len(specs) == 2 and specs[0] == "lr"                                  # natural widths
    shares = [float(x) for x in re.findall(r"\\real\{([\d.]+)\}", specs[1])]
    assert len(shares) == 6 and sum(shares) <= 1.001 and shares[0] == max(shares)
    assert r"\begin{figure}[htbp]" in latex and r"max size={\linewidth}{0.6\textheight}" in latex
    assert r"\AtBeginEnvironment{longtable}{\small}" in latex and "placeins" in latex
    assert r"\patchcmd{\LT@start}{\global\@colroom\@colht}{}" in latex          # no figure off the page
