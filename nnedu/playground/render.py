"""Pictures of a `PlaygroundModel` as SVG text and small PNGs, made with numpy alone.

Matplotlib takes ~50 ms a figure; a live view needs all of its pictures in a few: the heat maps
are colour arrays encoded as PNG (`png`), the points, curves and connections are SVG elements.
Colours are the Playground's: orange for negative / class 0, blue for positive / class 1.
"""

from __future__ import annotations

import base64
import html
import math
import struct
import zlib

import numpy as np

from nnedu.playground import datasets
from nnedu.playground.model import GridView, PlaygroundModel

ORANGE = np.array([245, 147, 34], dtype=np.float64)
BLUE = np.array([8, 119, 189], dtype=np.float64)
WHITE = np.array([232, 234, 235], dtype=np.float64)
CLASS_COLOURS = np.array([ORANGE, BLUE, [46, 160, 67], [142, 68, 173], [214, 39, 40]])
PLOT_SIZE, MARGIN = 300, 22  # the main plot: the square [−R, R]² in PLOT_SIZE px, plus axes
LINE_Y = 2.0  # the 1-D plot shows y ∈ [−LINE_Y, LINE_Y]


# ------------------------------------------------------------------------------ images
def png(rgb: np.ndarray) -> bytes:
    """A PNG file of an (H, W, 3) uint8 image (no filter, fast zlib level)."""
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    height, width, _ = rgb.shape
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)  # filter byte 0 before each row
    rows[:, 1:] = rgb.reshape(height, -1)

    def chunk(kind: bytes, payload: bytes) -> bytes:
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + chunk(b"IEND", b""))


def data_url(rgb: np.ndarray) -> str:
    return "data:image/png;base64," + base64.b64encode(png(rgb)).decode("ascii")


def diverging(values: np.ndarray, scale: float, light: float = 0.0) -> np.ndarray:
    """Colours for values in [−scale, scale]: orange (−) through white (0) to blue (+);
    `light` ∈ [0, 1) mixes in white (backgrounds under the points)."""
    s = np.clip(np.nan_to_num(values / scale if scale > 0 else values * 0.0), -1.0, 1.0)
    s = s[..., None]
    colour = np.where(s >= 0, WHITE + s * (BLUE - WHITE), WHITE - s * (ORANGE - WHITE))
    colour = colour + light * (255.0 - colour)
    return colour.astype(np.uint8)


def class_colours(p: np.ndarray, light: float = 0.35) -> np.ndarray:
    """Colours for class probabilities p of shape (..., K): the mix Σ_k p_k colour_k, paler
    where the network is unsure (max_k p_k near 1/K)."""
    K = p.shape[-1]
    mix = np.nan_to_num(p) @ CLASS_COLOURS[:K]
    certainty = (np.nan_to_num(p.max(axis=-1)) - 1.0 / K) / (1.0 - 1.0 / K)
    fade = light + (1 - light) * (1 - np.clip(certainty, 0, 1))[..., None] * 0.8
    colour = mix + fade * (WHITE - mix)
    return colour.astype(np.uint8)


def prediction_image(model: PlaygroundModel, grid: GridView) -> np.ndarray:
    """The heat map under the points: ŷ's colour at every grid point."""
    p = grid.prediction
    if model.task == "binary":
        return diverging(2 * p - 1, 1.0, light=0.3)
    if model.task == "multiclass":
        return class_colours(p)
    return diverging(p, target_scale(model), light=0.3)


def target_scale(model: PlaygroundModel) -> float:
    t = np.concatenate([model.t_train, model.t_test]).astype(np.float64)
    return float(np.max(np.abs(t))) if len(t) else 1.0


def unit_image(values: np.ndarray) -> np.ndarray:
    """A hidden unit's (or feature's) output over the plane, scaled by its largest |value|."""
    finite = values[np.isfinite(values)]
    scale = float(np.max(np.abs(finite))) if finite.size else 1.0
    if values.ndim == 1:  # the 1-D set: a strip
        values = np.repeat(values[None, :], 8, axis=0)
    return diverging(values, scale)


