"""RMSProp: each coordinate's step divided by the root mean square of its recent gradients."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from nnedu.optim.optimizer import ElementwiseOptimizer, check_hyperparameter


class RMSProp(ElementwiseOptimizer):
    """Gradient normalization, the update of `torch.optim.RMSprop` (no bias correction):

        v ← γv + (1 − γ)g²            (running average of the squared gradient, v₀ = 0)
        θ ← θ − η g / (√v + ε)

    The slide writes η/√(v + ε), with ε inside the root; like PyTorch we add ε to √v. Both keep
    the step finite where v is tiny (the slide's caps the factor at 1/√ε, ours at 1/ε) and
    agree wherever v ≫ ε.
    """

    state_names = ("v", "tmp")

    def __init__(self, params: Iterable[object], lr: float = 0.01, gamma: float = 0.99,
                 eps: float = 1e-8) -> None:
        self.gamma = check_hyperparameter(gamma, "gamma", "RMSProp", high=1.0, high_open=True)
        self.eps = check_hyperparameter(eps, "eps", "RMSProp")
        super().__init__(params, lr)

    def update(self, theta: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        v, tmp = state["v"], state["tmp"]
        average_squares(v, g, self.gamma, tmp)
        normalized_step(theta, g, v, self.eps, self.lr, tmp)


def average_squares(v: np.ndarray, g: np.ndarray, gamma: float, tmp: np.ndarray) -> None:
    """v ← γv + (1 − γ)g², in place (`tmp`: scratch space of g's shape)."""
    v *= gamma
    np.multiply(g, g, out=tmp)
    tmp *= 1.0 - gamma
    v += tmp


def normalized_step(theta: np.ndarray, direction: np.ndarray, v: np.ndarray, eps: float,
                    step_size: float, tmp: np.ndarray) -> None:
    """θ ← θ − step_size · direction / (√v + ε), in place (`tmp`: scratch space)."""
    np.sqrt(v, out=tmp)
    tmp += eps
    np.divide(direction, tmp, out=tmp)
    tmp *= step_size
    theta -= tmp
