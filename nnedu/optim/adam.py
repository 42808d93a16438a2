"""Adam: momentum (a running average of g) and RMSProp's normalization, both bias-corrected."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from nnedu.optim.fast import adam_update
from nnedu.optim.optimizer import Closure, Optimizer, check_hyperparameter


class Adam(Optimizer):
    """Adaptive momentum, the update of `torch.optim.Adam` (Kingma & Ba, 2015):

        g ← g + λθ                          (weight_decay λ: L2 added to the gradient of the
                                             weight matrices, not the biases: `decays`)
        m ← β₁m + (1 − β₁)g                 (momentum, m₀ = 0)
        v ← β₂v + (1 − β₂)g²                (squared-gradient average, v₀ = 0)
        θ ← θ − η · c₁(k)m / (√(c₂(k)v) + ε),   cᵢ(k) = 1 / (1 − βᵢᵏ)   (bias correction)

    k = 1, 2, … counts the steps. The corrections undo the pull towards m₀ = v₀ = 0: after one
    step c₁m = g and c₂v = g², so the first step has length ≈ η in every coordinate.

    Two differences from the slide, where we follow Kingma & Ba (and PyTorch): the slide writes
    ε inside the root, √(c(k)v + ε), where we add it to √(c₂(k)v); and the slide's names pair
    γ₁ = 0.9 with the squared-gradient average v and γ₂ = 0.999 with the momentum m, the reverse
    of the paper. Here β₁ = 0.9 belongs to m and β₂ = 0.999 to v.

    `fast=True` (the default) runs the same update in place, without temporary arrays
    (`nnedu.optim.fast`, the package's one fast path); `fast=False` runs the lines of `step`.
    """

    def __init__(self, params: Iterable[object], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, fast: bool = True) -> None:
        if len(betas) != 2:
            raise ValueError(f"Adam: betas must be a pair (β₁, β₂), got {betas!r}")
        self.betas = tuple(check_hyperparameter(b, f"betas[{i}]", "Adam", high=1.0,
                                                high_open=True) for i, b in enumerate(betas))
        self.eps = check_hyperparameter(eps, "eps", "Adam")
        self.weight_decay = check_hyperparameter(weight_decay, "weight_decay", "Adam")
        if not isinstance(fast, bool):
            raise TypeError(f"Adam: fast must be True or False, got {fast!r}")
        self.fast = fast  # the same update in place (nnedu.optim.fast); False: the lines below
        super().__init__(params, lr)

    def step(self, closure: Closure | None = None) -> float | None:
        loss = self.evaluate(closure)
        beta1, beta2 = self.betas
        c1 = 1 / (1 - beta1**self.k)  # the bias corrections c₁(k), c₂(k)
        c2 = 1 / (1 - beta2**self.k)
        for p, state in self.parameters_with_state():
            g = self.gradient(p, self.weight_decay)  # g ← g + λθ
            if self.fast:
                adam_update(p.data, g, state, self.betas, self.lr, self.eps, self.k)
                continue
            state["m"] = beta1 * state["m"] + (1 - beta1) * g  # m ← β₁m + (1 − β₁)g
            state["v"] = beta2 * state["v"] + (1 - beta2) * g * g  # v ← β₂v + (1 − β₂)g²
            p.data -= self.lr * c1 * state["m"] / (np.sqrt(c2 * state["v"]) + self.eps)
        return loss
