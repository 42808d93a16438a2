"""`Linear`: the fully connected layer z = W x + b, forward and backward in matrix form.

For one sample x (a column vector, as on the slides) and for a minibatch X whose rows are the
samples:

    forward   z = W x + b                   Z = X Wᵀ + b
    backward  W_bar = z_bar xᵀ              W_bar = Z_barᵀ X     (Σ over samples of z_bar xᵀ)
              b_bar = z_bar                 b_bar = Σ_n Z_bar[n]
              x_bar = Wᵀ z_bar              X_bar = Z_bar W
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from nnedu import _checks
from nnedu import init as initializers
from nnedu.nn.module import Module
from nnedu.nn.parameter import Parameter


class Linear(Module):
    """z = W x + b with W of shape (out_features, in_features) and b of shape (out_features,)."""

    def __init__(self, in_features: int, out_features: int, *, dtype: DTypeLike = np.float64,
                 init: str | initializers.Initializer = "xavier",
                 rng: np.random.Generator | int | None = None) -> None:
        """`init` initializes W (see `nnedu.init`; b starts at 0). `rng` is a Generator or a
        seed; None means seed 0, so unseeded code still gives the same numbers every run (pass
        one Generator to all layers of a network to make them independent)."""
        layer = type(self).__name__
        in_features = _checks.positive_int(in_features, f"{layer} in_features")
        out_features = _checks.positive_int(out_features, f"{layer} out_features")
        self.in_features, self.out_features = in_features, out_features
        rng = _checks.generator(rng, layer)
        W = initializers.get(init)((out_features, in_features), rng, dtype)
        self.W = Parameter(W, "W", dtype=dtype)
        self.b = Parameter(np.zeros(out_features), "b", dtype=dtype)
        self.x: np.ndarray | None = None  # the input of the last forward, for W_bar = z_barᵀ x
        self._W_bar: np.ndarray | None = None  # scratch: this batch's W_bar before accumulating

    def forward(self, x: ArrayLike) -> np.ndarray:
        """Z = X Wᵀ + b."""
        x = self._batch(x, self.in_features, self.W.dtype)
        self.x = x
        z = x @ self.W.data.T
        z += self.b.data
        return z

    def backward(self, z_bar: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """W.grad += Z_barᵀ X, b.grad += Σ_n Z_bar[n]; return X_bar = Z_bar W."""
        out_shape = None if self.x is None else (self.x.shape[0], self.out_features)
        z_bar = self._check_out_bar(z_bar, out_shape, self.W.dtype)
        self._accumulate_W_bar(z_bar, self.x)
        self.b.grad += z_bar.sum(axis=0)
        return z_bar @ self.W.data if input_grad else None

    def _accumulate_W_bar(self, z_bar: np.ndarray, x: np.ndarray,
                          mask: np.ndarray | None = None) -> None:
        """W.grad += (Z_barᵀ X) [∘ mask], through a reused scratch array (no allocation)."""
        if self._W_bar is None:
            self._W_bar = np.empty_like(self.W.data)
        np.matmul(z_bar.T, x, out=self._W_bar)
        if mask is not None:
            self._W_bar *= mask
        self.W.grad += self._W_bar

    def parameters(self) -> list[Parameter]:
        return [self.W, self.b]

    def __repr__(self) -> str:
        dtype = "" if self.W.dtype == np.float64 else f", dtype={self.W.dtype}"
        return f"{type(self).__name__}({self.in_features}, {self.out_features}{dtype})"
