"""draw_graph: the lecture's computation graphs as DOT, rendered without a system Graphviz."""

import math
import os
import random
import subprocess
import sys
from pathlib import Path

import pygraphviz
import pytest

from nnedu.scalar import MLP, Value
from nnedu.viz import GraphTooLargeError, draw_graph
from nnedu.viz.graph import fmt, label_text

ROOT = Path(__file__).resolve().parents[1]


def logistic_least_squares(w=0.5, x=1.5, b=0.1, t=1.0):
    """z = wx + b, y = σ(z), L = ½(y − t)², as on the slide."""
    w, x, b, t = Value(w, label="w"), Value(x, label="x"), Value(b, label="b"), Value(t, label="t")
    z = w * x + b
    z.label = "z"
    y = z.sigmoid()
    y.label = "y"
    L = 0.5 * (y - t) ** 2
    L.label = "L"
    return {"w": w, "x": x, "b": b, "t": t, "z": z, "y": y, "L": L}


def regularized_regression(lam=0.1):
    """The fan-out example: R = ½w², L_reg = L + λR, so w feeds both z and R."""
    v = logistic_least_squares()
    R = 0.5 * v["w"] ** 2
    R.label = "R"
    lam = Value(lam, label="λ")
    L_reg = v["L"] + lam * R
    L_reg.label = "L_reg"
    return {**v, "R": R, "λ": lam, "L_reg": L_reg}


def softmax_classification():
    """z_l = Σ_j w_lj x_j + b_l, y_k = exp(z_k) / Σ_l exp(z_l), L = −Σ_k t_k log y_k."""
    rng = random.Random(3)
    x = [Value(rng.uniform(-1, 1), label=f"x{j}") for j in (1, 2)]
    t = [0.0, 1.0, 0.0]
    z, e = [], []
    for l in (1, 2, 3):
        zl = Value(0.1 * l, label=f"b{l}")
        for j in (1, 2):
            zl = zl + Value(rng.uniform(-1, 1), label=f"w{l}{j}") * x[j - 1]
        zl.label = f"z{l}"
        z.append(zl)
        e.append(zl.exp())
    s = e[0] + e[1] + e[2]
    s.label = "s"
    y = []
    for k in range(3):
        yk = e[k] / s
        yk.label = f"y{k + 1}"
        y.append(yk)
    L = -(t[0] * y[0].log() + t[1] * y[1].log() + t[2] * y[2].log())
    L.label = "L"
    return {"x": x, "z": z, "s": s, "y": y, "L": L}


def structure(drawing):
    """(graph, name of each node id, {(parent name, op, child name)}) read back from the DOT."""
    graph = pygraphviz.AGraph(string=drawing.dot)
    names = {}
    for node in graph.nodes():
        label = node.attr["label"]
        names[str(node)] = label_text(label).split(" = ")[0] if "<b>" in label else label
    flows = set()
    for a, b in graph.edges():
        if b.endswith("_op"):
            flows.add((names[a], graph.get_node(b).attr["label"], names[b[:-3]]))
    return graph, names, flows


def node_of(graph, names, name):
    (node_id,) = [n for n, m in names.items() if m == name]
    return graph.get_node(node_id)


def test_logistic_graph_has_the_slides_nodes_and_edges():
    v = logistic_least_squares()
    v["L"].backward()
    graph, names, flows = structure(draw_graph(v["L"]))
    assert {"w", "x", "b", "t", "z", "y", "L"} <= set(names.values())
    assert ("z", "σ", "y") in flows
    assert ("b", "+", "z") in flows
    w_times_x = {child for parent, op, child in flows if parent == "w" and op == "×"}
    assert len(w_times_x) == 1 and ("x", "×", *w_times_x) in flows
    assert ("L", "+", "L") not in flows and not any(p == "L" for p, _, _ in flows)  # L is last
    y_label = node_of(graph, names, "y").attr["label"]
    assert f"= {fmt(v['y'].data)}" in y_label
    assert f"y\u0304 = {fmt(v['y'].grad)}" in label_text(y_label)