# ------------------------------------------------------------------------------ the main plot
def to_pixels(x: np.ndarray) -> np.ndarray:
    """Data coordinates in [−R, R] → SVG coordinates of the main plot."""
    R = datasets.DOMAIN
    return MARGIN + (np.asarray(x, dtype=np.float64) + R) / (2 * R) * PLOT_SIZE


def from_pixels(px: float, py: float, one_d: bool = False) -> tuple[float, float]:
    """SVG coordinates of the main plot → (x₁, x₂) (or (x₁, y) for the 1-D plot)."""
    R = datasets.DOMAIN
    x1 = (px - MARGIN) / PLOT_SIZE * 2 * R - R
    top = LINE_Y if one_d else R
    x2 = top - (py - MARGIN) / PLOT_SIZE * 2 * top
    return float(x1), float(x2)


def _point_colour(model: PlaygroundModel, t: float) -> str:
    if model.task == "regression":
        c = diverging(np.array([t]), target_scale(model))[0]
    else:
        c = CLASS_COLOURS[int(t)].astype(np.uint8)
    return f"rgb({c[0]},{c[1]},{c[2]})"


def main_plot(model: PlaygroundModel, grid: GridView, selected: tuple[str, int] | None = None,
              show_test: bool = True) -> str:
    """The decision boundary (or regression surface) with the training points (white rim) and
    test points (black rim); the selected point gets a red ring."""
    S, M = PLOT_SIZE, MARGIN
    size = S + 2 * M
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
           f'width="{size}" height="{size}" style="cursor:crosshair" class="nnedu-pg-main">']
    one_d = model.config.input_dims == 1
    R = datasets.DOMAIN
    if one_d:
        out.append(f'<rect x="{M}" y="{M}" width="{S}" height="{S}" fill="#f7f7f7"/>')
        px = to_pixels(grid.axis)
        py = M + (LINE_Y - np.clip(grid.prediction, -3 * LINE_Y, 3 * LINE_Y)) / (2 * LINE_Y) * S
        points = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(px, py) if np.isfinite(b))
        out.append(f'<clipPath id="pgclip"><rect x="{M}" y="{M}" width="{S}" height="{S}"/>'
                   f'</clipPath><polyline points="{points}" fill="none" stroke="#0877bd" '
                   'stroke-width="2.5" clip-path="url(#pgclip)"/>')
    else:
        out.append(f'<image x="{M}" y="{M}" width="{S}" height="{S}" preserveAspectRatio="none" '
                   f'href="{data_url(prediction_image(model, grid))}"/>')
    out.append(f'<rect x="{M}" y="{M}" width="{S}" height="{S}" fill="none" stroke="#999"/>')
    for v in range(-int(R), int(R) + 1, 2):
        p = to_pixels(v)
        out.append(f'<text x="{p:.1f}" y="{size - 6}" font-size="10" text-anchor="middle" '
                   f'fill="#555">{v}</text>')
        yv = v / R * LINE_Y if one_d else v
        q = M + (S / 2) - yv / (LINE_Y if one_d else R) * (S / 2)
        out.append(f'<text x="{M - 4}" y="{q + 3:.1f}" font-size="10" text-anchor="end" '
                   f'fill="#555">{yv:g}</text>')
    parts = [("train", model.X_train, model.t_train, "white")]
    if show_test:
        parts.append(("test", model.X_test, model.t_test, "black"))
    for part, X, t, rim in parts:
        if one_d:
            xs, ys = to_pixels(X[:, 0]), M + (LINE_Y - np.clip(t, -LINE_Y, LINE_Y)) / (
                2 * LINE_Y) * S
        else:
            xs, ys = to_pixels(X[:, 0]), M + S - (to_pixels(X[:, 1]) - M)
        for i, (a, b, ti) in enumerate(zip(xs, ys, t)):
            colour = "#0877bd" if one_d else _point_colour(model, ti)
            out.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3.6" fill="{colour}" '
                       f'stroke="{rim}" stroke-width="1" data-part="{part}" data-i="{i}"/>')
    if selected is not None:
        part, i = selected
        X, t = (model.X_train, model.t_train) if part == "train" else (model.X_test,
                                                                        model.t_test)
        if 0 <= i < len(X):
            a = to_pixels(X[i, 0])
            b = (M + (LINE_Y - np.clip(t[i], -LINE_Y, LINE_Y)) / (2 * LINE_Y) * S if one_d
                 else M + S - (to_pixels(X[i, 1]) - M))
            out.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="8" fill="none" stroke="#d62728" '
                       'stroke-width="2.5"/>')
    out.append("</svg>")
    return "".join(out)


