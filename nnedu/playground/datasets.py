"""The playground's data sets on the square [−R, R]² (R = `DOMAIN`), and its input features.

Classification: circle (a disk inside a ring, or k rings), XOR (the lecture's four corners),
Gaussian blobs (k of them), spirals (k arms), two moons — the last four from `nnedu.data`,
moved and scaled onto the square. Regression: a plane and two Gaussian bumps over the square,
and the 1-D noisy sine of `nnedu.data` over x₁ ∈ [−R, R].
"""

from __future__ import annotations

import numpy as np

from nnedu import data
from nnedu.playground.config import Config

DOMAIN = 4.0  # the plotted square is [−DOMAIN, DOMAIN]²


def make_dataset(config: Config) -> tuple[np.ndarray, np.ndarray]:
    """(X, t) for the config's data set: X of shape (n, 2) (or (n, 1) for 'sine'), t integer
    labels 0 … k−1 of shape (n,) for classification, real targets of shape (n,) for regression.
    """
    n, noise, k, R = config.n_points, config.noise, config.classes, DOMAIN
    rng = np.random.default_rng(config.seed)
    name = config.dataset
    if name == "circle":
        return _rings(n, k, noise, rng)
    if name == "xor":
        X, t = data.xor(n, noise=0.5 * noise, rng=rng)
        return (X - 0.5) * (1.2 * R), t
    if name == "gauss":
        X, t = data.blobs(n, centers=k, std=0.25 + 1.5 * noise, rng=rng)
        return X * (0.3 * R), t
    if name == "spiral":
        X, t = data.spirals(n, classes=k, noise=noise, rng=rng)
        return X * (0.95 * R), t
    if name == "moons":
        X, t = data.two_moons(n, noise=0.5 * noise, rng=rng)
        return (X - [0.5, 0.25]) * (R / 1.6), t
    if name == "sine":
        X, t = data.noisy_sine(n, noise=noise, low=-R, high=R, rng=rng)
        return X, t[:, 0]
    X = rng.uniform(-R, R, size=(n, 2))
    return X, regression_target(name, X) + noise * rng.standard_normal(n)


def regression_target(name: str, X: np.ndarray) -> np.ndarray:
    """The noise-free regression surface t(x₁, x₂) of 'plane' and 'bumps'."""
    if name == "plane":
        return (X[:, 0] + X[:, 1]) / (2 * DOMAIN)
    if name == "bumps":
        a = np.exp(-0.5 * ((X[:, 0] - 1.5) ** 2 + (X[:, 1] - 1.5) ** 2))
        b = np.exp(-0.5 * ((X[:, 0] + 1.5) ** 2 + (X[:, 1] + 1.5) ** 2))
        return a - b
    raise ValueError(f"regression_target: no surface called {name!r}")


def _rings(n: int, k: int, noise: float, rng: np.random.Generator
           ) -> tuple[np.ndarray, np.ndarray]:
    """Class c at radius in [c, c + 0.6]·R/k (for k = 2: a disk and a ring around it)."""
    t = np.arange(n, dtype=np.int64) % k
    width = DOMAIN / k
    r = (t + 0.6 * rng.uniform(size=n)) * width + (t > 0) * 0.2 * width
    angle = rng.uniform(0, 2 * np.pi, size=n)
    X = np.column_stack([r * np.cos(angle), r * np.sin(angle)])
    return X + noise * rng.standard_normal((n, 2)), t


def split(n: int, train_ratio: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the training and test points: a seeded shuffle, the first part trains."""
    order = np.random.default_rng(seed + 1).permutation(n)
    n_train = min(max(1, round(train_ratio * n)), n - 1)
    return np.sort(order[:n_train]), np.sort(order[n_train:])


FEATURE_LABELS = {"x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1x2": "x₁x₂",
                  "sin_x1": "sin x₁", "sin_x2": "sin x₂"}


def features(X: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """The network's input: one column per feature (x₁, x₂, x₁², x₂², x₁x₂, sin x₁, sin x₂)."""
    x1 = X[:, 0]
    x2 = X[:, 1] if X.shape[1] > 1 else None
    columns = {"x1": lambda: x1, "x2": lambda: x2, "x1^2": lambda: x1 * x1,
               "x2^2": lambda: x2 * x2, "x1x2": lambda: x1 * x2,
               "sin_x1": lambda: np.sin(x1), "sin_x2": lambda: np.sin(x2)}
    return np.column_stack([columns[name]() for name in names])
