"""`nnedu graph`: good formulas give pictures; bad input gives a message, exit status 2, no work."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

import nnedu.viz.cli
from nnedu.cli import main
from nnedu.viz.graph import label_text

LOGISTIC = "z = w*x + b; y = sigmoid(z); L = 0.5*(y - t)**2"
AT = "w=0.5,x=1.5,b=0.1,t=1"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def no_evaluation(monkeypatch):
    """Fail the test if the formula is computed at all."""
    calls = []
    monkeypatch.setattr(nnedu.viz.cli, "evaluate", lambda *args: calls.append(args))
    yield calls
    assert calls == [], "the formula was computed although the input is bad"


@pytest.mark.parametrize("ext, magic", [("svg", b"<?xml"), ("png", b"\x89PNG"),
                                        ("pdf", b"%PDF"), ("dot", b"digraph")])
def test_writes_the_picture_in_the_format_of_the_extension(tmp_path, ext, magic):
    out = tmp_path / "sub" / f"logistic.{ext}"
    assert main(["graph", LOGISTIC, "--at", AT, "-o", str(out)]) == 0
    assert out.read_bytes().startswith(magic)


def test_svg_shows_the_forward_values_and_error_signals(tmp_path):
    out = tmp_path / "logistic.svg"
    assert main(["graph", LOGISTIC, "--at", AT, "-o", str(out)]) == 0
    svg = out.read_text()
    for text in (">z<", "> = 0.85<", ">y<", "> = 0.7006<", ">σ<", ">w<", "> = &#45;0.09422<"):
        assert text in svg, text


def test_without_output_prints_dot_and_options_reach_it(capsys):
    assert main(["graph", LOGISTIC, "--at", AT, "--rankdir", "TB", "--no-grad",
                 "--title", "logistic"]) == 0
    dot = capsys.readouterr().out
    assert dot.startswith("digraph") and "rankdir=TB" in dot and "label=<logistic>" in dot
    assert 'sides="T"' not in dot  # no error signals (drawn as a barred table cell)


def test_edge_grads_label_the_edges(capsys):
    assert main(["graph", LOGISTIC, "--at", AT, "--edge-grads"]) == 0
    labels = re.findall(r"label=<(.*?)>, fontcolor", capsys.readouterr().out)
    assert "z\u0304·1 = -0.06281" in [label_text(label) for label in labels]


def test_trace_prints_both_passes(capsys):
    assert main(["graph", LOGISTIC + "; R = 0.5*w**2; L_reg = L + lam*R",
                 "--at", AT, "--at", "lam=0.1", "--trace"]) == 0
    out = capsys.readouterr().out
    assert "Forward pass" in out and "Backward pass" in out
    assert "w\u0304 = v\u0304₃·x + v\u0304₁₅·2w = -0.09422 + 0.05 = -0.04422" in out


def test_frames_are_written_one_per_backward_step(tmp_path):
    frames = tmp_path / "frames"
    assert main(["graph", "y = w*x; L = y**2", "--at", "w=0.5,x=2", "--frames", str(frames),
                 "-o", str(tmp_path / "g.dot")]) == 0
    assert sorted(p.name for p in frames.iterdir()) == [f"step_0{k}.svg" for k in (1, 2, 3, 4)]


def test_the_readme_command_runs_as_a_program(tmp_path):
    out = tmp_path / "logistic.svg"
    run = subprocess.run([sys.executable, "-m", "nnedu", "graph", LOGISTIC, "--at", AT,
                          "-o", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert out.read_text().count("<svg") == 1 and "Fontconfig" not in run.stderr


BAD = [
    ("y = __import__('os').system('touch {marker}')", AT, "attribute access is not allowed"),
    ("__import__('os').system('touch {marker}')", AT, "column 1: an expression without"),
    ("y = __import__('os')", AT, "column 5: a dunder name"),
    ("y = w.real", AT, "column 5: attribute access is not allowed: 'w.real'"),
    ("y = w[0]", AT, "subscript is not allowed: 'w[0]'"),
    ("y = (lambda: w)()", AT, "lambda is not allowed"),
    ("import os", AT, "import is not allowed: 'import os'"),
    ("y = w < x", AT, "comparison is not allowed: 'w < x'"),
    ("y = 'w'", AT, "a constant that is not a real number"),
    ("y = w // x", AT, "operator // is not allowed"),
    ("y = softplus(w)", AT, "column 5: an unknown function is not allowed: 'softplus'"),
    ("y = w*x; L = λ*y", AT, "no value given for λ"),
    ("y = w*x +", AT, "column 10: syntax error"),
    ("y = w*x; y = y*2", AT, "y is assigned twice"),
    ("y = w*x\nL = y + open(x)", AT, "line 2, column 9: an unknown function"),
    ("y = w*x", "w=0.5,x=1,q=2", "a value is given for q"),
    ("y = w*x", "w=0.5,x=abc", "--at 'x=abc': 'abc' is not a number"),
    ("y = w*x", "w=0.5,x=nan", "the value must be finite"),
    ("y = w*x", "w=0.5,x", "expected NAME=NUMBER"),
]


@pytest.mark.parametrize("expression, at, message", BAD)
def test_bad_input_is_named_with_exit_status_2_and_nothing_runs(
        tmp_path, capsys, no_evaluation, expression, at, message):
    marker = tmp_path / "executed"
    out = tmp_path / "g.svg"
    status = main(["graph", expression.format(marker=marker), "--at", at, "-o", str(out)])
    err = capsys.readouterr().err
    assert status == 2 and err.startswith("nnedu graph: error:") and message in err
    assert not marker.exists() and not out.exists()


def test_unknown_output_format_is_refused_before_computing(tmp_path, capsys, no_evaluation):
    assert main(["graph", LOGISTIC, "--at", AT, "-o", str(tmp_path / "g.jpg")]) == 2
    assert "cannot write a .jpg file; name it .svg, .png, .pdf or .dot" in capsys.readouterr().err


def test_math_errors_name_the_piece_that_failed(tmp_path, capsys):
    out = tmp_path / "g.svg"
    assert main(["graph", "y = log(x - 1)", "--at", "x=1", "-o", str(out)]) == 2
    assert "column 5: cannot compute 'log(x - 1)': log(0.0)" in capsys.readouterr().err
    assert not out.exists()


def test_bad_rankdir_is_an_argparse_error_with_status_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["graph", LOGISTIC, "--at", AT, "--rankdir", "XY"])
    assert exit_.value.code == 2 and "invalid choice: 'XY'" in capsys.readouterr().err


def test_an_unwritable_output_is_named_with_exit_status_2(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    assert main(["graph", LOGISTIC, "--at", AT, "-o", str(blocker / "g.svg")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nnedu graph: error: cannot write") and "file" in err
