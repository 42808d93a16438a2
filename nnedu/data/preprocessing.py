"""Preprocessing fitted on the training data only, then applied unchanged to any data.

    standardize:    x̃ = (x − μ) ⊘ σ                      (the slide: zero mean, unit variance)
    PCA:            x̃ = Uₖᵀ(x − μ)                        (coordinates along the top k axes)
    PCA whitening:  x̃ = Λₖ^(−½) Uₖᵀ(x − μ)                (uncorrelated, unit variance)
    ZCA whitening:  x̃ = U Λ^(−½) Uᵀ(x − μ)                (whitened, rotated back to x's axes)

with C = (1/n) Σ (xᵢ − μ)(xᵢ − μ)ᵀ = U Λ Uᵀ the training covariance, eigenvalues in decreasing
order. ε is added to σ and to Λ so constant pixels (σ = 0) do not divide by zero.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np
from numpy.typing import ArrayLike

from nnedu import _checks


class Transform(ABC):
    """Base class: `fit(X_train)`, `transform(X)`, `fit_transform(X_train)`; subclasses define
    `_fit` (learn from the centred training data) and `_transform` (apply to centred data)."""

    mean: np.ndarray | None = None

    def fit(self, X: ArrayLike) -> Transform:
        """Learn μ (and the rest) from the training data X (samples, features); returns self."""
        X = self._check(X, fitting=True)
        self.mean = X.mean(axis=0)
        self._fit(X - self.mean)
        return self

    @abstractmethod
    def _fit(self, X_centered: np.ndarray) -> None:
        """Learn the transform's parameters from the centred training data X − μ."""

    def transform(self, X: ArrayLike) -> np.ndarray:
        """Apply the transform fitted on the training data to X (any data set)."""
        if self.mean is None:
            raise RuntimeError(f"{type(self).__name__}: call fit(X_train) before transform")
        X = self._check(X)
        return self._transform(X - self.mean)

    @abstractmethod
    def _transform(self, X_centered: np.ndarray) -> np.ndarray:
        """Apply the fitted transform to centred data X − μ."""

    def fit_transform(self, X: ArrayLike) -> np.ndarray:
        """`fit(X)`, then `transform(X)`: for the training data only."""
        return self.fit(X).transform(X)

    def _check(self, X: ArrayLike, fitting: bool = False) -> np.ndarray:
        name = type(self).__name__
        X = np.asarray(X)
        if not np.issubdtype(X.dtype, np.floating):
            X = X.astype(np.float64)
        if X.ndim != 2:
            raise ValueError(f"{name}: X must be 2-D (samples, features), got shape {X.shape}")
        if fitting and len(X) < 2:
            raise ValueError(f"{name}: fitting needs at least 2 samples, got {len(X)}")
        if not fitting and X.shape[1] != self.mean.shape[0]:
            raise ValueError(f"{name}: fitted on {self.mean.shape[0]} features, "
                             f"got X of shape {X.shape}")
        if not np.all(np.isfinite(X)):
            raise ValueError(f"{name}: X contains NaN or infinite values")
        return X


class Standardize(Transform):
    """x̃ = (x − μ) ⊘ (σ + ε), with μ and σ per feature from the training data."""

    def __init__(self, eps: float = 1e-8) -> None:
        self.eps = _check_eps(eps, "Standardize")

    def _fit(self, X_centered: np.ndarray) -> None:
        self.std = np.sqrt(np.mean(X_centered**2, axis=0))

    def _transform(self, X_centered: np.ndarray) -> np.ndarray:
        return X_centered / (self.std + self.eps)


class PCA(Transform):
    """x̃ = Uₖᵀ(x − μ): the coordinates along the k directions of largest training variance.

    `components` (k, features) holds Uₖᵀ; `variances` the eigenvalues λ₁ ≥ … ≥ λₖ.
    """

    def __init__(self, n_components: int | None = None, eps: float = 1e-5) -> None:
        if n_components is not None and (isinstance(n_components, bool)
                                         or not isinstance(n_components, (int, np.integer))):
            raise ValueError(f"{type(self).__name__}: n_components must be an integer or None, "
                             f"got {n_components!r}")
        self.n_components, self.eps = n_components, _check_eps(eps, type(self).__name__)

    def _fit(self, X_centered: np.ndarray) -> None:
        features = X_centered.shape[1]
        k = features if self.n_components is None else self.n_components
        if not 1 <= k <= features:
            raise ValueError(f"{type(self).__name__}: n_components must be in [1, {features}], "
                             f"got {self.n_components!r}")
        C = X_centered.T @ X_centered / len(X_centered)
        eigenvalues, U = np.linalg.eigh(C)
        order = np.argsort(eigenvalues)[::-1][:k]
        self.variances = np.maximum(eigenvalues[order], 0.0)
        self.components = U[:, order].T
        # Fix each axis's sign (largest entry positive) so results do not depend on LAPACK.
        signs = np.sign(self.components[np.arange(k), np.argmax(np.abs(self.components), 1)])
        self.components *= signs[:, None]

    def _transform(self, X_centered: np.ndarray) -> np.ndarray:
        return X_centered @ self.components.T


class PCAWhitening(PCA):
    """x̃ = Λₖ^(−½) Uₖᵀ(x − μ): PCA coordinates, each divided by its √(λ + ε)."""

    def _transform(self, X_centered: np.ndarray) -> np.ndarray:
        return super()._transform(X_centered) / np.sqrt(self.variances + self.eps)


class ZCAWhitening(PCA):
    """x̃ = U Λ^(−½) Uᵀ(x − μ): whitened like PCA whitening, then rotated back, so the result
    stays closest to x (whitened images still look like images)."""

    def __init__(self, eps: float = 1e-5) -> None:
        super().__init__(None, eps)

    def _transform(self, X_centered: np.ndarray) -> np.ndarray:
        scaled = super()._transform(X_centered) / np.sqrt(self.variances + self.eps)
        return scaled @ self.components


def _check_eps(eps: object, owner: str) -> float:
    """ε as a finite float ≥ 0, else a ValueError naming the transform."""
    expected = "a finite number ≥ 0"
    return _checks.number(eps, f"{owner}: eps", low=0.0, kind=expected, expected=expected,
                          type_error=ValueError)
