"""Pictures for regularization, preprocessing and initialization (lecture §7 and §8).

- `plot_activation_histograms`: the slides' per-layer histograms of a deep net's activations
  hˡ = φ(Wˡ hˡ⁻¹), with each layer's mean and standard deviation in its title.
- `plot_layer_std`: std(hˡ) against the layer l for several initializations on one log axis.
- `plot_point_clouds`: data before and after preprocessing (x̃ = (x − μ) ⊘ σ, PCA, whitening),
  each cloud with its mean and the 2σ ellipse of its covariance.
- `plot_masks`: binary dropout / DropConnect masks m ~ Bernoulli(keep) as black-and-white images.
- `plot_uncertainty`: the predictions of many dropout masks, their mean ± 2 std as a band.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse
from numpy.typing import ArrayLike


def plot_activation_histograms(activations: Sequence[ArrayLike], *, title: str = "",
                               axes: Sequence[Axes] | None = None, bins: int = 60,
                               value_range: tuple[float, float] | None = None,
                               exclude_zeros: bool = False, color: str = "C0") -> Sequence[Axes]:
    """One histogram per layer of the activations hˡ (any shape; all values are pooled).

    Each panel is titled with the layer number, mean and std of hˡ, as on the slides. With
    `value_range=None` every panel gets the range of its own values; give one range to all
    layers to see the scale change. `exclude_zeros` leaves the exact zeros (half of a ReLU's
    outputs) out of the histogram only: the title's statistics use all values and add the
    fraction of zeros.
    """
    if not activations:
        raise ValueError("plot_activation_histograms: no layers given")
    if axes is None:
        fig, axes = plt.subplots(1, len(activations), figsize=(2.0 * len(activations), 2.2),
                                 sharey=True)
        axes = np.atleast_1d(axes)
        if title:
            fig.suptitle(title)
    if len(axes) != len(activations):
        raise ValueError(f"plot_activation_histograms: {len(activations)} layers but "
                         f"{len(axes)} axes")
    for layer, (h, ax) in enumerate(zip(activations, axes, strict=True), start=1):
        h = np.asarray(h).ravel()
        if not np.all(np.isfinite(h)):
            raise ValueError(f"plot_activation_histograms: layer {layer} has non-finite values")
        shown = h[h != 0] if exclude_zeros else h
        density, edges = np.histogram(shown, bins=bins, range=value_range, density=True)
        ax.stairs(density, edges, fill=True, color=color)
        title = f"layer {layer}\nmean {h.mean():.3f}, std {h.std():.3f}"
        if exclude_zeros:
            title += f"\n{np.mean(h == 0):.0%} zeros (not shown)"
        ax.set_title(title, fontsize=8)
        ax.tick_params(labelsize=7)
        ax.set_yticks([])
        ax.set_xlabel("activation", fontsize=7)
    return axes


def plot_layer_std(stds: Mapping[str, ArrayLike], *, ax: Axes | None = None,
                   title: str = "Activation scale through the layers") -> Axes:
    """std(hˡ) against the layer l = 1, …, L for each named initialization (log y axis).

    A straight line on this axis is a constant factor per layer: the scale vanishes, stays, or
    grows geometrically with depth.
    """
    if not stds:
        raise ValueError("plot_layer_std: no curves given")
    ax = ax if ax is not None else plt.subplots(figsize=(7.5, 4.0))[1]
    for label, std in stds.items():
        std = np.asarray(std, dtype=np.float64).ravel()
        ax.plot(np.arange(1, std.size + 1), std, "o-", label=label)
    ax.set_yscale("log")
    ax.set(title=title, xlabel="layer $l$", ylabel=r"std of activations $h^{(l)}$")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize="small", loc="center left", bbox_to_anchor=(1.02, 0.5))
    return ax


def _covariance_ellipse(ax: Axes, points: np.ndarray, color: str) -> None:
    """The 2σ ellipse of the points' covariance: axes along its eigenvectors, lengths 2·2√λ."""
    mean = points.mean(axis=0)
    eigenvalues, eigenvectors = np.linalg.eigh(np.cov(points, rowvar=False))
    angle = np.degrees(np.arctan2(eigenvectors[1, -1], eigenvectors[0, -1]))
    width, height = 4 * np.sqrt(np.maximum(eigenvalues[::-1], 0))
    ax.add_patch(Ellipse(mean, width, height, angle=angle, fill=False, color=color, lw=1.5))
    ax.plot(*mean, "+", color=color, ms=12, mew=2)


