"""Handwritten digits with no download: scikit-learn's bundled 8x8 images (1,797 of them)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import DTypeLike


class Split(NamedTuple):
    """A data set split into training, validation and test sets (X: rows are samples)."""

    X_train: np.ndarray
    t_train: np.ndarray
    X_val: np.ndarray
    t_val: np.ndarray
    X_test: np.ndarray
    t_test: np.ndarray


def stratified_split(t: np.ndarray, fractions: tuple[float, float, float], *,
                     seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Indices of a train/validation/test split that keeps each class's share in every part.

    Each class's samples are shuffled by a seeded Generator and cut at the given fractions.
    """
    if len(fractions) != 3 or min(fractions) < 0 or not np.isclose(sum(fractions), 1.0):
        raise ValueError(f"stratified_split: fractions must be 3 numbers ≥ 0 summing to 1, "
                         f"got {fractions!r}")
    rng = np.random.default_rng(seed)
    parts: list[list[np.ndarray]] = [[], [], []]
    for label in np.unique(t):
        idx = rng.permutation(np.flatnonzero(t == label))
        cut1 = round(fractions[0] * len(idx))
        cut2 = cut1 + round(fractions[1] * len(idx))
        for part, chunk in zip(parts, np.split(idx, [cut1, cut2])):
            part.append(chunk)
    return tuple(np.sort(np.concatenate(p)) for p in parts)  # type: ignore[return-value]


def load_digits(fractions: tuple[float, float, float] = (0.6, 0.2, 0.2), *, seed: int = 0,
                dtype: DTypeLike = np.float64, images: bool = False) -> Split:
    """The 8x8 digits split train/validation/test (stratified, seeded: the same split each time).

    Pixels are scaled from 0…16 to [0, 1]. X has 64 columns, or shape (n, 8, 8) with
    `images=True`; t holds the labels 0–9 as int64.
    """
    from sklearn.datasets import load_digits as sklearn_digits

    bunch = sklearn_digits()
    X = (bunch.data / 16.0).astype(dtype)
    t = bunch.target.astype(np.int64)
    if images:
        X = X.reshape(-1, 8, 8)
    train, val, test = stratified_split(t, fractions, seed=seed)
    return Split(X[train], t[train], X[val], t[val], X[test], t[test])