# ------------------------------------------------------------------------------ small views
def loss_plot(model: PlaygroundModel, width: int = 344, height: int = 110) -> str:
    """Train (solid) and test (dashed) loss per epoch."""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" class="nnedu-pg-loss">',
           f'<rect x="0" y="0" width="{width}" height="{height}" fill="white" stroke="#ccc"/>']
    series = [(model.train_losses, "#222", ""),
              (model.test_losses, "#888", ' stroke-dasharray="4 3"')]
    values = np.array([v for s, _, _ in series for v in s], dtype=np.float64)
    values = values[np.isfinite(values)]
    top = float(values.max()) if values.size else 1.0
    top = top if top > 0 else 1.0
    n = max(len(model.train_losses), 2)
    for losses, colour, dash in series:
        if not losses:
            continue
        ys = np.asarray(losses, dtype=np.float64)
        keep = np.isfinite(ys)
        xs = 4 + np.arange(len(ys)) / (n - 1) * (width - 8)
        py = height - 4 - ys / top * (height - 22)
        pts = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(xs[keep], py[keep]))
        out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" '
                   f'stroke-width="1.5"{dash}/>')
    out.append(f'<text x="6" y="13" font-size="11" fill="#333">loss (max {top:.3g}) — '
               f'train solid, test dashed; epoch {model.epoch}</text></svg>')
    return "".join(out)


def grad_plot(model: PlaygroundModel, width: int = 344) -> str:
    """‖W̄⁽ℓ⁾‖, the gradient norm reaching each layer's weights (mean over the last epoch),
    as bars on a log scale from 10⁻⁸ to 10¹: a vanishing gradient is a bar that shrinks."""
    norms = model.grad_norms
    row = 20
    height = 24 + row * len(norms)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" class="nnedu-pg-grads">',
           '<text x="4" y="14" font-size="11" fill="#333">gradient norm ‖W̄<tspan '
           'baseline-shift="super" font-size="8">(ℓ)</tspan>‖ reaching each layer (log scale)'
           '</text>']
    low, high = -8.0, 1.0
    bar_left, bar_width = 62, width - 140
    for ell, g in enumerate(norms, start=1):
        y = 20 + row * (ell - 1)
        frac = 0.0 if not (g > 0 and math.isfinite(g)) else (
            (min(max(math.log10(g), low), high) - low) / (high - low))
        name = "output" if ell == len(norms) else f"layer {ell}"
        out.append(f'<text x="4" y="{y + 13}" font-size="11" fill="#333">{name}</text>'
                   f'<rect x="{bar_left}" y="{y + 3}" width="{bar_width}" height="12" '
                   f'fill="#eee"/><rect x="{bar_left}" y="{y + 3}" width="{frac * bar_width:.1f}"'
                   f' height="12" fill="#a93226"/><text x="{bar_left + bar_width + 6}" '
                   f'y="{y + 13}" font-size="11" fill="#333">{g:.2e}</text>')
    out.append("</svg>")
    return "".join(out)


