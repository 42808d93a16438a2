"""The chain rule on scalars: a micrograd-compatible autograd engine and networks built on it."""

from nnedu.scalar.engine import Constant, Value, collector_paused, topological_order
from nnedu.scalar.nn import MLP, Layer, Module, Neuron

__all__ = ["MLP", "Constant", "Layer", "Module", "Neuron", "Value", "collector_paused",
           "topological_order"]
