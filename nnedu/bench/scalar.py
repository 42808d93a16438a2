"""`nnedu bench scalar`: micrograd's own demo, timed side by side with micrograd 0.1.0.

The demo: MLP(2, [16, 16, 1]) on 100 two-moons points, SVM max-margin loss + 1e-4 L2 penalty,
SGD with learning rate 1 − 0.9k/100. All engines start from the same seed and therefore
compute the same numbers; the benchmark checks that before it reports a ratio.

Four ways to run it:
- nnedu: the demo's code with nnedu's import; each neuron's wᵀx + b is one fused node;
- nnedu op by op: `fused=False`, the graph micrograd builds (2D `*` and `+` nodes per neuron);
- nnedu op by op, paused: the same, its training loop inside `collector_paused()` (Python's
  cyclic garbage collector paused; nnedu's graphs have no cycles to collect, micrograd's do);
- micrograd 0.1.0, the demo as published.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import random
import statistics
import time
from types import ModuleType

import numpy as np
from sklearn.datasets import make_moons

from nnedu import _checks

REFERENCE = "micrograd 0.1.0"


def _demo_steps(engine: ModuleType, nn: ModuleType, X: np.ndarray, y: np.ndarray,
                steps: int, paused: bool = False,
                **mlp_options: object) -> tuple[list[float], float]:
    """Run micrograd's demo training loop for `steps` steps (inside nnedu's `collector_paused()`
    if `paused`); return the losses and the seconds taken."""
    Value = engine.Value
    random.seed(1337)
    model = nn.MLP(2, [16, 16, 1], **mlp_options)
    params = model.parameters()
    losses = []
    gc.collect()
    context = engine.collector_paused() if paused else contextlib.nullcontext()
    start = time.perf_counter()
    with context:
        for k in range(steps):
            inputs = [[Value(float(a)), Value(float(b))] for a, b in X]
            scores = [model(x) for x in inputs]
            margins = [(1 + -float(yi) * score).relu() for yi, score in zip(y, scores)]
            data_loss = sum(margins) * (1.0 / len(margins))
            reg_loss = 1e-4 * sum(p * p for p in params)
            total_loss = data_loss + reg_loss
            model.zero_grad()
            total_loss.backward()
            learning_rate = 1.0 - 0.9 * k / 100
            for p in params:
                p.data -= learning_rate * p.grad
            losses.append(total_loss.data)
    return losses, time.perf_counter() - start


def run(steps: int = 10, repeats: int = 3) -> dict[str, float]:
    """Time `steps` demo steps `repeats` times per engine; print ms per step and the ratios to
    micrograd. Returns the median seconds per step of each, and `ratio <name>` for each."""
    steps = _checks.positive_int(steps, "bench scalar: steps")
    repeats = _checks.positive_int(repeats, "bench scalar: repeats")
    X, y = make_moons(n_samples=100, noise=0.1, random_state=1)
    y = y * 2 - 1
    nnedu = ("nnedu.scalar.engine", "nnedu.scalar.nn")
    engines: dict[str, tuple[tuple[str, str], dict[str, object]]] = {
        "nnedu": (nnedu, {}),
        "nnedu op by op": (nnedu, {"fused": False}),
        "nnedu op by op, paused": (nnedu, {"fused": False, "paused": True}),
    }
    try:
        importlib.import_module("micrograd.engine")
        engines[REFERENCE] = (("micrograd.engine", "micrograd.nn"), {})
    except ImportError:
        print("micrograd is not installed (pip install 'nnedu[bench]'): timing nnedu alone")
    times: dict[str, list[float]] = {name: [] for name in engines}
    losses: dict[str, list[float]] = {}
    for _ in range(repeats):  # interleaved, so all see the same machine state
        for name, ((engine_name, nn_name), options) in engines.items():
            engine = importlib.import_module(engine_name)
            nn = importlib.import_module(nn_name)
            losses[name], seconds = _demo_steps(engine, nn, X, y, steps, **options)
            times[name].append(seconds / steps)
    medians = {name: statistics.median(t) for name, t in times.items()}
    print(f"micrograd demo: MLP(2, [16, 16, 1]), 100 moons, SVM loss + L2, SGD; "
          f"{steps} steps x {repeats} repeats, median")
    for name, seconds in medians.items():
        print(f"  {name:<24} {seconds * 1e3:8.1f} ms per step   "
              f"final loss {losses[name][-1]:.12f}")
    if REFERENCE in medians:
        # micrograd sums fan-out contributions in an order set by memory addresses, so the
        # last bit may differ; anything beyond rounding would be a bug.
        for name in [n for n in engines if n != REFERENCE]:
            ours, theirs = np.array(losses[name]), np.array(losses[REFERENCE])
            difference = np.max(np.abs(ours - theirs) / np.abs(theirs))
            ratio = medians[REFERENCE] / medians[name]
            print(f"  {name}: {ratio:.1f}x faster than {REFERENCE} "
                  f"(losses agree to a relative {difference:.0e})")
            medians[f"ratio {name}"] = ratio
        print("  (paused: the training loop runs inside nnedu.scalar.collector_paused(); "
              "see its docstring)")
    return medians
