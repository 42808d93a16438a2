"""Seeded toy data sets: XOR, two moons, spirals, Gaussian blobs and a noisy sine.

Each returns (X, t): inputs X of shape (n, features) in float64 and targets t (integer class
labels, or real values for regression). The same seed gives the same data; pass `rng` (a numpy
Generator) instead to draw from a stream you control.
"""

from __future__ import annotations

import numpy as np

from nnedu import _checks


def _generator(seed: int | None, rng: np.random.Generator | None) -> np.random.Generator:
    if rng is not None:
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy Generator, got {type(rng).__name__}")
        return rng
    return np.random.default_rng(seed)


def _check_n(n: object, name: str, minimum: int = 1, what: str = "n") -> int:
    """`n` as an int ≥ minimum, else a ValueError naming the generator and the argument."""
    expected = f"an integer ≥ {minimum}"
    return _checks.number(n, f"{name}: {what}", integer=True, low=minimum, kind=expected,
                          expected=expected, type_error=ValueError)


def _check_scale(value: object, name: str, what: str) -> float:
    """A noise level or standard deviation: a finite number ≥ 0."""
    expected = "a finite number ≥ 0"
    return _checks.number(value, f"{name}: {what}", low=0.0, kind=expected, expected=expected,
                          type_error=ValueError)


def xor(n: int = 200, noise: float = 0.1, *, seed: int | None = 0,
        rng: np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The four XOR corners (0/1 inputs, t = x₁ XOR x₂), each repeated with Gaussian noise.

    With n = 4 and noise = 0 it is the truth table of the slide: X = [[0,0],[0,1],[1,0],[1,1]],
    t = [0, 1, 1, 0].
    """
    _check_n(n, "xor")
    _check_scale(noise, "xor", "noise")
    gen = _generator(seed, rng)
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    idx = np.arange(n) % 4
    X = corners[idx] + noise * gen.standard_normal((n, 2))
    t = (corners[idx, 0] != corners[idx, 1]).astype(np.int64)
    return X, t


def two_moons(n: int = 200, noise: float = 0.1, *, seed: int | None = 0,
              rng: np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (class 0 on top, class 1 below), with Gaussian noise."""
    _check_n(n, "two_moons", 2)
    _check_scale(noise, "two_moons", "noise")
    gen = _generator(seed, rng)
    n0 = n // 2
    angle = np.pi * gen.uniform(size=n)
    top = np.column_stack([np.cos(angle[:n0]), np.sin(angle[:n0])])
    bottom = np.column_stack([1 - np.cos(angle[n0:]), 0.5 - np.sin(angle[n0:])])
    X = np.vstack([top, bottom]) + noise * gen.standard_normal((n, 2))
    t = np.repeat(np.array([0, 1], dtype=np.int64), [n0, n - n0])
    return X, t


def spirals(n: int = 300, classes: int = 3, noise: float = 0.2, *, seed: int | None = 0,
            rng: np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """`classes` interleaved spiral arms (CS231n's toy problem), n points in total.

    Arm k: radius r ∈ [0, 1], angle 4r + 2πk/classes plus noise; not linearly separable.
    """
    _check_n(classes, "spirals", 2, what="classes")
    _check_n(n, "spirals", classes)
    _check_scale(noise, "spirals", "noise")
    gen = _generator(seed, rng)
    t = np.arange(n, dtype=np.int64) % classes
    r = gen.uniform(size=n)
    angle = 4.0 * r + 2.0 * np.pi * t / classes + noise * gen.standard_normal(n)
    X = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    return X, t


def blobs(n: int = 300, centers: int | np.ndarray = 3, std: float = 0.5, *,
          seed: int | None = 0, rng: np.random.Generator | None = None,
          ) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian blobs: class k is N(μₖ, std² I). `centers` is a number of classes (their means
    evenly spaced on a circle of radius 2) or an array of means, one row per class."""
    _check_scale(std, "blobs", "std")
    gen = _generator(seed, rng)
    if np.ndim(centers) == 0:
        k = _check_n(centers, "blobs", what="centers")
        angle = 2 * np.pi * np.arange(k) / k
        means = 2.0 * np.column_stack([np.cos(angle), np.sin(angle)])
    else:
        means = np.asarray(centers, dtype=np.float64)
        if means.ndim != 2 or len(means) == 0 or not np.all(np.isfinite(means)):
            raise ValueError(f"blobs: centers must be a finite (classes, features) array, "
                             f"got shape {means.shape}")
    _check_n(n, "blobs", len(means))
    t = np.arange(n, dtype=np.int64) % len(means)
    X = means[t] + std * gen.standard_normal((n, means.shape[1]))
    return X, t


def noisy_sine(n: int = 100, noise: float = 0.1, *, low: float = -np.pi, high: float = np.pi,
               seed: int | None = 0, rng: np.random.Generator | None = None,
               ) -> tuple[np.ndarray, np.ndarray]:
    """1-D regression: x uniform in [low, high], t = sin(x) + N(0, noise²); X is (n, 1), t (n, 1).

    The target for the universal approximation theorem: a wide enough hidden layer fits it.
    """
    _check_n(n, "noisy_sine")
    _check_scale(noise, "noisy_sine", "noise")
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"noisy_sine: need finite low < high, got low={low!r}, high={high!r}")
    gen = _generator(seed, rng)
    x = np.sort(gen.uniform(low, high, size=n))
    t = np.sin(x) + noise * gen.standard_normal(n)
    return x[:, None], t[:, None]
