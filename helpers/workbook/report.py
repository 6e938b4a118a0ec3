"""Execute the notebooks in order, then merge them into one PDF report with nbconvert.

    python -m helpers.workbook.report execute notebooks/0*.ipynb [--pdf] [--record] [--chapters]
    python -m helpers.workbook.report pdf notebooks/0*.ipynb [--out report/report.pdf] [--chapters]

execute runs every notebook (helpers.workbook.executor) into a run folder of its own,
report/build/run-.../ (helpers.workbook.build); with --pdf it then renders the run's notebooks to
the report (`make`; without it, `make notebooks`). Only when all of that succeeded are the
notebooks, figures/ and --out published, at once; a failure or a stop (Ctrl-C, SIGTERM) publishes
nothing and prints one line saying why and where the run's outputs are. --record writes the run's
times into its figures (helpers.workbook.timings), as make does. pdf renders the notebooks as
they are. --chapters keeps only those make runs: chapters 01-04, and the later ones unless
EXTENSIONS=0 (the default in a student copy).

Code is hidden in the PDF unless SHOW_CODE=1; cells tagged remove-cell, remove-input or
remove-output lose that part. Progress bars never reach the PDF: the kernels run without them,
and the merge drops stderr and widget outputs, such as a notebook saved from JupyterLab holds. The
merge also writes what the notebooks printed as the PDF can show it (helpers.workbook.visible.shown).
"""
import argparse
import copy
import os
import signal
import sys
import time
from pathlib import Path

import nbformat
from traitlets.config import Config

from helpers.workbook import build, executor, tablefit, timings, visible
from helpers.workbook.build import BuildFailed, rel
from helpers.workbook.config import ANONYMOUS, LAST_ASSIGNED, ROOT, author, extensions, setting

TITLE = "A vanilla character-level RNN: DD2424 Assignment 4, reproduced and measured"
TEMPLATE = ROOT / "report" / "template"
WIDGET = "application/vnd.jupyter.widget-view+json"


def chapters(paths):
    """The notebooks of `paths` that make runs and reports: all of them, or, unless extensions()
    is on (EXTENSIONS=1; off by default in a student copy), those numbered up to LAST_ASSIGNED."""
    paths = [Path(p) for p in paths]
    if extensions():
        return paths
    return [p for p in paths if not p.name[:2].isdigit() or int(p.name[:2]) <= LAST_ASSIGNED]


def execute(paths, pdf=None, record=False, timeout=None):
    """Run the notebooks `paths` into a run folder, then, if `pdf`, render them to it; publish all
    of it only when everything succeeded. record: write the times into the figures published
    (timings.md). Returns the published paths; BuildFailed (its one line) otherwise."""
    paths, run = [Path(p) for p in paths], build.RunFolder()
    kind = timings.run_name("make" if pdf else "make notebooks")
    before, seconds, pdf_seconds = timings.last(kind) or {"notebooks": {}}, {}, None
    print(f"running {len(paths)} notebook{'s' * (len(paths) != 1)} into {rel(run.root)}/, "
          f"published when all succeeded", flush=True)
    with build.handlers(build.raise_on_signals):
        try:
            for path in paths:
                seconds[path.stem] = executor.run_notebook(path, run, before["notebooks"].get(path.stem), timeout)
            if pdf:
                pdf_seconds = _render(paths, run, pdf, before.get("pdf"))
            if record:
                timings.record(run.figures, kind, seconds, pdf_seconds)
            published = run.publish()
        except build.Interrupted as e:
            raise e.failure(run) from None
    total = sum(seconds.values()) + (pdf_seconds or 0)
    print(f"published {len(published)} files; {timings.duration(total)} in all{timings.last_time(before.get('total'))}")
    if pdf:
        _wrote(pdf)
    return published


def _render(paths, run, out, last):
    """The PDF of the run's notebooks, in the run's folder, to be published over `out`; its seconds."""
    print(f"rendering {rel(out)}{timings.last_time(last)}", flush=True)
    start = time.monotonic()
    try:
        to_pdf([run.root / "notebooks" / p.name for p in paths], run.pdf(out), kept=run.kept())
    except build.Interrupted as e:
        raise build.Interrupted(e.signame, f"while rendering {rel(out)}") from None
    took = time.monotonic() - start
    print(f"  PDF: {timings.duration(took)}{timings.last_time(last)}", flush=True)
    return took


