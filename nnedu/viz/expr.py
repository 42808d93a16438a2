"""The little formula language of `nnedu graph`, parsed safely with Python's `ast`.

    z = w*x + b; y = sigmoid(z); L = 0.5*(y - t)**2

A program is a list of assignments separated by `;` or newlines; the last one is the output,
and each assigned name becomes the label of its node. Expressions may use numbers, names,
`+ - * / **`, unary minus, parentheses and calls of the engine's functions (exp, log, tanh,
sigmoid, relu, leaky_relu, elu). The parser walks only these node types and never calls `eval`
or `exec`: anything else (attributes, subscripts, lambdas, imports, unknown names or functions,
dunder names, comparisons, strings …) is refused with an `ExpressionError` naming the piece and
its column, before anything is computed.
"""

from __future__ import annotations

import ast
import math
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from nnedu.scalar.engine import Constant, Value

Number = float | Value

# name → (function, largest number of arguments); the second argument is α, a plain number
FUNCTIONS: dict[str, tuple[Callable[..., Value], int]] = {
    "exp": (Value.exp, 1),
    "log": (Value.log, 1),
    "tanh": (Value.tanh, 1),
    "sigmoid": (Value.sigmoid, 1),
    "relu": (Value.relu, 1),
    "leaky_relu": (Value.leaky_relu, 2),
    "elu": (Value.elu, 2),
}
MAX_DEPTH = 200  # operations nested in one assignment (the evaluator recurses once per level)
MAX_NAME = 100  # characters in a name: a node label (Graphviz refuses labels over 16 kB)
_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_WHAT = {  # how to call the node types a user is likely to try
    "Attribute": "attribute access", "Subscript": "subscript", "Lambda": "lambda",
    "Compare": "comparison", "BoolOp": "and/or", "IfExp": "conditional expression",
    "Import": "import", "ImportFrom": "import", "JoinedStr": "f-string", "List": "list",
    "Tuple": "tuple", "Dict": "dict", "Set": "set", "ListComp": "comprehension",
    "SetComp": "comprehension", "DictComp": "comprehension", "GeneratorExp": "generator",
    "Starred": "starred expression", "NamedExpr": "assignment expression (:=)",
    "AugAssign": "augmented assignment", "AnnAssign": "annotated assignment",
    "FunctionDef": "function definition", "ClassDef": "class definition",
    "Expr": "an expression without assignment", "Await": "await",
    "FloorDiv": "operator //", "Mod": "operator %", "MatMult": "operator @",
    "BitAnd": "operator &", "BitOr": "operator |", "BitXor": "operator ^",
    "LShift": "operator <<", "RShift": "operator >>", "Not": "operator not",
    "Invert": "operator ~",
}


class ExpressionError(ValueError):
    """A formula that is not in the language, or cannot be computed; says where and why."""


@dataclass(frozen=True)
class Assignment:
    name: str
    expr: ast.expr
    text: str  # the source of the statement, for messages


@dataclass(frozen=True)
class Program:
    """A checked formula: its assignments in order and the inputs it needs."""

    source: str
    assignments: tuple[Assignment, ...]
    inputs: tuple[str, ...]  # names used but never assigned, in order of first use

    @property
    def output(self) -> str:
        """The name of the last assignment: the node whose graph is drawn."""
        return self.assignments[-1].name


def parse(source: str) -> Program:
    """Check a formula against the language; raise `ExpressionError` on the first bad piece."""
    source = textwrap.dedent(source).strip()
    if not source:
        raise ExpressionError("the expression is empty: write e.g. 'z = w*x + b; L = z**2'")
    try:
        module = ast.parse(source, mode="exec")
    except SyntaxError as err:
        where = _where(source, err.lineno or 1, (err.offset or 1) - 1, chars=True)
        raise ExpressionError(f"{where}: syntax error: {err.msg}") from None
    except (RecursionError, MemoryError):
        raise ExpressionError("the expression is nested too deeply to parse; split it into "
                              "several assignments") from None
    except ValueError as err:  # e.g. a null byte
        raise ExpressionError(f"the expression cannot be parsed: {err}") from None
    if not module.body:
        raise ExpressionError("the expression has no assignment, only comments: write e.g. "
                              "'z = w*x + b; L = z**2'")
    checker = _Checker(source)
    assignments = tuple(checker.statement(node) for node in module.body)
    return Program(source, assignments, tuple(checker.inputs))


