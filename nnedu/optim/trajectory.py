"""Run an optimizer on a 2-D test surface and record the path it takes."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nnedu.nn.parameter import Parameter
from nnedu.optim.optimizer import Optimizer, check_hyperparameter


def trajectory(surface: object, make_optimizer: Callable[[list[Parameter]], Optimizer],
               start: tuple[float, float] | None = None, steps: int = 100, *,
               noise: float = 0.0, rng: np.random.Generator | None = None,
               bound: float = 1e6) -> np.ndarray:
    """The points θ₀, θ₁, …, θ_steps visited on `surface` (an (steps + 1, 2) array).

    `make_optimizer(params)` builds the optimizer, e.g. `lambda p: Adam(p, lr=0.1)`. `noise`
    adds N(0, noise²) to each gradient component, like the noise of a minibatch gradient
    (then pass `rng`, a seeded numpy Generator). Stops early, without the diverging point, once
    a coordinate of θ exceeds `bound` in size (the learning rate was too high).
    """
    theta = Parameter(np.array(surface.start if start is None else start, dtype=np.float64))
    if theta.shape != (2,):
        raise ValueError(f"trajectory: start must be a point (x, y), got {start!r}")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"trajectory: steps must be an integer ≥ 0, got {steps!r}")
    noise = check_hyperparameter(noise, "noise", "trajectory")
    bound = check_hyperparameter(bound, "bound", "trajectory", low=1e-300)
    if noise and rng is None:
        raise ValueError("trajectory: noise > 0 needs rng, a seeded numpy Generator")
    optimizer = make_optimizer([theta])
    path = [theta.data.copy()]
    for _ in range(steps):
        theta.grad[:] = surface.grad(*theta.data)
        if noise:
            theta.grad += noise * rng.standard_normal(2)
        optimizer.step()
        if not np.max(np.abs(theta.data)) <= bound:
            break
        path.append(theta.data.copy())
    return np.array(path)