def test_fan_out_node_is_marked_and_shows_both_terms_summed():
    v = regularized_regression()
    v["L_reg"].backward()
    graph, names, _flows = structure(draw_graph(v["L_reg"]))
    w = node_of(graph, names, "w")
    assert w.attr["peripheries"] == "2" and "used 2×" in w.attr["label"]
    z_bar, R_bar = v["z"].grad, v["R"].grad
    z_path, R_path = z_bar * v["x"].data, R_bar * v["w"].data  # w̄ = z̄x + R̄w
    assert z_path + R_path == pytest.approx(v["w"].grad, rel=1e-12)
    assert f"w\u0304 = {fmt(z_path)} + {fmt(R_path)} = {fmt(v['w'].grad)}" in label_text(
        w.attr["label"])
    assert node_of(graph, names, "x").attr["peripheries"] in ("", None)  # x is used once


def test_edge_grads_label_each_edge_with_its_term_and_they_sum_to_the_grad():
    v = regularized_regression()
    v["L_reg"].backward()
    graph, names, _ = structure(draw_graph(v["L_reg"], edge_grads=True))
    w_id = next(n for n, m in names.items() if m == "w")
    labels = [graph.get_edge(a, b).attr["label"] for a, b in graph.edges() if a == w_id]
    assert len(labels) == 2
    terms = [float(label_text(label).rsplit("=", 1)[1]) for label in labels]
    assert sum(terms) == pytest.approx(v["w"].grad, rel=1e-3)


def test_x_times_x_draws_two_edges_into_one_op_and_counts_as_fan_out():
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    y.backward()
    graph, names, _ = structure(draw_graph(y, edge_grads=True))
    edges = [(a, b) for a, b in graph.edges() if names[a] == "x"]
    assert len(edges) == 2 and edges[0] == edges[1]
    assert "x\u0304 = 3 + 3 = 6" in label_text(node_of(graph, names, "x").attr["label"])


def test_softmax_classification_graph_fans_inputs_out_to_every_class():
    v = softmax_classification()
    v["L"].backward()
    graph, names, flows = structure(draw_graph(v["L"]))
    ops = [graph.get_node(n).attr["label"] for n in graph.nodes() if n.endswith("_op")]
    assert ops.count("exp") == 3 and ops.count("log") == 3
    assert ops.count("x<sup>-1</sup>") == 3  # each y_k = e_k · s⁻¹
    for x in ("x1", "x2"):
        assert "used 3×" in node_of(graph, names, x).attr["label"]
    assert "used 3×" in node_of(graph, names, "s").attr["label"]
    for l in (1, 2, 3):
        assert any(p == f"z{l}" and op == "exp" for p, op, _ in flows)
        assert any(op == "log" and c.startswith("v") for p, op, c in flows if p == f"y{l}")
    y2 = v["y"][1].data
    assert v["z"][1].grad == pytest.approx(y2 - 1.0, rel=1e-12)  # z̄ = y − t for the true class


def test_unlabeled_nodes_are_named_by_their_place_in_the_topological_order():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    out = (a * b).tanh()
    _, names, _ = structure(draw_graph(out))
    assert names["v3"] == "v₃" and names["v4"] == "v₄"  # a, b, a·b, tanh(a·b)


def test_constants_show_only_their_number():
    x = Value(2.0, label="x")
    y = 0.5 * x
    graph, names, _ = structure(draw_graph(y))
    constant = graph.get_node(next(n for n, m in names.items() if m == "0.5"))
    assert "dashed" in constant.attr["style"] and "̄" not in constant.attr["label"]


def test_show_grad_false_hides_every_error_signal():
    v = logistic_least_squares()
    v["L"].backward()
    dot = draw_graph(v["L"], show_grad=False, edge_grads=True).dot
    assert 'sides="T"' not in dot and "#a93226" not in dot


