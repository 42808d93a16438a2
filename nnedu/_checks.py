"""Argument checks shared by the layers, losses and initializers: a wrong type or value is
named together with the layer it was given to, instead of surfacing as a numpy error."""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np


def positive_int(value: object, what: str) -> int:
    """`value` as an int ≥ 1, or a TypeError/ValueError naming `what` ('Linear in_features')."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{what} must be an integer, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{what} must be positive, got {value!r}")
    return int(value)


def real(value: object, what: str, positive: bool = False) -> float:
    """`value` as a finite float (> 0 if `positive`), or a TypeError/ValueError naming `what`
    (e.g. 'Dropout p')."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{what} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite, got {value!r}")
    if positive and not value > 0:
        raise ValueError(f"{what} must be positive, got {value!r}")
    return value


def generator(rng: object, what: str) -> np.random.Generator:
    """A numpy Generator from `rng`: a Generator, an integer seed, or None (seed 0)."""
    if rng is None:
        return np.random.default_rng(0)
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, bool) or not isinstance(rng, Integral):
        raise TypeError(f"{what}: rng must be a numpy Generator or an integer seed, "
                        f"got {type(rng).__name__} {rng!r}")
    if rng < 0:
        raise ValueError(f"{what}: a seed must be non-negative, got {rng!r}")
    return np.random.default_rng(int(rng))
