"""Networks built by hand, not trained: what one hidden layer can represent, and what depth buys.

- `relu_interpolant`: one hidden layer of n ReLU units that linearly interpolates f between
  n + 1 knots — the constructive side of the universal approximation theorem.
- `sawtooth_net`: k hidden layers of 2 ReLU units computing g∘…∘g with the tent map
  g(u) = 2 ReLU(u) − 4 ReLU(u − ½): 2k units, 2ᵏ linear pieces on [0, 1]. One hidden layer needs at
  least 2ᵏ − 1 units for the same function (each unit adds at most one kink).
- `count_linear_pieces`: the number of linear pieces of a 1-D network on a grid.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nnedu._checks import positive_int
from nnedu.nn.activations import ReLU
from nnedu.nn.linear import Linear
from nnedu.nn.sequential import Sequential


def relu_interpolant(f: Callable[[np.ndarray], np.ndarray], n: int, lo: float = -1.0,
                     hi: float = 1.0) -> Sequential:
    """y(x) = f(k₀) + Σᵢ cᵢ ReLU(x − kᵢ): the piecewise-linear interpolant of f on n + 1 knots.

    Hidden unit i is hᵢ = ReLU(x − kᵢ) (W1 = 1, b1 = −kᵢ); its output weight cᵢ is the change of
    slope at knot kᵢ (W2 = Δslope), and b2 = f(k₀). Exact at the knots; the error between them
    falls like 1/n² for a smooth f.
    """
    n = positive_int(n, "relu_interpolant n")
    knots = np.linspace(lo, hi, n + 1)
    slopes = np.diff(f(knots)) / np.diff(knots)
    net = Sequential(Linear(1, n), ReLU(), Linear(n, 1))
    hidden, output = net.layers[0], net.layers[2]
    hidden.W.data[...] = 1.0
    hidden.b.data[...] = -knots[:-1]
    output.W.data[...] = np.diff(slopes, prepend=0.0)
    output.b.data[...] = f(knots[:1])
    return net


def sawtooth_net(k: int) -> Sequential:
    """g∘…∘g (k times) with g(u) = 2 ReLU(u) − 4 ReLU(u − ½), as k hidden layers of 2 ReLU units.

    Each hidden layer computes h = (ReLU(u), ReLU(u − ½)) and passes u′ = 2h₁ − 4h₂ = g(u) on.
    """
    k = positive_int(k, "sawtooth_net k")
    linears = [Linear(1, 2)] + [Linear(2, 2) for _ in range(k - 1)] + [Linear(2, 1)]
    linears[0].W.data[...] = 1.0
    for linear in linears[:-1]:
        linear.b.data[...] = [0.0, -0.5]
    for linear in linears[1:]:
        linear.W.data[...] = [2.0, -4.0]
    linears[-1].b.data[...] = 0.0
    layers: list = [m for linear in linears[:-1] for m in (linear, ReLU())]
    return Sequential([*layers, linears[-1]])


def count_linear_pieces(net: Sequential, grid: np.ndarray, tol: float = 1e-6) -> int:
    """How many linear pieces the 1-D network has on `grid` (1 + the number of slope changes)."""
    grid = np.asarray(grid, dtype=float)
    slopes = np.diff(net(grid[:, None])[:, 0]) / np.diff(grid)
    return 1 + int(np.sum(np.abs(np.diff(slopes)) > tol))