def evaluate(program: Program, at: Mapping[str, float]) -> dict[str, Value]:
    """Run the forward pass with the inputs `at`; return every named node (inputs included)."""
    check_inputs(program, at)
    env: dict[str, Value] = {name: Value(at[name], label=name) for name in program.inputs}
    for a in program.assignments:
        result = _Evaluator(program.source, env).evaluate(a.expr)
        if not isinstance(result, Value):
            result = Value(result, label=a.name)
        elif not result.label:
            result.label = a.name
        env[a.name] = result
    return env


def check_inputs(program: Program, at: Mapping[str, float]) -> None:
    """Every input of the program has a value, and every value given is an input."""
    missing = [name for name in program.inputs if name not in at]
    if missing:
        raise ExpressionError(f"no value given for {', '.join(missing)}: "
                              f"pass e.g. --at {','.join(f'{n}=1.0' for n in missing)}")
    assigned = {a.name for a in program.assignments}
    for name in at:
        if name in assigned:
            raise ExpressionError(f"{name} is computed by the expression; it cannot also be given")
        if name not in program.inputs:
            raise ExpressionError(f"a value is given for {name}, which the expression does not use "
                                  f"(its inputs are: {', '.join(program.inputs) or 'none'})")


# ------------------------------------------------------------------------------ checking
def _where(source: str, lineno: int, offset: int, chars: bool = False) -> str:
    """'column 7' (or 'line 2, column 7'), 1-based, counting characters, not UTF-8 bytes."""
    lines = source.splitlines() or [""]
    line = lines[min(lineno, len(lines)) - 1]
    col = offset if chars else len(line.encode("utf-8")[:offset].decode("utf-8", "replace"))
    return f"line {lineno}, column {col + 1}" if len(lines) > 1 else f"column {col + 1}"


def _piece(source: str, node: ast.AST) -> str:
    """The source text of `node`, shortened to 40 characters for a message."""
    piece = ast.get_source_segment(source, node) or ""
    return piece if len(piece) <= 40 else piece[:37] + "…"


