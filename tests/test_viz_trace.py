"""backprop_trace: the slide's algorithm, v̄ᵢ = Σ_{j ∈ Ch(vᵢ)} v̄ⱼ ∂vⱼ/∂vᵢ, step by step."""

import math
import re

import pygraphviz
import pytest
from PIL import Image

from nnedu.scalar import Value
from nnedu.scalar.engine import topological_order
from nnedu.viz import GraphTooLargeError, backprop_trace, formula
from nnedu.viz.expr import evaluate, parse
from nnedu.viz.graph import fmt

LOGISTIC = "z = w*x + b; y = sigmoid(z); L = 0.5*(y - t)**2"
REGULARIZED = LOGISTIC + "; R = 0.5*w**2; L_reg = L + lam*R"
AT = {"w": 0.5, "x": 1.5, "b": 0.1, "t": 1.0, "lam": 0.1}
SOFTMAX = """
z1 = w11*x1 + w12*x2 + b1
z2 = w21*x1 + w22*x2 + b2
e1 = exp(z1); e2 = exp(z2)
y1 = e1 / (e1 + e2); y2 = e2 / (e1 + e2)
L = -(t1*log(y1) + t2*log(y2))
"""
SOFTMAX_AT = {"w11": 0.3, "w12": -0.2, "w21": 0.5, "w22": 0.1, "b1": 0.0, "b2": 0.1,
              "x1": 1.0, "x2": 2.0, "t1": 0.0, "t2": 1.0}


def regularized():
    values = evaluate(parse(REGULARIZED), AT)
    values["L_reg"].backward()
    return values, backprop_trace(values["L_reg"])


def test_w_bar_is_the_sum_of_its_two_terms_z_bar_x_and_R_bar_w():
    values, trace = regularized()
    w = trace["w"]
    assert len(w.terms) == 2
    assert sum(t.value for t in w.terms) == w.bar == values["w"].grad
    s = 1 / (1 + math.exp(-0.85))  # the slide's hand derivation: (σ(wx+b) − t)σ′(wx+b)x + λw
    assert w.bar == pytest.approx((s - 1) * s * (1 - s) * 1.5 + 0.1 * 0.5, rel=1e-12)
    z_path, R_path = w.terms  # w·x comes first in the topological order, w² second
    assert z_path.value == pytest.approx(values["z"].grad * AT["x"], rel=1e-15)
    assert R_path.value == pytest.approx(values["R"].grad * AT["w"], rel=1e-15)


def test_trace_bars_equal_the_engines_grads_to_the_last_bit():
    for source, at in ((REGULARIZED, AT), (SOFTMAX, SOFTMAX_AT)):
        root = formula(source, **at)
        trace = backprop_trace(root)  # before backward(): the trace does not need .grad
        root.backward()
        named = {s.name: s.bar for s in trace if not s.name.startswith("v")}
        for v in topological_order(root):
            if v.label:
                assert named[v.label] == v.grad, v.label


def test_trace_leaves_grads_untouched():
    L = formula(LOGISTIC, **{k: AT[k] for k in "wxbt"})
    backprop_trace(L)
    assert L.grad == 0.0


def test_topological_order_puts_parents_first_and_ends_with_the_output():
    _, trace = regularized()
    assert [s.i for s in trace] == list(range(1, len(trace) + 1))
    for step in trace:
        assert all(p < step.i for p in step.parents)
    assert trace.steps[-1].name == "L_reg" and trace.steps[-1].bar == 1.0


def test_backward_lines_read_like_the_slide():
    _, trace = regularized()
    y = trace["y"].value
    z = trace["z"]
    assert z.computed_as == "v₃ + b"
    y_bar = trace["y"].bar
    assert z.backward_text() == (f"z̄ = y\u0304·σ′(z) = {fmt(y_bar)}·{fmt(y * (1 - y))} = "
                                 f"{fmt(z.bar)}")
    w = trace["w"]
    t1, t2 = w.terms
    assert w.backward_text() == (f"w̄ = v̄₃·x + v̄₁₅·2w = {fmt(t1.value)} + {fmt(t2.value)} = "
                                 f"{fmt(w.bar)}")  # the slide's w̄ = z̄x + R̄w, with v̄₃ = z̄
    assert trace["y"].computed_as == "σ(z)" and trace["y"].op == "σ"


