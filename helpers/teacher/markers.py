"""The markers that turn a solved helper module into an exercise (`make exercises`).

Inside a function body (shown here behind a bar, which the real lines do not have):

    | # BEGIN SOLUTION E2: what to write        the student copy holds, instead of this region,
    | # HINT: an optional hint, kept            its hints and
    | ...solution...                            raise NotImplementedError("E2: what to write (see NOTEBOOK)")
    | # END SOLUTION

    | # BEGIN FAST E1 E2                        code that would give exercises away (a fast path);
    | ...fast code...                           the student copy holds, instead, the commented
    | # ELSE                                    lines after ELSE, uncommented: a fallback that calls
    | # return slow_version(...)                the student's own functions
    | # END FAST
"""
import ast
import re
from typing import NamedTuple

BEGIN = re.compile(r"^(\s*)# BEGIN (SOLUTION|FAST)((?: E\d+)*)(?::\s*(.*))?\s*$")
ELSE = re.compile(r"^(\s*)# ELSE\s*$")
END = re.compile(r"^(\s*)# END (SOLUTION|FAST)\s*$")
HINT = re.compile(r"^\s*# HINT:\s*(.*)$")


class MarkerError(ValueError):
    """A malformed marker; str(e) is one line naming the file and line."""


class Region(NamedTuple):
    kind: str           # SOLUTION or FAST
    ids: tuple          # ('E2',)
    task: str           # what to write (SOLUTION)
    indent: str
    begin: int          # line indices (0-based) of the BEGIN, ELSE (FAST only; else -1) and END lines
    middle: int
    end: int


def parse(text, path):
    """The regions of `text` (the source of `path`) in order; MarkerError for a malformed one."""
    regions, open_ = [], None
    for i, line in enumerate(text.splitlines()):
        begin, else_, end = BEGIN.match(line), ELSE.match(line), END.match(line)
        if begin:
            if open_:
                raise MarkerError(f"{path}:{i + 1}: BEGIN {begin[2]} inside the region opened at line {open_[4] + 1}")
            ids, task = tuple(begin[3].split()), (begin[4] or "").strip()
            if begin[2] == "SOLUTION" and (len(ids) != 1 or not task or '"' in task or "\\" in task):
                raise MarkerError(f"{path}:{i + 1}: write BEGIN SOLUTION <id>: <what to write, no quotes>")
            open_ = [begin[2], ids, task, begin[1], i, -1]
        elif else_ and open_ and open_[0] == "FAST" and open_[3] == else_[1]:
            open_[5] = i
        elif end:
            if not open_ or open_[0] != end[2] or open_[3] != end[1]:
                raise MarkerError(f"{path}:{i + 1}: END {end[2]} without a matching BEGIN {end[2]} above it")
            if open_[0] == "FAST" and open_[5] < 0:
                raise MarkerError(f"{path}:{i + 1}: BEGIN FAST at line {open_[4] + 1} has no ELSE")
            regions.append(Region(*open_, i))
            open_ = None
    if open_:
        raise MarkerError(f"{path}:{open_[4] + 1}: BEGIN {open_[0]} is never ENDed")
    return regions


def _fallback(lines, region, path):
    """The lines after ELSE, uncommented: '<indent># code' -> '<indent>code'."""
    out = []
    for i in range(region.middle + 1, region.end):
        line = lines[i]
        if line.strip() == "#":
            out.append("")
        elif line.startswith(region.indent + "# "):
            out.append(region.indent + line[len(region.indent) + 2:])
        else:
            raise MarkerError(f"{path}:{i + 1}: a line after ELSE must be commented out at the ELSE's indentation")
    if not any(line.strip() for line in out):
        raise MarkerError(f"{path}:{region.middle + 1}: ELSE holds no fallback code")
    return out


def student_source(text, path, notebooks):
    """(source of the student copy, [(id, line number of its raise)]) for the module `text`.

    notebooks: {exercise id: notebook that explains it}, named in each stub's message.
    """
    lines, out, stubs, last = text.splitlines(), [], [], 0
    for region in parse(text, path):
        out += lines[last:region.begin]
        if region.kind == "SOLUTION":
            if region.ids[0] not in notebooks:
                raise MarkerError(f"{path}:{region.begin + 1}: unknown exercise {region.ids[0]}")
            out += [f"{region.indent}# Hint: {HINT.match(line)[1]}" for line in lines[region.begin + 1:region.end]
                    if HINT.match(line)]
            stubs.append((region.ids[0], len(out) + 1))
            message = f"{region.ids[0]}: {region.task} (see {notebooks[region.ids[0]]})"
            out.append(f'{region.indent}raise NotImplementedError("{message}")')
        else:
            out += _fallback(lines, region, path)
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
            raise MarkerError(f"{path}:{region.begin + 1}: a {region.kind} region must lie inside a function body")
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
    """The code lines (stripped, comments dropped) inside every region's solution or fast part."""
    lines, found = text.splitlines(), set()
    for region in parse(text, path):
        stop = region.middle if region.kind == "FAST" else region.end
        found |= {lines[i].split("#")[0].strip() for i in range(region.begin + 1, stop)}
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
