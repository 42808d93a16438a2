"""Task 5: the activations φ (given) and their derivatives φ′(z) (yours), element-wise.

In a network, backward through h = φ(z) is z̄ = h̄ ∘ φ′(z).
"""

from __future__ import annotations

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + e⁻ᶻ), computed without overflow for any finite z."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(z: np.ndarray) -> np.ndarray:
    """σ′(z), written with σ(z); finite for every finite z."""
    ### BEGIN SOLUTION task 5: sigmoid_prime, σ′(z) in terms of σ(z)
    s = sigmoid(z)
    return s * (1.0 - s)
    ### END SOLUTION


def tanh_prime(z: np.ndarray) -> np.ndarray:
    """tanh′(z), written with tanh(z)."""
    ### BEGIN SOLUTION task 5: tanh_prime, tanh′(z) in terms of tanh(z)
    y = np.tanh(z)
    return 1.0 - y * y
    ### END SOLUTION


def relu(z: np.ndarray) -> np.ndarray:
    """max(0, z)."""
    return np.maximum(z, 0.0)


def relu_prime(z: np.ndarray) -> np.ndarray:
    """1 where z > 0, else 0 (0 at z = 0)."""
    ### BEGIN SOLUTION task 5: relu_prime
    return (z > 0).astype(float)
    ### END SOLUTION


def leaky_relu(z: np.ndarray, alpha: float = 0.1) -> np.ndarray:
    """max(αz, z) for 0 < α < 1."""
    return np.where(z > 0, z, alpha * z)


def leaky_relu_prime(z: np.ndarray, alpha: float = 0.1) -> np.ndarray:
    """1 where z > 0, else α."""
    ### BEGIN SOLUTION task 5: leaky_relu_prime
    return np.where(z > 0, 1.0, alpha)
    ### END SOLUTION


def elu(z: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """z where z > 0, else α(eᶻ − 1)."""
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def elu_prime(z: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """1 where z > 0, else α eᶻ (no overflow warning for large z)."""
    ### BEGIN SOLUTION task 5: elu_prime
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))
    ### END SOLUTION