def merge(paths):
    """One notebook holding every cell of `paths` in order, without stderr or widget outputs."""
    merged = None
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [_printable(o) for o in cell.outputs if not _progress(o)]
        if merged is None:
            merged = copy.deepcopy(nb)
        else:
            merged.cells.extend(nb.cells)
    merged.metadata["title"] = TITLE
    merged.metadata["authors"] = [{"name": author()}]
    return merged


def _printable(output):
    """A stream output as the PDF can show it: hidden characters written as [U+XXXX] (xelatex stops
    on a control character a sample may hold), and one of nothing but whitespace made visible."""
    if output.output_type == "stream":
        output.text = visible.shown(output.text)
    return output


def _progress(output):
    """Is this output a progress bar's: text on stderr, or a Jupyter widget?"""
    return ((output.output_type == "stream" and output.name == "stderr")
            or WIDGET in output.get("data", {}))


def to_pdf(paths, out, show_code=None, kept="the last good report is kept"):
    """Render the merged notebooks to `out` (PDF) through nbconvert's LaTeX exporter. kept: what
    a failure's line says is left as it was."""
    from nbconvert import PDFExporter
    from nbconvert.exporters.pdf import LatexFailed

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
    resources = {"metadata": {"path": str(Path(paths[0]).parent)}, "pandoc_args": tablefit.PANDOC_ARGS}
    try:   # tables sized for the page: tablefit, with the template passing pandoc_args on
        pdf, _ = exporter.from_notebook_node(tablefit.fit_notebook(merge(paths)), resources=resources)
    except LatexFailed as e:
        raise _latex_failure(out, e.output, kept) from None
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    build.atomic_write(out, lambda tmp: tmp.write_bytes(pdf))
    return out


def _wrote(out):
    print(f"wrote {rel(out)} ({Path(out).stat().st_size // 1024} KiB)")
    if author() == ANONYMOUS:
        print(f'note: its title page names "{ANONYMOUS}": put your name there with AUTHOR="Your Name" make')


def _latex_failure(out, output, kept):
    """Save xelatex's output; a BuildFailed quoting its first error line."""
    build.BUILD.mkdir(parents=True, exist_ok=True)
    log = build.BUILD / "latex.log"
    log.write_text(output)
    first = next((line for line in output.splitlines() if line.startswith("!")), "see the log")
    return BuildFailed(f"{rel(out)}: xelatex failed: {first.lstrip('! ')} (log: {rel(log)}; {kept})")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("execute", "pdf"))
    parser.add_argument("notebooks", nargs="+")
    parser.add_argument("--out", default=str(ROOT / "report" / "report.pdf"))
    parser.add_argument("--pdf", action="store_true", help="execute: render the run's notebooks to --out too")
    parser.add_argument("--record", action="store_true", help="execute: write the times into figures/timings.md")
    parser.add_argument("--chapters", action="store_true",
                        help="only the chapters make runs: see chapters() (EXTENSIONS)")
    args = parser.parse_args(argv)
    notebooks = chapters(args.notebooks) if args.chapters else [Path(p) for p in args.notebooks]
    left_out = [Path(p).stem for p in args.notebooks if Path(p) not in notebooks]
    if left_out and args.command == "execute":
        print(f"leaving out the extensions {', '.join(left_out)} (EXTENSIONS=1 make runs them too)")
    try:
        if args.command == "execute" and notebooks:
            execute(notebooks, args.out if args.pdf else None, args.record)
        elif args.command == "execute":
            print("no notebook to run")
        else:
            _wrote(to_pdf(notebooks, args.out))
    except BuildFailed as e:
        print(f"{'error: ' if e.code == 1 else ''}{e}", file=sys.stderr)
        return e.code
    return 0


def _exit(code):
    """Exit with `code`; a run stopped by a signal (code build.SIGNALLED + its number) dies of that
    signal, as the shell and make expect of a program that was interrupted."""
    if code > build.SIGNALLED:
        signal.signal(code - build.SIGNALLED, signal.SIG_DFL)
        os.kill(os.getpid(), code - build.SIGNALLED)
    sys.exit(code)


if __name__ == "__main__":
    _exit(main())
