"""The argument checks of the package: a wrong type or value is named together with what it was
given to ('Linear in_features', 'SGD: lr', 'blobs: centers'), instead of surfacing as a numpy
error. `number` is the one check of a number; the others are its common cases. (The scalar
engine keeps its own stdlib-only check, so that it imports no numpy.)"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

import numpy as np


def number(value: object, what: str, *, integer: bool = False, low: float = -math.inf,
           high: float = math.inf, low_open: bool = False, high_open: bool = False,
           kind: str | None = None, expected: str | None = None,
           type_error: type[Exception] = TypeError) -> Any:
    """`value` as a finite float (an int if `integer`) in the interval from `low` to `high`
    (open at either end if asked); else an error naming `what` and the value.

    A value that is no number at all (True is not 1) raises `type_error` saying `what` must be
    `kind` ('a real number', 'an integer'); one outside the interval a ValueError saying it
    must be `expected` (default: the interval, 'in [0.0, 1.0)')."""
    kind = kind or ("an integer" if integer else "a real number")
    if isinstance(value, bool) or not isinstance(value, Integral if integer else Real):
        raise type_error(f"{what} must be {kind}, got {type(value).__name__} {value!r}")
    value = int(value) if integer else float(value)
    if not math.isfinite(value):
        raise ValueError(f"{what} must be {kind if 'finite' in kind else 'finite'}, "
                         f"got {value!r}")
    if (value <= low if low_open else value < low) or (value >= high if high_open
                                                       else value > high):
        interval = f"in {'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"
        raise ValueError(f"{what} must be {expected or interval}, got {value!r}")
    return value


def positive_int(value: object, what: str) -> int:
    """`value` as an int ≥ 1, or a TypeError/ValueError naming `what` ('Linear in_features')."""
    return number(value, what, integer=True, low=1, expected="positive")


def real(value: object, what: str, positive: bool = False) -> float:
    """`value` as a finite float (> 0 if `positive`), or a TypeError/ValueError naming `what`
    (e.g. 'Dropout p')."""
    if positive:
        return number(value, what, low=0.0, low_open=True, expected="positive")
    return number(value, what)


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
