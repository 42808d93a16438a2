"""The chain rule in matrix form: a vectorized numpy network with hand-written backward passes.

Every layer is a pair `forward(x) -> out` / `backward(out_bar) -> in_bar`, batches are rows, and
the formulas in the docstrings are the slides'. `slide_mlp` is the lecture's two-layer example
line for line; the layers below give the same numbers for any architecture.
"""

from nnedu.nn import functional, slide_mlp
from nnedu.nn.activations import (
    ELU,
    Activation,
    HardThreshold,
    LeakyReLU,
    PReLU,
    ReLU,
    Sigmoid,
    Tanh,
)
from nnedu.nn.dropout import DropConnect, Dropout
from nnedu.nn.functional import log_softmax, logsumexp, sigmoid, softmax, softplus
from nnedu.nn.linear import Linear
from nnedu.nn.losses import (
    BCEWithLogitsLoss,
    GaussianNLLLoss,
    HingeLoss,
    Loss,
    MSELoss,
    SoftmaxCrossEntropyLoss,
)
from nnedu.nn.mlp import mlp
from nnedu.nn.module import Module
from nnedu.nn.parameter import Parameter, pack
from nnedu.nn.sequential import Sequential

__all__ = [
    "ELU",
    "Activation",
    "BCEWithLogitsLoss",
    "DropConnect",
    "Dropout",
    "GaussianNLLLoss",
    "HardThreshold",
    "HingeLoss",
    "LeakyReLU",
    "Linear",
    "Loss",
    "MSELoss",
    "Module",
    "PReLU",
    "Parameter",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "SoftmaxCrossEntropyLoss",
    "Tanh",
    "functional",
    "log_softmax",
    "logsumexp",
    "mlp",
    "pack",
    "sigmoid",
    "slide_mlp",
    "softmax",
    "softplus",
]


def __getattr__(name: str) -> object:
    """`nn.Layer`, the old name of the base class `nn.Module` (the scalar engine's base is
    `nnedu.scalar.Module` too): still there, with a DeprecationWarning."""
    if name == "Layer":
        import warnings

        warnings.warn("nnedu.nn.Layer is now nnedu.nn.Module (one name for the base class in "
                      "both engines)", DeprecationWarning, stacklevel=2)
        return Module
    raise AttributeError(f"module 'nnedu.nn' has no attribute {name!r}")