def test_rankdir_and_title_reach_the_dot():
    v = logistic_least_squares()
    dot = draw_graph(v["L"], rankdir="TB", title="logistic <least> squares").dot
    assert "rankdir=TB" in dot and "label=<logistic &lt;least&gt; squares>" in dot


def test_bad_arguments_are_refused_by_name():
    v = logistic_least_squares()
    with pytest.raises(ValueError, match=r"rankdir='up'.*LR, TB"):
        draw_graph(v["L"], rankdir="up")
    with pytest.raises(TypeError, match=r"needs a Value.*float"):
        draw_graph(1.5)
    with pytest.raises(ValueError, match="'jpg'"):
        draw_graph(v["L"]).render("jpg")
    with pytest.raises(TypeError, match=r"max_nodes \(or None for no limit\) must be an integer"):
        draw_graph(v["L"], max_nodes="100")
    with pytest.raises(ValueError, match=r"max_nodes .* must be positive, got 0"):
        draw_graph(v["L"], max_nodes=0)
    with pytest.raises(TypeError, match="title must be a string, got int 5"):
        draw_graph(v["L"], title=5)
    with pytest.raises(TypeError, match="dpi must be an integer, got str"):
        draw_graph(v["L"]).render("png", dpi="high")


def mlp_loss(samples):
    random.seed(0)
    model = MLP(2, [16, 16, 1])
    rng = random.Random(1)
    X = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(samples)]
    Y = [1.0 if x0 * x1 > 0 else -1.0 for x0, x1 in X]
    losses = [(1 + -yi * model(xi)).relu() for xi, yi in zip(X, Y)]
    total = sum(losses) * (1.0 / samples) + 1e-4 * sum(p * p for p in model.parameters())
    total.backward()
    return model, total


def test_mlp_loss_graph_is_refused_with_a_pointer_to_the_collapsed_view():
    _, total = mlp_loss(samples=20)
    with pytest.raises(GraphTooLargeError, match=r"has \d{4,} nodes.*collapse=True"):
        draw_graph(total)


def test_collapsed_view_draws_one_node_per_layer_and_parameter_set():
    model, total = mlp_loss(samples=20)
    drawing = draw_graph(total, collapse=True)
    graph = pygraphviz.AGraph(string=drawing.dot)
    labels = {str(n): n.attr["label"] for n in graph.nodes()}
    assert len(labels) < 30
    layer = {l: next(n for n, s in labels.items() if f"<b>layer {l}</b>" in s) for l in (1, 2, 3)}
    assert "16 × ReLU" in labels[layer[1]] and "20 samples" in labels[layer[1]]
    assert "1 × (w<sup>T</sup>x + b)" in labels[layer[3]]
    assert graph.has_edge(layer[1], layer[2]) and graph.has_edge(layer[2], layer[3])
    for l, count in ((1, 48), (2, 272), (3, 17)):
        params = next(n for n, s in labels.items() if f"W<sup>({l})</sup>" in s)
        assert f"{count} parameters" in labels[params] and graph.has_edge(params, layer[l])
    grads = [p.grad for layer_ in model.layers[:1] for p in layer_.parameters()]
    norm = fmt(math.sqrt(sum(g * g for g in grads)))
    assert f"‖∇‖ = {norm}" in next(s for s in labels.values() if "W<sup>(1)</sup>" in s)


def test_collapsed_view_of_a_deep_graph_with_shared_nodes_is_linear_not_exponential():
    L = Value(0.5, label="x")
    for _ in range(100):  # 2¹⁰⁰ paths from x to L: any per-path work would never finish
        L = L + L.tanh()
    with pytest.raises(GraphTooLargeError, match=r"collapsed graph has 201 nodes.*max_nodes=None"):
        draw_graph(L, collapse=True, max_nodes=100)


def test_running_sums_collapse_into_one_sigma_node():
    xs = [Value(float(k), label="x") for k in range(50)]
    total = sum((x * x for x in xs), Value(0.0, label="zero"))
    graph = pygraphviz.AGraph(string=draw_graph(total, collapse=True).dot)
    labels = sorted(n.attr["label"] for n in graph.nodes())
    assert len(labels) == 4  # x × 50, zero, x² (as x·x) × 50, Σ × 50
    assert any(label.startswith("Σ") and "× 50" in label for label in labels)


