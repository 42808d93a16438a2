"""`Sequential`: a network as the composition y = f⁽ᴸ⁾ ∘ … ∘ f⁽¹⁾(x) of its layers.

forward runs the layers in order; backward runs them in reverse, each turning the error signal
of its output into that of its input (the chain rule, one layer at a time).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import ArrayLike

from nnedu.nn.module import Module
from nnedu.nn.parameter import Parameter


class Sequential(Module):
    """y = f⁽ᴸ⁾(… f⁽²⁾(f⁽¹⁾(x))); `Sequential([l1, l2])` or `Sequential(l1, l2)`.

    The layers keep their own parameters; `backward` computes the error signal of the input
    data x̄ only when asked (`input_grad=True`), as PyTorch does for data that does not require
    a gradient: no parameter needs it, and for the first layer it is one more matrix product.
    """

    def __init__(self, *layers: Module | Iterable[Module]) -> None:
        if len(layers) == 1 and not isinstance(layers[0], Module):
            if not isinstance(layers[0], Iterable):
                raise TypeError(f"Sequential: expected layers or a list of layers, got "
                                f"{type(layers[0]).__name__} {layers[0]!r}")
            layers = tuple(layers[0])
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(f"Sequential: item {i} is {type(layer).__name__}, not a Module "
                                "(a layer or a network)")
        self.layers: list[Module] = list(layers)  # type: ignore[arg-type]
        params = self.parameters()
        dtypes = {p.dtype for p in params}
        if len(dtypes) > 1:
            found = ", ".join(f"{layer!r}: {p.dtype}" for layer in self.layers
                              for p in layer.parameters()[:1])
            raise ValueError(f"Sequential: all layers must share one dtype, got {found}")

    def forward(self, x: ArrayLike) -> np.ndarray:
        for i, layer in enumerate(self.layers):
            try:
                x = layer.forward(x)
            except ValueError as error:  # say where in the network the shapes stopped fitting
                raise ValueError(f"Sequential layer {i}: {error}") from None
        return x  # type: ignore[return-value]

    def backward(self, y_bar: np.ndarray, input_grad: bool = False) -> np.ndarray | None:
        """Backpropagate y_bar through the layers in reverse, accumulating every θ.grad; return
        x_bar = ∂L/∂x if `input_grad=True`, else None (and skip the work below the first
        layer with parameters, which no parameter needs)."""
        first = 0 if input_grad else self._first_with_parameters()
        bar = y_bar
        for i in range(len(self.layers) - 1, first - 1, -1):
            bar = self.layers[i].backward(bar, input_grad=input_grad or i > first)
        return bar if input_grad else None

    def _first_with_parameters(self) -> int:
        for i, layer in enumerate(self.layers):
            if layer.parameters():
                return i
        return len(self.layers)

    def parameters(self) -> list[Parameter]:
        return [p for layer in self.layers for p in layer.parameters()]

    def train(self, mode: bool = True) -> Sequential:
        self.training = mode
        for layer in self.layers:
            layer.train(mode)
        return self

    def __getitem__(self, i: int) -> Module:
        return self.layers[i]

    def __len__(self) -> int:
        return len(self.layers)

    def __repr__(self) -> str:
        inner = ",\n".join(f"  {layer!r}" for layer in self.layers)
        return f"Sequential(\n{inner}\n)"
