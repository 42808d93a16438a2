"""Tasks 7–9: the student's optimizer steps against `nnedu.optim` on the same gradients."""

from __future__ import annotations

from types import ModuleType

import numpy as np

from nnedu.exercises.diy.checking import close, expect, fmt
from nnedu.nn import Parameter
from nnedu.optim import SGD, Adam, Momentum, RMSProp


def _run(mine_class, theirs_class, mynn: ModuleType, kwargs: dict, theirs_kwargs: dict,
         name: str, formula: str, steps: int = 5, scale: float = 1.0) -> None:
    """Take `steps` steps with both on the same gradient sequence; compare after each."""
    rng = np.random.default_rng(7)
    start = [rng.normal(size=(2, 3)), rng.normal(size=3)]
    mine = [mynn.parameter.Parameter(a.copy()) for a in start]
    theirs = [Parameter(a.copy()) for a in start]
    my_optimizer = mine_class(mine, **kwargs)
    their_optimizer = theirs_class(theirs, **theirs_kwargs)
    for k in range(1, steps + 1):
        for p, q in zip(mine, theirs):
            g = rng.normal(size=p.data.shape) * scale
            p.grad[...] = g
            q.grad[...] = g
        my_optimizer.step()
        their_optimizer.step()
        for i, (p, q) in enumerate(zip(mine, theirs)):
            expect(close(p.data, q.data, rtol=1e-9, atol=1e-13),
                   f"{name}: after step {k}, parameter {i} is {fmt(p.data)} but {formula} "
                   f"gives {fmt(q.data)}" + (f" (gradients of size {scale:g})"
                                             if scale != 1 else ""))


def check_sgd_momentum(mynn: ModuleType) -> None:
    """Task 7: θ ← θ − ηg; the slide's m ← γm + (1 − γ)g, θ ← θ − ηm."""
    _run(mynn.optim.SGD, SGD, mynn, {"lr": 0.1}, {"lr": 0.1}, "SGD.step", "θ − η g")
    _run(mynn.optim.Momentum, Momentum, mynn, {"lr": 0.1, "gamma": 0.9},
         {"lr": 0.1, "gamma": 0.9}, "Momentum.step",
         "m ← γm + (1 − γ)g, θ ← θ − η m (hint: the slide's running average keeps m between "
         "steps and weights g by 1 − γ)")


def check_rmsprop(mynn: ModuleType) -> None:
    """Task 8: v ← γv + (1 − γ)g², θ ← θ − ηg/(√v + ε), also for tiny gradients."""
    formula = "v ← γv + (1 − γ)g², θ ← θ − η g / (√v + ε)"
    kwargs = {"lr": 0.01, "gamma": 0.99, "eps": 1e-8}
    _run(mynn.optim.RMSProp, RMSProp, mynn, kwargs, kwargs, "RMSProp.step", formula)
    _run(mynn.optim.RMSProp, RMSProp, mynn, kwargs, kwargs, "RMSProp.step",
         formula + " (hint: where v ≲ ε it matters where ε goes: add ε to √v, outside the root)",
         scale=1e-7)


def check_adam(mynn: ModuleType) -> None:
    """Task 9: Adam with bias correction cᵢ(k) = 1/(1 − βᵢᵏ), also for tiny gradients."""
    formula = ("m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², θ ← θ − η c₁(k) m / (√(c₂(k) v) + ε), "
               "cᵢ(k) = 1/(1 − βᵢᵏ), k = 1 at the first step")
    kwargs = {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-8}
    _run(mynn.optim.Adam, Adam, mynn, kwargs, kwargs, "Adam.step", formula)
    _run(mynn.optim.Adam, Adam, mynn, kwargs, kwargs, "Adam.step",
         formula + " (hint: ε outside the root)", scale=1e-7)
