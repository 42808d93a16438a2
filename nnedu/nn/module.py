"""`Module`: the pair forward / backward that every part of a network implements.

forward:   out = f(x)
backward:  in_bar = ∂L/∂x = out_bar · ∂out/∂x,  and every parameter θ gets θ.grad += ∂L/∂θ

Batches are rows: x has shape (batch, features). Gradients accumulate (call `zero_grad` between
steps), and parameters are updated in place, never rebound, so views of them stay views (`pack`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TypeVar

import numpy as np
from numpy.typing import ArrayLike

from nnedu.nn.parameter import Parameter

L = TypeVar("L", bound="Module")


class Module(ABC):
    """Base class: `forward(x) -> out`, `backward(out_bar) -> in_bar`, `parameters()`."""

    training: bool = True

    @abstractmethod
    def forward(self, x: np.ndarray) -> np.ndarray:
        """out = f(x) for a batch x of shape (batch, features)."""

    @abstractmethod
    def backward(self, out_bar: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """Return in_bar = ∂L/∂x given out_bar = ∂L/∂out; accumulate ∂L/∂θ into `θ.grad`.

        With `input_grad=False` only the parameter gradients are accumulated and None is
        returned (the first layer of a network never needs ∂L/∂x).
        """

    def __call__(self, x: ArrayLike) -> np.ndarray:
        return self.forward(x)  # type: ignore[arg-type]

    def parameters(self) -> list[Parameter]:
        return []

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0, in place."""
        for p in self.parameters():
            p.zero_grad()

    def train(self: L, mode: bool = True) -> L:
        """Training mode (dropout samples masks); `train(False)` is `eval()`."""
        self.training = mode
        return self

    def eval(self: L) -> L:
        """Test mode: dropout uses its expectation instead of a random mask."""
        return self.train(False)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    # ------------------------------------------------------------------ input checking
    def _floating(self, x: ArrayLike, dtype: np.dtype | None = None) -> np.ndarray:
        """x as a floating array (integer and boolean inputs are converted, e.g. XOR's 0/1).

        With `dtype`, a floating input of another precision is an error rather than a silent
        up- or down-cast, so float32 networks stay float32 end to end.
        """
        x = np.asarray(x)
        if not np.issubdtype(x.dtype, np.floating):
            if not (np.issubdtype(x.dtype, np.integer) or x.dtype == np.bool_):
                raise ValueError(f"{self!r}: input must be numeric, got dtype {x.dtype}")
            return x.astype(dtype or np.float64)
        if dtype is not None and x.dtype != dtype:
            raise ValueError(f"{self!r}: input has dtype {x.dtype} but the layer's parameters "
                             f"are {dtype}; convert with x.astype(np.{dtype})")
        return x

    def _batch(self, x: ArrayLike, features: int, dtype: np.dtype) -> np.ndarray:
        """x checked to have shape (batch, features) and the parameters' dtype."""
        x = self._floating(x, dtype)
        if x.ndim != 2 or x.shape[1] != features:
            hint = (f"; for a single sample use x.reshape(1, {features})"
                    if x.ndim == 1 and x.shape[0] == features else "")
            raise ValueError(f"{self!r}: input of shape {x.shape} does not match the expected "
                             f"shape (batch, {features}){hint}")
        return x

    def _check_out_bar(self, out_bar: ArrayLike, out_shape: tuple[int, ...] | None,
                       dtype: np.dtype | None = None) -> np.ndarray:
        """out_bar checked to have the shape of the last forward's output."""
        if out_shape is None:
            raise RuntimeError(f"{self!r}: backward called before forward")
        out_bar = np.asarray(out_bar)
        if out_bar.shape != out_shape:
            raise ValueError(f"{self!r}: out_bar of shape {out_bar.shape} does not match the "
                             f"output of shape {out_shape} from the last forward")
        if dtype is not None and out_bar.dtype != dtype:
            raise ValueError(f"{self!r}: out_bar has dtype {out_bar.dtype} but the layer "
                             f"computes in {dtype}")
        return out_bar