def test_text_table_has_every_node_forward_and_each_error_signal_backward():
    _, trace = regularized()
    text = str(trace)
    forward, backward = text.split("Backward pass")
    for step in trace:
        assert re.search(rf"^{step.i}\s+{re.escape(step.name)}\s", forward, re.M)
    backward_is = [int(line.split()[0]) for line in backward.splitlines()[2:]]
    assert backward_is == sorted(backward_is, reverse=True)  # i = N, N−1, …, 1
    assert len(backward_is) == sum(1 for s in trace if not s.is_constant)


def test_html_table_has_a_row_per_node_and_per_backward_step():
    _, trace = regularized()
    page = trace._repr_html_()
    constants = sum(1 for s in trace if s.is_constant)
    assert page.count("<tr>") == 2 + len(trace) + len(trace) - constants  # + 2 header rows
    assert "w̄ = v̄₃·x + v̄₁₅·2w" in page


def test_unknown_or_ambiguous_names_are_refused_listing_the_nodes():
    _, trace = regularized()
    with pytest.raises(KeyError, match=r"0 nodes are called 'q'.*L_reg"):
        trace["q"]


def test_one_frame_per_backward_step_highlighting_the_node_computed():
    _, trace = regularized()
    frames = trace.frames()
    steps = trace.backward_steps()
    assert len(frames) == len(steps)
    for frame, step in zip(frames, steps):
        graph = pygraphviz.AGraph(string=frame.dot)
        node = graph.get_node(f"v{step.i}")
        assert node.attr["fillcolor"] == "#ffe082"
        assert step.backward_text() in graph.graph_attr["label"]
        for later in steps:  # error signals not computed yet are drawn in the fill colour
            label = graph.get_node(f"v{later.i}").attr["label"]
            hidden = f'<font color="{graph.get_node(f"v{later.i}").attr["fillcolor"]}">'
            assert (hidden in label) == (later.i < step.i)


def test_frames_keep_one_layout_so_they_animate_in_place():
    _, trace = regularized()
    frames = trace.frames()
    positions = []
    for k in (0, len(frames) - 1):
        graph = pygraphviz.AGraph(string=frames[k].dot)
        graph.graph_attr["label"] = ""
        graph.layout(prog="dot")
        positions.append({str(n): n.attr["pos"] for n in graph.nodes()})
    assert positions[0] == positions[1]


def test_frames_save_as_numbered_files_and_an_animated_gif(tmp_path):
    L = formula("y = w*x; L = y**2", w=0.5, x=2.0)
    frames = backprop_trace(L).frames()
    paths = frames.save(tmp_path, format="png")
    assert [p.name for p in paths] == [f"backprop_0{k}.png" for k in range(1, len(frames) + 1)]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in paths)
    gif = Image.open(frames.save_gif(tmp_path / "steps.gif"))
    assert gif.n_frames == len(frames) == 4  # L, y, w, x
    assert "<details open><summary>step 1: L̄ = 1" in frames._repr_html_()


def test_frames_of_a_huge_graph_are_refused():
    x = Value(0.5, label="x")
    y = x
    for _ in range(300):
        y = y.tanh()
    with pytest.raises(GraphTooLargeError, match="301 nodes"):
        backprop_trace(y, max_nodes=100).frames()


def test_bad_trace_and_frame_options_are_named():
    L = formula("y = w*x; L = y**2", w=0.5, x=2.0)
    with pytest.raises(TypeError, match="max_nodes"):
        backprop_trace(L, max_nodes="100")
    with pytest.raises(ValueError, match=r"rankdir='XX': choose one of LR, TB"):
        backprop_trace(L).frames(rankdir="XX")
    frames = backprop_trace(L).frames()
    assert frames[0] is frames[:2][0] and len(frames[1:]) == len(frames) - 1
