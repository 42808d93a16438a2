"""Seeing the lecture: computation graphs, backprop traces, and figures."""

from nnedu.viz.expr import ExpressionError, formula
from nnedu.viz.graph import GraphDrawing, GraphTooLargeError, draw_graph
from nnedu.viz.notebook import setup_notebook
from nnedu.viz.trace import BackpropTrace, BackwardFrames, backprop_trace

__all__ = [
    "BackpropTrace",
    "BackwardFrames",
    "ExpressionError",
    "GraphDrawing",
    "GraphTooLargeError",
    "backprop_trace",
    "draw_dot",
    "draw_graph",
    "figures_dir",
    "formula",
    "save_figure",
    "setup_notebook",
]


def __getattr__(name: str) -> object:
    """`figures_dir` and `save_figure` load matplotlib only when first used (`nnedu graph` and
    the graph drawings do not need it); `draw_dot` loads the graphviz package."""
    if name in ("figures_dir", "save_figure"):
        from nnedu.viz import figures

        return getattr(figures, name)
    if name == "draw_dot":  # loads the graphviz package only when first used
        from nnedu.viz.dot import draw_dot

        return draw_dot
    raise AttributeError(f"module 'nnedu.viz' has no attribute {name!r}")
