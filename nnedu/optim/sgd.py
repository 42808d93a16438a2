"""Gradient descent: plain or heavy-ball momentum (`SGD`), the slide's running average."""

from __future__ import annotations

from collections.abc import Iterable

from nnedu.optim.optimizer import Closure, Optimizer, check_hyperparameter


class SGD(Optimizer):
    """(Minibatch) gradient descent, the update of `torch.optim.SGD`:

        g ← g + λθ                    (weight_decay λ, L2 regularization ½λ‖W‖² of the weight
                                       matrices, not the biases: `nnedu.optim.decays`)
        b ← μb + g                    (momentum μ; b₀ = 0, so the first b = g)
        θ ← θ − η b                   (plain gradient descent θ ← θ − η g when μ = 0)

    b is the heavy-ball "velocity": a sum of past gradients, each weighted by μ per step.
    """

    def __init__(self, params: Iterable[object], lr: float, momentum: float = 0.0,
                 weight_decay: float = 0.0) -> None:
        self.momentum = check_hyperparameter(momentum, "momentum", "SGD", high=1.0, high_open=True)
        self.weight_decay = check_hyperparameter(weight_decay, "weight_decay", "SGD")
        super().__init__(params, lr)

    def step(self, closure: Closure | None = None) -> float | None:
        loss = self.evaluate(closure)
        mu = self.momentum
        for p, state in self.parameters_with_state():
            g = self.gradient(p, self.weight_decay)  # g ← g + λθ
            state["b"] = mu * state["b"] + g if mu else g  # b ← μb + g
            p.data -= self.lr * state["b"]  # θ ← θ − η b
        return loss


class Momentum(Optimizer):
    """Gradient descent with the slide's momentum term, a running average of the gradients:

        m ← γm + (1 − γ)g             (m₀ = 0; m = (1 − γ) Σᵢ γ^(k−i) gᵢ, a geometric average)
        θ ← θ − η m

    Relation to heavy ball (`SGD(momentum=μ)`, b ← μb + g, θ ← θ − η′b): the running average is
    the heavy-ball velocity scaled by (1 − γ), m = (1 − γ) b. So `Momentum(lr=η, gamma=γ)` takes
    exactly the steps of `SGD(lr=η(1 − γ), momentum=γ)`: the same direction, but here η keeps
    the meaning of a step length (in steady state m → g), where heavy ball with η′ = η moves up
    to 1/(1 − γ) = 10x farther for γ = 0.9.
    """

    def __init__(self, params: Iterable[object], lr: float, gamma: float = 0.9) -> None:
        self.gamma = check_hyperparameter(gamma, "gamma", "Momentum", high=1.0, high_open=True)
        super().__init__(params, lr)

    def step(self, closure: Closure | None = None) -> float | None:
        loss = self.evaluate(closure)
        gamma = self.gamma
        for p, state in self.parameters_with_state():
            state["m"] = gamma * state["m"] + (1 - gamma) * p.grad  # m ← γm + (1 − γ)g
            p.data -= self.lr * state["m"]  # θ ← θ − η m
        return loss
