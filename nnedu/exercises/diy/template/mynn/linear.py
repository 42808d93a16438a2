"""Task 4: the fully connected layer z = W x + b, forward and backward for a minibatch.

The rows of X are the samples, so the slide's column-vector formulas become

    forward   Z = X Wᵀ + b
    backward  W̄ = Z̄ᵀ X  (= Σₙ z̄ₙ xₙᵀ),   b̄ = Σₙ z̄ₙ,   X̄ = Z̄ W  (each row: x̄ = Wᵀ z̄)
"""

from __future__ import annotations

import numpy as np

from mynn.parameter import Parameter


class Linear:
    """z = W x + b with W of shape (out_features, in_features) and b of shape (out_features,)."""

    def __init__(self, in_features: int, out_features: int, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        scale = 1.0 / np.sqrt(in_features)  # Xavier
        self.W = Parameter(rng.normal(0.0, scale, (out_features, in_features)))
        self.b = Parameter(np.zeros(out_features))
        self.x: np.ndarray | None = None  # the input of the last forward, needed by backward

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Z = X Wᵀ + b for X of shape (N, in_features); keep X for backward."""
        ### BEGIN SOLUTION task 4: Linear.forward, Z = X Wᵀ + b (keep X in self.x)
        self.x = x
        return x @ self.W.data.T + self.b.data
        ### END SOLUTION

    def backward(self, z_bar: np.ndarray) -> np.ndarray:
        """Add W̄ = Z̄ᵀ X to W.grad and b̄ = Σₙ Z̄[n] to b.grad (gradients accumulate, as in
        fan-out); return X̄ = Z̄ W."""
        ### BEGIN SOLUTION task 4: Linear.backward, W.grad += Z̄ᵀX, b.grad += Σₙ Z̄[n], return Z̄W
        self.W.grad += z_bar.T @ self.x
        self.b.grad += z_bar.sum(axis=0)
        return z_bar @ self.W.data
        ### END SOLUTION
