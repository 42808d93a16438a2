"""Pictures for the backprop notebooks: outer products, costs, gradient-check errors.

- `plot_outer_product`: ∇_W f = (∂f/∂z) xᵀ as three heat maps, column × row = matrix.
- `plot_cost`: measured forward/backward times against width and depth (`nnedu.bench.cost`).
- `plot_gradcheck_eps`: the error of central differences against the step ε (the V shape).

Every function draws on a matplotlib `Axes` (a new figure if `ax` is None) or returns a new
`Figure`; save it with `nnedu.viz.save_figure`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    from nnedu.bench.cost import CostCurve


def _same_length(name: str, **arrays: ArrayLike) -> list[np.ndarray]:
    """The arrays as flat float64 arrays, or a ValueError naming the function and the lengths."""
    flat = [np.asarray(a, dtype=np.float64).ravel() for a in arrays.values()]
    if len({a.size for a in flat}) > 1:
        sizes = ", ".join(f"{key} has {a.size}" for key, a in zip(arrays, flat))
        raise ValueError(f"{name}: the arrays must have the same length, but {sizes}")
    return flat


def plot_outer_product(z_bar: ArrayLike, x: ArrayLike, W_bar: ArrayLike, *,
                       title: str = r"$\nabla_W f = \bar z\, x^T$") -> Figure:
    """Heat maps of the column z̄ (∂f/∂z), the row xᵀ and the matrix W̄ next to each other.

    Entry (i, j) of W̄ is z̄ᵢ xⱼ: row i is xᵀ scaled by z̄ᵢ, column j is z̄ scaled by xⱼ.
    """
    z_bar = np.asarray(z_bar, dtype=np.float64).ravel()
    x = np.asarray(x, dtype=np.float64).ravel()
    W_bar = np.asarray(W_bar, dtype=np.float64)
    if W_bar.shape != (z_bar.size, x.size):
        raise ValueError(f"plot_outer_product: W_bar has shape {W_bar.shape}, expected "
                         f"({z_bar.size}, {x.size}) = (len(z_bar), len(x))")
    fig, axes = plt.subplots(1, 3, figsize=(2.2 + 1.6 * x.size, 1.3 + 0.75 * z_bar.size),
                             gridspec_kw={"width_ratios": [1, x.size, x.size]})
    panels = [(z_bar[:, None], r"$\bar z = \partial f/\partial z$"), (x[None, :], "$x^T$"),
              (W_bar, r"$\bar W = \bar z\, x^T$")]
    for ax, (matrix, name) in zip(axes, panels):
        limit = np.abs(matrix).max() or 1.0
        ax.imshow(matrix, cmap="RdBu_r", vmin=-limit, vmax=limit)
        for (i, j), value in np.ndenumerate(matrix):
            ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=9,
                    color="white" if abs(value) > 0.6 * limit else "black")
        ax.set_title(name)
        ax.set_xticks(range(matrix.shape[1]))
        ax.set_yticks(range(matrix.shape[0]))
    axes[0].set_ylabel("unit $i$")
    axes[1].set_xlabel("input $j$")
    axes[2].set_xlabel("input $j$")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_cost(by_depth: CostCurve, by_width: CostCurve,
              products_only: CostCurve | None = None, min_width: int = 256) -> Figure:
    """Three panels of measured pass times (`nnedu.bench.cost.measure_cost`):

    time against depth with straight-line fits (linear in depth), time against width on log-log
    axes with a slope-2 guide and the exponent fitted over widths ≥ `min_width` (quadratic in
    width), and backward/forward against width with the multiply-add count's 2 (and
    `products_only`, the same network without σ, if given).
    """
    if by_depth.varied != "depth" or by_width.varied != "width":
        raise ValueError(f"plot_cost: expected curves varying depth and width, got "
                         f"{by_depth.varied!r} and {by_width.varied!r}")
    fig, (ax_d, ax_w, ax_r) = plt.subplots(1, 3, figsize=(15, 4.4))
    ms = 1e3
    for name, seconds, color in (("forward", by_depth.forward, "tab:blue"),
                                 ("backward", by_depth.backward, "tab:red")):
        slope, intercept = np.polyfit(by_depth.sizes, seconds * ms, 1)
        ax_d.plot(by_depth.sizes, seconds * ms, "o", color=color, label=name)
        ax_d.plot(by_depth.sizes, intercept + slope * by_depth.sizes, "-", color=color, alpha=0.6,
                  label=f"{name}: straight-line fit")
    ax_d.set(title=f"Linear in depth: time ∝ $L^{{{by_depth.exponent():.2f}}}$ "
                   f"(width {by_depth.width}, batch {by_depth.batch})",
             xlabel="number of layers $L$", ylabel="time per pass [ms]")
    for name, seconds, color in (("forward", by_width.forward, "tab:blue"),
                                 ("backward", by_width.backward, "tab:red")):
        ax_w.loglog(by_width.sizes, seconds * ms, "o-", color=color, label=name)
    layers = f"{by_width.depth} layer" + ("s" if by_width.depth > 1 else "")
    guide = by_width.backward[-1] * ms * (by_width.sizes / by_width.sizes[-1]) ** 2
    ax_w.loglog(by_width.sizes, guide, "k--", lw=1, label=r"$\propto D^2$ (slope 2)")
    ax_w.set(title=f"Quadratic in width: time ∝ $D^{{{by_width.exponent(min_width):.2f}}}$ "
                   f"for $D \\geq {min_width}$ ({layers}, batch {by_width.batch})",
             xlabel="units per layer $D$", ylabel="time per pass [ms]")
    ax_r.plot(by_width.sizes, by_width.ratio, "o-", color="tab:purple",
              label="measured, layers with σ")
    if products_only is not None:
        ax_r.plot(products_only.sizes, products_only.ratio, "s-", color="tab:green",
                  label="measured, products only (no σ)")
    ax_r.axhline(2.0, color="black", ls="--", lw=1, label="multiply-add count: 2")
    ax_r.set_xscale("log")
    ax_r.set(title="Backward / forward time", xlabel="units per layer $D$",
             ylabel="backward time / forward time", ylim=(0, max(3.0, 1.1 * by_width.ratio.max())))
    for ax in (ax_w, ax_r):  # label the measured widths, not powers of ten
        ax.minorticks_off()
        ax.set_xticks(by_width.sizes, [str(size) for size in by_width.sizes])
    for ax in (ax_d, ax_w, ax_r):
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=9)
    fig.tight_layout()
    return fig


def plot_gradcheck_eps(eps: ArrayLike, errors: ArrayLike, *, ax: Axes | None = None,
                       title: str = "Central differences: the error against the step ε") -> Axes:
    """Relative error of a central-difference gradient against ε, on log-log axes.

    The truncation error falls like ε² (to the right), the rounding error grows like 1/ε (to
    the left): the V has its bottom near ε ≈ 1e-5 in float64.
    """
    eps, errors = _same_length("plot_gradcheck_eps", eps=eps, errors=errors)
    ax = ax if ax is not None else plt.subplots(figsize=(6.0, 4.0))[1]
    ax.loglog(eps, errors, "o-", lw=1.8, label="max relative error")
    best = int(np.argmin(errors))
    ax.loglog(eps[best], errors[best], "*", ms=14, color="gold", mec="black",
              label=f"best: ε = {eps[best]:.0e}")
    right = eps >= eps[best]
    ax.loglog(eps[right], errors[best] * (eps[right] / eps[best]) ** 2, "k--", lw=1,
              label=r"$\propto \varepsilon^2$ (truncation)")
    left = eps <= eps[best]
    ax.loglog(eps[left], errors[best] * eps[best] / eps[left], "k:", lw=1,
              label=r"$\propto 1/\varepsilon$ (rounding)")
    ax.set(title=title, xlabel="step ε", ylabel="relative error vs backprop")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=9)
    return ax