class _Checker:
    """Walks the tree and accepts only the language's node types."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.assigned: set[str] = set()
        self.inputs: list[str] = []

    def fail(self, node: ast.AST, what: str, hint: str = "") -> ExpressionError:
        """'column 5: attribute access is not allowed: 'os.system'' (plus a hint)."""
        piece = _piece(self.source, node) or type(node).__name__
        where = _where(self.source, node.lineno, node.col_offset)  # type: ignore[attr-defined]
        return ExpressionError(f"{where}: {what} is not allowed: {piece!r}{hint}")

    def statement(self, node: ast.stmt) -> Assignment:
        if not isinstance(node, ast.Assign):
            raise self.fail(node, _WHAT.get(type(node).__name__, type(node).__name__),
                            "; write assignments `name = expression`, separated by ';'")
        if len(node.targets) != 1:
            raise self.fail(node, "a chained assignment", "; write one `name = expression` each")
        if not isinstance(node.targets[0], ast.Name):
            raise self.fail(node.targets[0], "assigning to anything but a plain name")
        name = node.targets[0].id
        self.name(node.targets[0], name)
        self.expr(node.value, 1)
        if name in self.assigned or name in self.inputs:
            what = "assigned twice" if name in self.assigned else "used before it is assigned"
            raise ExpressionError(f"{_where(self.source, node.lineno, node.col_offset)}: "
                                  f"{name} is {what}; give each node its own name")
        self.assigned.add(name)
        text = ast.get_source_segment(self.source, node) or name
        return Assignment(name, node.value, text)

    def name(self, node: ast.AST, name: str) -> None:
        if name.startswith("__") or name.endswith("__"):
            raise self.fail(node, "a dunder name")
        if len(name) > MAX_NAME:
            raise self.fail(node, f"a name of {len(name)} characters",
                            f"; names label the nodes, keep them to {MAX_NAME} characters")
        if name in FUNCTIONS:
            raise self.fail(node, f"the function {name} as a value", f"; call it: {name}(…)")

    def expr(self, node: ast.expr, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nesting deeper than {MAX_DEPTH} operations",
                            "; split the formula into several assignments")
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise self.fail(node, "a constant that is not a real number")
        elif isinstance(node, ast.Name):
            self.name(node, node.id)
            if node.id not in self.assigned and node.id not in self.inputs:
                self.inputs.append(node.id)
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BINARY:
                raise self.fail(node, _WHAT.get(type(node.op).__name__, "this operator"))
            self.expr(node.left, depth + 1)
            self.expr(node.right, depth + 1)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                raise self.fail(node, _WHAT.get(type(node.op).__name__, "this operator"))
            self.expr(node.operand, depth + 1)
        elif isinstance(node, ast.Call):
            self.call(node, depth)
        else:
            raise self.fail(node, _WHAT.get(type(node).__name__, type(node).__name__))

    def call(self, node: ast.Call, depth: int) -> None:
        if not isinstance(node.func, ast.Name):
            what = _WHAT.get(type(node.func).__name__, "calling anything but a named function")
            raise self.fail(node.func, what)
        name = node.func.id
        if name.startswith("__") or name.endswith("__"):
            raise self.fail(node.func, "a dunder name")
        if name not in FUNCTIONS:
            raise self.fail(node.func, "an unknown function",
                            f"; the functions are {', '.join(FUNCTIONS)}")
        if node.keywords:
            raise self.fail(node.keywords[0], f"a keyword argument of {name}")
        most = FUNCTIONS[name][1]
        if not 1 <= len(node.args) <= most:
            takes = "one argument" if most == 1 else "one argument and optionally α"
            raise self.fail(node, f"{name} with {len(node.args)} arguments", f"; it takes {takes}")
        for arg in node.args:
            self.expr(arg, depth + 1)


# ------------------------------------------------------------------------------ computing
class _Evaluator:
    """Computes a checked expression: plain numbers stay floats, anything with a name a Value."""

    def __init__(self, source: str, env: Mapping[str, Value]) -> None:
        self.source = source
        self.env = env

    def evaluate(self, node: ast.expr) -> Number:
        try:
            return self._eval(node)
        except ExpressionError:
            raise
        except (ArithmeticError, ValueError, TypeError) as err:
            piece = _piece(self.source, node)
            where = _where(self.source, node.lineno, node.col_offset)
            # Python's float ** says only "(34, 'Numerical result out of range')"
            reason = "the result overflows a float" if len(err.args) > 1 else str(err)
            raise ExpressionError(f"{where}: cannot compute {piece!r}: {reason}") from None

    def _eval(self, node: ast.expr) -> Number:
        if isinstance(node, ast.Constant):
            return _finite(float(node.value))
        if isinstance(node, ast.Name):
            return self.env[node.id]
        if isinstance(node, ast.UnaryOp):
            x = self.evaluate(node.operand)
            return -x if isinstance(node.op, ast.USub) else x
        if isinstance(node, ast.BinOp):
            a, b = self.evaluate(node.left), self.evaluate(node.right)
            op = _BINARY[type(node.op)]
            if op == "/" and not isinstance(b, Value) and b == 0:
                raise ZeroDivisionError("division by zero")
            result = {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b,
                      "/": lambda: a / b, "**": lambda: a**b}[op]()
            return result if isinstance(result, Value) else _finite(result)
        assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        function = FUNCTIONS[node.func.id][0]
        x, *alpha = (self.evaluate(arg) for arg in node.args)
        if any(isinstance(a, Value) for a in alpha):
            raise TypeError(f"α of {node.func.id} must be a plain number, not a named value")
        return function(x if isinstance(x, Value) else Constant(x), *alpha)


def _finite(x: object) -> float:
    if not isinstance(x, float) or not math.isfinite(x):
        raise ArithmeticError(f"the result {x!r} is not a finite real number")
    return x


def formula(source: str, **at: float) -> Value:
    """The output node of a formula computed at the given inputs (forward pass only).

    >>> L = formula("z = w*x + b; L = 0.5*z**2", w=0.5, x=3, b=0.5)
    >>> L.label, round(L.data, 4)
    ('L', 2.0)
    """
    program = parse(source)
    return evaluate(program, at)[program.output]
