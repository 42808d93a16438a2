"""Optimizers and learning-rate schedules, one implementation for both engines.

Every optimizer updates parameters with `.data` and `.grad`: scalar `nnedu.scalar.Value`s or
`nnedu.nn.Parameter` arrays (in place). Each `step` is its slide's update, one line per line,
with state (m, v, …) per parameter; `nnedu.optim.fast` is the one fast path (Adam in place).
"""

from nnedu.optim.adam import Adam
from nnedu.optim.lbfgs import LBFGS
from nnedu.optim.newton import Newton
from nnedu.optim.optimizer import Optimizer, decays
from nnedu.optim.rmsprop import RMSProp
from nnedu.optim.schedules import (
    Constant,
    Cosine,
    Cyclic,
    InverseSqrt,
    LinearDecay,
    Schedule,
    StepDecay,
)
from nnedu.optim.sgd import SGD, Momentum
from nnedu.optim.trajectory import trajectory

__all__ = ["LBFGS", "SGD", "Adam", "Constant", "Cosine", "Cyclic", "InverseSqrt",
           "LinearDecay", "Momentum", "Newton", "Optimizer", "RMSProp", "Schedule",
           "StepDecay", "decays", "trajectory"]
