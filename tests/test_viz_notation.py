"""The slides' notation: names, error-signal bars and local derivatives written as formulas."""

import pytest

from nnedu.scalar import Value
from nnedu.scalar.engine import affine, topological_order
from nnedu.viz.notation import (
    arg_names,
    bar,
    computed_as,
    fmt,
    local_grad_formula,
    node_names,
)

u, w = Value(0.5, label="u"), Value(2.0, label="w")


def formulas(v, name="y"):
    """(computed as, [∂v/∂parent for each parent]) for the node v called `name`."""
    order = topological_order(v)
    index = {node: i for i, node in enumerate(order)}
    names = node_names(order)
    args = arg_names(v, index, names)
    return computed_as(v, args), [local_grad_formula(v, k, args, name) for k in range(len(args))]


@pytest.mark.parametrize("v, expected", [
    (u + w, ("u + w", ["1", "1"])),
    (u * w, ("u × w", ["w", "u"])),
    (u * u, ("u × u", ["u", "u"])),  # fan-out into one op: the two terms sum to 2u
    (u * -1, ("u × (-1)", ["(-1)", "u"])),
    (u**2, ("u²", ["2u"])),
    (u**-1, ("u⁻¹", ["-1·u⁻²"])),
    (u**0.5, ("u⁰·⁵", ["0.5·u⁻⁰·⁵"])),
    (u**w, ("u^w", ["w·u^(w − 1)", "y·log u"])),
    (u.exp(), ("exp(u)", ["y"])),
    (u.log(), ("log(u)", ["1/u"])),
    (u.tanh(), ("tanh(u)", ["1 − y²"])),
    (u.sigmoid(), ("σ(u)", ["σ′(u)"])),
    (u.relu(), ("ReLU(u)", ["ReLU′(u)"])),
    (u.elu(), ("ELU(u)", ["ELU′(u)"])),
    (affine([w], [u], Value(0.1, label="b")), ("[w]ᵀ[u] + b", ["u", "w", "1"])),
])
def test_each_op_states_its_local_derivatives_as_the_slide_writes_them(v, expected):
    assert formulas(v) == expected


def test_bars_sit_on_the_symbol_not_on_its_index():
    assert bar("w") == "w\u0304" and bar("v₁₂") == "v\u0304₁₂" and bar("L_reg") == "L\u0304_reg"
    assert bar("loss") == "l\u0305o\u0305s\u0305s\u0305"


def test_numbers_keep_four_digits_and_lose_the_sign_of_zero():
    assert [fmt(x) for x in (0.123456, -0.0, 1e-9, 12345.6, 2.0)] == \
        ["0.1235", "0", "1e-09", "1.235e+04", "2"]
