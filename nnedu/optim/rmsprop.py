"""RMSProp: each coordinate's step divided by the root mean square of its recent gradients."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from nnedu.optim.optimizer import Closure, Optimizer, check_hyperparameter


class RMSProp(Optimizer):
    """Gradient normalization, the update of `torch.optim.RMSprop` (no bias correction):

        v ← γv + (1 − γ)g²            (running average of the squared gradient, v₀ = 0)
        θ ← θ − η g / (√v + ε)

    The slide writes η/√(v + ε), with ε inside the root; like PyTorch we add ε to √v. Both keep
    the step finite where v is tiny (the slide's caps the factor at 1/√ε, ours at 1/ε) and
    agree wherever v ≫ ε.
    """

    def __init__(self, params: Iterable[object], lr: float = 0.01, gamma: float = 0.99,
                 eps: float = 1e-8) -> None:
        self.gamma = check_hyperparameter(gamma, "gamma", "RMSProp", high=1.0, high_open=True)
        self.eps = check_hyperparameter(eps, "eps", "RMSProp")
        super().__init__(params, lr)

    def step(self, closure: Closure | None = None) -> float | None:
        loss = self.evaluate(closure)
        gamma = self.gamma
        for p, state in self.parameters_with_state():
            g = p.grad
            state["v"] = gamma * state["v"] + (1 - gamma) * (g * g)  # v ← γv + (1 − γ)g²
            p.data -= self.lr * (g / (np.sqrt(state["v"]) + self.eps))  # θ ← θ − η g / (√v + ε)
        return loss
