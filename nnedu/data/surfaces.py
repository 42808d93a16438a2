"""2-D test surfaces for optimizer trajectories, with analytic gradients and Hessians.

Each surface f(x, y) takes numbers or arrays (so `f(X, Y)` on a meshgrid gives a contour
plot), and lists its minima and a plotting window. They show the slide's problems with plain
gradient descent: poor conditioning, a saddle point, and local minima.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np
from numpy.typing import ArrayLike


class Surface(ABC):
    """Base class: `f(x, y)`, `grad(x, y) -> (∂f/∂x, ∂f/∂y)`, `hessian(x, y) -> 2x2`."""

    xlim: tuple[float, float] = (-2.0, 2.0)
    ylim: tuple[float, float] = (-2.0, 2.0)
    start: tuple[float, float] = (-1.5, 1.5)  # a starting point that shows the difficulty
    minima: tuple[tuple[float, float], ...] = ()

    @abstractmethod
    def f(self, x: ArrayLike, y: ArrayLike) -> np.ndarray:
        """The height f(x, y), elementwise for arrays."""

    @abstractmethod
    def grad(self, x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """(∂f/∂x, ∂f/∂y) at (x, y), elementwise for arrays."""

    @abstractmethod
    def hessian(self, x: float, y: float) -> np.ndarray:
        """The 2x2 matrix of second derivatives at the point (x, y)."""

    def __call__(self, x: ArrayLike, y: ArrayLike) -> np.ndarray:
        return self.f(x, y)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_"))
        return f"{type(self).__name__}({args})"


class IllConditionedQuadratic(Surface):
    """f = ½(x² + κy²): steep along y, shallow along x; the Hessian's condition number is κ.

    Gradient descent needs η < 2/κ to stay stable along y, and then crawls along x.
    """

    xlim, ylim, start = (-2.5, 2.5), (-1.25, 1.25), (-2.2, 0.9)
    minima = ((0.0, 0.0),)

    def __init__(self, kappa: float = 20.0) -> None:
        if not kappa >= 1:
            raise ValueError(f"IllConditionedQuadratic: kappa must be ≥ 1, got {kappa!r}")
        self.kappa = float(kappa)

    def f(self, x: ArrayLike, y: ArrayLike) -> np.ndarray:
        x, y = np.asarray(x, float), np.asarray(y, float)
        return 0.5 * (x**2 + self.kappa * y**2)

    def grad(self, x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(x, float) * 1.0, self.kappa * np.asarray(y, float)

    def hessian(self, x: float, y: float) -> np.ndarray:
        return np.diag([1.0, self.kappa])


class Rosenbrock(Surface):
    """f = (a − x)² + b(y − x²)²: a curved narrow valley, minimum f = 0 at (a, a²)."""

    xlim, ylim, start = (-2.0, 2.0), (-1.0, 3.0), (-1.5, 2.0)

    def __init__(self, a: float = 1.0, b: float = 100.0) -> None:
        self.a, self.b = float(a), float(b)
        self.minima = ((self.a, self.a**2),)

    def f(self, x: ArrayLike, y: ArrayLike) -> np.ndarray:
        x, y = np.asarray(x, float), np.asarray(y, float)
        return (self.a - x) ** 2 + self.b * (y - x**2) ** 2

    def grad(self, x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        x, y = np.asarray(x, float), np.asarray(y, float)
        return -2 * (self.a - x) - 4 * self.b * x * (y - x**2), 2 * self.b * (y - x**2)

    def hessian(self, x: float, y: float) -> np.ndarray:
        return np.array([[2 - 4 * self.b * (y - 3 * x**2), -4 * self.b * x],
                         [-4 * self.b * x, 2 * self.b]])


class Saddle(Surface):
    """f = ½x² + ¼y⁴ − ½y²: a saddle point at (0, 0) between two minima at (0, ±1).

    At the saddle the gradient is 0: gradient descent started on the line y = 0 stays there,
    and started close to it leaves only slowly.
    """

    xlim, ylim, start = (-2.0, 2.0), (-1.75, 1.75), (-1.8, 1e-3)
    minima = ((0.0, -1.0), (0.0, 1.0))

    def f(self, x: ArrayLike, y: ArrayLike) -> np.ndarray:
        x, y = np.asarray(x, float), np.asarray(y, float)
        return 0.5 * x**2 + 0.25 * y**4 - 0.5 * y**2

    def grad(self, x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        x, y = np.asarray(x, float), np.asarray(y, float)
        return x * 1.0, y**3 - y

    def hessian(self, x: float, y: float) -> np.ndarray:
        return np.diag([1.0, 3 * y**2 - 1])


class LocalMinima(Surface):
    """f = (x² − 1)² + (y² − 1)² + αx + βy: four local minima near (±1, ±1), of different depths.

    The tilt α, β makes (−1, −1) the global minimum; gradient descent ends in whichever basin
    it starts in, while momentum can carry it over a ridge.
    """

    xlim, ylim, start = (-2.0, 2.0), (-2.0, 2.0), (1.6, 1.7)

    def __init__(self, alpha: float = 0.3, beta: float = 0.2) -> None:
        self.alpha, self.beta = float(alpha), float(beta)
        xs, ys = _cubic_minima(self.alpha), _cubic_minima(self.beta)
        self.minima = tuple((float(x), float(y)) for x in xs for y in ys)

    def f(self, x: ArrayLike, y: ArrayLike) -> np.ndarray:
        x, y = np.asarray(x, float), np.asarray(y, float)
        return (x**2 - 1) ** 2 + (y**2 - 1) ** 2 + self.alpha * x + self.beta * y

    def grad(self, x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        x, y = np.asarray(x, float), np.asarray(y, float)
        return 4 * x * (x**2 - 1) + self.alpha, 4 * y * (y**2 - 1) + self.beta

    def hessian(self, x: float, y: float) -> np.ndarray:
        return np.diag([12 * x**2 - 4, 12 * y**2 - 4])


def _cubic_minima(tilt: float) -> list[float]:
    """The minima of (u² − 1)² + tilt·u: real roots of 4u³ − 4u + tilt with 12u² − 4 > 0."""
    roots = np.roots([4.0, 0.0, -4.0, tilt])
    real = np.sort(roots[np.abs(roots.imag) < 1e-12].real)
    return [u for u in real if 12 * u**2 - 4 > 0]
