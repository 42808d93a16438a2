"""Weight initialization: the lecture's schemes, each seeded through a numpy `Generator`.

An initializer is a function `init(shape, rng, dtype) -> array` for a weight matrix W of shape
(D_out, D_in) as on the slides (so D_in = shape[1]); `Linear(..., init=...)` takes one, or its
name. `constant`, `normal` and `uniform` take their hyperparameter and return an initializer:

    Linear(784, 256, init=normal(0.01))   # "small random numbers"
    Linear(784, 256, init=xavier)         # σ = 1/√D_in, "just right" for tanh
    Linear(784, 256, init=he)             # σ = √(2/D_in), the correction for ReLU
    Linear(784, 256, init=slide_relu)     # σ = 2/√D_in, the correction as the slide prints it
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import DTypeLike

from nnedu import _checks

Initializer = Callable[[tuple[int, ...], np.random.Generator, DTypeLike], np.ndarray]


def fan_in(shape: tuple[int, ...]) -> int:
    """D_in: the number of inputs of each unit (the columns of W; 1 for a vector)."""
    if len(shape) == 0:
        raise ValueError("fan_in: a scalar parameter has no inputs")
    return int(np.prod(shape[1:])) if len(shape) > 1 else 1


def _gaussian(shape: tuple[int, ...], rng: np.random.Generator, dtype: DTypeLike,
              std: float) -> np.ndarray:
    _check_rng(rng)
    return rng.normal(0.0, std, size=shape).astype(dtype)


def constant(value: float) -> Initializer:
    """W = value everywhere: every hidden unit computes the same thing, and stays the same."""
    value = _checks.real(value, "constant: value")
    return _initializer(f"constant({value:g})", lambda shape, rng: np.full(shape, value))


def normal(std: float) -> Initializer:
    """W ~ N(0, std²), whatever the layer's size (the slides' first idea uses std = 0.01)."""
    std = _checks.real(std, "normal: std", positive=True)
    return _initializer(f"normal({std:g})", lambda shape, rng: rng.normal(0.0, std, size=shape))


def uniform(limit: float) -> Initializer:
    """W ~ U(−limit, limit), whatever the layer's size (micrograd uses limit = 1)."""
    limit = _checks.real(limit, "uniform: limit", positive=True)
    return _initializer(f"uniform({limit:g})",
                        lambda shape, rng: rng.uniform(-limit, limit, size=shape))


def _initializer(name: str, draw: Callable[[tuple[int, ...], np.random.Generator], np.ndarray]
                 ) -> Initializer:
    """An initializer called `name` that draws W with `draw(shape, rng)`, in `dtype`."""

    def init(shape: tuple[int, ...], rng: np.random.Generator,
             dtype: DTypeLike = np.float64) -> np.ndarray:
        _check_rng(rng)
        return draw(shape, rng).astype(dtype)

    init.__name__ = name
    return init


def xavier(shape: tuple[int, ...], rng: np.random.Generator,
           dtype: DTypeLike = np.float64) -> np.ndarray:
    """Xavier as on the slide: W ~ N(0, σ²) with σ = 1/√D_in (keeps Var(z) = Var(x))."""
    return _gaussian(shape, rng, dtype, 1.0 / np.sqrt(fan_in(shape)))


def glorot_uniform(shape: tuple[int, ...], rng: np.random.Generator,
                   dtype: DTypeLike = np.float64) -> np.ndarray:
    """Glorot & Bengio (2010): W ~ U(−a, a) with a = √(6 / (D_in + D_out))."""
    _check_rng(rng)
    d_out = shape[0] if len(shape) > 1 else 1
    limit = np.sqrt(6.0 / (fan_in(shape) + d_out))
    return rng.uniform(-limit, limit, size=shape).astype(dtype)


def he(shape: tuple[int, ...], rng: np.random.Generator,
       dtype: DTypeLike = np.float64) -> np.ndarray:
    """He et al. (2015), the ReLU correction: σ = √(2/D_in) (ReLU zeroes half of the inputs)."""
    return _gaussian(shape, rng, dtype, np.sqrt(2.0 / fan_in(shape)))


def slide_relu(shape: tuple[int, ...], rng: np.random.Generator,
               dtype: DTypeLike = np.float64) -> np.ndarray:
    """The ReLU correction as the slide prints it: σ = 2/√D_in (√2 times He's σ)."""
    return _gaussian(shape, rng, dtype, 2.0 / np.sqrt(fan_in(shape)))


def zeros(shape: tuple[int, ...], rng: np.random.Generator,
          dtype: DTypeLike = np.float64) -> np.ndarray:
    """W = 0 (the usual bias initialization)."""
    return np.zeros(shape, dtype=dtype)


INITIALIZERS: dict[str, Initializer] = {
    "xavier": xavier,
    "glorot_uniform": glorot_uniform,
    "he": he,
    "slide_relu": slide_relu,
    "zeros": zeros,
}


def get(init: str | Initializer) -> Initializer:
    """The initializer called `init` (or `init` itself if it is already a function)."""
    if callable(init):
        return init
    try:
        return INITIALIZERS[init]
    except KeyError:
        raise ValueError(f"unknown initializer {init!r}; choose one of {sorted(INITIALIZERS)}, "
                         "or pass constant(v), normal(std) or uniform(limit)") from None


def _check_rng(rng: object) -> None:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"initializers need a numpy Generator (np.random.default_rng(seed)), "
                        f"got {type(rng).__name__}")
