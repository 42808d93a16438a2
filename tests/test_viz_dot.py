"""draw_dot: micrograd's trace_graph drawing as a graphviz.Digraph, drawn without `dot`."""

import os
import random
import re
import subprocess
import sys
from pathlib import Path

import graphviz
import pytest

from nnedu.scalar import Neuron, Value
from nnedu.viz import draw_dot

ROOT = Path(__file__).resolve().parents[1]


def records(dot: graphviz.Digraph) -> list[str]:
    return re.findall(r'label="(\{[^"]*\})" shape=record', dot.source)


def test_draw_dot_is_a_digraph_built_as_trace_graph_builds_it():
    x = Value(1.0)
    y = (x * 2 + 1).relu()
    y.backward()
    dot = draw_dot(y)
    assert isinstance(dot, graphviz.Digraph) and dot.format == "svg"
    assert "rankdir=LR" in dot.source
    assert records(dot)[0] == "{ data 1.0000 | grad 2.0000 }"  # x, with its gradient
    ops = re.findall(r'\[label="?([^"\]]*)"?\]\n', dot.source)
    assert ops == ["*", "+", "ReLU"]
    assert len(records(dot)) == 6 and dot.source.count("->") == 3 + 5


def test_trace_graphs_neuron_has_its_15_nodes_and_the_lectures_labels():
    random.seed(1337)
    y = Neuron(2, fused=False)([Value(1.0), Value(-2.0)])
    y.backward()
    dot = draw_dot(y, rankdir="TB")
    nodes = [line for line in dot.body if "[label=" in line and "->" not in line]
    assert len(records(dot)) == 10 and len(nodes) == 15  # 10 values, 5 operations
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    b.backward()
    assert records(draw_dot(b)) == ["{ a | data 3.0000 | grad 2.0000 }",
                                    "{ b | data 6.0000 | grad 1.0000 }"]
    assert draw_dot(b).source.count("->") == 2  # a → +, + → b: one edge, as micrograd's set


def test_draw_dot_refuses_what_trace_graph_would_assert_on():
    with pytest.raises(ValueError, match="rankdir='RL'"):
        draw_dot(Value(1.0), rankdir="RL")
    with pytest.raises(TypeError, match="draw_dot needs a Value"):
        draw_dot(1.0)


RENDER = """
import shutil, sys
from nnedu.scalar import Value
from nnedu.viz import draw_dot
assert shutil.which("dot") is None
x = Value(1.0); y = (x * 2 + 1).relu(); y.backward()
dot = draw_dot(y)
svg = dot._repr_mimebundle_()["image/svg+xml"]
assert svg.startswith("<?xml") and "grad 2.0000" in svg
assert dot.pipe(format="png").startswith(b"\\x89PNG")
print(dot.render("gout"), dot.render(outfile="graph.pdf"))
"""


def test_display_pipe_and_render_go_through_pygraphviz_without_dot_on_path(tmp_path):
    """The notebook display, pipe() and render() of micrograd's trace_graph cells, with no
    Graphviz program anywhere on PATH (where graphviz.Digraph raises ExecutableNotFound)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join(d for d in env.get("PATH", "").split(os.pathsep)
                                  if d and not Path(d, "dot").exists())
    env["PYTHONPATH"] = str(ROOT)
    run = subprocess.run([sys.executable, "-c", RENDER], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["gout.svg", "graph.pdf"]
    assert (tmp_path / "gout.svg").read_text().startswith("<?xml")
    assert (tmp_path / "graph.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "gout").read_text().startswith("digraph {")  # the source, as graphviz saves
    assert not list(tmp_path.glob(".*.tmp"))  # written through a temporary file, renamed


def test_a_plain_graphviz_digraph_needs_the_dot_program_that_is_missing_here():
    """Why draw_dot exists: on this machine graphviz's own Digraph cannot draw at all."""
    import shutil

    if shutil.which("dot") is not None:
        pytest.skip("a system Graphviz is installed here")
    with pytest.raises(graphviz.ExecutableNotFound):
        graphviz.Digraph(format="svg").pipe()
