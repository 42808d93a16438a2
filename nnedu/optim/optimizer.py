"""`Optimizer`: what every optimizer shares — the parameters, their state, the learning rate.

An optimizer sees parameters only through `p.data` and `p.grad`, so one implementation trains
both engines. Each optimizer's `step` is its slide's update, one line per line, written for
one parameter θ with its gradient g and its own state (m, v, …, each starting at 0):

    for p, state in self.parameters_with_state():
        g = self.gradient(p)
        state["m"] = beta1 * state["m"] + (1 - beta1) * g
        ...
        p.data -= self.lr * c1 * state["m"] / (np.sqrt(c2 * state["v"]) + self.eps)

A numpy `Parameter` is one θ (updated in place, so views stay views); the scalar engine's
`Value`s come as one vector θ of all of them, written back into the Values after the step.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from types import SimpleNamespace
from typing import Any

import numpy as np

from nnedu import _checks

Closure = Callable[[], float]


def check_hyperparameter(value: object, name: str, owner: str, *, low: float = 0.0,
                         high: float = math.inf, high_open: bool = False) -> float:
    """Return `value` as a float in [low, high] (or [low, high)), else raise a ValueError
    ('SGD: lr must be in [0.0, inf], got -1.0'); see `nnedu._checks.number`."""
    return _checks.number(value, f"{owner}: {name}", kind="a finite number", low=low, high=high,
                          high_open=high_open)


def decays(p: Any) -> bool:
    """Whether weight decay applies to the parameter p: the one meaning of weight decay in
    nnedu (`fit(weight_decay=λ)` and the optimizers' `weight_decay` alike). Weight matrices
    (arrays of 2 or more dimensions) are decayed, biases (1-D) are not, as on the slides'
    penalty ½λ‖W‖². The scalar engine's `Value`s carry no shape to tell a weight from a bias:
    all of them are decayed, as in micrograd's demo, whose penalty sums over every parameter."""
    return not isinstance(p.data, np.ndarray) or p.data.ndim >= 2


class Optimizer(ABC):
    """Base class: holds the parameters, the learning rate `lr` (schedules change it), one
    state dict per parameter (`state`) and the step count `self.k` (1 during the first step).

    Subclasses implement `step`. `needs_closure` is True for methods whose step evaluates the
    loss itself, several times (L-BFGS): `fit` then passes a closure. Methods that see θ as one
    vector (L-BFGS, Newton) use `gather_data`, `gather_grad` and `scatter_data`.
    """

    needs_closure: bool = False

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
        self.size = len(self.params) if self.scalar else sum(p.data.size for p in self.params)
        # m, v, … of each parameter (of the one vector θ of all scalar Values), each 0 at first
        self.state: list[dict[str, Any]] = [defaultdict(float)
                                            for _ in (self.params[:1] if self.scalar
                                                      else self.params)]

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
        for p in self.params:
            if self.scalar:
                p.grad = 0.0
            else:
                p.grad[...] = 0

    def parameters_with_state(self) -> Iterator[tuple[Any, dict[str, Any]]]:
        """Each parameter θ (`.data`, `.grad`) with its state dict; the scalar engine's Values
        as one vector θ, written back into the Values when the loop is done."""
        if not self.scalar:
            yield from zip(self.params, self.state)
            return
        theta = SimpleNamespace(data=self.gather_data(), grad=self.gather_grad())
        yield theta, self.state[0]
        self.scatter_data(theta.data)

    def gradient(self, p: Any, weight_decay: float = 0.0) -> Any:
        """g = ∂L/∂θ + λθ: the gradient, plus the gradient of the L2 penalty ½λ‖θ‖² if
        `weight_decay` λ > 0 and θ is decayed (`decays`: weight matrices, not biases)."""
        decayed = weight_decay and (self.scalar or decays(p))  # the scalar engine's θ: all Values
        return p.grad + weight_decay * p.data if decayed else p.grad

    def evaluate(self, closure: Closure | None) -> float | None:
        """Call the closure (it zeroes the gradients, computes the loss, calls backward) and
        return its loss; None without a closure. Counts the step: `self.k += 1`."""
        loss = None if closure is None else float(closure())
        self.k += 1
        return loss

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
        start = 0
        for p in self.params:
            p.data[...] = theta[start:start + p.data.size].reshape(p.data.shape)
            start += p.data.size

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr:g}, {len(self)} parameters, {self.size} numbers)"