def test_save_writes_each_format_by_extension(tmp_path):
    v = logistic_least_squares()
    v["L"].backward()
    drawing = draw_graph(v["L"])
    magic = {"svg": b"<?xml", "png": b"\x89PNG", "pdf": b"%PDF", "dot": b"digraph"}
    for ext, start in magic.items():
        assert drawing.save(tmp_path / f"g.{ext}").read_bytes().startswith(start)
    assert "<svg" in drawing._repr_svg_()
    assert repr(drawing).startswith("<GraphDrawing of 20 nodes and 19 edges")  # 13 values, 7 ops


def _env_without_dot():
    """The environment with every PATH directory that holds a `dot` program removed."""
    env = dict(os.environ)
    dirs = [d for d in env.get("PATH", "").split(os.pathsep) if d and not Path(d, "dot").exists()]
    env["PATH"] = os.pathsep.join(dirs)
    return env


RENDER = """
import sys
from nnedu.scalar import Value
from nnedu.viz import draw_graph
w, x = Value(0.5, label="w"), Value(1.5, label="x")
y = (w * x).sigmoid(); y.label = "y"
y.backward()
d = draw_graph(y)
d.save(sys.argv[1] + "/g.svg"); d.save(sys.argv[1] + "/g.png")
"""


def test_rendering_works_without_dot_on_path(tmp_path):
    env = _env_without_dot()
    check = subprocess.run([sys.executable, "-c", "import shutil; print(shutil.which('dot'))"],
                           env=env, capture_output=True, text=True, check=True)
    assert check.stdout.strip() == "None"
    subprocess.run([sys.executable, "-c", RENDER, str(tmp_path)], env=env, check=True, cwd=ROOT,
                   timeout=60)
    svg = (tmp_path / "g.svg").read_text()
    assert "<svg" in svg and ">σ<" in svg and ">y<" in svg and "> = 1<" in svg
    assert (tmp_path / "g.png").read_bytes().startswith(b"\x89PNG")


DOT = """
import random
from nnedu.scalar import MLP
from nnedu.viz import draw_graph, formula
L_reg = formula("z = w*x + b; y = sigmoid(z); L = 0.5*(y - t)**2; R = 0.5*w**2; L_reg = L + lam*R",
                w=0.5, x=1.5, b=0.1, t=1, lam=0.1)
L_reg.backward()
random.seed(0)
model = MLP(2, [16, 16, 1])
loss = sum((model([x, -x]) - 1.0) ** 2 for x in (0.1, 0.2, 0.3))
loss.backward()
print(draw_graph(L_reg, edge_grads=True).dot + draw_graph(loss, collapse=True).dot)
"""


def test_dot_is_byte_identical_across_processes():
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", DOT], env=env, cwd=ROOT,
                             capture_output=True, check=True, timeout=60)
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1] and outputs[0].count(b"digraph") == 2
    assert b"<b>L</b></td><td><b>_reg</b>" in outputs[0] and b"layer 2" in outputs[0]


# ------------------------------------------------------------ leaves made by hand, long names
def test_an_unlabeled_leaf_made_by_hand_shows_its_gradient_only_wrapped_numbers_are_constants():
    x = Value(1.0)
    y = (x * 2 + 1).relu()
    y.backward()
    graph, names, _ = structure(draw_graph(y))
    leaf = node_of(graph, names, "v₁")
    assert "dashed" not in leaf.attr["style"]
    assert label_text(leaf.attr["label"]).splitlines()[1] == "v\u0304₁ = 2"
    constants = sorted(m for n, m in names.items() if "dashed" in graph.get_node(n).attr["style"])
    assert constants == ["1", "2"]


