"""Handwritten digits with no download: scikit-learn's bundled 8x8 images (1,797 of them)."""

from __future__ import annotations

import functools
import gzip
import importlib.util
from pathlib import Path
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
    pixels, labels = _digits_table()
    X = (pixels / 16.0).astype(dtype)
    t = labels.copy()
    if images:
        X = X.reshape(-1, 8, 8)
    train, val, test = stratified_split(t, fractions, seed=seed)
    return Split(X[train], t[train], X[val], t[val], X[test], t[test])


@functools.lru_cache(maxsize=1)
def _digits_table() -> tuple[np.ndarray, np.ndarray]:
    """The 1,797 rows (64 pixel values 0…16, label) that scikit-learn ships.

    Read straight from scikit-learn's bundled `digits.csv.gz` (what `load_digits` reads), which
    skips importing `sklearn.datasets` (seconds on a busy machine); falls back to it if the file
    has moved.
    """
    spec = importlib.util.find_spec("sklearn")
    path = None
    if spec is not None and spec.submodule_search_locations:
        path = Path(next(iter(spec.submodule_search_locations))) / "datasets/data/digits.csv.gz"
    if path is not None and path.is_file():
        with gzip.open(path, "rt") as f:
            table = np.loadtxt(f, delimiter=",", dtype=np.float64)
        pixels, labels = table[:, :-1], table[:, -1].astype(np.int64)
    else:
        from sklearn.datasets import load_digits as sklearn_load_digits

        bunch = sklearn_load_digits()
        pixels, labels = bunch.data.astype(np.float64), bunch.target.astype(np.int64)
    pixels.flags.writeable = labels.flags.writeable = False
    return pixels, labels
