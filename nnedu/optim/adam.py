"""Adam: momentum (a running average of g) and RMSProp's normalization, both bias-corrected."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from nnedu.optim.optimizer import ElementwiseOptimizer, check_hyperparameter
from nnedu.optim.rmsprop import average_squares, normalized_step


class Adam(ElementwiseOptimizer):
    """Adaptive momentum, the update of `torch.optim.Adam` (Kingma & Ba, 2015):

        g ← g + λθ                          (weight_decay λ: L2 added to the gradient)
        m ← β₁m + (1 − β₁)g                 (momentum, m₀ = 0)
        v ← β₂v + (1 − β₂)g²                (squared-gradient average, v₀ = 0)
        θ ← θ − η · c₁(k)m / (√(c₂(k)v) + ε),   cᵢ(k) = 1 / (1 − βᵢᵏ)   (bias correction)

    k = 1, 2, … counts the steps. The corrections undo the pull towards m₀ = v₀ = 0: after one
    step c₁m = g and c₂v = g², so the first step has length ≈ η in every coordinate.

    Two differences from the slide, where we follow Kingma & Ba (and PyTorch): the slide writes
    ε inside the root, √(c(k)v + ε), where we add it to √(c₂(k)v); and the slide's names pair
    γ₁ = 0.9 with the squared-gradient average v and γ₂ = 0.999 with the momentum m, the reverse
    of the paper. Here β₁ = 0.9 belongs to m and β₂ = 0.999 to v.
    """

    state_names = ("m", "v", "tmp", "g")

    def __init__(self, params: Iterable[object], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0) -> None:
        if len(betas) != 2:
            raise ValueError(f"Adam: betas must be a pair (β₁, β₂), got {betas!r}")
        self.betas = tuple(check_hyperparameter(b, f"betas[{i}]", "Adam", high=1.0,
                                                high_open=True) for i, b in enumerate(betas))
        self.eps = check_hyperparameter(eps, "eps", "Adam")
        self.weight_decay = check_hyperparameter(weight_decay, "weight_decay", "Adam")
        if not self.weight_decay:
            self.state_names = ("m", "v", "tmp")
        super().__init__(params, lr)

    def begin_step(self) -> None:
        beta1, beta2 = self.betas
        c1 = 1.0 / (1.0 - beta1**self.k)
        c2 = 1.0 / (1.0 - beta2**self.k)
        # η c₁ m / (√(c₂ v) + ε) = (η c₁ / √c₂) · m / (√v + ε / √c₂): two scalars per step.
        self._step_size = self.lr * c1 / math.sqrt(c2)
        self._eps_hat = self.eps / math.sqrt(c2)

    def update(self, theta: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        beta1, beta2 = self.betas
        m, v, tmp = state["m"], state["v"], state["tmp"]
        if self.weight_decay:
            g_decayed = np.multiply(theta, self.weight_decay, out=state["g"])
            g_decayed += g
            g = g_decayed
        m *= beta1
        np.multiply(g, 1.0 - beta1, out=tmp)
        m += tmp
        average_squares(v, g, beta2, tmp)
        normalized_step(theta, m, v, self._eps_hat, self._step_size, tmp)
