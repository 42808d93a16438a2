"""Learning-rate schedules: callables t ↦ αₜ, with t the (fractional) epoch, starting at 0.

`fit` sets `optimizer.lr = schedule(t)` before every step, with t = epoch + (batch / batches),
so the slide's per-epoch formulas change smoothly within an epoch; a step schedule still
changes exactly at its milestones. α₀ is the initial learning rate, T the number of epochs.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Sequence
from numbers import Real

from nnedu.optim.optimizer import check_hyperparameter


class Schedule(ABC):
    """Base class: `schedule(t)` is the learning rate at epoch t ≥ 0; subclasses define `rate`."""

    def __init__(self, lr0: float) -> None:
        self.lr0 = check_hyperparameter(lr0, "lr0", type(self).__name__)

    def __call__(self, t: float) -> float:
        if isinstance(t, bool) or not isinstance(t, Real) or not 0 <= t < math.inf:
            raise ValueError(f"{type(self).__name__}: t must be a finite number ≥ 0, got {t!r}")
        return self.rate(float(t))

    @abstractmethod
    def rate(self, t: float) -> float:
        """αₜ at epoch t (a float ≥ 0, already checked)."""

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"


class Constant(Schedule):
    """αₜ = α₀."""

    def rate(self, t: float) -> float:
        return self.lr0


class StepDecay(Schedule):
    """αₜ = α₀ · factor^(number of milestones ≤ t); e.g. ×0.1 after epochs 30, 60 and 90."""

    def __init__(self, lr0: float, milestones: Sequence[float], factor: float = 0.1) -> None:
        super().__init__(lr0)
        self.milestones = sorted(check_hyperparameter(m, "milestones", "StepDecay")
                                 for m in milestones)
        self.factor = check_hyperparameter(factor, "factor", "StepDecay")

    def rate(self, t: float) -> float:
        return self.lr0 * self.factor ** sum(t >= m for m in self.milestones)


class Cosine(Schedule):
    """αₜ = ½α₀(1 + cos(tπ/T)), from α₀ at t = 0 to 0 at t = T (and 0 after)."""

    def __init__(self, lr0: float, T: float) -> None:
        super().__init__(lr0)
        self.T = check_hyperparameter(T, "T", "Cosine", low=1e-12)

    def rate(self, t: float) -> float:
        return 0.5 * self.lr0 * (1.0 + math.cos(min(t, self.T) * math.pi / self.T))


class LinearDecay(Schedule):
    """αₜ = α₀(1 − t/T), from α₀ at t = 0 to 0 at t = T (and 0 after)."""

    def __init__(self, lr0: float, T: float) -> None:
        super().__init__(lr0)
        self.T = check_hyperparameter(T, "T", "LinearDecay", low=1e-12)

    def rate(self, t: float) -> float:
        return self.lr0 * (1.0 - min(t, self.T) / self.T)


class InverseSqrt(Schedule):
    """αₜ = α₀/√t for t ≥ 1; α₀ during the first epoch (the slide counts epochs from 1)."""

    def rate(self, t: float) -> float:
        return self.lr0 / math.sqrt(max(t, 1.0))


class Cyclic(Schedule):
    """Cosine annealing restarted every `cycle` epochs (Loshchilov & Hutter; Huang et al.):

        αₜ = ½α₀(1 + cos(π (t mod c) / c))

    Each cycle ends at a low learning rate, near a minimum: the weights there are the snapshots
    of a snapshot ensemble, then the jump back to α₀ sends the model to a new one.
    """

    def __init__(self, lr0: float, cycle: float) -> None:
        super().__init__(lr0)
        self.cycle = check_hyperparameter(cycle, "cycle", "Cyclic", low=1e-12)

    def rate(self, t: float) -> float:
        return 0.5 * self.lr0 * (1.0 + math.cos(math.pi * (t % self.cycle) / self.cycle))

    def is_cycle_end(self, epoch: int) -> bool:
        """True if a cycle ends when epoch `epoch` (counted from 0) is done."""
        cycles = (epoch + 1) / self.cycle
        return abs(cycles - round(cycles)) < 1e-9
