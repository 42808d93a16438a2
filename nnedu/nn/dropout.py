"""Dropout and DropConnect: random masks in training, their expectation at test time.

p is the probability of dropping (0.5 is common), q = 1 − p the probability of keeping. A mask m
has entries 1 (keep, probability q) or 0. Two ways to get the same expectation at test time:

    mode="scale_at_test"  (the slide)  train: h ∘ m          test: q h
    mode="inverted"       (usual)      train: h ∘ m / q      test: h

Both have E[train output] = test output, so nothing else in the network has to change. The
slide says "multiply each weight by the dropout rate": the factor that gives the expectation
is the keep probability q = 1 − p (the same number for the common p = 0.5).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from nnedu import _checks
from nnedu import init as initializers
from nnedu.nn.linear import Linear
from nnedu.nn.module import Module

Mode = Literal["inverted", "scale_at_test"]


def _check(p: float, mode: str, layer: str) -> float:
    p = _checks.real(p, f"{layer}: drop probability p")
    if not 0 <= p < 1:
        raise ValueError(f"{layer}: drop probability p must be in [0, 1), got {p!r}")
    if mode not in ("inverted", "scale_at_test"):
        raise ValueError(f"{layer}: mode must be 'inverted' or 'scale_at_test', got {mode!r}")
    return p


def _scales(p: float, mode: str) -> tuple[float, float]:
    """(factor on kept entries in training, factor at test time)."""
    q = 1.0 - p
    return (1.0 / q, 1.0) if mode == "inverted" else (1.0, q)


class Dropout(Module):
    """h = x ∘ m · s in training (m ~ Bernoulli(q) per entry), h = x · s_test in eval mode.

    backward: x_bar = h_bar ∘ m · s (the same mask), or h_bar · s_test in eval mode.
    """

    def __init__(self, p: float = 0.5, *, rng: np.random.Generator | int | None = None,
                 mode: Mode = "inverted") -> None:
        self.p, self.mode = _check(p, mode, "Dropout"), mode
        self.rng = _checks.generator(rng, "Dropout")
        self.mask: np.ndarray | None = None  # the last training mask, scaled: m · s
        self._out_shape: tuple[int, ...] | None = None
        self._scale: float = 1.0

    def forward(self, x: ArrayLike) -> np.ndarray:
        x = self._floating(x)
        self._out_shape = x.shape
        train_scale, test_scale = _scales(self.p, self.mode)
        if not self.training:
            self.mask, self._scale = None, test_scale
            return x * x.dtype.type(test_scale)
        keep = self.rng.random(x.shape) >= self.p
        self.mask = keep.astype(x.dtype) * x.dtype.type(train_scale)
        return x * self.mask

    def backward(self, h_bar: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        h_bar = self._check_out_bar(h_bar, self._out_shape)
        if not input_grad:
            return None
        if self.mask is None:
            return h_bar * h_bar.dtype.type(self._scale)
        return h_bar * self.mask

    def __repr__(self) -> str:
        return f"Dropout(p={self.p:g}, mode={self.mode!r})"


class DropConnect(Linear):
    """z = (W ∘ M · s) x + b: a `Linear` whose weights (connections) are dropped in training.

    One mask M ~ Bernoulli(q) over W per forward pass (shared by the minibatch). At test time
    all connections are used: W · q with the slide's `scale_at_test` (the default here), or W
    with `inverted` (which scales by 1/q in training instead).
    backward: W_bar = (Z_barᵀ X) ∘ M · s,  b_bar = Σ_n Z_bar[n],  X_bar = Z_bar (W ∘ M · s).
    """

    def __init__(self, in_features: int, out_features: int, p: float = 0.5, *,
                 mode: Mode = "scale_at_test", dtype: DTypeLike = np.float64,
                 init: str | initializers.Initializer = "xavier",
                 rng: np.random.Generator | int | None = None) -> None:
        p = _check(p, mode, "DropConnect")
        rng = _checks.generator(rng, "DropConnect")
        super().__init__(in_features, out_features, dtype=dtype, init=init, rng=rng)
        self.p, self.mode, self.rng = p, mode, rng
        self.mask: np.ndarray | None = None  # M · s of the last forward (training) or None
        self._scale = 1.0  # s_test of the last forward in eval mode

    def forward(self, x: ArrayLike) -> np.ndarray:
        x = self._batch(x, self.in_features, self.W.dtype)
        self.x = x
        train_scale, test_scale = _scales(self.p, self.mode)
        dtype = self.W.dtype.type
        if self.training:
            keep = self.rng.random(self.W.shape) >= self.p
            self.mask = keep.astype(self.W.dtype) * dtype(train_scale)
            W_used = self.W.data * self.mask
        else:
            self.mask, self._scale = None, test_scale
            W_used = self.W.data * dtype(test_scale)
        self._W_used = W_used
        z = x @ W_used.T
        z += self.b.data
        return z

    def backward(self, z_bar: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        out_shape = None if self.x is None else (self.x.shape[0], self.out_features)
        z_bar = self._check_out_bar(z_bar, out_shape, self.W.dtype)
        mask = self.mask if self.mask is not None else self.W.dtype.type(self._scale)
        self._accumulate_W_bar(z_bar, self.x, mask)
        self.b.grad += z_bar.sum(axis=0)
        return z_bar @ self._W_used if input_grad else None

    def __repr__(self) -> str:
        return (f"DropConnect({self.in_features}, {self.out_features}, p={self.p:g}, "
                f"mode={self.mode!r})")
