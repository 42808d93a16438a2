"""Losses: L = (1/N) Σ_n l(y_n, t_n), the mean over the batch of the lecture's per-sample loss.

`forward(y, t) -> float` computes L for network outputs y (batch first) and targets t;
`backward() -> y_bar` returns ∂L/∂y for the same call, the error signal that starts backprop.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from nnedu import _checks
from nnedu.nn.functional import log_softmax, sigmoid, softplus
from nnedu.nn.parameter import Parameter


class Loss(ABC):
    """Base class: `forward(y, t) -> L`, `backward() -> y_bar`, `parameters()`."""

    def __init__(self) -> None:
        self._y_bar: np.ndarray | None = None

    @abstractmethod
    def forward(self, y: ArrayLike, t: ArrayLike) -> float:
        """L = (1/N) Σ_n l(y_n, t_n); stores y_bar = ∂L/∂y for `backward`."""

    def __call__(self, y: ArrayLike, t: ArrayLike) -> float:
        return self.forward(y, t)

    def backward(self) -> np.ndarray:
        """y_bar = ∂L/∂y for the last forward."""
        if self._y_bar is None:
            raise RuntimeError(f"{self!r}: backward called before forward")
        return self._y_bar

    def parameters(self) -> list[Parameter]:
        return []

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.zero_grad()

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def _outputs(self, y: ArrayLike) -> np.ndarray:
        y = np.asarray(y)
        if not np.issubdtype(y.dtype, np.floating):
            raise ValueError(f"{self!r}: outputs y must be floating point, got {y.dtype}")
        if y.ndim == 0 or y.shape[0] == 0:
            raise ValueError(f"{self!r}: outputs y need a batch dimension, got shape {y.shape}")
        return y

    def _targets_like(self, y: np.ndarray, t: ArrayLike) -> np.ndarray:
        """t as an array of y's shape and dtype (so float32 stays float32)."""
        t = np.asarray(t)
        if not (np.issubdtype(t.dtype, np.number) or t.dtype == np.bool_):
            raise ValueError(f"{self!r}: targets t must be numeric, got dtype {t.dtype}")
        if t.shape != y.shape:
            raise ValueError(f"{self!r}: targets t of shape {t.shape} do not match outputs y of "
                             f"shape {y.shape}; reshape t to {y.shape}")
        t = t.astype(y.dtype, copy=False)
        _check_finite(self, "targets t", t)
        return t


def _check_finite(loss: Loss, what: str, a: np.ndarray) -> None:
    """Targets come from the data: a NaN or inf there is a data error, said so at once.

    (Non-finite outputs y are not an error here: they give a non-finite loss, which is how the
    training loop and the line searches of `nnedu.optim` recognize a diverging step.)"""
    if not np.all(np.isfinite(a)):
        bad = a[~np.isfinite(a)]
        raise ValueError(f"{loss!r}: {what} contain {bad.size} non-finite values (first: "
                         f"{float(bad[0])!r}); is the data missing values?")


class MSELoss(Loss):
    """l = ½‖y − t‖²;  y_bar = (y − t) / N."""

    def forward(self, y: ArrayLike, t: ArrayLike) -> float:
        y = self._outputs(y)
        t = self._targets_like(y, t)
        N = y.shape[0]
        error = y - t
        self._y_bar = error / y.dtype.type(N)
        return float(0.5 * np.sum(error * error) / N)


class GaussianNLLLoss(Loss):
    """l = −log 𝒩(t | y, σ²I) = Σ_d [½ log 2π + log σ + (t_d − y_d)² / (2σ²)].

    With σ fixed this is the squared error divided by σ² plus a constant; with `learn_sigma`
    the log standard deviation s = log σ is a `Parameter` (so σ stays positive), trained with
    s_bar = (1/N) Σ_n Σ_d (1 − (t_d − y_d)²/σ²).  y_bar = (y − t) / (σ² N).
    """

    def __init__(self, sigma: float = 1.0, learn_sigma: bool = False,
                 dtype: DTypeLike = np.float64) -> None:
        super().__init__()
        sigma = _checks.real(sigma, "GaussianNLLLoss sigma", positive=True)
        self.learn_sigma = learn_sigma
        self.log_sigma = Parameter(np.log(sigma), "log_sigma", dtype=dtype)
        self._s_bar = 0.0

    @property
    def sigma(self) -> float:
        return float(np.exp(self.log_sigma.data))

    def forward(self, y: ArrayLike, t: ArrayLike) -> float:
        y = self._outputs(y)
        t = self._targets_like(y, t)
        N = y.shape[0]
        log_sigma = float(self.log_sigma.data)
        var = np.exp(2 * log_sigma)
        error = y - t
        squares = error * error
        self._y_bar = error / y.dtype.type(var * N)
        self._s_bar = float((squares.size - np.sum(squares) / var) / N)
        per_sample = squares.size / N * (0.5 * np.log(2 * np.pi) + log_sigma)
        return float(per_sample + np.sum(squares) / (2 * var * N))

    def backward(self) -> np.ndarray:
        y_bar = super().backward()
        if self.learn_sigma:
            self.log_sigma.grad += self._s_bar
        return y_bar

    def parameters(self) -> list[Parameter]:
        return [self.log_sigma] if self.learn_sigma else []

    def __repr__(self) -> str:
        learned = ", learn_sigma=True" if self.learn_sigma else ""
        return f"GaussianNLLLoss(sigma={self.sigma:g}{learned})"


