"""Execute the notebooks in order, then merge them into one PDF report with nbconvert.

    python -m helpers.workbook.report execute notebooks/0*.ipynb [--chapters]
    python -m helpers.workbook.report pdf notebooks/0*.ipynb [--out report/report.pdf] [--chapters]

--chapters keeps only those make runs: chapters 01-04, and the later ones unless EXTENSIONS=0
(the default in a student copy).

A notebook is executed in memory, with its figures written to a staging folder; only when every
cell succeeded do the notebook and its figures replace the ones on disk. A failure prints one
line and keeps the failed notebook and its traceback under report/build/failed/.
Code is hidden in the PDF unless SHOW_CODE=1; cells tagged remove-cell, remove-input or
remove-output lose that part. Progress bars never reach a saved notebook or the PDF: the kernels
run with TQDM_DISABLE=1 (helpers.train honours it for tqdm's Jupyter widget too), and the merge
drops stderr and widget outputs, such as a notebook saved from JupyterLab holds.
"""
import argparse
import atexit
import copy
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from traitlets.config import Config

from helpers.workbook import tablefit
from helpers.workbook.config import ANONYMOUS, FIGURES, LAST_ASSIGNED, ROOT, author, extensions, setting

TITLE = "A vanilla character-level RNN: DD2424 Assignment 4, reproduced and measured"
TEMPLATE = ROOT / "report" / "template"
BUILD = ROOT / "report" / "build"            # gitignored: staging, failed notebooks, LaTeX logs
# Kernels talk over local IPC sockets: nothing listens on TCP, so nothing needs encrypting. The
# sockets' path is absolute, because the kernel runs in the notebook's folder and the client not,
# and holds the process id, so that two runs at once never pick the same socket.
KERNEL_CONFIG = Config({"KernelManager": {
    "transport": "ipc", "ip": str(Path(tempfile.gettempdir()) / f"workbook-{os.getpid()}-kernel")}})
ANSI = re.compile(r"\x1b\[[0-9;]*m")
WIDGET = "application/vnd.jupyter.widget-view+json"


def chapters(paths):
    """The notebooks of `paths` that make runs and reports: all of them, or, unless extensions()
    is on (EXTENSIONS=1; off by default in a student copy), those numbered up to LAST_ASSIGNED."""
    paths = [Path(p) for p in paths]
    if extensions():
        return paths
    return [p for p in paths if not p.name[:2].isdigit() or int(p.name[:2]) <= LAST_ASSIGNED]


class BuildFailed(Exception):
    """A notebook or the PDF failed; str(e) is the one line to print."""


def execute(paths, timeout=None):
    """Run each notebook top to bottom in its own folder; save it only if every cell succeeded."""
    for path in map(Path, paths):
        print(f"executing {path}", flush=True)
        nb = nbformat.read(path, as_version=4)
        stage = _stage_figures(path)
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", config=KERNEL_CONFIG,
                                resources={"metadata": {"path": str(path.parent)}})
        try:
            with open(_kernel_log(path), "w") as log:   # the kernel's own stderr: shutdown noise
                client.execute(env={**os.environ, "FIGURES_DIR": str(stage), "TQDM_DISABLE": "1"}, stderr=log)
            _atomic_write(path, lambda tmp: nbformat.write(nb, tmp))
            _publish_figures(stage)
        except Exception as e:                # a cell's error, a timeout or a dead kernel
            atexit.unregister(client._cleanup_kernel)   # nothing left to clean; no noise at exit
            raise _failure(path, nb, e) from None
        finally:
            shutil.rmtree(stage, ignore_errors=True)


def _kernel_log(path):
    """report/build/kernels/<notebook>.log: where the kernel process writes its stderr. Cell output
    never goes there; ipykernel's occasional traceback as it shuts down does."""
    (BUILD / "kernels").mkdir(parents=True, exist_ok=True)
    return BUILD / "kernels" / f"{path.stem}.log"


def _stage_figures(path):
    """A fresh copy of figures/ for one notebook to write into, private to this run."""
    (BUILD / "staging").mkdir(parents=True, exist_ok=True)
    return copy_of_figures(f"{path.stem}-", BUILD / "staging")


