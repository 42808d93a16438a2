"""`Optimizer`: what every optimizer shares — how it reads gradients and writes parameters.

An optimizer sees parameters only through `p.data` and `p.grad`, so one implementation trains
both engines:

- scalar `Value`s (`data` is a float): gathered into one numpy vector θ, updated, written back;
- `Parameter`s (`data` is an ndarray) packed into one flat buffer (`nnedu.nn.parameter.pack`):
  the whole update is a handful of vector operations on that buffer, in place;
- any other `Parameter`s: updated array by array, in place.

The optimizer's state (m, v, …) is one vector per quantity for all parameters together; in
the array-by-array case each parameter works on its slice of it.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from numbers import Real

import numpy as np

from nnedu.nn.parameter import Parameter, flat_view

Closure = Callable[[], float]


def check_hyperparameter(value: object, name: str, owner: str, *, low: float = 0.0,
                         high: float = math.inf, high_open: bool = False) -> float:
    """Return `value` as a float in [low, high] (or [low, high)), else raise a ValueError."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{owner}: {name} must be a finite number, got {type(value).__name__} "
                        f"{value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{owner}: {name} must be a finite number, got {value!r}")
    value = float(value)
    if value < low or value > high or (high_open and value == high):
        bracket = ")" if high_open else "]"
        raise ValueError(f"{owner}: {name} must be in [{low}, {high}{bracket}, got {value!r}")
    return value


class Optimizer(ABC):
    """Base class: holds the parameters, the learning rate `lr` (schedules change it), the
    optimizer's state vectors (named in `state_names`) and the step count `self.k`.

    Subclasses implement `step`: `ElementwiseOptimizer` for the first-order methods, whose
    update works coordinate by coordinate; L-BFGS and Newton work on θ as one vector
    (`gather_data`, `gather_grad`, `scatter_data`).
    """

    state_names: tuple[str, ...] = ()

    def __init__(self, params: Iterable[object], lr: float) -> None:
        self.params = list(params)
        name = type(self).__name__
        if not self.params:
            raise ValueError(f"{name}: got an empty parameter list")
        kinds, seen = set(), {}
        for i, p in enumerate(self.params):
            if not (hasattr(p, "data") and hasattr(p, "grad")):
                raise TypeError(f"{name}: parameter {i} ({type(p).__name__}) has no .data/.grad")
            if id(p) in seen:
                raise ValueError(f"{name}: parameter {i} is parameter {seen[id(p)]} again; each "
                                 "parameter must appear once (it would be updated twice)")
            seen[id(p)] = i
            kinds.add("array" if isinstance(p.data, np.ndarray) else "scalar")
        if len(kinds) > 1:
            raise TypeError(f"{name}: mixes scalar Values and arrays; give one kind of parameter")
        self.scalar = kinds == {"scalar"}
        self.lr = check_hyperparameter(lr, "lr", name)
        self.k = 0
        if self.scalar:
            n = len(self.params)
            dtype, sizes, shapes = np.dtype(np.float64), [1] * n, [()] * n
        else:
            dtype = np.result_type(*(p.data.dtype for p in self.params))
            sizes = [p.data.size for p in self.params]
            shapes = [p.data.shape for p in self.params]
        self.size = sum(sizes)
        self.state = {s: np.zeros(self.size, dtype) for s in self.state_names}
        self._flat: Parameter | None = None if self.scalar else flat_view(self.params)
        self._bound = [(p.data, p.grad) for p in self.params] if self._flat is not None else []
        offsets = np.cumsum([0, *sizes])
        self._slices = [(slice(a, b), shape) for a, b, shape in zip(offsets, offsets[1:], shapes)]

    @property
    def lr(self) -> float:
        """The learning rate η: a finite number ≥ 0, checked whenever it is set (a schedule or
        a user setting `optimizer.lr` later gets the same error as the constructor)."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = check_hyperparameter(value, "lr", type(self).__name__)

    def __len__(self) -> int:
        return len(self.params)

    @abstractmethod
    def step(self, closure: Closure | None = None) -> float | None:
        """Update the parameters from the gradients in `p.grad`; return the loss if a closure
        (zero the gradients, compute the loss, call backward, return the loss) is given."""

    def zero_grad(self) -> None:
        """Set every gradient to 0 (in place for arrays)."""
        if self.scalar:
            for p in self.params:
                p.grad = 0.0
        elif self._is_flat():
            self._flat.grad[...] = 0
        else:
            for p in self.params:
                p.grad[...] = 0

    def _is_flat(self) -> bool:
        """True if the parameters still are the views into the flat buffer found at the start."""
        return self._flat is not None and all(
            p.data is d and p.grad is g for p, (d, g) in zip(self.params, self._bound))

    # Whole-vector access, for methods that need θ and g as one vector (L-BFGS, Newton).
    def gather_data(self) -> np.ndarray:
        """θ: all parameters as one new float vector."""
        if self.scalar:
            return np.fromiter((p.data for p in self.params), np.float64, len(self))
        return np.concatenate([np.ravel(p.data) for p in self.params])

    def gather_grad(self) -> np.ndarray:
        """g: all gradients as one new float vector, in the order of `gather_data`."""
        if self.scalar:
            return np.fromiter((p.grad for p in self.params), np.float64, len(self))
        return np.concatenate([np.ravel(p.grad) for p in self.params])

    def scatter_data(self, theta: np.ndarray) -> None:
        """Write the vector θ back into the parameters (in place for arrays)."""
        if self.scalar:
            for p, x in zip(self.params, theta.tolist()):
                p.data = x
            return
        for p, (part, shape) in zip(self.params, self._slices):
            p.data[...] = theta[part].reshape(shape)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr:g}, {len(self)} parameters, {self.size} numbers)"


class ElementwiseOptimizer(Optimizer):
    """A first-order method whose update treats every coordinate on its own (SGD, momentum,
    RMSProp, Adam), so it runs on the whole flat buffer at once or array by array alike.

    Subclasses implement `update(theta, g, state)`, which changes `theta` in place given the
    gradient `g`; the arrays in `state` have the shape of `theta`. `self.k` counts the steps
    taken (1 during the first step).
    """

    @abstractmethod
    def update(self, theta: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        """θ ← θ − (this optimizer's step), in place, from g and the state vectors."""

    def begin_step(self) -> None:
        """Compute the per-step numbers (e.g. Adam's bias corrections) before `update`."""

    def step(self, closure: Closure | None = None) -> float | None:
        """One update θ ← θ − (the optimizer's step) from the gradients now in `p.grad`;
        with a closure, call it first (it computes the gradients) and return its loss."""
        loss = None if closure is None else float(closure())
        self.k += 1
        self.begin_step()
        if self.scalar:
            theta, g = self.gather_data(), self.gather_grad()
            self.update(theta, g, self.state)
            self.scatter_data(theta)
        elif self._is_flat():
            self.update(self._flat.data, self._flat.grad, self.state)
        else:
            for p, (part, shape) in zip(self.params, self._slices):
                state = {s: v[part].reshape(shape) for s, v in self.state.items()}
                self.update(p.data, p.grad, state)
        return loss
