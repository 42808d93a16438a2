"""One data point's computation graph through the playground's current network, in `nnedu.scalar`.

The numpy network computes a batch at once; for the point a student clicks, the same network is
rebuilt of scalar `Value`s with the current weights — inputs x₁, x₂, the features computed from
them, every unit's z = wᵀx + b and h = φ(z), the output and this point's loss — and `backward()`
gives every node's error signal. The numbers are the numpy network's: the forward values are
ŷ for this point, the weights' error signals are the gradient of this point's loss.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nnedu.playground.model import PlaygroundModel
from nnedu.scalar.engine import Value, affine
from nnedu.viz.graph import GraphDrawing, draw_graph

COLLAPSE_ABOVE = 45  # weights and biases; larger networks are drawn one node per layer

_PHI: dict[str, Callable[[Value], Value]] = {
    "relu": Value.relu, "tanh": Value.tanh, "sigmoid": Value.sigmoid,
    "leaky_relu": Value.leaky_relu, "elu": Value.elu, "linear": lambda v: v,
}


def _feature(name: str, x: list[Value]) -> Value:
    if name == "x1":
        return x[0]
    if name == "x2":
        return x[1]
    if name == "x1^2":
        return x[0] * x[0]
    if name == "x2^2":
        return x[1] * x[1]
    if name == "x1x2":
        return x[0] * x[1]
    if name == "sin_x1":
        return x[0].sin()
    return x[1].sin()


def _softplus(f: Value) -> Value:
    """log(1 + eᶠ) without overflow: f + log(1 + e⁻ᶠ) for f > 0."""
    if f.data > 0:
        return f + ((-f).exp() + 1).log()
    return (f.exp() + 1).log()


def point_loss(model: PlaygroundModel, x: np.ndarray, t: float
               ) -> tuple[Value, list[list[tuple[Value, ...]]]]:
    """The loss of the one point (x, t) as a scalar graph, after `backward()`; and the weight
    and bias Values, per layer: params[ℓ] = (W[0,0], W[0,1], …, b[0], b[1], …)."""
    config = model.config
    names = ("x₁", "x₂")
    inputs = [Value(float(v), label=names[i]) for i, v in enumerate(np.ravel(x))]
    h = [_feature(name, inputs) for name in config.features]
    phi = _PHI[config.activation]
    params: list[list[tuple[Value, ...]]] = []
    for ell, layer in enumerate(model.linears, start=1):
        W = [[Value(float(w), label=f"W{ell}[{j + 1},{i + 1}]") for i, w in enumerate(row)]
             for j, row in enumerate(layer.W.data)]
        b = [Value(float(v), label=f"b{ell}[{j + 1}]") for j, v in enumerate(layer.b.data)]
        z = [affine(W[j], h, b[j]) for j in range(len(b))]
        last = ell == len(model.linears)
        h = z if last else [phi(zj) for zj in z]
        params.append((*(w for row in W for w in row), *b))
    f = h
    if model.task == "binary":
        L = _softplus(f[0]) - float(t) * f[0]
    elif model.task == "multiclass":
        m = max(fk.data for fk in f)  # log Σ exp(f_k) = m + log Σ exp(f_k − m), m a constant
        total = sum(((fk - m).exp() for fk in f), Value(0.0))
        L = total.log() + m - f[int(t)]
    else:
        error = f[0] - float(t)
        L = 0.5 * error * error
    L.label = "L"
    L.backward()
    return L, params


def draw_point_graph(model: PlaygroundModel, x: np.ndarray, t: float,
                     collapse: bool | None = None) -> GraphDrawing:
    """`draw_graph` of the point's loss with forward values and error signals; collapsed to one
    node per layer when the network has more than `COLLAPSE_ABOVE` parameters (or if asked)."""
    L, params = point_loss(model, x, t)
    if collapse is None:
        collapse = sum(len(p) for p in params) > COLLAPSE_ABOVE
    kind = "layer-level view" if collapse else "every unit"
    point = ", ".join(f"{v:.2f}" for v in np.ravel(x))
    title = f"loss of the point x = ({point}), t = {t:g}: {kind}"
    return draw_graph(L, collapse=collapse, title=title, max_nodes=None if collapse else 600)
