"""Neurons, layers and MLPs built of scalar `Value`s, compatible with micrograd's `nn.py`.

A neuron computes y = φ(wᵀx + b); a layer is a list of neurons sharing the input; an MLP is the
composition f⁽ᴸ⁾ ∘ … ∘ f⁽¹⁾. With the default arguments the weights come from Python's `random`
exactly as in micrograd (uniform(−1, 1), bias 0, ReLU hidden layers, linear output layer), so
micrograd's demo gives the same numbers from the same seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from nnedu import _checks
from nnedu.scalar.engine import Value, affine

ACTIVATIONS: dict[str, Callable[[Value], Value]] = {
    "relu": Value.relu,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "leaky_relu": Value.leaky_relu,
    "elu": Value.elu,
    "linear": lambda v: v,
}


def _activation(name: str) -> Callable[[Value], Value]:
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}") \
            from None


class Module:
    """Anything with parameters: each has `.data` and `.grad`."""

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (call before each `backward()`)."""
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self) -> list[Value]:
        return []


_REPR_NAMES = {"relu": "ReLU", "linear": "Linear", "tanh": "Tanh", "sigmoid": "Sigmoid",
               "leaky_relu": "LeakyReLU", "elu": "ELU"}


class Neuron(Module):
    """One unit: y = φ(wᵀx + b) = φ(b + Σᵢ wᵢxᵢ).

    By default z = wᵀx + b is one graph node (`affine`, drawn as `wᵀx + b`): small graphs, fast
    training. `Neuron(nin, fused=False)` builds it op by op from `*` and `+` nodes as micrograd
    does, which is the graph micrograd's trace_graph draws (same numbers either way).
    """

    def __init__(self, nin: int, activation: str = "relu", nonlin: bool | None = None,
                 fused: bool = True) -> None:
        """`nonlin=False` (micrograd's spelling) is `activation="linear"`; `fused=False` builds
        z = wᵀx + b element by element from `*` and `+` nodes, as micrograd does."""
        nin = _checks.positive_int(nin, "Neuron nin")
        _activation(activation)
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0)
        self.activation = activation
        if nonlin is not None:  # micrograd's spelling: Neuron(nin, nonlin=False)
            self.nonlin = nonlin
        self.fused = fused

    @property
    def activation(self) -> str:
        """The name of φ: 'relu', 'tanh', 'sigmoid', 'leaky_relu', 'elu' or 'linear'."""
        return self._activation

    @activation.setter
    def activation(self, name: str) -> None:
        self._phi = _activation(name)
        self._activation = name

    @property
    def nonlin(self) -> bool:
        """micrograd's flag: True unless φ is the identity. Setting it False makes the neuron
        linear; setting it True makes a linear neuron a ReLU one (micrograd's only φ)."""
        return self._activation != "linear"

    @nonlin.setter
    def nonlin(self, value: bool) -> None:
        if not isinstance(value, bool):
            raise TypeError(f"Neuron nonlin must be True or False, got {type(value).__name__} "
                            f"{value!r}")
        if not value:
            self.activation = "linear"
        elif self._activation == "linear":
            self.activation = "relu"

    def __call__(self, x: Sequence[Value | float]) -> Value:
        if len(x) != len(self.w):
            raise ValueError(f"{self!r} expects {len(self.w)} inputs, got {len(x)}")
        if self.fused:
            z = affine(self.w, x, self.b)
        else:
            z = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return self._phi(z)

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def __repr__(self) -> str:
        """micrograd's 'ReLUNeuron(2)' or 'LinearNeuron(2)' ('TanhNeuron(2)', …)."""
        return f"{_REPR_NAMES.get(self._activation, self._activation)}Neuron({len(self.w)})"


class Layer(Module):
    """A fully connected layer: h = φ(Wx + b), one `Neuron` per output."""

    def __init__(self, nin: int, nout: int, **kwargs: object) -> None:
        nout = _checks.positive_int(nout, "Layer nout")
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]  # type: ignore[arg-type]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron y = f⁽ᴸ⁾ ∘ … ∘ f⁽¹⁾(x); the last layer is linear."""

    def __init__(self, nin: int, nouts: Sequence[int], activation: str = "relu",
                 fused: bool = True) -> None:
        if not isinstance(nouts, Sequence) or isinstance(nouts, str):
            raise TypeError(f"MLP nouts must be a list of layer sizes such as [16, 16, 1], "
                            f"got {type(nouts).__name__} {nouts!r}")
        if not nouts:
            raise ValueError("MLP nouts is empty: give at least the output layer's size")
        sizes = [_checks.positive_int(nin, "MLP nin"),
                 *(_checks.positive_int(n, f"MLP nouts[{i}]") for i, n in enumerate(nouts))]
        last = len(nouts) - 1
        self.layers = [Layer(sizes[i], sizes[i + 1],
                             activation=activation if i != last else "linear", fused=fused)
                       for i in range(len(nouts))]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        out: Value | list[Value] | Sequence[Value | float] = x
        for layer in self.layers:
            out = layer(out if isinstance(out, Sequence) else [out])
        return out  # type: ignore[return-value]

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
