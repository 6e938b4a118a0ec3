"""The markers that turn a solved helper module into an exercise (`make exercises`).

Inside a function body (shown here behind a bar, which the real lines do not have):

    | # BEGIN SOLUTION E2: what to write        the student copy holds, instead of this region,
    | # HINT: an optional hint, kept            its hints and
    | ...solution...                            raise NotImplementedError("E2: what to write (see NOTEBOOK)")
    | # END SOLUTION

A fast path that would give an exercise away is not marked: the copy holds a whole substitute
module in its place (helpers.teacher.substitutes).
"""
import ast
import re
from typing import NamedTuple

BEGIN = re.compile(r"^(\s*)# BEGIN SOLUTION((?: E\d+)*)(?::\s*(.*))?\s*$")
END = re.compile(r"^(\s*)# END SOLUTION\s*$")
HINT = re.compile(r"^\s*# HINT:\s*(.*)$")


class MarkerError(ValueError):
    """A malformed marker; str(e) is one line naming the file and line."""


class Region(NamedTuple):
    ids: tuple          # ('E2',)
    task: str           # what to write
    indent: str
    begin: int          # line indices (0-based) of the BEGIN and END lines
    end: int


def parse(text, path):
    """The regions of `text` (the source of `path`) in order; MarkerError for a malformed one."""
    regions, open_ = [], None
    for i, line in enumerate(text.splitlines()):
        begin, end = BEGIN.match(line), END.match(line)
        if begin:
            if open_:
                raise MarkerError(f"{path}:{i + 1}: BEGIN SOLUTION inside the region opened at line {open_[3] + 1}")
            ids, task = tuple(begin[2].split()), (begin[3] or "").strip()
            if len(ids) != 1 or not task or '"' in task or "\\" in task:
                raise MarkerError(f"{path}:{i + 1}: write BEGIN SOLUTION <id>: <what to write, no quotes>")
            open_ = [ids, task, begin[1], i]
        elif end:
            if not open_ or open_[2] != end[1]:
                raise MarkerError(f"{path}:{i + 1}: END SOLUTION without a matching BEGIN SOLUTION above it")
            regions.append(Region(*open_, i))
            open_ = None
    if open_:
        raise MarkerError(f"{path}:{open_[3] + 1}: BEGIN SOLUTION is never ENDed")
    return regions


def student_source(text, path, notebooks):
    """(source of the student copy, [(id, line number of its raise)]) for the module `text`.

    notebooks: {exercise id: notebook that explains it}, named in each stub's message.
    """
    lines, out, stubs, last = text.splitlines(), [], [], 0
    for region in parse(text, path):
        out += lines[last:region.begin]
        if region.ids[0] not in notebooks:
            raise MarkerError(f"{path}:{region.begin + 1}: unknown exercise {region.ids[0]}")
        out += [f"{region.indent}# Hint: {HINT.match(line)[1]}" for line in lines[region.begin + 1:region.end]
                if HINT.match(line)]
        stubs.append((region.ids[0], len(out) + 1))
        message = f"{region.ids[0]}: {region.task} (see {notebooks[region.ids[0]]})"
        out.append(f'{region.indent}raise NotImplementedError("{message}")')
        last = region.end + 1
    out += lines[last:]
    return "\n".join(out) + ("\n" if text.endswith("\n") else ""), stubs


def verify(original, student, stubs, path):
    """Check with `ast` that both sources parse, that every region of `original` lies inside a
    function, and that each stub in `student` is a raise NotImplementedError("<id>: ...") inside a
    function. Raises MarkerError naming the first problem."""
    try:
        functions = [n for n in ast.walk(ast.parse(original)) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        student_tree = ast.parse(student)
    except SyntaxError as e:
        raise MarkerError(f"{path}:{e.lineno}: does not parse after the markers are applied: {e.msg}") from None
    for region in parse(original, path):
        if not any(f.lineno < region.begin + 1 <= f.end_lineno and len(region.indent) > f.col_offset
                   for f in functions):
            raise MarkerError(f"{path}:{region.begin + 1}: a SOLUTION region must lie inside a function body")
    raises = {n.lineno: n for f in ast.walk(student_tree) if isinstance(f, ast.FunctionDef)
              for n in ast.walk(f) if isinstance(n, ast.Raise)}
    for eid, lineno in stubs:
        node = raises.get(lineno)
        call = getattr(node, "exc", None)
        message = getattr(call, "args", [None])[0] if isinstance(call, ast.Call) else None
        if not (isinstance(call, ast.Call) and getattr(call.func, "id", "") == "NotImplementedError"
                and isinstance(message, ast.Constant) and str(message.value).startswith(f"{eid}: ")):
            raise MarkerError(f"{path}:{lineno}: the stub of {eid} is not raise NotImplementedError(\"{eid}: ...\")")


def solution_lines(text, path):
    """The code lines (stripped, comments dropped) inside every region."""
    lines, found = text.splitlines(), set()
    for region in parse(text, path):
        found |= {lines[i].split("#")[0].strip() for i in range(region.begin + 1, region.end)}
    return found - {""}


TEACHER_BEGIN, STUDENT_BEGIN, STUDENT_END, TEACHER_END = (
    "<!-- BEGIN TEACHER -->", "<!-- STUDENT", "-->", "<!-- END TEACHER -->")


def student_markdown(text, path):
    """A Markdown file (the README) for the student copy: what lies between the lines
    `<!-- BEGIN TEACHER -->` and `<!-- END TEACHER -->` left out, except the lines of a
    `<!-- STUDENT` ... `-->` comment inside it, which the copy shows. MarkerError when malformed."""
    out, state, opened = [], "out", 0
    for i, line in enumerate(text.splitlines(keepends=True)):
        mark = line.strip()
        if mark == TEACHER_BEGIN and state == "out":
            state, opened = "teacher", i
        elif mark == STUDENT_BEGIN and state == "teacher":
            state = "student"
        elif mark == STUDENT_END and state == "student":
            state = "shown"
        elif mark == TEACHER_END and state in ("teacher", "shown"):
            state = "out"
        elif mark in (TEACHER_BEGIN, STUDENT_BEGIN, TEACHER_END) or ("<!--" in mark and state == "student"):
            raise MarkerError(f"{path}:{i + 1}: {mark} does not fit here (BEGIN TEACHER, STUDENT, -->, END TEACHER)")
        elif state == "out" or state == "student":
            out.append(line)
        elif state == "shown" and mark:
            raise MarkerError(f"{path}:{i + 1}: only END TEACHER may follow a STUDENT comment's -->")
    if state != "out":
        raise MarkerError(f"{path}:{opened + 1}: BEGIN TEACHER is never ENDed")
    return "".join(out)
