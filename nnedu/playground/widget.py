"""`Playground`: the widget around a `PlaygroundModel` — controls, live views, play/pause.

The controls are ipywidgets; the main plot is a small anywidget (`ClickPlot`) that shows SVG
text and sends clicks back with their coordinates, so a student can add and delete points.
Training runs in a background thread while "play" is on (one epoch, then a redraw), so the
kernel stays free for the controls; every change to the model holds one lock.
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import anywidget
import ipywidgets as w
import numpy as np
import traitlets

from nnedu.playground import config as cfg
from nnedu.playground import render
from nnedu.playground.config import Config
from nnedu.playground.datasets import FEATURE_LABELS
from nnedu.playground.model import PlaygroundModel

LEARNING_RATES = (1e-5, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_RATES = (0.0, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
GRAPH_EVERY = 1.0  # while playing, redraw the clicked point's graph at most once a second
MAX_RATE = 30.0  # updates per second while playing (leaves the kernel time for the controls)


class ClickPlot(anywidget.AnyWidget):
    """Shows the SVG in `svg`; a click sends {'event': 'click', 'x', 'y'} in SVG coordinates."""

    _esm = """
    function render({ model, el }) {
      const box = document.createElement("div");
      box.className = "nnedu-pg-plot";
      el.appendChild(box);
      const draw = () => { box.innerHTML = model.get("svg"); };
      draw();
      model.on("change:svg", draw);
      box.addEventListener("click", (event) => {
        const svg = box.querySelector("svg");
        if (!svg) return;
        const point = svg.createSVGPoint();
        point.x = event.clientX;
        point.y = event.clientY;
        const p = point.matrixTransform(svg.getScreenCTM().inverse());
        model.send({ event: "click", x: p.x, y: p.y, shift: event.shiftKey });
      });
    }
    export default { render };
    """
    svg = traitlets.Unicode("").tag(sync=True)


def _title(text: str) -> w.HTML:
    return w.HTML(f"<b style='font-size:11px;letter-spacing:1px;color:#555'>{text}</b>")


class Playground:
    """TensorFlow Playground for the lecture: `Playground()` in a cell shows the widget.

    `config="data=xor&hidden=4&…"` starts from a configuration string (`pg.config` gives the
    current one); `pg.save("net.npz")` writes the weights as `nnedu.train.save_weights` does.
    For scripts and tests, `pg.step()`, `pg.play()`, `pg.pause()`, `pg.reset()` and
    `pg.click(x1, x2)` do what the buttons and a click on the plot do; `pg.model` is the
    `PlaygroundModel` underneath.
    """

    def __init__(self, config: Config | str | None = None) -> None:
        self.model = PlaygroundModel(config)
        self._lock = threading.RLock()
        self._thread: threading.Thread | None = None
        self._playing = False
        self._syncing = False
        self.selected: tuple[str, int] | None = None
        self._graph_time = 0.0
        self.updates = 0
        self._build()
        self._sync_controls()
        self.redraw(graph=True)

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        def small() -> w.Layout:  # one Layout per control: hiding one must not hide all
            return w.Layout(width="250px")

        style = {"description_width": "86px"}
        self.play_button = w.Button(description="play", icon="play", button_style="success",
                                    layout=w.Layout(width="90px"))
        self.step_button = w.Button(description="step", icon="step-forward",
                                    layout=w.Layout(width="80px"))
        self.reset_button = w.Button(description="reset", icon="undo",
                                     layout=w.Layout(width="80px"))
        self.status = w.HTML(layout=w.Layout(margin="0 0 0 12px"))
        self.play_button.on_click(lambda _: self.pause() if self._playing else self.play())
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())

        self.dataset = w.Dropdown(options=list(cfg.DATASETS), description="data set",
                                  layout=small(), style=style)
        self.classes = w.IntSlider(min=2, max=5, description="classes", layout=small(),
                                   style=style)
        self.noise = w.FloatSlider(min=0, max=0.5, step=0.05, description="noise",
                                   layout=small(), style=style)
        self.train_ratio = w.FloatSlider(min=0.1, max=0.9, step=0.1, description="train ratio",
                                         layout=small(), style=style)
        self.regenerate_button = w.Button(description="regenerate", icon="refresh",
                                          layout=w.Layout(width="120px"))
        self.click_mode = w.ToggleButtons(
            description="click", style={"button_width": "52px", "description_width": "40px"})
        self.new_target = w.FloatSlider(min=-1.5, max=1.5, step=0.1, value=1.0,
                                        description="new t", layout=small(), style=style)
        self.regenerate_button.on_click(lambda _: self._regenerate())

        self.feature_boxes = {name: w.Checkbox(description=FEATURE_LABELS[name], indent=False,
                                               layout=w.Layout(width="78px"))
                              for name in cfg.FEATURES}
        self.layers_box = w.VBox()
        self.add_layer = w.Button(description="+ layer", layout=w.Layout(width="72px"))
        self.remove_layer = w.Button(description="− layer", layout=w.Layout(width="72px"))
        self.add_layer.on_click(lambda _: self._change_layers(+1))
        self.remove_layer.on_click(lambda _: self._change_layers(-1))
        self.activation = w.Dropdown(options=list(cfg.ACTIVATIONS), description="activation",
                                     layout=small(), style=style)
        self.init = w.Dropdown(options=list(cfg.INITS), description="init", layout=small(),
                               style=style)
        self.optimizer = w.Dropdown(options=list(cfg.OPTIMIZERS), description="optimizer",
                                    layout=small(), style=style)
        self.lr = w.Dropdown(options=[(f"{v:g}", v) for v in LEARNING_RATES],
                             description="learning rate", layout=small(), style=style)
        self.batch = w.IntSlider(min=1, max=50, description="batch size", layout=small(),
                                 style=style)
        self.regularization = w.Dropdown(options=[("none", "none"), ("L1", "l1"), ("L2", "l2")],
                                         description="regularizer", layout=small(), style=style)
        self.reg_rate = w.Dropdown(options=[(f"{v:g}", v) for v in REG_RATES],
                                   description="reg. rate", layout=small(), style=style)
        self.output_info = w.HTML(layout=w.Layout(width="250px"))
        self.config_text = w.Text(description="config", layout=w.Layout(width="100%"),
                                  style={"description_width": "50px"})
        self.config_apply = w.Button(description="apply", layout=w.Layout(width="70px"))
        self.config_apply.on_click(lambda _: self.load_config(self.config_text.value))
        self.message = w.HTML()

        self.plot = ClickPlot()
        self.plot.on_msg(self._on_plot_message)
        self.loss_view = w.HTML()
        self.grad_view = w.HTML()
        self.network_view = w.HTML()
        self.graph_view = w.HTML(layout=w.Layout(max_width="100%", overflow="auto"))

        for control in (self.dataset, self.classes, self.noise, self.train_ratio,
                        self.activation, self.init, self.optimizer, self.lr, self.batch,
                        self.regularization, self.reg_rate, *self.feature_boxes.values()):
            control.observe(self._on_control, names="value")

        feature_grid = w.GridBox(list(self.feature_boxes.values()),
                                 layout=w.Layout(grid_template_columns="repeat(3, 80px)"))
        controls = w.VBox([
            _title("DATA"), self.dataset, self.classes, self.noise, self.train_ratio,
            self.regenerate_button, self.click_mode, self.new_target,
            _title("FEATURES"), feature_grid,
            _title("HIDDEN LAYERS"), w.HBox([self.add_layer, self.remove_layer]), self.layers_box,
            self.activation, self.init,
            _title("TRAINING"), self.optimizer, self.lr, self.batch, self.regularization,
            self.reg_rate, _title("OUTPUT, LOSS, UPDATE"), self.output_info,
        ], layout=w.Layout(width="270px", min_width="270px", flex="0 0 270px"))
        views = w.VBox([
            w.HBox([w.VBox([_title("NETWORK"), self.network_view, self.grad_view],
                           layout=w.Layout(flex="1 1 320px", min_width="0")),
                    w.VBox([_title("OUTPUT"), self.plot, self.loss_view],
                           layout=w.Layout(flex="0 0 350px"))],
                   layout=w.Layout(flex_flow="row wrap")),
            _title("COMPUTATION GRAPH OF THE CLICKED POINT (nnedu.scalar)"), self.graph_view,
        ], layout=w.Layout(flex="1 1 auto", min_width="0"))
        header = w.HBox([self.play_button, self.step_button, self.reset_button, self.status])
        self.root = w.VBox([header, w.HBox([controls, views]),
                            w.HBox([self.config_text, self.config_apply]), self.message],
                           layout=w.Layout(width="100%"))
        self.root.add_class("nnedu-playground")

    # ------------------------------------------------------------------ controls ↔ config
    def _sync_controls(self) -> None:
        """Show the model's config in the controls (without acting on the changes)."""
        c = self.model.config
        self._syncing = True
        try:
            self.dataset.value = c.dataset
            self.classes.value = c.classes
            self.classes.disabled = c.dataset not in cfg.MULTICLASS
            self.noise.value = c.noise
            self.train_ratio.value = c.train_ratio
            if c.task == "regression":
                options = [("add", "add"), ("delete", "delete")]
            else:
                options = [(f"{k}", f"class {k}") for k in range(c.classes)] + [
                    ("delete", "delete")]
            if list(self.click_mode.options) != options:
                self.click_mode.options = options
                self.click_mode.tooltips = [
                    "click adds a point of this class" if o[0] != "delete" else
                    "click deletes the nearest point" for o in options]
            if self.click_mode.value not in [v for _, v in options]:
                self.click_mode.value = options[0][1]
            self.new_target.layout.display = "" if c.dataset in ("plane", "bumps") else "none"
            for name, box in self.feature_boxes.items():
                box.value = name in c.features
                box.disabled = name not in c.allowed_features
            self.activation.value = c.activation
            self.init.value = c.init
            self.optimizer.value = c.optimizer
            self.lr.value = min(LEARNING_RATES, key=lambda v: abs(np.log(v / c.lr)))
            self.batch.value = min(c.batch_size, self.batch.max)
            self.regularization.value = c.regularization
            self.reg_rate.value = min(REG_RATES, key=lambda v: abs(v - c.reg_rate))
            out_layer, loss = self.model.output_description
            self.output_info.value = (f"<div style='font-size:12px;line-height:1.5'>output: "
                                      f"{out_layer}<br>loss: {loss}<br>update: "
                                      f"{self.model.update_rule}</div>")
            self.config_text.value = str(c)
            self._build_layer_controls()
        finally:
            self._syncing = False

    def _build_layer_controls(self) -> None:
        rows = []
        for i, n in enumerate(self.model.config.hidden):
            minus = w.Button(description="−", layout=w.Layout(width="32px"))
            plus = w.Button(description="+", layout=w.Layout(width="32px"))
            minus.on_click(lambda _, i=i: self._change_units(i, -1))
            plus.on_click(lambda _, i=i: self._change_units(i, +1))
            rows.append(w.HBox([w.Label(f"layer {i + 1}: {n} units",
                                        layout=w.Layout(width="120px")), minus, plus]))
        self.layers_box.children = rows
        self.add_layer.disabled = len(self.model.config.hidden) >= cfg.MAX_LAYERS
        self.remove_layer.disabled = not self.model.config.hidden

    def _on_control(self, change: dict) -> None:
        if self._syncing:
            return
        features = tuple(name for name in cfg.FEATURES if self.feature_boxes[name].value)
        changes = dict(dataset=self.dataset.value, noise=self.noise.value,
                       train_ratio=self.train_ratio.value, activation=self.activation.value,
                       init=self.init.value, optimizer=self.optimizer.value, lr=self.lr.value,
                       batch_size=self.batch.value, regularization=self.regularization.value,
                       reg_rate=self.reg_rate.value)
        if self.dataset.value == self.model.config.dataset:
            changes["classes"] = self.classes.value
            changes["features"] = features
        self.set(**changes)

    def _change_layers(self, delta: int) -> None:
        hidden = list(self.model.config.hidden)
        hidden = [*hidden, hidden[-1] if hidden else 2] if delta > 0 else hidden[:-1]
        self.set(hidden=tuple(hidden))

    def _change_units(self, i: int, delta: int) -> None:
        hidden = list(self.model.config.hidden)
        hidden[i] = min(max(hidden[i] + delta, 1), cfg.MAX_UNITS)
        self.set(hidden=tuple(hidden))

    def set(self, **changes: object) -> None:
        """Change settings as the controls do (see `PlaygroundModel.set`); a setting the
        playground cannot run is refused with its reason shown, the old one kept."""
        with self._lock:
            old = self.model.config
            try:
                self.model.set(**changes)
            except ValueError as error:
                self.message.value = f"<span style='color:#a93226'>{error}</span>"
                self._sync_controls()
                return
            self.message.value = ""
            if self.model.config.dataset != old.dataset or self.model.epoch == 0:
                self.selected = None
            self._sync_controls()
            self.redraw(graph=True)

    # ------------------------------------------------------------------ actions
    @property
    def config(self) -> str:
        """The configuration as a short string; `Playground(config=pg.config)` rebuilds it."""
        return str(self.model.config)

    def load_config(self, text: str) -> None:
        """Switch to the configuration in `text` (refused, with its reason, if invalid)."""
        try:
            new = Config.parse(text)
        except ValueError as error:
            self.message.value = f"<span style='color:#a93226'>{error}</span>"
            return
        with self._lock:
            self.model = PlaygroundModel(new)
            self.selected = None
            self.message.value = ""
            self._sync_controls()
            self.redraw(graph=True)

    def step(self) -> None:
        """Train one epoch and redraw."""
        with self._lock:
            self.model.train_epoch()
            self.redraw(graph=True)

    def reset(self) -> None:
        """New initial weights, epoch 0 (the data stay)."""
        with self._lock:
            self.model.reset()
            self.redraw(graph=True)

    def _regenerate(self) -> None:
        self.set(seed=self.model.config.seed + 1)

    def play(self) -> None:
        """Train continuously in the background, redrawing after every epoch."""
        if self._playing:
            return
        self._playing = True
        self.play_button.description, self.play_button.icon = "pause", "pause"
        self.play_button.button_style = "warning"
        self._thread = threading.Thread(target=self._run, name="nnedu-playground", daemon=True)
        self._thread.start()

    def pause(self) -> None:
        """Stop training after the current epoch (waits for it)."""
        self._playing = False
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=10)
        self._thread = None
        self.play_button.description, self.play_button.icon = "play", "play"
        self.play_button.button_style = "success"
        with self._lock:
            self.redraw(graph=True)

    @property
    def playing(self) -> bool:
        return self._playing

    def _run(self) -> None:
        while self._playing:
            start = time.perf_counter()
            with self._lock:
                self.model.train_epoch()
                diverged = self.model.diverged
                self.redraw(graph=time.perf_counter() - self._graph_time > GRAPH_EVERY)
            if diverged:
                self._playing = False
                self.play_button.description, self.play_button.icon = "play", "play"
                self.play_button.button_style = "success"
                break
            time.sleep(max(0.0, 1.0 / MAX_RATE - (time.perf_counter() - start)))

    def click(self, x1: float, x2: float) -> None:
        """What a click at (x₁, x₂) on the plot does in the current click mode: add a point
        of the chosen class (regression: target 'new t', or x₂ itself for the 1-D set),
        select it and show its computation graph; or delete the nearest point."""
        with self._lock:
            model = self.model
            mode = self.click_mode.value
            one_d = model.config.input_dims == 1
            x = np.array([x1] if one_d else [x1, x2])
            if mode == "delete":
                part, i, distance = model.nearest_point(x if not one_d else [x1])
                if distance < 0.5 and not (part == "train" and len(model.X_train) == 1):
                    model.delete_point(part, i)
                    self.selected = None
            else:
                if model.task == "regression":
                    target = x2 if one_d else self.new_target.value
                else:
                    target = int(mode.split()[-1])
                model.add_point(x, target)
                self.selected = ("train", len(model.X_train) - 1)
            self.redraw(graph=True)

    def select(self, part: str, index: int) -> None:
        """Show the computation graph of training or test point `index`."""
        with self._lock:
            self.selected = (part, index)
            self.redraw(graph=True)

    def _on_plot_message(self, _widget: object, content: dict, _buffers: object) -> None:
        if not isinstance(content, dict) or content.get("event") != "click":
            return
        try:
            px, py = float(content["x"]), float(content["y"])
        except (KeyError, TypeError, ValueError):
            return
        x1, x2 = render.from_pixels(px, py, one_d=self.model.config.input_dims == 1)
        R = render.datasets.DOMAIN
        if abs(x1) <= R and abs(x2) <= (render.LINE_Y if self.model.config.input_dims == 1
                                        else R):
            self.click(x1, x2)

    def save(self, path: str | Path) -> Path:
        """Write the weights to `path` (.npz) in the format `nnedu.train.load_weights` reads."""
        with self._lock:
            return self.model.save(path)

    # ------------------------------------------------------------------ views
    def redraw(self, graph: bool = False) -> None:
        """Update every view from the model (and the point's graph, if `graph`)."""
        with self._lock:
            model = self.model
            grid = model.grid()
            self.plot.svg = render.main_plot(model, grid, self.selected)
            self.network_view.value = render.network_plot(model, grid)
            self.loss_view.value = render.loss_plot(model)
            self.grad_view.value = render.grad_plot(model)
            accuracy = ""
            if model.task != "regression" and len(model.X_test):
                accuracy = f" · test accuracy {model.accuracy('test'):.0%}"
            warning = (" · <b style='color:#a93226'>diverged: the loss is not finite; lower "
                       "the learning rate and reset</b>" if model.diverged else "")
            self.status.value = (f"<span class='nnedu-pg-status' style='font-size:14px'>epoch "
                                 f"<b class='nnedu-pg-epoch'>{model.epoch}</b> · train loss "
                                 f"<b class='nnedu-pg-train-loss'>{model.train_loss:.4f}</b> · "
                                 f"test loss <b>{model.test_loss:.4f}</b>{accuracy}{warning}"
                                 "</span>")
            if graph:
                self._draw_graph()
            self.updates += 1

    def _draw_graph(self) -> None:
        from nnedu.playground.point_graph import draw_point_graph

        self._graph_time = time.perf_counter()
        model = self.model
        if self.selected is None:
            self.graph_view.value = ("<i style='color:#555'>click on the plot to add a point and "
                                     "see its computation graph</i>")
            return
        part, i = self.selected
        X, t = (model.X_train, model.t_train) if part == "train" else (model.X_test, model.t_test)
        if not 0 <= i < len(X) or model.diverged:
            self.graph_view.value = ""
            return
        svg = draw_point_graph(model, X[i], t[i]).render("svg").decode("utf-8")
        svg = svg[svg.find("<svg"):]
        width = re.search(r'width="([\d.]+)pt"', svg)
        if width:  # ¾ of the natural size: node text ≈ 10 px, the rest scrolls in its box
            svg = svg.replace("<svg", f'<svg style="width:{float(width.group(1)):.0f}px;'
                              'max-width:none;height:auto"', 1)
        self.graph_view.value = (f"<div class='nnedu-pg-graph' style='max-width:100%;"
                                 f"max-height:520px;overflow:auto'>{svg}</div>")

    # ------------------------------------------------------------------ display
    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        bundle = self.root._repr_mimebundle_(**kwargs)
        bundle = dict(bundle) if bundle else {}
        bundle["text/plain"] = repr(self)
        return bundle

    def __repr__(self) -> str:
        c = self.model.config
        return (f"Playground({c.dataset}, {c.task}, network {'-'.join(map(str, self.model.sizes))}"
                f" {c.activation}, {c.optimizer} lr={c.lr:g}; run the notebook to interact)")
