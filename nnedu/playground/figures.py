"""Static matplotlib pictures of a `PlaygroundModel`, for notebooks read without a kernel.

The same colours as the live widget: the heat map of ŷ under the training points (white rim)
and test points (black rim); loss curves per epoch.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from nnedu.playground import datasets, render
from nnedu.playground.model import PlaygroundModel


def plot_boundary(model: PlaygroundModel, ax: Axes | None = None, title: str = "",
                  resolution: int = 96) -> Axes:
    """The decision boundary (or regression surface / curve) with the data points."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    R = datasets.DOMAIN
    grid = model.grid(resolution)
    if model.config.input_dims == 1:
        ax.plot(grid.axis, grid.prediction, color="#0877bd", lw=2, label="network")
        ax.scatter(model.X_train[:, 0], model.t_train, s=12, color="#0877bd",
                   edgecolors="white", linewidths=0.5, label="train")
        ax.scatter(model.X_test[:, 0], model.t_test, s=12, color="#0877bd",
                   edgecolors="black", linewidths=0.5, label="test")
        ax.set_xlim(-R, R)
        ax.set_ylim(-render.LINE_Y, render.LINE_Y)
    else:
        ax.imshow(render.prediction_image(model, grid), extent=(-R, R, -R, R),
                  interpolation="bilinear")
        for X, t, rim in ((model.X_train, model.t_train, "white"),
                          (model.X_test, model.t_test, "black")):
            if model.task == "regression":
                colours = render.diverging(np.asarray(t, float), render.target_scale(model))
            else:
                colours = render.CLASS_COLOURS[np.asarray(t, int)]
            ax.scatter(X[:, 0], X[:, 1], s=14, c=colours / 255, edgecolors=rim,
                       linewidths=0.6)
        ax.set_xlim(-R, R)
        ax.set_ylim(-R, R)
    ax.set_xticks(range(-int(R), int(R) + 1, 2))
    ax.set_yticks(range(-int(R), int(R) + 1, 2) if model.config.input_dims == 2 else [-2, 0, 2])
    ax.set_title(title, fontsize=10)
    return ax


def plot_losses(models: Sequence[PlaygroundModel], labels: Sequence[str],
                ax: Axes | None = None, test: bool = False, log: bool = True) -> Axes:
    """Train (or test) loss per epoch of several models, one line each."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    for model, label in zip(models, labels):
        losses = np.asarray(model.test_losses if test else model.train_losses, dtype=float)
        epochs = np.arange(1, len(losses) + 1)
        finite = np.isfinite(losses) & (np.abs(losses) < 1e6)  # a diverging run: cut off
        (line,) = ax.plot(epochs[finite], losses[finite], label=label)
        if not finite.all():
            first = int(np.argmin(finite))
            ax.axvline(first + 1, color=line.get_color(), ls=":", lw=1)
            ax.text(first + 1, 1.0, " diverges", color=line.get_color(), fontsize=8,
                    transform=ax.get_xaxis_transform(), va="top")
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("test loss" if test else "training loss")
    ax.legend(fontsize=8)
    return ax
