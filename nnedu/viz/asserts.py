"""What a failed `assert` in a notebook compared: the values of its operands, read, not evaluated.

A notebook pins each fact it teaches with an assert. When one fails on a student's machine, a bare
`AssertionError` says nothing; pytest would show the values, a notebook kernel does not. So the
kernel's handler (installed by `setup_notebook`) adds them: for

    assert trained_error[32] < min(0.02, trained_error[4])

it reports `trained_error[32] = 0.049` and `min(0.02, trained_error[4]) = 0.02`. Operands are only
looked up — names, attributes, subscripts by a literal, and a few pure builtins (abs, min, max,
len, round) of such — never evaluated as code, so reading them cannot run anything or change state.
"""

from __future__ import annotations

import ast
import builtins
import linecache
from types import FrameType, TracebackType
from typing import Any

PURE_BUILTINS = {"abs": abs, "min": min, "max": max, "len": len, "round": round}
_MISSING = object()


def _read(node: ast.AST, frame: FrameType) -> Any:
    """The value of a name, attribute, literal subscript or pure builtin call, or _MISSING."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        for scope in (frame.f_locals, frame.f_globals, vars(builtins)):
            if node.id in scope:
                return scope[node.id]
        return _MISSING
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = _read(node.operand, frame)
        return -value if isinstance(value, int | float) else _MISSING
    if isinstance(node, ast.Attribute):
        base = _read(node.value, frame)
        return _MISSING if base is _MISSING else getattr(base, node.attr, _MISSING)
    if isinstance(node, ast.Subscript):
        base, key = _read(node.value, frame), _read(node.slice, frame)
        if base is _MISSING or not isinstance(node.slice, ast.Constant | ast.Name):
            return _MISSING
        try:
            return base[key]
        except Exception:  # a missing key reads as nothing to show
            return _MISSING
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in PURE_BUILTINS and not node.keywords):
        args = [_read(a, frame) for a in node.args]
        if any(a is _MISSING for a in args):
            return _MISSING
        try:
            return PURE_BUILTINS[node.func.id](*args)
        except Exception:
            return _MISSING
    return _MISSING


def _operands(test: ast.expr) -> list[ast.expr]:
    """The sides an assert compares: both sides of each comparison, each part of and/or/not."""
    if isinstance(test, ast.BoolOp):
        return [o for value in test.values for o in _operands(value)]
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _operands(test.operand)
    if isinstance(test, ast.Compare):
        return [test.left, *test.comparators]
    return [test]


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def explain(frame: FrameType, lineno: int) -> str | None:
    """'name = value' lines for the operands of the assert at `lineno` in `frame`'s code, or None
    if that line is not an assert (or nothing in it can be read)."""
    source = "".join(linecache.getlines(frame.f_code.co_filename))
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    asserts = [n for n in ast.walk(tree) if isinstance(n, ast.Assert)
               and n.lineno <= lineno <= (n.end_lineno or n.lineno)]
    if not asserts:
        return None
    lines = []
    for operand in _operands(asserts[0].test):
        if isinstance(operand, ast.Constant):
            continue
        value = _read(operand, frame)
        if value is not _MISSING:
            lines.append(f"  {ast.unparse(operand)} = {_show(value)}")
    if not lines:
        return None
    return f"assert {ast.unparse(asserts[0].test)} failed with\n" + "\n".join(lines)


def explain_traceback(tb: TracebackType | None) -> str | None:
    """`explain` for the innermost frame of a traceback."""
    if tb is None:
        return None
    while tb.tb_next is not None:
        tb = tb.tb_next
    return explain(tb.tb_frame, tb.tb_lineno)


def show_assertion_values(shell: Any, etype: type, value: BaseException,
                          tb: TracebackType | None, tb_offset: int | None = None) -> None:
    """IPython custom exception handler: the usual traceback, with the compared values added
    to the AssertionError's message."""
    detail = explain_traceback(tb)
    if detail:
        message = str(value)
        value.args = (f"{message}\n{detail}" if message else detail,)
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
