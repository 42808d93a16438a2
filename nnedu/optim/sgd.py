"""Gradient descent: plain or heavy-ball momentum (`SGD`), the slide's running average."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from nnedu.optim.optimizer import ElementwiseOptimizer, check_hyperparameter


class SGD(ElementwiseOptimizer):
    """(Minibatch) gradient descent, the update of `torch.optim.SGD`:

        g ← g + λθ                    (weight_decay λ, L2 regularization ½λ‖θ‖²)
        b ← μb + g                    (momentum μ; b₀ = 0, so the first b = g)
        θ ← θ − η b                   (plain gradient descent θ ← θ − η g when μ = 0)

    b is the heavy-ball "velocity": a sum of past gradients, each weighted by μ per step.
    """

    def __init__(self, params: Iterable[object], lr: float, momentum: float = 0.0,
                 weight_decay: float = 0.0) -> None:
        self.momentum = check_hyperparameter(momentum, "momentum", "SGD", high=1.0, high_open=True)
        self.weight_decay = check_hyperparameter(weight_decay, "weight_decay", "SGD")
        self.state_names = ("tmp",) + (("b",) if self.momentum else ())
        super().__init__(params, lr)

    def update(self, theta: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        tmp = state["tmp"]
        if self.weight_decay:
            np.multiply(theta, self.weight_decay, out=tmp)
            tmp += g
            g = tmp
        if self.momentum:
            b = state["b"]
            b *= self.momentum
            b += g
            g = b
        np.multiply(g, self.lr, out=tmp)
        theta -= tmp


class Momentum(ElementwiseOptimizer):
    """Gradient descent with the slide's momentum term, a running average of the gradients:

        m ← γm + (1 − γ)g             (m₀ = 0; m = (1 − γ) Σᵢ γ^(k−i) gᵢ, a geometric average)
        θ ← θ − η m

    Relation to heavy ball (`SGD(momentum=μ)`, b ← μb + g, θ ← θ − η′b): the running average is
    the heavy-ball velocity scaled by (1 − γ), m = (1 − γ) b. So `Momentum(lr=η, gamma=γ)` takes
    exactly the steps of `SGD(lr=η(1 − γ), momentum=γ)`: the same direction, but here η keeps
    the meaning of a step length (in steady state m → g), where heavy ball with η′ = η moves up
    to 1/(1 − γ) = 10x farther for γ = 0.9.
    """

    state_names = ("m", "tmp")

    def __init__(self, params: Iterable[object], lr: float, gamma: float = 0.9) -> None:
        self.gamma = check_hyperparameter(gamma, "gamma", "Momentum", high=1.0, high_open=True)
        super().__init__(params, lr)

    def update(self, theta: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        m, tmp = state["m"], state["tmp"]
        m *= self.gamma
        np.multiply(g, 1.0 - self.gamma, out=tmp)
        m += tmp
        np.multiply(m, self.lr, out=tmp)
        theta -= tmp
