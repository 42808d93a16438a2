"""The formula language of `nnedu graph`: what it computes and what it refuses, and where."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnedu.scalar.engine import topological_order
from nnedu.viz.expr import ExpressionError, evaluate, formula, parse


def test_assignments_label_their_nodes_and_the_last_is_the_output():
    program = parse("z = w*x + b; y = sigmoid(z)\nL = 0.5*(y - t)**2")
    assert program.output == "L" and program.inputs == ("w", "x", "b", "t")
    values = evaluate(program, {"w": 0.5, "x": 1.5, "b": 0.1, "t": 1.0})
    assert [values[n].label for n in ("w", "z", "y", "L")] == ["w", "z", "y", "L"]
    y = 1 / (1 + math.exp(-0.85))
    assert values["L"].data == pytest.approx(0.5 * (y - 1) ** 2, rel=1e-15)


def test_functions_are_the_engines():
    x = 0.7
    cases = {"exp(x)": math.exp(x), "log(x)": math.log(x), "tanh(x)": math.tanh(x),
             "sigmoid(x)": 1 / (1 + math.exp(-x)), "relu(-x)": 0.0,
             "leaky_relu(-x)": -0.1 * x, "leaky_relu(-x, 0.2)": -0.2 * x,
             "elu(-x)": math.exp(-x) - 1, "elu(-x, 0.5)": 0.5 * (math.exp(-x) - 1)}
    for source, expected in cases.items():
        assert formula(f"y = {source}", x=x).data == pytest.approx(expected, rel=1e-15), source


def test_subtraction_and_division_are_drawn_with_the_engines_primitives():
    y = formula("y = a / b - c", a=1.0, b=4.0, c=0.5)
    ops = [v.op for v in topological_order(y)]
    assert "**-1" in ops and ops.count("*") == 2 and ops.count("+") == 1
    assert y.data == -0.25


def test_a_number_assigned_to_a_name_is_a_labelled_leaf():
    values = evaluate(parse("lam = 0.1; L = lam * w**2"), {"w": 2.0})
    assert values["lam"].is_leaf and values["lam"].label == "lam" and values["L"].data == 0.4


def test_columns_count_characters_not_utf8_bytes():
    with pytest.raises(ExpressionError, match=r"^column 11: attribute access.*'a\.b'"):
        parse("y = λ*x + a.b")


def test_errors_on_later_lines_name_the_line():
    with pytest.raises(ExpressionError, match=r"^line 3, column 5: subscript"):
        parse("z = w*x\ny = z\nL = y[1]")


def test_indented_formulas_from_a_notebook_are_accepted():
    program = parse("""
        z = w*x
        L = z**2
    """)
    assert program.output == "L"


@pytest.mark.parametrize("source, message", [
    ("", "the expression is empty"),
    ("a = b = w", "column 1: a chained assignment is not allowed: 'a = b = w'"),
    ("a, b = w, x", "assigning to anything but a plain name is not allowed: 'a, b'"),
    ("y += w", "augmented assignment"),
    ("y = w if x else b", "conditional expression"),
    ("y = w and x", "and/or"),
    ("y = [w]", "list"),
    ("y = f'{w}'", "f-string"),
    ("y = (z := w)", "assignment expression"),
    ("y = exp(x=w)", "a keyword argument of exp"),
    ("y = tanh(w, 2)", "tanh with 2 arguments"),
    ("y = w ** True", "a constant that is not a real number"),
    ("y = 1j * w", "a constant that is not a real number"),
    ("exp = w", "the function exp as a value"),
    ("__class__ = w", "a dunder name"),
    ("y = z; z = w", "z is used before it is assigned"),
    ("def f(): pass", "function definition"),
])
def test_everything_outside_the_language_is_refused(source, message):
    with pytest.raises(ExpressionError) as err:
        parse(source)
    assert message in str(err.value)


def test_very_deep_formulas_are_refused_with_advice_instead_of_a_recursion_error():
    with pytest.raises(ExpressionError, match=r"nesting deeper than 200.*several assignments"):
        parse("y = " + " + ".join(["x"] * 900))
    # Python's own parser gives up on this one in some versions (3.11+), not in others (3.10):
    # either way the user gets the advice to split it, never a RecursionError.
    with pytest.raises(ExpressionError, match=r"(nested too deeply to parse|nesting deeper than"
                                              r" 200 operations).*split"):
        parse("y = " + "+".join(["x"] * 5000))
    assert formula("y = " + " + ".join(["x"] * 150), x=1.0).data == 150.0


def test_alpha_must_be_a_plain_number():
    with pytest.raises(ExpressionError, match="α of elu must be a plain number"):
        formula("y = elu(x, a)", x=1.0, a=0.5)


def test_numbers_stay_numbers_until_they_meet_a_name():
    with pytest.raises(ExpressionError, match=r"cannot compute '\(-8\) \*\* 0\.5'"):
        formula("y = (-8) ** 0.5 * x", x=1.0)


# ------------------------------------------------------------------ properties
def expressions(depth=3):
    """(source, reference value) pairs over a = 0.3, b = -1.2, using + - * tanh sigmoid."""
    leaves = st.sampled_from([("a", 0.3), ("b", -1.2), ("2", 2.0), ("0.5", 0.5)])
    if depth == 0:
        return leaves
    sub = expressions(depth - 1)
    binary = st.tuples(sub, st.sampled_from(["+", "-", "*"]), sub).map(
        lambda t: (f"({t[0][0]} {t[1]} {t[2][0]})",
                   {"+": t[0][1] + t[2][1], "-": t[0][1] - t[2][1],
                    "*": t[0][1] * t[2][1]}[t[1]]))
    unary = st.tuples(st.sampled_from(["tanh", "sigmoid", "-"]), sub).map(
        lambda t: (f"{t[0]}({t[1][0]})",
                   {"tanh": math.tanh(t[1][1]), "sigmoid": 1 / (1 + math.exp(-t[1][1])),
                    "-": -t[1][1]}[t[0]]))
    return st.one_of(leaves, binary, unary)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(expressions())
def test_the_language_computes_what_the_formula_says(case):
    source, expected = case
    program = parse(f"y = {source}")
    at = {name: value for name, value in (("a", 0.3), ("b", -1.2)) if name in program.inputs}
    result = evaluate(program, at)["y"]
    assert result.data == pytest.approx(expected, rel=1e-12, abs=1e-12)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(alphabet="abwxyz_ =;+-*/()[].,'\"0123456789:λ\n", max_size=40))
def test_any_text_is_either_a_program_or_an_expression_error(text):
    try:
        parse(text)
    except ExpressionError as err:
        assert str(err)


def test_a_long_piece_is_shortened_in_the_message():
    with pytest.raises(ExpressionError, match="cannot compute '1" + "0" * 36 + "…': int too large"):
        formula("y = 1" + "0" * 400)
