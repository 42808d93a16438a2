"""The cost of backprop, counted and measured on the vectorized network.

The slide's argument, per fully connected layer z = W h + b with W of shape (D_out, D_in):

    forward   z = W h + b                    one multiply-add per weight
    backward  W_bar = z_bar hᵀ, h_bar = Wᵀ z_bar   two multiply-adds per weight

so backward ≈ 2 × forward, and an MLP of L layers of width D costs ∝ L·D² per sample: linear in
depth, quadratic in width. `multiply_adds` counts this exactly; `measure_cost` times forward and
backward passes of `Sequential` networks of growing depth and width (one BLAS thread, the
fastest of several interleaved rounds, so that the shape of the curves and not the machine's
load shows).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from nnedu.nn.activations import Sigmoid
from nnedu.nn.linear import Linear
from nnedu.nn.module import Module
from nnedu.nn.sequential import Sequential


@dataclass(frozen=True)
class CostCurve:
    """Seconds of one forward and one backward pass for networks differing in one size.

    `varied` names the size ('depth' or 'width'); `sizes[i]` is its value for entry i, and
    `depth`, `width`, `batch` are the other sizes (the varied one is given as -1); `sigmoid`
    says whether the layers had their σ or were the products alone.
    """

    varied: str
    sizes: np.ndarray
    forward: np.ndarray
    backward: np.ndarray
    depth: int
    width: int
    batch: int
    sigmoid: bool

    @property
    def ratio(self) -> np.ndarray:
        """backward / forward time for each network."""
        return self.backward / self.forward

    def exponent(self, min_size: int = 1) -> float:
        """The fitted a in time ∝ sizeᵃ (least squares on log-log axes) for forward + backward,
        over the sizes ≥ `min_size`: 1 means linear, 2 quadratic."""
        keep = self.sizes >= min_size
        if keep.sum() < 2:
            raise ValueError(f"exponent: need at least two sizes >= {min_size}, got "
                             f"{list(self.sizes[keep])}")
        total = self.forward[keep] + self.backward[keep]
        return float(np.polyfit(np.log(self.sizes[keep]), np.log(total), 1)[0])


def multiply_adds(depth: int, width: int, batch: int = 1) -> tuple[int, int]:
    """(forward, backward) multiply-adds of `depth` layers of width × width weights.

    forward: B·L·D² (z = W h); backward: 2·B·L·D² (W_bar = z_bar hᵀ and h_bar = Wᵀ z_bar).
    The element-wise work (adding b, σ and σ′) is O(B·L·D) and left out.
    """
    for name, size in (("depth", depth), ("width", width), ("batch", batch)):
        if size < 1:
            raise ValueError(f"multiply_adds: {name} must be a positive integer, got {size}")
    forward = batch * depth * width * width
    return forward, 2 * forward


def mlp(depth: int, width: int, rng: np.random.Generator, sigmoid: bool = True) -> Sequential:
    """`depth` layers h ← σ(W h + b), each W of shape (width, width); without the σ if not
    `sigmoid` (then only the products that the slide counts remain)."""
    layers: list[Module] = []
    for _ in range(depth):
        layers.append(Linear(width, width, rng=rng))
        if sigmoid:
            layers.append(Sigmoid())
    return Sequential(layers)


def time_passes(net: Sequential, x: np.ndarray) -> tuple[float, float]:
    """Seconds of one `net.forward(x)` and of the `net.backward(y_bar)` that follows.

    The backward pass computes every layer's input error signal too (`input_grad=True`), so
    each layer does exactly the slide's two products.
    """
    start = time.perf_counter()
    y = net.forward(x)
    middle = time.perf_counter()
    net.backward(np.ones_like(y), input_grad=True)
    end = time.perf_counter()
    return middle - start, end - middle


def measure_cost(varied: str, sizes: Sequence[int], *, depth: int = 4, width: int = 256,
                 batch: int = 64, sigmoid: bool = True, repeats: int = 7,
                 seed: int = 0) -> CostCurve:
    """Time forward and backward passes of `mlp(depth, width, sigmoid)` on a batch, varying one
    size.

    `varied` is 'depth' or 'width'; `sizes` are its values (the other keeps its argument).
    Timings use one BLAS thread. Each of `repeats` rounds times every network once (interleaved,
    so a busy moment of the machine hits all sizes alike), and each pass reports its fastest
    round: other processes can only ever add time, so on a shared machine the minimum is the
    robust estimate of the work itself (the median still moves when the load lasts).
    """
    if varied not in ("depth", "width"):
        raise ValueError(f"measure_cost: varied must be 'depth' or 'width', got {varied!r}")
    if not sizes or min(sizes) < 1:
        raise ValueError(f"measure_cost: sizes must be positive integers, got {list(sizes)}")
    if repeats < 1:
        raise ValueError(f"measure_cost: repeats must be at least 1, got {repeats}")
    rng = np.random.default_rng(seed)
    shapes = [(size, width) if varied == "depth" else (depth, size) for size in sizes]
    nets = [mlp(d, w, rng, sigmoid) for d, w in shapes]
    inputs = [rng.standard_normal((batch, w)) for _, w in shapes]
    times = np.empty((repeats + 1, len(nets), 2))
    with threadpool_limits(limits=1):
        for r in range(repeats + 1):  # round 0 warms up; rounds interleave the networks so
            for i, (net, x) in enumerate(zip(nets, inputs)):  # all see the same machine load
                times[r, i] = time_passes(net, x)
    forward, backward = np.min(times[1:], axis=0).T
    return CostCurve(varied, np.asarray(sizes), forward, backward,
                     depth=-1 if varied == "depth" else depth,
                     width=-1 if varied == "width" else width, batch=batch, sigmoid=sigmoid)