class HingeLoss(Loss):
    """l = Σ_k max(0, 1 − t_k f_k) for labels t ∈ {−1, +1};  f_bar = −t [1 − t f > 0] / N."""

    def forward(self, y: ArrayLike, t: ArrayLike) -> float:
        f = self._outputs(y)
        t = self._targets_like(f, t)
        if not np.all(np.abs(t) == 1):
            raise ValueError(f"{self!r}: labels must be −1 or +1, got values "
                             f"{np.unique(t)[:6]}; convert 0/1 labels with 2 * t − 1")
        N = f.shape[0]
        margin = 1 - t * f
        active = margin > 0
        self._y_bar = np.where(active, -t, 0).astype(f.dtype) / f.dtype.type(N)
        return float(np.sum(np.maximum(margin, 0)) / N)  # a NaN output gives NaN, not 0


class BCEWithLogitsLoss(Loss):
    """Sigmoid + cross-entropy in one: for logits f and labels c ∈ {0, 1} (or probabilities),

    l = −c log σ(f) − (1 − c) log(1 − σ(f)) = softplus(f) − c f  (summed over outputs),
    computed without forming σ(f), so f = ±1e4 is exact;  f_bar = (σ(f) − c) / N.
    """

    def forward(self, y: ArrayLike, t: ArrayLike) -> float:
        f = self._outputs(y)
        c = self._targets_like(f, t)
        if np.any((c < 0) | (c > 1)):
            raise ValueError(f"{self!r}: labels must be in [0, 1], got values "
                             f"{np.unique(c)[:6]}; convert −1/+1 labels with (t + 1) / 2")
        N = f.shape[0]
        self._y_bar = (sigmoid(f) - c) / f.dtype.type(N)
        return float(np.sum(softplus(f) - c * f) / N)


class SoftmaxCrossEntropyLoss(Loss):
    """Softmax + negative log-likelihood: l = −Σ_k t_k log softmax(f)_k = logsumexp(f) − f_c.

    Targets are integer class labels c (shape (N,)) or one-hot rows t (shape (N, K), or any
    rows of probabilities).  f_bar = (softmax(f) − t) / N.
    """

    def forward(self, y: ArrayLike, t: ArrayLike) -> float:
        f = self._outputs(y)
        if f.ndim != 2:
            raise ValueError(f"{self!r}: logits must have shape (batch, classes), got {f.shape}")
        N, K = f.shape
        log_p = log_softmax(f, axis=1)
        t = np.asarray(t)
        y_bar = np.exp(log_p)
        if t.ndim == 1 and not np.issubdtype(t.dtype, np.integer):
            raise ValueError(f"{self!r}: class labels must be integers, got dtype {t.dtype}; "
                             "use t.astype(int), or one-hot targets of shape (N, K)")
        if t.ndim == 1:
            if t.shape[0] != N:
                raise ValueError(f"{self!r}: {t.shape[0]} labels for a batch of {N} logits")
            if t.min() < 0 or t.max() >= K:
                raise ValueError(f"{self!r}: labels must be in 0 … {K - 1}, got values from "
                                 f"{t.min()} to {t.max()}")
            rows = np.arange(N)
            loss = -np.sum(log_p[rows, t]) / N
            y_bar[rows, t] -= 1
        else:
            t = self._targets_like(f, t)
            if np.any(t < 0) or not np.allclose(t.sum(axis=1), 1, atol=1e-4):
                raise ValueError(f"{self!r}: one-hot targets must be non-negative rows that sum "
                                 "to 1 (or pass integer class labels of shape (N,))")
            loss = -np.sum(t * log_p) / N
            y_bar -= t
        y_bar /= f.dtype.type(N)
        self._y_bar = y_bar
        return float(loss)
