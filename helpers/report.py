"""Execute the notebooks in order, then merge them into one PDF report with nbconvert.

    python -m helpers.report execute notebooks/0*.ipynb
    python -m helpers.report pdf notebooks/0*.ipynb [--out report/report.pdf]

Code is hidden in the PDF unless SHOW_CODE=1; cells tagged remove-cell, remove-input or
remove-output lose that part; progress bars (stderr) never reach the PDF.
"""
import argparse
import copy
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from .config import ROOT, author, setting

TITLE = "A vanilla character-level RNN: DD2424 Assignment 4, reproduced and measured"
TEMPLATE = ROOT / "report" / "template"


def execute(paths, timeout=None):
    """Run each notebook top to bottom in its own folder and save it with its outputs."""
    for path in map(Path, paths):
        print(f"executing {path}", flush=True)
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute()
        finally:                              # keep the outputs, the error's too, for a look
            tmp = path.with_suffix(".tmp")
            nbformat.write(nb, tmp)
            tmp.replace(path)


def merge(paths):
    """One notebook holding every cell of `paths` in order, without stderr outputs."""
    merged = None
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs
                                if not (o.output_type == "stream" and o.name == "stderr")]
        if merged is None:
            merged = copy.deepcopy(nb)
        else:
            merged.cells.extend(nb.cells)
    merged.metadata["title"] = TITLE
    merged.metadata["authors"] = [{"name": author()}]
    return merged


def to_pdf(paths, out, show_code=None):
    """Render the merged notebooks to `out` (PDF) through nbconvert's LaTeX exporter."""
    from nbconvert import PDFExporter
    from traitlets.config import Config

    show_code = setting("SHOW_CODE", 0) if show_code is None else show_code
    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = ("remove-cell",)
    c.TagRemovePreprocessor.remove_input_tags = ("remove-input",)
    c.TagRemovePreprocessor.remove_all_outputs_tags = ("remove-output",)
    c.TemplateExporter.exclude_input = not show_code
    c.TemplateExporter.exclude_input_prompt = True
    c.TemplateExporter.exclude_output_prompt = True
    exporter = PDFExporter(config=c, extra_template_basedirs=[str(TEMPLATE.parent)],
                           template_name="template")
    exporter.latex_count = 3
    pdf, _ = exporter.from_notebook_node(merge(paths), resources={"metadata": {"path": str(ROOT / "notebooks")}})
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_bytes(pdf)
    tmp.replace(out)
    print(f"wrote {out} ({len(pdf) // 1024} KiB)")
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("execute", "pdf"))
    parser.add_argument("notebooks", nargs="+")
    parser.add_argument("--out", default=str(ROOT / "report" / "report.pdf"))
    args = parser.parse_args(argv)
    if args.command == "execute":
        execute(args.notebooks)
    else:
        to_pdf(args.notebooks, args.out)


if __name__ == "__main__":
    main()
