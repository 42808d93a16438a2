"""Seeing the lecture: computation graphs, backprop traces, and figures."""

from nnedu.viz.expr import ExpressionError, formula
from nnedu.viz.figures import figures_dir, save_figure
from nnedu.viz.graph import GraphDrawing, GraphTooLargeError, draw_graph
from nnedu.viz.trace import BackpropTrace, BackwardFrames, backprop_trace

__all__ = [
    "BackpropTrace",
    "BackwardFrames",
    "ExpressionError",
    "GraphDrawing",
    "GraphTooLargeError",
    "backprop_trace",
    "draw_graph",
    "figures_dir",
    "formula",
    "save_figure",
]
