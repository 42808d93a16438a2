"""`nnedu bench mlp`: one training step of a 784-256-256-10 ReLU network, next to PyTorch.

The step is what a training loop does per minibatch, written as a user writes it,

    opt.zero_grad(); loss.forward(model.forward(X), t); model.backward(loss.backward()); opt.step()

(forward, softmax cross-entropy, backward, the readable Adam update of `nnedu.optim.Adam`), on
a batch of 128 in float32 with one BLAS thread. Printed: nnedu's median time per step and its
GFLOP/s; the fraction of numpy's own matrix-product throughput on the
same eight products (the rest of the step is overhead: element-wise passes, Adam, Python);
and, when PyTorch is installed (`pip install 'nnedu[bench]'`), PyTorch's time for the same
step from the same weights, measured interleaved with nnedu's in this process, and the ratio.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from itertools import pairwise

import numpy as np
from threadpoolctl import threadpool_limits

from nnedu import _checks, nn
from nnedu.optim import Adam

SIZES = (784, 256, 256, 10)
BATCH = 128
STEPS_PER_TIMING = 5
TIMINGS_PER_REPEAT = 10


def matmul_flops(sizes: tuple[int, ...] = SIZES, batch: int = BATCH) -> int:
    """Floating-point operations of the step's matrix products (2 per multiply-add).

    Per layer with W of shape (D_out, D_in): forward Z = X Wᵀ and backward W_bar = Z_barᵀ X
    cost 2·N·D_in·D_out each; X_bar = Z_bar W costs the same for every layer but the first,
    whose input needs no gradient (so backward ≈ 2 × forward, as on the slide).
    """
    per_layer = [2 * batch * d_in * d_out for d_in, d_out in pairwise(sizes)]
    return 2 * sum(per_layer) + sum(per_layer[1:])


def _data(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((BATCH, SIZES[0])).astype(np.float32)
    t = rng.integers(0, SIZES[-1], BATCH)
    return X, t


def nnedu_step(seed: int = 0) -> tuple[Callable[[], float], nn.Sequential]:
    """A step function for nnedu's network (He init, float32) and the network itself."""
    X, t = _data(seed)
    model = nn.mlp(SIZES, "relu", init="he", rng=np.random.default_rng(seed), dtype=np.float32)
    loss = nn.SoftmaxCrossEntropyLoss()
    opt = Adam(model.parameters(), lr=1e-3)

    def step() -> float:  # the loop as a user writes it: X needs no gradient, and gets none
        opt.zero_grad()
        L = loss.forward(model.forward(X), t)
        model.backward(loss.backward())
        opt.step()
        return L

    return step, model


def torch_step(model: nn.Sequential, seed: int = 0) -> Callable[[], float]:
    """The same step in PyTorch, starting from a copy of `model`'s weights."""
    import torch

    torch.set_num_threads(1)
    X, t = _data(seed)
    linears = [layer for layer in model.layers if isinstance(layer, nn.Linear)]
    modules: list[torch.nn.Module] = []
    for i, layer in enumerate(linears):
        linear = torch.nn.Linear(layer.in_features, layer.out_features)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(layer.W.data))
            linear.bias.copy_(torch.from_numpy(layer.b.data))
        modules.append(linear)
        if i < len(linears) - 1:
            modules.append(torch.nn.ReLU())
    torch_model = torch.nn.Sequential(*modules)
    loss = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(torch_model.parameters(), lr=1e-3)
    X_torch, t_torch = torch.from_numpy(X), torch.from_numpy(t)

    def step() -> float:
        optimizer.zero_grad()
        L = loss(torch_model(X_torch), t_torch)
        L.backward()
        optimizer.step()
        return L.item()

    return step


def matmul_step(seed: int = 0) -> Callable[[], None]:
    """The step's matrix products alone, in numpy, into preallocated outputs."""
    rng = np.random.default_rng(seed)
    products = []
    for i, (d_in, d_out) in enumerate(pairwise(SIZES)):
        X = rng.standard_normal((BATCH, d_in)).astype(np.float32)
        W = rng.standard_normal((d_out, d_in)).astype(np.float32)
        Z_bar = rng.standard_normal((BATCH, d_out)).astype(np.float32)
        products.append((X, W.T, np.empty((BATCH, d_out), np.float32)))  # Z = X Wᵀ
        products.append((Z_bar.T, X, np.empty((d_out, d_in), np.float32)))  # W_bar = Z_barᵀ X
        if i > 0:
            products.append((Z_bar, W, np.empty((BATCH, d_in), np.float32)))  # X_bar = Z_bar W

    def step() -> None:
        for a, b, out in products:
            np.matmul(a, b, out=out)

    return step


def _time(step: Callable[[], object], steps: int) -> float:
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return (time.perf_counter() - start) / steps


def run(repeats: int = 3) -> dict[str, float]:
    """Time the step, interleaved across engines; print and return the medians and ratios."""
    repeats = _checks.positive_int(repeats, "bench mlp: repeats")
    engines: dict[str, Callable[[], object]] = {}
    engines["nnedu"], model = nnedu_step()
    engines["numpy matmuls"] = matmul_step()
    try:
        engines["PyTorch"] = torch_step(model)
    except ImportError:
        print("PyTorch is not installed (pip install 'nnedu[bench]'): timing nnedu alone")
    times: dict[str, list[float]] = {name: [] for name in engines}
    losses: dict[str, list[float]] = {name: [] for name in ("nnedu", "PyTorch")}
    with threadpool_limits(limits=1):
        for name in ("nnedu", "PyTorch"):  # same number of steps from the same weights
            if name in engines:
                losses[name] = [float(engines[name]()) for _ in range(STEPS_PER_TIMING)]
        for _ in range(repeats * TIMINGS_PER_REPEAT):  # interleaved: same machine state
            for name, step in engines.items():
                times[name].append(_time(step, STEPS_PER_TIMING))
    medians = {name: statistics.median(t) for name, t in times.items()}
    flops = matmul_flops()
    gflops = flops / medians["nnedu"] / 1e9
    matmul_gflops = flops / medians["numpy matmuls"] / 1e9
    print(f"one training step: MLP {'-'.join(map(str, SIZES))} ReLU, batch {BATCH}, float32, "
          f"softmax cross-entropy, Adam; 1 thread; median of {len(times['nnedu'])} timings "
          f"of {STEPS_PER_TIMING} steps")
    print(f"  nnedu          {medians['nnedu'] * 1e3:7.2f} ms per step   {gflops:5.1f} GFLOP/s "
          f"({flops / 1e6:.0f} MFLOP in matrix products)")
    print(f"  numpy matmuls  {medians['numpy matmuls'] * 1e3:7.2f} ms           "
          f"{matmul_gflops:5.1f} GFLOP/s: nnedu reaches {gflops / matmul_gflops:.0%} of it")
    result = {"nnedu_seconds": medians["nnedu"], "gflops": gflops,
              "matmul_fraction": gflops / matmul_gflops}
    if "PyTorch" in medians:
        ratio = medians["nnedu"] / medians["PyTorch"]
        first = np.array(losses["nnedu"])
        difference = float(np.max(np.abs(first - losses["PyTorch"]) / np.abs(first)))
        print(f"  PyTorch        {medians['PyTorch'] * 1e3:7.2f} ms per step")
        print(f"  nnedu takes {ratio:.2f}x PyTorch's time (first {STEPS_PER_TIMING} losses "
              f"agree to a relative {difference:.0e})")
        result |= {"torch_seconds": medians["PyTorch"], "ratio_to_torch": ratio}
    return result