def network_plot(model: PlaygroundModel, grid: GridView, thumb: int = 36) -> str:
    """The network as the Playground draws it: a column per layer (features, hidden layers,
    outputs), every unit as a thumbnail of its output over the input plane, connections
    coloured by the weight's sign (blue +, orange −) and as thick as its magnitude."""
    columns: list[list[np.ndarray]] = [grid.features, *grid.hidden]
    if model.task == "multiclass":
        outputs = [grid.prediction[..., k] * 2 - 1 for k in range(grid.prediction.shape[-1])]
    elif model.task == "binary":
        outputs = [grid.prediction * 2 - 1]
    else:
        outputs = [grid.prediction]
    columns.append(outputs)
    gap_y, gap_x, top = thumb + 10, thumb + 56, 34
    tallest = max(len(c) for c in columns)
    width = 48 + gap_x * (len(columns) - 1) + thumb + 10
    height = top + gap_y * tallest + 4
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" class="nnedu-pg-network" '
           'style="max-width:100%;height:auto">']

    def place(c: int, j: int) -> tuple[float, float]:
        n = len(columns[c])
        y0 = top + (tallest - n) * gap_y / 2
        return 48 + c * gap_x, y0 + j * gap_y

    for ell, layer in enumerate(model.linears):
        W = layer.W.data
        finite = W[np.isfinite(W)]
        scale = max(float(np.max(np.abs(finite))) if finite.size else 1.0, 1e-12)
        for j in range(W.shape[0]):
            for i in range(W.shape[1]):
                w = W[j, i]
                if not math.isfinite(w):
                    continue
                x0, y0 = place(ell, i)
                x1, y1 = place(ell + 1, j)
                colour = "#0877bd" if w > 0 else "#f59322"
                stroke = 0.4 + 4.0 * abs(w) / scale
                out.append(f'<line x1="{x0 + thumb:.1f}" y1="{y0 + thumb / 2:.1f}" '
                           f'x2="{x1:.1f}" y2="{y1 + thumb / 2:.1f}" stroke="{colour}" '
                           f'stroke-width="{stroke:.2f}" stroke-opacity="0.75">'
                           f'<title>W{ell + 1}[{j + 1},{i + 1}] = {w:.3g}</title></line>')
    act = html.escape(model.config.activation)
    out_name, _ = model.output_description
    headers = ["features", *(f"{n} × {act}" for n in model.config.hidden),
               html.escape(out_name)]
    norms = model.grad_norms
    for c, column in enumerate(columns):
        x, _ = place(c, 0)
        out.append(f'<text x="{x + thumb / 2}" y="12" font-size="11" text-anchor="middle" '
                   f'fill="#333">{headers[c]}</text>')
        if c >= 1:
            out.append(f'<text x="{x + thumb / 2}" y="26" font-size="9" text-anchor="middle" '
                       f'fill="#a93226">‖W̄<tspan baseline-shift="super" font-size="7">({c})'
                       f'</tspan>‖ {norms[c - 1]:.1e}</text>')
        for j, values in enumerate(column):
            x, y = place(c, j)
            label = ""
            if c == 0:
                label = datasets.FEATURE_LABELS[model.config.features[j]]
            out.append(f'<image x="{x}" y="{y}" width="{thumb}" height="{thumb}" '
                       f'preserveAspectRatio="none" href="{data_url(unit_image(values))}">'
                       f'<title>{label or f"unit {j + 1}"}</title></image>'
                       f'<rect x="{x}" y="{y}" width="{thumb}" height="{thumb}" fill="none" '
                       'stroke="#888"/>')
            if label:
                out.append(f'<text x="{x - 3}" y="{y + thumb / 2 + 4}" font-size="10" '
                           f'text-anchor="end" fill="#333">{label}</text>')
    out.append("</svg>")
    return "".join(out)
