"""Tasks 7–9: the optimizers' steps. Each parameter p has `p.data` and its gradient `p.grad`
(numpy arrays); a step changes `p.data` in place (`p.data -= …`), one parameter at a time.
"""

from __future__ import annotations

import numpy as np


class SGD:
    """Gradient descent: θ ← θ − η g."""

    def __init__(self, params: list, lr: float) -> None:
        self.params, self.lr = list(params), lr

    def step(self) -> None:
        ### BEGIN SOLUTION task 7: SGD.step, θ ← θ − η g
        for p in self.params:
            p.data -= self.lr * p.grad
        ### END SOLUTION


class Momentum:
    """The slide's momentum term, a running average of the gradients:
    m ← γm + (1 − γ)g (m₀ = 0), then θ ← θ − η m."""

    def __init__(self, params: list, lr: float, gamma: float = 0.9) -> None:
        self.params, self.lr, self.gamma = list(params), lr, gamma
        self.m = [np.zeros_like(p.data) for p in self.params]

    def step(self) -> None:
        ### BEGIN SOLUTION task 7: Momentum.step, m ← γm + (1 − γ)g, θ ← θ − η m
        for p, m in zip(self.params, self.m):
            m *= self.gamma
            m += (1.0 - self.gamma) * p.grad
            p.data -= self.lr * m
        ### END SOLUTION


class RMSProp:
    """Gradient normalization: v ← γv + (1 − γ)g² (v₀ = 0), then θ ← θ − η g / (√v + ε).

    The slide writes η/√(v + ε), with ε inside the root; here, as in nnedu, PyTorch and the
    Adam paper, ε is added to √v. The two differ only where v is tiny (v ≲ ε): exactly where
    the test looks, so write ε outside the root.
    """

    def __init__(self, params: list, lr: float = 0.01, gamma: float = 0.99,
                 eps: float = 1e-8) -> None:
        self.params, self.lr, self.gamma, self.eps = list(params), lr, gamma, eps
        self.v = [np.zeros_like(p.data) for p in self.params]

    def step(self) -> None:
        ### BEGIN SOLUTION task 8: RMSProp.step, v ← γv + (1 − γ)g², θ ← θ − η g / (√v + ε)
        for p, v in zip(self.params, self.v):
            v *= self.gamma
            v += (1.0 - self.gamma) * p.grad * p.grad
            p.data -= self.lr * p.grad / (np.sqrt(v) + self.eps)
        ### END SOLUTION


class Adam:
    """Adaptive momentum with bias correction, for step k = 1, 2, …:

        m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²          (m₀ = v₀ = 0)
        θ ← θ − η c₁(k) m / (√(c₂(k) v) + ε),   cᵢ(k) = 1 / (1 − βᵢᵏ)

    β₁ = 0.9 belongs to the momentum m, β₂ = 0.999 to the squared gradients v (the slide's
    γ₁, γ₂ name them the other way round); ε outside the root, as for RMSProp.
    """

    def __init__(self, params: list, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8) -> None:
        self.params, self.lr, self.betas, self.eps = list(params), lr, betas, eps
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.v = [np.zeros_like(p.data) for p in self.params]
        self.k = 0  # the number of steps taken

    def step(self) -> None:
        ### BEGIN SOLUTION task 9: Adam.step, count k, update m and v, bias-corrected step
        self.k += 1
        beta1, beta2 = self.betas
        c1 = 1.0 / (1.0 - beta1**self.k)
        c2 = 1.0 / (1.0 - beta2**self.k)
        for p, m, v in zip(self.params, self.m, self.v):
            m *= beta1
            m += (1.0 - beta1) * p.grad
            v *= beta2
            v += (1.0 - beta2) * p.grad * p.grad
            p.data -= self.lr * c1 * m / (np.sqrt(c2 * v) + self.eps)
        ### END SOLUTION