def plot_point_clouds(clouds: Mapping[str, ArrayLike], *, labels: ArrayLike | None = None,
                      title: str = "", share_limits: bool = False) -> Figure:
    """Scatter 2-D point clouds (each of shape (N, 2)) side by side, one panel per step.

    Each panel has equal axis scales, the axes x₁ = 0 and x₂ = 0 drawn, the cloud's mean (+) and
    the 2σ ellipse of its covariance, so centring (mean at 0), scaling (ellipse size), rotation
    (ellipse aligned with the axes) and whitening (a circle) can be read off. `labels` colours the
    points by class.
    """
    if not clouds:
        raise ValueError("plot_point_clouds: no clouds given")
    fig, axes = plt.subplots(1, len(clouds), figsize=(3.4 * len(clouds), 3.6), squeeze=False)
    arrays = {}
    for name, points in clouds.items():
        points = np.asarray(points, dtype=np.float64)
        if points.ndim != 2 or points.shape[1] != 2:
            raise ValueError(f"plot_point_clouds: cloud {name!r} has shape {points.shape}, "
                             "expected (N, 2)")
        arrays[name] = points
    limit = max(np.abs(p).max() for p in arrays.values()) * 1.1
    for ax, (name, points) in zip(axes[0], arrays.items(), strict=True):
        ax.axhline(0, color="grey", lw=0.8)
        ax.axvline(0, color="grey", lw=0.8)
        ax.scatter(points[:, 0], points[:, 1], c=labels, s=6, alpha=0.6,
                   cmap="coolwarm" if labels is not None else None)
        _covariance_ellipse(ax, points, "black")
        ax.set_aspect("equal", adjustable="datalim")
        if share_limits:
            ax.set(xlim=(-limit, limit), ylim=(-limit, limit))
        ax.set(title=name, xlabel="$x_1$", ylabel="$x_2$")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_masks(masks: Mapping[str, ArrayLike], *, title: str = "",
               xlabel: str = "unit", ylabel: str = "sample") -> Figure:
    """Binary masks (1 = kept, white; 0 = dropped, black), one image per entry, with the kept
    fraction in each title."""
    if not masks:
        raise ValueError("plot_masks: no masks given")
    fig, axes = plt.subplots(1, len(masks), figsize=(3.6 * len(masks), 3.0), squeeze=False)
    for ax, (name, mask) in zip(axes[0], masks.items(), strict=True):
        mask = np.asarray(mask)
        if mask.ndim != 2:
            raise ValueError(f"plot_masks: mask {name!r} has shape {mask.shape}, expected 2-D")
        ax.imshow(mask != 0, cmap="gray", vmin=0, vmax=1, interpolation="nearest",
                  aspect="auto")
        ax.set(title=f"{name}\nkept {np.mean(mask != 0):.0%}", xlabel=xlabel, ylabel=ylabel)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_uncertainty(x: ArrayLike, samples: ArrayLike, *, x_train: ArrayLike | None = None,
                     y_train: ArrayLike | None = None, expectation: ArrayLike | None = None,
                     truth: ArrayLike | None = None, ax: Axes | None = None, n_shown: int = 10,
                     title: str = "Averaging dropout masks: mean and spread") -> Axes:
    """Predictions of M dropout masks (`samples`, shape (M, N) at the N points `x`).

    Draws `n_shown` single-mask predictions faintly, their mean and the band mean ± 2 std (the
    spread across masks, read as uncertainty), the training data, the test-time expectation
    (one deterministic pass) and the true function if given.
    """
    x = np.asarray(x, dtype=np.float64).ravel()
    samples = np.asarray(samples, dtype=np.float64)
    if samples.ndim != 2 or samples.shape[1] != x.size:
        raise ValueError(f"plot_uncertainty: samples have shape {samples.shape}, expected "
                         f"(masks, {x.size})")
    ax = ax if ax is not None else plt.subplots(figsize=(7.0, 4.2))[1]
    mean, std = samples.mean(axis=0), samples.std(axis=0)
    for i, sample in enumerate(samples[:n_shown]):
        ax.plot(x, sample, color="C0", lw=0.6, alpha=0.35,
                label="single masks" if i == 0 else None)
    ax.fill_between(x, mean - 2 * std, mean + 2 * std, color="C0", alpha=0.2,
                    label="mean ± 2 std over masks")
    ax.plot(x, mean, color="C0", lw=2, label=f"mean of {samples.shape[0]} masks")
    if expectation is not None:
        ax.plot(x, np.asarray(expectation).ravel(), "--", color="C3", lw=1.5,
                label="test-time expectation (one pass)")
    if truth is not None:
        ax.plot(x, np.asarray(truth).ravel(), ":", color="black", lw=1.2, label="true function")
    if x_train is not None and y_train is not None:
        ax.scatter(np.ravel(x_train), np.ravel(y_train), s=10, color="black", zorder=3,
                   label="training data")
    ax.set(title=title, xlabel="$x$", ylabel="$y$")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    return ax
