"""Newton's method: step to the minimum of the local quadratic model, with an explicit Hessian."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from nnedu.optim.optimizer import Closure, Optimizer, check_hyperparameter

Hessian = Callable[[np.ndarray], np.ndarray] | np.ndarray


class Newton(Optimizer):
    """The slide's second-order update, for small problems (N parameters, an N×N Hessian):

        L(θ) ≈ L(θ₀) + (θ − θ₀)ᵀg + ½(θ − θ₀)ᵀH(θ − θ₀)   ⇒   θ* = θ₀ − H⁻¹g

    `hessian` is the matrix H (for a quadratic it is constant) or a function θ ↦ H(θ), with θ
    all parameters as one vector in their order. `lr` = 1 is the full Newton step; `damping` δ
    solves (H + δI)d = g instead, for a Hessian that is singular or not positive definite.
    On a quadratic with positive definite H one step lands on the minimum.
    """

    def __init__(self, params: Iterable[object], hessian: Hessian, lr: float = 1.0,
                 damping: float = 0.0) -> None:
        super().__init__(params, lr)
        self.hessian = hessian
        self.damping = check_hyperparameter(damping, "damping", "Newton")

    def step(self, closure: Closure | None = None) -> float | None:
        """θ ← θ − η (H + δI)⁻¹ g; calls `closure` first (if given) to compute the gradient."""
        loss = None if closure is None else float(closure())
        self.k += 1
        theta, g = self.gather_data(), self.gather_grad()
        H = self.hessian(theta) if callable(self.hessian) else self.hessian
        H = np.asarray(H, dtype=np.float64)
        n = theta.size
        if H.shape != (n, n):
            raise ValueError(f"Newton: the Hessian must be {n}x{n} for {n} parameters, "
                             f"got shape {H.shape}")
        if not np.all(np.isfinite(H)):
            raise ValueError("Newton: the Hessian has non-finite entries")
        try:
            d = np.linalg.solve(H + self.damping * np.eye(n), g)
        except np.linalg.LinAlgError:
            raise ValueError("Newton: the Hessian is singular, so the quadratic model has no "
                             "unique minimum; pass damping > 0") from None
        self.scatter_data(theta - self.lr * d)
        return loss
