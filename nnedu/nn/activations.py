"""Activation layers h = φ(z), element by element, with backward z_bar = h_bar ∘ φ′(z).

Each class states φ and φ′ as the slides do; the layer remembers what its backward needs
(z, or h when φ′ is cheaper to write in terms of the output, as for σ′ = h(1 − h)).
"""

from __future__ import annotations

from abc import abstractmethod

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from nnedu import _checks
from nnedu.nn.functional import sigmoid
from nnedu.nn.module import Module
from nnedu.nn.parameter import Parameter


class Activation(Module):
    """An element-wise layer h = φ(z) without parameters."""

    def __init__(self) -> None:
        self.z: np.ndarray | None = None  # the input of the last forward
        self.h: np.ndarray | None = None  # its output

    def forward(self, z: ArrayLike) -> np.ndarray:
        z = self._floating(z)
        self.z, self.h = z, self.phi(z)
        return self.h

    def backward(self, h_bar: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """z_bar = h_bar ∘ φ′(z)."""
        h_bar = self._check_out_bar(h_bar, None if self.z is None else self.z.shape,
                                    None if self.z is None else self.z.dtype)
        return h_bar * self.phi_prime() if input_grad else None

    @abstractmethod
    def phi(self, z: np.ndarray) -> np.ndarray:
        """h = φ(z), element by element."""

    @abstractmethod
    def phi_prime(self) -> np.ndarray:
        """φ′(z) at the last forward's input."""


class Sigmoid(Activation):
    """h = σ(z) = 1 / (1 + e⁻ᶻ),  σ′(z) = σ(z)(1 − σ(z)) = h(1 − h) ≤ 1/4."""

    def phi(self, z: np.ndarray) -> np.ndarray:
        return sigmoid(z)

    def phi_prime(self) -> np.ndarray:
        return self.h * (1 - self.h)


class Tanh(Activation):
    """h = tanh z,  tanh′(z) = 1 − h²."""

    def phi(self, z: np.ndarray) -> np.ndarray:
        return np.tanh(z)

    def phi_prime(self) -> np.ndarray:
        return 1 - self.h * self.h


class ReLU(Activation):
    """h = max(0, z),  φ′(z) = 1 if z > 0 else 0."""

    def phi(self, z: np.ndarray) -> np.ndarray:
        return np.maximum(z, 0)

    def phi_prime(self) -> np.ndarray:
        return self.z > 0  # booleans: h_bar * (z > 0) keeps h_bar's dtype


class LeakyReLU(Activation):
    """h = max(αz, z) (0 < α < 1; the slide's α = 0.1),  φ′(z) = 1 if z > 0 else α."""

    def __init__(self, alpha: float = 0.1) -> None:
        super().__init__()
        alpha = _checks.real(alpha, "LeakyReLU alpha")
        if not 0 <= alpha < 1:
            raise ValueError(f"LeakyReLU: alpha must be in [0, 1), got {alpha!r}")
        self.alpha = alpha

    def phi(self, z: np.ndarray) -> np.ndarray:
        return np.where(z > 0, z, self.alpha * z)

    def phi_prime(self) -> np.ndarray:
        return np.where(self.z > 0, 1, self.alpha).astype(self.z.dtype)

    def __repr__(self) -> str:
        return f"LeakyReLU(alpha={self.alpha:g})"


class ELU(Activation):
    """h = z if z > 0 else α(eᶻ − 1),  φ′(z) = 1 if z > 0 else αeᶻ = h + α."""

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        alpha = _checks.real(alpha, "ELU alpha", positive=True)
        self.alpha = alpha

    def phi(self, z: np.ndarray) -> np.ndarray:
        # expm1 of min(z, 0): exact near 0 and never overflows for large positive z
        return np.where(z > 0, z, self.alpha * np.expm1(np.minimum(z, 0)))

    def phi_prime(self) -> np.ndarray:
        return np.where(self.z > 0, 1, self.h + self.alpha).astype(self.z.dtype)

    def __repr__(self) -> str:
        return f"ELU(alpha={self.alpha:g})"


class HardThreshold(Activation):
    """The XOR slide's unit: h = 1 if z ≥ 0 else 0 (a step). It cannot be trained: see backward."""

    def phi(self, z: np.ndarray) -> np.ndarray:
        return (z >= 0).astype(z.dtype)

    def phi_prime(self) -> np.ndarray:
        """φ′(z) = 0 wherever it exists (z ≠ 0): the reason `backward` refuses to run."""
        return np.zeros_like(self.z)

    def backward(self, h_bar: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        raise RuntimeError(
            "HardThreshold cannot be trained by gradient descent: the step's derivative is 0 "
            "for every z ≠ 0 (and undefined at 0), so every error signal z_bar = h_bar ∘ φ′(z) "
            "would be 0 and no weight would ever change. Set its weights by hand (the XOR "
            "slide), or train with a smooth unit such as Sigmoid or Tanh instead.")


class PReLU(Module):
    """Parametric ReLU: h = z if z > 0 else αz, with α learned (one α, or one per feature).

    backward: z_bar = h_bar ∘ (1 if z > 0 else α),  α_bar = Σ h_bar ∘ z over the entries
    with z ≤ 0 (summed over the batch, and over the features if α is shared).
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25,
                 dtype: DTypeLike = np.float64) -> None:
        num_parameters = _checks.positive_int(num_parameters, "PReLU num_parameters")
        init = _checks.real(init, "PReLU init")
        self.alpha = Parameter(np.full(num_parameters, init), "alpha", dtype=dtype)
        self.z: np.ndarray | None = None

    def forward(self, z: ArrayLike) -> np.ndarray:
        z = self._floating(z, self.alpha.dtype)
        n = self.alpha.size
        if n > 1 and (z.ndim != 2 or z.shape[1] != n):
            raise ValueError(f"{self!r}: input of shape {z.shape} does not match the expected "
                             f"shape (batch, {n}) (one α per feature)")
        self.z = z
        return np.where(z > 0, z, self.alpha.data * z)

    def backward(self, h_bar: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        z = self.z
        h_bar = self._check_out_bar(h_bar, None if z is None else z.shape, self.alpha.dtype)
        negative = z <= 0
        alpha_bar = np.where(negative, h_bar * z, 0)
        if self.alpha.size == 1:
            self.alpha.grad += alpha_bar.sum()
        else:
            self.alpha.grad += alpha_bar.sum(axis=0)
        return np.where(negative, self.alpha.data * h_bar, h_bar) if input_grad else None

    def parameters(self) -> list[Parameter]:
        return [self.alpha]

    def __repr__(self) -> str:
        return f"PReLU(num_parameters={self.alpha.size})"
