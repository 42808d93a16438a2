"""Optimizers and learning-rate schedules, one implementation for both engines.

Every optimizer updates parameters with `.data` and `.grad`: scalar `nnedu.scalar.Value`s or
`nnedu.nn.Parameter` arrays (in place, and with a few vector operations when the parameters
share one flat buffer).
"""

from nnedu.optim.adam import Adam
from nnedu.optim.lbfgs import LBFGS
from nnedu.optim.newton import Newton
from nnedu.optim.optimizer import ElementwiseOptimizer, Optimizer
from nnedu.optim.rmsprop import RMSProp
from nnedu.optim.schedules import (
    Constant,
    Cosine,
    Cyclic,
    InverseSqrt,
    Linear,
    Schedule,
    StepDecay,
)
from nnedu.optim.sgd import SGD, Momentum
from nnedu.optim.trajectory import trajectory

__all__ = ["LBFGS", "SGD", "Adam", "Constant", "Cosine", "Cyclic", "ElementwiseOptimizer",
           "InverseSqrt", "Linear", "Momentum", "Newton", "Optimizer", "RMSProp", "Schedule",
           "StepDecay", "trajectory"]
