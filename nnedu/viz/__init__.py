"""Seeing the lecture: computation graphs, backprop traces, and figures."""

from nnedu.viz.figures import figures_dir, save_figure

__all__ = ["figures_dir", "save_figure"]
