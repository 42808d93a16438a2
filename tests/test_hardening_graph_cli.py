"""`nnedu graph` keeps its promise on any input: exit 0 with the file, or exit 2 with one error
line; never a traceback, never a hang. Graphviz layouts that would take minutes are refused
from their measured cost (long edges, many edges) before Graphviz runs."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnedu.cli import main
from nnedu.scalar.engine import Value, topological_order
from nnedu.viz.graph import MAX_BENDS, MAX_EDGES, GraphTooLargeError, draw_graph, layout_cost

NNEDU = [sys.executable, "-m", "nnedu"]


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*NNEDU, "graph", *args], capture_output=True, timeout=120, **kwargs)


def one_error_line(result: subprocess.CompletedProcess, match: str) -> None:
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2, stderr
    assert stderr.count("\n") == 1 and stderr.startswith("nnedu graph: error: "), stderr
    assert match in stderr, stderr
    assert "Traceback" not in stderr


def fan_in_sum(n: int) -> str:
    return "y = " + " + ".join(["x"] * n)


def power_chain(n: int) -> str:
    return "a1 = x*x; " + "; ".join(f"a{i} = a{i - 1}*x" for i in range(2, n + 1))


@pytest.mark.parametrize("formula", [fan_in_sum(120), power_chain(100)])
def test_the_graphs_that_hung_graphviz_are_refused_at_once(tmp_path, formula) -> None:
    """Both took over a minute in Graphviz (120 terms: > 120 s; 100 steps: > 60 s)."""
    start = time.perf_counter()
    code = main(["graph", formula, "--at", "x=1", "-o", str(tmp_path / "g.svg")])
    assert code == 2 and time.perf_counter() - start < 10
    assert not (tmp_path / "g.svg").exists()


def test_the_message_says_why_the_layout_is_slow(capsys) -> None:
    assert main(["graph", fan_in_sum(120), "--at", "x=1"]) == 2
    err = capsys.readouterr().err
    assert "layout is too slow for Graphviz: 357 edges and 14042 points" in err
    assert "max_nodes" not in err  # a Python option, not one of the command


def test_layout_cost_counts_the_points_of_long_edges() -> None:
    """y = (x + x) + x: x (rank 0) feeds the first + circle (rank 1) twice and the second
    (rank 3) once: that edge spans 3 ranks, 2 points. 6 edges: 3 into the circles, 2 out of
    them, 1 from x + x into the second circle."""
    x = Value(1.0, label="x")
    y = x + x + x
    assert layout_cost(topological_order(y)) == (2 + 1 + 2 + 1, 0 + 0 + 0 + 2)
    # a chain without fan-out has no long edges at all, however long
    z = x
    for _ in range(300):
        z = z.tanh()
    assert layout_cost(topological_order(z)) == (600, 0)


def sum_graph(n: int) -> Value:
    x = Value(1.0, label="x")
    y = x
    for _ in range(n - 1):
        y = y + x
    y.backward()
    return y


def budget(root: Value) -> float:
    edges, bends = layout_cost(topological_order(root))
    return edges / MAX_EDGES + bends / MAX_BENDS


def test_the_budget_admits_sums_of_about_45_terms_and_refuses_more() -> None:
    """45 terms took 0.8–1.8 s in Graphviz, 60 terms 5 s, 80 terms 10–48 s; the Python API
    still draws a refused graph with max_nodes=None."""
    n = max(k for k in range(2, 100) if budget(sum_graph(k)) <= 1)
    assert n == 45
    draw_graph(sum_graph(n))
    with pytest.raises(GraphTooLargeError, match="max_nodes=None"):
        draw_graph(sum_graph(n + 1))
    assert "digraph" in draw_graph(sum_graph(n + 1), max_nodes=None).dot


def test_frames_are_limited_in_number(tmp_path) -> None:
    formula = "; ".join(f"a{i} = tanh({'x' if i == 1 else f'a{i - 1}'})" for i in range(1, 50))
    assert main(["graph", formula, "--at", "x=0.5", "--frames", str(tmp_path / "f")]) == 2
    assert not (tmp_path / "f").exists()


def test_a_formula_that_is_only_a_comment_is_an_error() -> None:
    one_error_line(run("# only a comment"), "no assignment, only comments")


def test_a_title_that_is_not_utf8_is_an_error() -> None:
    one_error_line(run("y = 2*x", "--at", "x=1", "--title", os.fsdecode(b"\xff")),
                   "title is not valid UTF-8")
    one_error_line(run(os.fsdecode(b"y = 2*x\xff"), "--at", "x=1"),
                   "expression is not valid UTF-8")


def test_a_huge_title_or_name_is_an_error(tmp_path) -> None:
    one_error_line(run("y = 2*x", "--at", "x=1", "--title", "T" * 20000, "-o",
                       str(tmp_path / "g.svg")), "title has 20000 characters")
    one_error_line(run("a" * 5500 + " = 2*x", "--at", "x=1", "-o", str(tmp_path / "g.svg")),
                   "a name of 5500 characters")


def test_a_title_with_control_characters_is_an_error(tmp_path) -> None:
    one_error_line(run("y = 2*x", "--at", "x=1", "--title", "a\x07b", "-o",
                       str(tmp_path / "g.svg")), "control character U+0007")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("options", [["--trace"], []])
def test_a_full_stdout_is_one_error_line(options) -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run([*NNEDU, "graph", "y = 2*x", "--at", "x=1", *options],
                                stdout=full, stderr=subprocess.PIPE, timeout=120)
    one_error_line(result, "cannot write to standard output: No space left on device")


def test_a_closed_pipe_is_one_error_line() -> None:
    process = subprocess.Popen([*NNEDU, "graph", power_chain(20) + "; L = a20", "--at", "x=1",
                                "--trace"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # the reader is gone before anything is written
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 2, stderr
    assert stderr == "nnedu graph: error: cannot write to standard output: Broken pipe\n"


def test_an_overflowing_backward_pass_is_one_error_line() -> None:
    one_error_line(run("y = relu(x)*a*a", "--at", "x=-1,a=1e300"),
                   "error signal of a node (op 'ReLU', value 0) is inf")


TOKENS = [*"xyz=+-*/()#;\n 0123456789.e", "**", "exp(", "relu(", "sigmoid(", "log(", "1e308"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expression=st.lists(st.sampled_from(TOKENS) | st.characters(codec="utf-8"),
                           max_size=30).map("".join),
       title=st.none() | st.text(max_size=30),
       at=st.sampled_from(["x=1", "x=1,y=2", "x=0", "x=-1e300", "y=2", "x=nan", "x"]))
def test_any_input_gives_exit_0_or_2_and_never_an_exception(expression, title, at) -> None:
    args = ["graph", expression, "--at", at] + ([] if title is None else ["--title", title])
    try:
        code = main(args)
    except SystemExit as exit:  # argparse: an expression that looks like an option
        code = exit.code
    assert code in (0, 2)


def test_nnedu_lecture_names_a_missing_or_broken_notebook(tmp_path, capsys) -> None:
    assert main(["lecture", str(tmp_path / "missing.ipynb")]) == 2
    assert capsys.readouterr().err == f"nnedu lecture: error: no such notebook: " \
                                      f"{tmp_path / 'missing.ipynb'}\n"
    (tmp_path / "broken.ipynb").write_text("{not json")
    assert main(["lecture", str(tmp_path / "broken.ipynb")]) == 2
    assert "does not appear to be JSON" in capsys.readouterr().err


def test_ctrl_c_ends_a_command_with_one_line_and_status_130(monkeypatch, capsys) -> None:
    def interrupted(args):
        raise KeyboardInterrupt
    monkeypatch.setattr("nnedu.viz.cli.graph_command", interrupted)
    assert main(["graph", "y = 2*x", "--at", "x=1"]) == 130
    assert capsys.readouterr().err == "nnedu graph: interrupted\n"


def test_frames_of_a_graph_that_is_slow_to_lay_out_are_refused(tmp_path, capsys) -> None:
    """25 random-ish steps whose labelled layout uses 40 % of one picture's budget each:
    about 14 budgets in all, over 5 s of Graphviz."""
    formula = "; ".join(f"a{i} = {'x' if i == 1 else f'a{i - 1}'} + x" for i in range(1, 26))
    assert main(["graph", formula, "--at", "x=0.5", "--frames", str(tmp_path / "f")]) == 2
    assert "times the layout budget of one picture" in capsys.readouterr().err
    assert not (tmp_path / "f").exists()


def test_the_lectures_frames_are_within_the_budget(tmp_path) -> None:
    formula = ("z = w*x + b; y = sigmoid(z); L = 0.5*(y - t)**2; R = 0.5*w**2; "
               "L_reg = L + lam*R")
    assert main(["graph", formula, "--at", "w=0.5,x=1.5,b=0.1,t=1,lam=0.1", "--frames",
                 str(tmp_path / "f"), "-o", str(tmp_path / "g.dot")]) == 0
    assert len(list((tmp_path / "f").glob("step_*.svg"))) == 16  # as notebook 03
