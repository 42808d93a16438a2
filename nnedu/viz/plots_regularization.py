"""A picture shared by the lecture notebooks on activations (01) and initialization (08).

- `plot_layer_std`: a per-layer quantity (std(hˡ) of the activations, the size of the weight
  gradients ‖∂L/∂W⁽ˡ⁾‖) against the layer l for several networks on one log axis.

The one-off figures of notebooks 07 and 08 (dropout masks, the Monte Carlo dropout band, the
preprocessing point clouds, the activation histograms) are drawn in the notebook cells that show
them.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike


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
