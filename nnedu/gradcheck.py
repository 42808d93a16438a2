"""Gradient checking: hand-written backward passes against central differences.

    ∂f/∂xᵢ ≈ (f(x + ε eᵢ) − f(x − ε eᵢ)) / 2ε      (error O(ε²), vs O(ε) one-sided)

`check_layer` and `check_loss` run any layer or loss against it and return the relative error
for the input and for every parameter; in float64 a correct backward gives about 1e-9 or less.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Protocol

import numpy as np

from nnedu.nn.parameter import Parameter
from nnedu.nn.sequential import Sequential


class _Layer(Protocol):
    def forward(self, x: np.ndarray) -> np.ndarray: ...
    def backward(self, out_bar: np.ndarray) -> np.ndarray | None: ...
    def parameters(self) -> list[Parameter]: ...


class _Loss(Protocol):
    def forward(self, y: np.ndarray, t: np.ndarray) -> float: ...
    def backward(self) -> np.ndarray: ...
    def parameters(self) -> list[Parameter]: ...


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray,
                       eps: float = 1e-6) -> np.ndarray:
    """∂f/∂x by central differences, perturbing x in place one entry at a time (and restoring
    it), so f may read x directly or through anything that shares its memory."""
    if not isinstance(x, np.ndarray):
        raise TypeError(f"numerical_gradient: x must be a numpy array (it is perturbed in "
                        f"place), got {type(x).__name__}")
    if isinstance(eps, bool) or not isinstance(eps, (int, float)) or not 0 < eps < math.inf:
        raise ValueError(f"numerical_gradient: eps must be a positive number, got {eps!r}")
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"numerical_gradient: x must be floating point, got {x.dtype}")
    grad = np.zeros(x.shape, dtype=np.float64)
    flat = x.reshape(-1)  # a view: perturbing it perturbs x
    if not np.shares_memory(flat, x):
        raise ValueError("numerical_gradient: x must be contiguous so it can be perturbed in place")
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        f_plus = f(x)
        flat[i] = old - eps
        f_minus = f(x)
        flat[i] = old
        grad.flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    """max |a − b| / max(max |a|, max |b|): the largest difference relative to the largest
    entry (0 if both are 0). Unlike an entry-by-entry ratio it does not blow up where a
    gradient is 0 and its numerical estimate is 1e-11. A NaN or infinite entry gives inf: a
    gradient check must never pass on a gradient that is not a number."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"rel_error: shapes {a.shape} and {b.shape} differ")
    if a.size == 0:
        return 0.0
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return math.inf
    scale = max(np.max(np.abs(a)), np.max(np.abs(b)))
    return float(np.max(np.abs(a - b)) / scale) if scale > 0 else 0.0


def _unique_names(params: list[Parameter], taken: set[str]) -> list[str]:
    names = []
    for i, p in enumerate(params):
        name = p.name or f"param{i}"
        if name in taken:
            name = f"{name}[{i}]"
        taken.add(name)
        names.append(name)
    return names


def check_layer(layer: _Layer, x: np.ndarray, *, out_bar: np.ndarray | None = None,
                eps: float = 1e-6, seed: int = 0) -> dict[str, float]:
    """Relative errors of `layer.backward` for the input ("x") and each parameter (by name).

    The test function is f(x, θ) = Σ out ∘ R with a fixed random R (or `out_bar`), whose
    gradient with respect to the output is exactly R, so backward(R) must give ∂f/∂x and ∂f/∂θ.
    The layer must compute the same function on every call (dropout: `eval()`, or reset its
    `rng` before each forward). Use float64: in float32 the differences drown in rounding.
    """
    x = np.array(x, dtype=np.float64 if not np.issubdtype(np.asarray(x).dtype, np.floating)
                 else np.asarray(x).dtype)
    out = layer.forward(x)
    R = (np.random.default_rng(seed).standard_normal(out.shape).astype(out.dtype)
         if out_bar is None else np.asarray(out_bar))

    def f(_: np.ndarray) -> float:
        return float(np.sum(layer.forward(x) * R))

    def backward() -> np.ndarray:
        layer.forward(x)
        if isinstance(layer, Sequential):  # a network returns x_bar only when asked
            return layer.backward(R, input_grad=True)
        return layer.backward(R)

    return _compare(f, "x", x, layer.parameters(), backward, eps)


def check_loss(loss: _Loss, y: np.ndarray, t: np.ndarray, *, eps: float = 1e-6) -> dict[str, float]:
    """Relative errors of `loss.backward` for the outputs ("y") and each of the loss's own
    parameters (a learned σ, say), against central differences of `loss.forward`."""
    y = np.array(y, dtype=np.float64 if not np.issubdtype(np.asarray(y).dtype, np.floating)
                 else np.asarray(y).dtype)

    def f(_: np.ndarray) -> float:
        return loss.forward(y, t)

    def backward() -> np.ndarray:
        loss.forward(y, t)
        return np.array(loss.backward())

    return _compare(f, "y", y, loss.parameters(), backward, eps)


def _compare(f: Callable[[np.ndarray], float], name: str, x: np.ndarray, params: list[Parameter],
             backward: Callable[[], np.ndarray], eps: float) -> dict[str, float]:
    """Run `backward` once (from zeroed gradients) and compare what it returns for `x` and
    accumulates in each parameter with central differences of f."""
    for p in params:
        p.zero_grad()
    x_bar = backward()
    analytic = [p.grad.copy() for p in params]
    errors = {name: rel_error(x_bar, numerical_gradient(f, x, eps))}
    for p_name, p, grad in zip(_unique_names(params, {name}), params, analytic):
        errors[p_name] = rel_error(grad, numerical_gradient(f, p.data, eps))
    return errors
