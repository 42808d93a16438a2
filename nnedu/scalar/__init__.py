"""The chain rule on scalars: a micrograd-compatible autograd engine and networks built on it."""

from nnedu.scalar.engine import Value, topological_order
from nnedu.scalar.nn import MLP, Layer, Module, Neuron

__all__ = ["MLP", "Layer", "Module", "Neuron", "Value", "topological_order"]
