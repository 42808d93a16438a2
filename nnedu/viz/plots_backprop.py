"""Pictures for the backprop notebooks: slopes and derivative checks.

- `plot_loss_and_tangent`: a loss 𝓛(w) with the tangent at w₀ whose slope is the backprop w̄.
- `plot_chain_rule_check`: f(t) and df/dt from the engine (dots) against a closed form (line).

Every function draws on a matplotlib `Axes` (a new figure if `ax` is None) or returns a new
`Figure`; save it with `nnedu.viz.save_figure`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike


def _same_length(name: str, **arrays: ArrayLike) -> list[np.ndarray]:
    """The arrays as flat float64 arrays, or a ValueError naming the function and the lengths."""
    flat = [np.asarray(a, dtype=np.float64).ravel() for a in arrays.values()]
    if len({a.size for a in flat}) > 1:
        sizes = ", ".join(f"{key} has {a.size}" for key, a in zip(arrays, flat))
        raise ValueError(f"{name}: the arrays must have the same length, but {sizes}")
    return flat


def plot_loss_and_tangent(w: ArrayLike, loss: ArrayLike, w0: float, loss0: float, slope: float,
                          *, ax: Axes | None = None, title: str = "", xlabel: str = "$w$",
                          ylabel: str = r"$\mathcal{L}$") -> Axes:
    """Draw the curve 𝓛(w) and its tangent 𝓛(w₀) + w̄ (w − w₀) at the point (w₀, 𝓛(w₀)).

    `slope` is the derivative w̄ = ∂𝓛/∂w that backprop computed at w₀: if it is right, the line
    touches the curve there.
    """
    w, loss = _same_length("plot_loss_and_tangent", w=w, loss=loss)
    ax = ax if ax is not None else plt.subplots(figsize=(6.0, 4.0))[1]
    ax.plot(w, loss, lw=2, label=r"$\mathcal{L}(w)$")
    span = 0.25 * (w.max() - w.min())
    near = np.linspace(w0 - span, w0 + span, 2)
    ax.plot(near, loss0 + slope * (near - w0), "--", lw=1.8,
            label=rf"tangent, slope $\bar w$ = {slope:.4f}")
    ax.plot([w0], [loss0], "o", color="black", ms=6, label=rf"$w_0$ = {w0:g}")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.grid(alpha=0.3)
    ax.legend()
    return ax


def plot_chain_rule_check(t: ArrayLike, f: ArrayLike, engine: ArrayLike, closed_form: ArrayLike,
                          *, title: str = "", xlabel: str = "$t$") -> Axes:
    """Two panels: f(t), and df/dt from backprop (dots) over the closed-form derivative (line).

    Returns the right-hand axes (its `.figure` is the whole figure).
    """
    t, f, engine, closed_form = _same_length("plot_chain_rule_check", t=t, f=f, engine=engine,
                                             closed_form=closed_form)
    fig, (ax_f, ax_d) = plt.subplots(1, 2, figsize=(11, 4.0))
    ax_f.plot(t, f, lw=2, color="tab:gray")
    ax_f.set(title="$f(t)$", xlabel=xlabel, ylabel="$f$")
    ax_d.plot(t, closed_form, lw=2, label="closed form $df/dt$")
    ax_d.plot(t[::3], engine[::3], "o", ms=4, label=r"engine $\bar t$ (backprop)")
    ax_d.set(title=r"$df/dt$: backprop vs closed form", xlabel=xlabel, ylabel="$df/dt$")
    for ax in (ax_f, ax_d):
        ax.grid(alpha=0.3)
    ax_d.legend()
    fig.suptitle(title)
    fig.tight_layout()
    return ax_d