def test_a_neurons_weights_inputs_and_bias_are_leaves_with_gradients():
    from nnedu.scalar import Neuron

    random.seed(1337)
    neuron = Neuron(2, fused=False)
    x = [Value(1.0), Value(-2.0)]
    y = neuron(x)
    y.backward()
    graph, names, _ = structure(draw_graph(y))
    leaves = [graph.get_node(n) for n in names if not n.endswith("_op")
              and not graph.in_edges(n)]
    assert len(leaves) == 5 and all("dashed" not in leaf.attr["style"] for leaf in leaves)
    shown = sorted(label_text(leaf.attr["label"]).splitlines()[1].split(" = ")[1]
                   for leaf in leaves)
    assert shown == sorted(fmt(v.grad) for v in [*neuron.w, neuron.b, *x])
    assert x[1].grad == neuron.w[1].data != 0  # the inputs' gradients are there to be seen


def test_fused_neuron_node_says_how_to_get_the_op_by_op_graph():
    from nnedu.scalar import Neuron

    y = Neuron(2)([Value(1.0), Value(-2.0)])
    graph = pygraphviz.AGraph(string=draw_graph(y).dot)
    (fused,) = [n for n in graph.nodes() if n.endswith("_op") and "w<sup>T</sup>" in
                graph.get_node(n).attr["label"]]
    assert "fused=False" in graph.get_node(fused).attr["tooltip"]


def test_a_long_names_bar_is_drawn_over_the_whole_name_as_a_line():
    x1, w1 = Value(2.0, label="x1"), Value(-3.0, label="w1")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1 + x2*w2"
    x1w1.backward()
    drawing = draw_graph(x1w1, edge_grads=True)
    assert "\u0305" not in drawing.dot  # combining overlines strike through the line in PNG
    graph, names, _ = structure(drawing)
    label = node_of(graph, names, "x1*w1 + x2*w2").attr["label"]
    assert '<td sides="T" border="1" color="#a93226"><font color="#a93226">x1*w1 + x2*w2' in label
    assert drawing.render("png").startswith(b"\x89PNG")


def test_a_node_built_by_hand_is_drawn_and_refused_by_the_trace_by_name():
    from nnedu.viz import backprop_trace

    a = Value(2.0, label="a")
    out = Value(a.data**2, (a, a), "square", label="s")

    def _backward():
        a.grad += 2 * a.data * out.grad
    out._backward = _backward
    out.backward()
    assert a.grad == 4.0
    graph, names, _ = structure(draw_graph(out, edge_grads=True))
    assert label_text(node_of(graph, names, "s").attr["label"]).splitlines()[1] == "s\u0304 = 1"
    with pytest.raises(ValueError, match="built by hand with its own _backward"):
        backprop_trace(out)


def test_notebook_output_carries_a_png_for_untrusted_notebooks_and_keeps_text_legible():
    x = Value(2.0, label="x")
    y = (x * x).tanh()
    y.backward()
    bundle, metadata = draw_graph(y)._repr_mimebundle_()
    assert bundle["image/png"].startswith(b"\x89PNG") and "<svg" in bundle["image/svg+xml"]
    assert 'style="max-width: 100%' in bundle["image/svg+xml"]  # a small graph fits the page
    assert "unconfined" not in metadata["image/png"]


def test_a_wide_graph_is_shown_at_the_smallest_legible_scale_and_scrolls():
    from nnedu.viz.graph import LEGIBLE_PX, PAGE_PX, smallest_text_pt

    x = Value(0.5, label="x")
    h = x
    for _ in range(40):  # a long chain: far wider than the page
        h = (h * 1.01).tanh()
    h.backward()
    drawing = draw_graph(h)
    _, width, fits = drawing.display_png()
    assert not fits and width > PAGE_PX
    natural = int.from_bytes(drawing.display_png()[0][16:20], "big") * 96 / 144
    text_px = smallest_text_pt(drawing._plain_svg()) * 96 / 72 * width / natural
    assert text_px >= LEGIBLE_PX - 0.1
    assert drawing._repr_mimebundle_()[1]["image/png"]["unconfined"] is True
    assert "overflow-x: auto" in drawing.png_html()
