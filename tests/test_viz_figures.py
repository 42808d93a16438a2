"""save_figure: a figure that looks the same is not rewritten, a changed one is, atomically."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from nnedu.viz.figures import save_figure


def curve(offset):
    fig, ax = plt.subplots(figsize=(4, 3))
    x = np.linspace(0, 1, 200)
    ax.plot(x, np.sin(6 * x) + offset)
    ax.set_ylim(-2, 2)
    return fig


def test_rounding_noise_keeps_the_file_a_real_change_rewrites_it(tmp_path, monkeypatch):
    monkeypatch.setenv("NNEDU_FIGURES", str(tmp_path))
    monkeypatch.delenv("NNEDU_REWRITE_FIGURES", raising=False)
    path = save_figure(curve(0.0), "sine")
    first = path.read_bytes()

    save_figure(curve(3e-3), "sine")  # a curve moved by 3e-3: a few anti-aliased pixels
    assert path.read_bytes() == first

    save_figure(curve(0.3), "sine")  # a curve moved by 0.3: a different picture
    assert path.read_bytes() != first
    assert [p.name for p in tmp_path.iterdir()] == ["sine.png"]  # no partial files left


def test_regenerating_rewrites_every_figure(tmp_path, monkeypatch):
    monkeypatch.setenv("NNEDU_FIGURES", str(tmp_path))
    path = save_figure(curve(0.0), "sine")
    first = path.read_bytes()
    monkeypatch.setenv("NNEDU_REWRITE_FIGURES", "1")
    save_figure(curve(3e-3), "sine")  # the same to the eye, but written anew when regenerating
    assert path.read_bytes() != first
