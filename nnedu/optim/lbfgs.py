"""L-BFGS: a quasi-Newton method for full-batch problems, with a strong Wolfe line search."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable

import numpy as np

from nnedu.optim.optimizer import Closure, Optimizer, check_hyperparameter


class LBFGS(Optimizer):
    """Limited-memory BFGS (Nocedal & Wright, Algorithms 7.4 and 3.5).

    BFGS builds an approximation of the inverse Hessian H⁻¹ from the last steps sᵢ = θᵢ₊₁ − θᵢ
    and gradient changes yᵢ = gᵢ₊₁ − gᵢ; L-BFGS keeps only the last `history_size` pairs and
    never forms the matrix. The direction d = −H⁻¹g comes from the two-loop recursion

        q ← g;  for i = newest … oldest:  αᵢ = ρᵢ sᵢᵀq,  q ← q − αᵢ yᵢ        (ρᵢ = 1 / yᵢᵀsᵢ)
        r ← (sᵀy / yᵀy) q  (newest pair);   for i = oldest … newest:  r ← r + sᵢ(αᵢ − ρᵢ yᵢᵀr)
        d = −r

    and the step θ ← θ + t·d takes a step length t that satisfies the strong Wolfe conditions
    (sufficient decrease and curvature), trying t = `lr` (1 is the Newton step) first; the very
    first iteration, with no curvature pairs yet, tries t = min(1, 1/‖g‖₁)·lr along −g.

    `step(closure)` runs up to `max_iter` iterations. The closure sets the gradients to zero,
    computes the loss on the full batch, calls backward and returns the loss; it is called
    several times per iteration. Returns the loss at the final parameters. Noise (minibatches,
    dropout) breaks the line search: use it deterministically, as the slide says.
    """

    needs_closure = True  # `fit` passes a closure and trains full batch

    def __init__(self, params: Iterable[object], lr: float = 1.0, max_iter: int = 20,
                 history_size: int = 10, tolerance_grad: float = 1e-7,
                 tolerance_change: float = 1e-12, max_evals_per_search: int = 25) -> None:
        super().__init__(params, lr)
        for name, value in (("max_iter", max_iter), ("history_size", history_size),
                            ("max_evals_per_search", max_evals_per_search)):
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"LBFGS: {name} must be a positive integer, got {value!r}")
        self.max_iter, self.max_evals_per_search = max_iter, max_evals_per_search
        self.tolerance_grad = check_hyperparameter(tolerance_grad, "tolerance_grad", "LBFGS")
        self.tolerance_change = check_hyperparameter(tolerance_change, "tolerance_change",
                                                     "LBFGS")
        self.history: deque[tuple[np.ndarray, np.ndarray, float]] = deque(maxlen=history_size)
        self.evaluations = 0

    def _evaluate(self, closure: Closure, theta: np.ndarray) -> tuple[float, np.ndarray]:
        """Loss and gradient at θ (the parameters are left at θ)."""
        self.scatter_data(theta)
        loss = float(closure())
        self.evaluations += 1
        return loss, self.gather_grad()

    def direction(self, g: np.ndarray) -> np.ndarray:
        """d = −H⁻¹g by the two-loop recursion over the stored (s, y, ρ) pairs."""
        q = g.copy()
        alphas = []
        for s, y, rho in reversed(self.history):
            alpha = rho * (s @ q)
            q -= alpha * y
            alphas.append(alpha)
        if self.history:
            s, y, _ = self.history[-1]
            q *= (s @ y) / (y @ y)
        for (s, y, rho), alpha in zip(self.history, reversed(alphas)):
            q += s * (alpha - rho * (y @ q))
        return -q

    def step(self, closure: Closure | None = None) -> float:
        """Up to `max_iter` L-BFGS iterations; returns the loss at the final parameters."""
        if closure is None:
            raise TypeError("LBFGS.step needs a closure: a function that zeroes the gradients, "
                            "computes the full-batch loss, calls backward and returns the loss")
        theta = self.gather_data()
        loss, g = self._evaluate(closure, theta)
        in_place = True  # do the parameters hold θ (the line search's last trial may not be θ)?
        for _ in range(self.max_iter):
            if not np.isfinite(loss) or np.max(np.abs(g)) <= self.tolerance_grad:
                break
            self.k += 1
            d = self.direction(g)
            slope = g @ d
            if slope >= 0:  # not a descent direction (the history went stale): start afresh
                self.history.clear()
                d, slope = -g, -(g @ g)
            t0 = self.lr if self.history else min(1.0, 1.0 / np.sum(np.abs(g))) * self.lr
            t, new_loss, new_g = self._line_search(closure, theta, loss, g, d, slope, t0)
            in_place = t == self._last_trial
            s, y = t * d, new_g - g
            if s @ y > 1e-10 * (y @ y):
                self.history.append((s, y, 1.0 / (s @ y)))
            theta = theta + s
            change, loss, g = abs(new_loss - loss), new_loss, new_g
            if change <= self.tolerance_change or np.max(np.abs(s)) <= self.tolerance_change:
                break
        if not in_place:  # leave the parameters and their gradients at the final θ
            loss, g = self._evaluate(closure, theta)
        return loss

    def _line_search(self, closure: Closure, theta: np.ndarray, loss: float, g: np.ndarray,
                     d: np.ndarray, slope: float, t: float) -> tuple[float, float, np.ndarray]:
        """A step length t along d with the strong Wolfe conditions (c₁ = 1e-4, c₂ = 0.9):

            f(θ + td) ≤ f(θ) + c₁ t gᵀd       and       |∇f(θ + td)ᵀd| ≤ c₂ |gᵀd|

        Bracket an interval that contains such a t, then shrink it (`zoom`). Returns t and the
        loss and gradient there; if the search runs out of evaluations, the best point found.
        """
        c1, c2 = 1e-4, 0.9
        previous = (0.0, loss, g, slope)  # (t, f, ∇f, ∇fᵀd) at the last trial
        for i in range(self.max_evals_per_search):
            f, grad = self._trial(closure, theta, d, t)
            dslope = grad @ d
            current = (t, f, grad, dslope)
            if not np.isfinite(f) or f > loss + c1 * t * slope or (i > 0 and f >= previous[1]):
                return self._zoom(closure, theta, d, loss, slope, previous, current)
            if abs(dslope) <= -c2 * slope:
                return t, f, grad
            if dslope >= 0:
                return self._zoom(closure, theta, d, loss, slope, current, previous)
            previous, t = current, 2.0 * t
        return previous[0], previous[1], previous[2]

    def _zoom(self, closure: Closure, theta: np.ndarray, d: np.ndarray, loss: float,
              slope: float, lo: tuple, hi: tuple) -> tuple[float, float, np.ndarray]:
        """Shrink [lo, hi] (lo: the lower loss) until a t satisfies the strong Wolfe conditions."""
        c1, c2 = 1e-4, 0.9
        for _ in range(self.max_evals_per_search):
            t = _cubic_minimizer(lo, hi)
            f, grad = self._trial(closure, theta, d, t)
            dslope = grad @ d
            if not np.isfinite(f) or f > loss + c1 * t * slope or f >= lo[1]:
                hi = (t, f, grad, dslope)
            else:
                if abs(dslope) <= -c2 * slope:
                    return t, f, grad
                if dslope * (hi[0] - lo[0]) >= 0:
                    hi = lo
                lo = (t, f, grad, dslope)
            if abs(hi[0] - lo[0]) * np.max(np.abs(d)) < self.tolerance_change:
                break
        return lo[0], lo[1], lo[2]

    def _trial(self, closure: Closure, theta: np.ndarray, d: np.ndarray,
               t: float) -> tuple[float, np.ndarray]:
        self._last_trial = t
        return self._evaluate(closure, theta + t * d)


def _cubic_minimizer(a: tuple, b: tuple) -> float:
    """The minimizer of the cubic through (t, f, f′) at a and b, kept inside the interval.

    Falls back to bisection when the cubic has no minimizer or it lies within 10 % of an end.
    """
    (ta, fa, _, da), (tb, fb, _, db) = a, b
    if ta == tb or not all(math.isfinite(x) for x in (fa, fb, da, db)):
        return 0.5 * (ta + tb)  # e.g. a trial that overflowed: bisect, no arithmetic on inf
    with np.errstate(over="ignore", invalid="ignore"):  # huge slopes: fall back below
        d1 = da + db - 3.0 * (fa - fb) / (ta - tb)
        disc = d1 * d1 - da * db
        if not disc >= 0:
            return 0.5 * (ta + tb)
        d2 = np.sign(tb - ta) * np.sqrt(disc)
        t = tb - (tb - ta) * (db + d2 - d1) / (db - da + 2.0 * d2)
    lo, hi = min(ta, tb), max(ta, tb)
    margin = 0.1 * (hi - lo)
    if math.isfinite(t) and lo + margin <= t <= hi - margin:
        return float(t)
    return 0.5 * (ta + tb)
