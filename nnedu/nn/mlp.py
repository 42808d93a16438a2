"""`mlp`: the lecture's multilayer perceptron from a list of layer sizes.

    mlp([D, H₁, …, H_{L−1}, K], φ) = Linear(H_{L−1}, K) ∘ φ ∘ … ∘ φ ∘ Linear(D, H₁)

Every hidden layer is a `Linear` followed by the activation φ (and, if asked, dropout); the output
layer is linear, so the loss (softmax cross-entropy, BCE with logits, squared error) supplies the
output non-linearity, as on the slides' table of output layers and losses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

import numpy as np
from numpy.typing import DTypeLike

from nnedu import _checks
from nnedu import init as initializers
from nnedu.nn.activations import ELU, LeakyReLU, PReLU, ReLU, Sigmoid, Tanh
from nnedu.nn.dropout import Dropout
from nnedu.nn.linear import Linear
from nnedu.nn.module import Module
from nnedu.nn.sequential import Sequential

ACTIVATIONS: dict[str, Callable[[], Module]] = {
    "sigmoid": Sigmoid, "tanh": Tanh, "relu": ReLU, "leaky_relu": LeakyReLU, "prelu": PReLU,
    "elu": ELU,
}


def _activation_factory(activation: str | Callable[[], Module]) -> Callable[[], Module]:
    if isinstance(activation, str):
        if activation not in ACTIVATIONS:
            raise ValueError(f"mlp: unknown activation {activation!r}; "
                             f"choose one of {', '.join(ACTIVATIONS)} or pass a layer class")
        return ACTIVATIONS[activation]
    if not callable(activation):
        raise TypeError(f"mlp: activation must be a name or a layer class, "
                        f"got {type(activation).__name__} {activation!r}")
    return activation


def mlp(sizes: Sequence[int], activation: str | Callable[[], Module] = "tanh", *,
        init: str | initializers.Initializer = "xavier",
        output_init: str | initializers.Initializer | None = None,
        dropout: float | None = None,
        rng: np.random.Generator | int | None = None,
        dtype: DTypeLike = np.float64) -> Sequential:
    """Linear layers of the given sizes with `activation` after each hidden one.

    `sizes` = [D, H₁, …, K] (at least input and output); `activation` is a name
    ("sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu") or a layer class; `init`
    initializes the hidden layers' W and `output_init` the last one's (default: `init`);
    `dropout` = p puts `Dropout(p)` after every hidden activation. One `rng` (a Generator or a
    seed; None means seed 0) draws all layers in order, so the same seed gives the same network.
    """
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"mlp: sizes needs at least an input and an output size, got {sizes}")
    sizes = [_checks.positive_int(n, f"mlp sizes[{i}]") for i, n in enumerate(sizes)]
    make_activation = _activation_factory(activation)
    rng = _checks.generator(rng, "mlp")
    linears = [Linear(n_in, n_out, init=init, rng=rng, dtype=dtype)
               for n_in, n_out in pairwise(sizes[:-1])]
    linears.append(Linear(sizes[-2], sizes[-1], rng=rng, dtype=dtype,
                          init=init if output_init is None else output_init))
    layers: list[Module] = []
    for linear in linears[:-1]:
        layers += [linear, make_activation()]
        if dropout:
            layers.append(Dropout(dropout, rng=rng))
    return Sequential(layers + linears[-1:])