def copy_of_figures(prefix, parent=None):
    """A new folder (under `parent`, else the system's temporary one) holding a copy of figures/."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    if FIGURES.is_dir():
        shutil.copytree(FIGURES, folder, dirs_exist_ok=True)
    return folder


def _publish_figures(stage):
    """Copy what a successful notebook wrote into figures/, each file atomically."""
    FIGURES.mkdir(parents=True, exist_ok=True)
    for f in sorted(p for p in stage.iterdir() if p.is_file()):
        target = FIGURES / f.name
        if not target.exists() or target.read_bytes() != f.read_bytes():
            _atomic_write(target, lambda tmp, f=f: shutil.copyfile(f, tmp))


def _failure(path, nb, error):
    """Save the failed notebook and its traceback; a BuildFailed naming notebook, cell, error."""
    failed = BUILD / "failed"
    failed.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, failed / path.name)
    log = failed / f"{path.stem}.traceback.txt"
    log.write_text(ANSI.sub("", str(error)) + "\n")
    code = [c for c in nb.cells if c.cell_type == "code"]     # numbered as Jupyter's In [n]
    cell = next((i for i, c in enumerate(code, 1) if any(o.output_type == "error" for o in c.get("outputs", []))), None)
    stop = getattr(error, "ename", None) == "Stop"                # helpers.workbook.stop: the line says it all
    what = (error.evalue if stop else f"{error.ename}: {error.evalue}" if hasattr(error, "ename")
            else f"{type(error).__name__}: {error}")
    where = f", code cell {cell}" if cell else ""
    first = ANSI.sub("", what).strip().splitlines()[0] if what.strip() else type(error).__name__
    return BuildFailed(f"{_rel(path)}{where}: {first} ({'' if stop else f'traceback: {_rel(log)}; '}"
                       f"the last good outputs are kept)")


def _rel(path):
    path = Path(path).resolve()
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def _atomic_write(path, write):
    """write(tmp) into a temporary file beside `path`, then rename it over `path`."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        write(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def merge(paths):
    """One notebook holding every cell of `paths` in order, without stderr or widget outputs."""
    merged = None
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs if not _progress(o)]
        if merged is None:
            merged = copy.deepcopy(nb)
        else:
            merged.cells.extend(nb.cells)
    merged.metadata["title"] = TITLE
    merged.metadata["authors"] = [{"name": author()}]
    return merged


def _progress(output):
    """Is this output a progress bar's: text on stderr, or a Jupyter widget?"""
    return ((output.output_type == "stream" and output.name == "stderr")
            or WIDGET in output.get("data", {}))


def to_pdf(paths, out, show_code=None):
    """Render the merged notebooks to `out` (PDF) through nbconvert's LaTeX exporter."""
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
        raise _latex_failure(out, e.output) from None
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(out, lambda tmp: tmp.write_bytes(pdf))
    print(f"wrote {out} ({len(pdf) // 1024} KiB)")
    if author() == ANONYMOUS:
        print(f'note: its title page names "{ANONYMOUS}": put your name there with AUTHOR="Your Name" make')
    return out


def _latex_failure(out, output):
    """Save xelatex's output; a BuildFailed quoting its first error line."""
    BUILD.mkdir(parents=True, exist_ok=True)
    log = BUILD / "latex.log"
    log.write_text(output)
    first = next((line for line in output.splitlines() if line.startswith("!")), "see the log")
    return BuildFailed(f"{_rel(out)}: xelatex failed: {first.lstrip('! ')} (log: {_rel(log)}; "
                       f"the last good report is kept)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("execute", "pdf"))
    parser.add_argument("notebooks", nargs="+")
    parser.add_argument("--out", default=str(ROOT / "report" / "report.pdf"))
    parser.add_argument("--chapters", action="store_true",
                        help="only the chapters make runs: see chapters() (EXTENSIONS)")
    args = parser.parse_args(argv)
    notebooks = chapters(args.notebooks) if args.chapters else [Path(p) for p in args.notebooks]
    left_out = [Path(p).stem for p in args.notebooks if Path(p) not in notebooks]
    if left_out and args.command == "execute":
        print(f"leaving out the extensions {', '.join(left_out)} (EXTENSIONS=1 make runs them too)")
    try:
        if args.command == "execute":
            execute(notebooks)
        else:
            to_pdf(notebooks, args.out)
    except BuildFailed as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
