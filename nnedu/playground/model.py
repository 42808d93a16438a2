"""The playground's state without any view: data, network, optimizer, one epoch at a time.

`PlaygroundModel(config)` builds the data set, splits it, builds the network with `nnedu.nn.mlp`
and an optimizer from `nnedu.optim`; `train_epoch()` runs one pass over the training points in
minibatches. The output layer and the loss follow the task, as the lecture's table of output
layers and losses says:

    binary       one logit f, ŷ = σ(f),        loss BCE   −c log σ(f) − (1−c) log(1−σ(f))
    multi-class  K logits f,  ŷ = softmax(f),  loss       −log softmax(f)_c
    regression   one output y (linear),         loss       ½(y − t)²

Regularization adds its gradient to the weights (not the biases) before each step:
L2 ½λ‖W‖² gives W_bar += λW, L1 λ‖W‖₁ gives W_bar += λ sign(W). The losses recorded are the
data losses (without the penalty), on the training and the test points.

Everything a view needs — predictions on a grid, every hidden unit's output on it, the gradient
norm reaching each layer — comes from here, so unit tests drive it without a browser.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nnedu import nn, optim, train
from nnedu.nn.activations import Activation
from nnedu.playground import datasets
from nnedu.playground.config import MULTICLASS, Config, ConfigError

ARCHITECTURE_FIELDS = ("dataset", "classes", "noise", "train_ratio", "n_points", "seed",
                       "features", "hidden", "activation", "init")


class Identity(Activation):
    """The linear activation h = z, φ′(z) = 1 (a network of these stays a linear map)."""

    def phi(self, z: np.ndarray) -> np.ndarray:
        return z

    def phi_prime(self) -> np.ndarray:
        return np.ones_like(self.z)


OUTPUTS = {
    "binary": ("ŷ = σ(f)", "binary cross-entropy (BCE with logits)"),
    "multiclass": ("ŷ = softmax(f)", "softmax cross-entropy"),
    "regression": ("y = f (linear output)", "squared error ½(y − t)²"),
}


UPDATE_RULES = {  # what each optimizer of nnedu.optim does with the minibatch gradient g
    "sgd": "θ ← θ − η g",
    "momentum": "m ← γm + (1 − γ) g,  θ ← θ − η m  (γ = 0.9)",
    "rmsprop": "v ← γv + (1 − γ) g²,  θ ← θ − η g / (√v + ε)  (γ = 0.99)",
    "adam": "m ← β₁m + (1 − β₁) g,  v ← β₂v + (1 − β₂) g²,  θ ← θ − η m̂ / (√v̂ + ε)",
}
PENALTIES = {"none": "", "l1": "g ← g + λ sign(W)  (L1)", "l2": "g ← g + λ W  (L2)"}


@dataclass
class GridView:
    """Everything over the input plane: `prediction` (G, G) (binary: σ(f); regression: y)
    or (G, G, K) (multi-class: softmax), `features` and `hidden` as lists of (G, G) arrays
    (hidden[ℓ][j] is unit j of hidden layer ℓ+1), on the grid `axis` × `axis`.
    For the 1-D set the 'grid' is a line: arrays have shape (G,)."""

    axis: np.ndarray
    prediction: np.ndarray
    features: list[np.ndarray]
    hidden: list[list[np.ndarray]]


class PlaygroundModel:
    """Data, network and training of a playground, with no widgets."""

    def __init__(self, config: Config | str | None = None) -> None:
        if config is None:
            config = Config()
        elif isinstance(config, str):
            config = Config.parse(config)
        elif not isinstance(config, Config):
            raise ConfigError(f"PlaygroundModel: config must be a Config or a string, got "
                              f"{type(config).__name__}")
        self.config = config
        self.train_losses: list[float] = []
        self.test_losses: list[float] = []
        self.grad_norms: list[float] = []  # ‖W_bar⁽ℓ⁾‖ per layer, mean over the last epoch
        self.grad_norm_history: list[list[float]] = []
        self.diverged = False
        self._make_data()
        self.build_network()

    # ------------------------------------------------------------------ data
    @property
    def task(self) -> str:
        return self.config.task

    @property
    def n_outputs(self) -> int:
        return self.config.classes if self.task == "multiclass" else 1

    def _make_data(self) -> None:
        X, t = datasets.make_dataset(self.config)
        train_idx, test_idx = datasets.split(len(X), self.config.train_ratio, self.config.seed)
        self.X_train, self.t_train = X[train_idx], t[train_idx]
        self.X_test, self.t_test = X[test_idx], t[test_idx]

    def regenerate(self) -> None:
        """Draw the data set again (a new seed gives new points), keeping the network."""
        self._make_data()
        self._record_losses()

    def add_point(self, x: tuple[float, ...] | np.ndarray, target: float, test: bool = False
                  ) -> None:
        """Add a training (or test) point at input x with class label or target `target`."""
        x = np.asarray(x, dtype=np.float64).reshape(-1)
        if x.shape != (self.config.input_dims,) or not np.all(np.isfinite(x)):
            raise ValueError(f"add_point: x must be {self.config.input_dims} finite numbers, "
                             f"got {x.tolist()}")
        if self.task == "regression":
            target = float(target)
            if not np.isfinite(target):
                raise ValueError(f"add_point: target must be finite, got {target!r}")
        else:
            if isinstance(target, bool) or int(target) != target or not (
                    0 <= target < self.config.classes):
                raise ValueError(f"add_point: class must be 0 … {self.config.classes - 1}, "
                                 f"got {target!r}")
            target = int(target)
        if test:
            self.X_test = np.vstack([self.X_test, x])
            self.t_test = np.append(self.t_test, np.asarray(target, self.t_test.dtype))
        else:
            self.X_train = np.vstack([self.X_train, x])
            self.t_train = np.append(self.t_train, np.asarray(target, self.t_train.dtype))
        self._record_losses()

    def nearest_point(self, x: tuple[float, ...] | np.ndarray) -> tuple[str, int, float]:
        """('train' or 'test', index, distance) of the data point nearest to x."""
        x = np.asarray(x, dtype=np.float64).reshape(1, -1)
        best = ("train", -1, np.inf)
        for part, X in (("train", self.X_train), ("test", self.X_test)):
            if len(X):
                d = np.sqrt(((X - x[:, :X.shape[1]]) ** 2).sum(axis=1))
                i = int(np.argmin(d))
                if d[i] < best[2]:
                    best = (part, i, float(d[i]))
        return best

    def delete_point(self, part: str, index: int) -> None:
        """Remove training or test point `index` (at least one training point stays)."""
        if part not in ("train", "test"):
            raise ValueError(f"delete_point: part must be 'train' or 'test', got {part!r}")
        X = self.X_train if part == "train" else self.X_test
        if not 0 <= index < len(X):
            raise IndexError(f"delete_point: no {part} point {index} (there are {len(X)})")
        if part == "train" and len(X) == 1:
            raise ValueError("delete_point: the last training point stays")
        if part == "train":
            self.X_train = np.delete(self.X_train, index, axis=0)
            self.t_train = np.delete(self.t_train, index)
        else:
            self.X_test = np.delete(self.X_test, index, axis=0)
            self.t_test = np.delete(self.t_test, index)
        self._record_losses()

    # ------------------------------------------------------------------ network
    @property
    def sizes(self) -> list[int]:
        """[D, H₁, …, K]: features, hidden units, outputs."""
        return [len(self.config.features), *self.config.hidden, self.n_outputs]

    def build_network(self) -> None:
        """A new network from the config (new initial weights), a new optimizer, epoch 0."""
        activation = Identity if self.config.activation == "linear" else self.config.activation
        self.net = nn.mlp(self.sizes, activation, init=self.config.init,
                          rng=np.random.default_rng(self.config.seed))
        self.linears = [layer for layer in self.net.layers if isinstance(layer, nn.Linear)]
        if self.task == "binary":
            self.loss = nn.BCEWithLogitsLoss()
        elif self.task == "multiclass":
            self.loss = nn.SoftmaxCrossEntropyLoss()
        else:
            self.loss = nn.MSELoss()
        self.epoch = 0
        self.diverged = False
        self.train_losses, self.test_losses, self.grad_norm_history = [], [], []
        self.grad_norms = [0.0] * len(self.linears)
        self.make_optimizer()
        self._rng = np.random.default_rng(self.config.seed + 2)
        self._record_losses()

    def make_optimizer(self) -> None:
        """The config's optimizer with fresh state (momentum, averages start at 0)."""
        params, lr = self.net.parameters(), self.config.lr
        name = self.config.optimizer
        if name == "sgd":
            self.optimizer: optim.Optimizer = optim.SGD(params, lr)
        elif name == "momentum":
            self.optimizer = optim.Momentum(params, lr)
        elif name == "rmsprop":
            self.optimizer = optim.RMSProp(params, lr)
        else:
            self.optimizer = optim.Adam(params, lr)

    def set(self, **changes: object) -> None:
        """Change settings. Learning rate, batch size and regularization take effect at the next
        minibatch (training goes on); a new optimizer starts with fresh state; a change to the
        data or the network (features, layers, activation, initialization) rebuilds it."""
        old = self.config
        dataset = changes.get("dataset", old.dataset)
        if dataset != old.dataset:  # keep what still fits the new data set
            if "classes" not in changes and dataset not in MULTICLASS:
                changes["classes"] = 2
            if "features" not in changes:
                probe = old.with_(dataset=dataset, features=("x1",), classes=2)
                kept = tuple(f for f in old.features if f in probe.allowed_features)
                if probe.input_dims == 2 and old.input_dims == 1:  # add x₂'s twin of each
                    kept = tuple(dict.fromkeys(
                        g for f in kept for g in (f, f.replace("1", "2"))))
                kept = kept or (("x1", "x2") if probe.input_dims == 2 else ("x1",))
                changes["features"] = kept
        new = old.with_(**changes)
        self.config = new
        data_changed = any(getattr(old, f) != getattr(new, f) for f in
                           ("dataset", "classes", "noise", "train_ratio", "n_points", "seed"))
        if data_changed:
            self._make_data()
        if any(getattr(old, f) != getattr(new, f) for f in ARCHITECTURE_FIELDS):
            self.build_network()
            return
        if new.optimizer != old.optimizer:
            self.make_optimizer()
        self.optimizer.lr = new.lr

    def reset(self) -> None:
        """Start training again from new initial weights of the same config."""
        self.build_network()

    def targets(self, t: np.ndarray) -> np.ndarray:
        """Targets in the shape the loss wants: (N, 1) floats, or (N,) integer labels."""
        if self.task == "multiclass":
            return t
        return t.astype(np.float64).reshape(-1, 1)

    def inputs(self, X: np.ndarray) -> np.ndarray:
        return datasets.features(X, self.config.features)

    def data_loss(self, X: np.ndarray, t: np.ndarray) -> float:
        """The loss on (X, t) without the regularization term (nan for no points)."""
        if len(X) == 0:
            return float("nan")
        return float(self.loss.forward(self.net.forward(self.inputs(X)), self.targets(t)))

    def _record_losses(self) -> None:
        self.train_loss = self.data_loss(self.X_train, self.t_train)
        self.test_loss = self.data_loss(self.X_test, self.t_test)

    # ------------------------------------------------------------------ training
    def train_epoch(self) -> float:
        """One pass over the training points in shuffled minibatches; returns the train loss."""
        if self.diverged:
            return self.train_loss
        config = self.config
        H, T = self.inputs(self.X_train), self.targets(self.t_train)
        order = self._rng.permutation(len(H))
        sums = np.zeros(len(self.linears))
        steps = 0
        # a too large learning rate overflows somewhere: that is reported as `diverged`
        with np.errstate(over="ignore", invalid="ignore"):
            for start in range(0, len(H), config.batch_size):
                batch = order[start:start + config.batch_size]
                self.optimizer.zero_grad()
                L = self.loss.forward(self.net.forward(H[batch]), T[batch])
                if not np.isfinite(L):
                    self.diverged = True
                    break
                self.net.backward(self.loss.backward(), input_grad=False)
                sums += [np.linalg.norm(layer.W.grad) for layer in self.linears]
                self._regularize()
                self.optimizer.step()
                steps += 1
            self.epoch += 1
            if steps:
                self.grad_norms = (sums / steps).tolist()
            self._record_losses()
        weights_finite = all(np.all(np.isfinite(p.data)) for p in self.net.parameters())
        if not (np.isfinite(self.train_loss) and weights_finite):
            self.diverged = True
        self.train_losses.append(self.train_loss)
        self.test_losses.append(self.test_loss)
        self.grad_norm_history.append(list(self.grad_norms))
        return self.train_loss

    def _regularize(self) -> None:
        """W_bar += λW (L2) or λ sign(W) (L1), for every weight matrix (biases are left out)."""
        rate, kind = self.config.reg_rate, self.config.regularization
        if kind == "none" or rate == 0:
            return
        for layer in self.linears:
            W = layer.W
            W.grad += rate * (W.data if kind == "l2" else np.sign(W.data))

    def train(self, epochs: int) -> float:
        """Run `epochs` epochs; returns the last train loss."""
        for _ in range(epochs):
            self.train_epoch()
        return self.train_loss

    # ------------------------------------------------------------------ what views show
    def predict(self, X: np.ndarray) -> np.ndarray:
        """ŷ for inputs X: σ(f) (binary), softmax(f) rows (multi-class), y (regression)."""
        f = self.net.forward(self.inputs(np.asarray(X, dtype=np.float64)))
        if self.task == "binary":
            return nn.sigmoid(f[:, 0])
        if self.task == "multiclass":
            return nn.softmax(f, axis=1)
        return f[:, 0]

    def accuracy(self, part: str = "test") -> float:
        """The fraction of correctly classified train or test points (classification only)."""
        if self.task == "regression":
            raise ValueError("accuracy: a regression task has no classes; use test_loss")
        X, t = (self.X_train, self.t_train) if part == "train" else (self.X_test, self.t_test)
        y = self.predict(X)
        labels = (y > 0.5).astype(int) if self.task == "binary" else np.argmax(y, axis=1)
        return float(np.mean(labels == t))

    def grid(self, resolution: int = 48) -> GridView:
        """Predictions, features and every hidden unit's output over the plotted square."""
        R = datasets.DOMAIN
        axis = np.linspace(-R, R, resolution)
        if self.config.input_dims == 1:
            X = axis[:, None]
            shape: tuple[int, ...] = (resolution,)
        else:
            x1, x2 = np.meshgrid(axis, axis[::-1])  # row 0 is the top of the picture (x₂ = R)
            X = np.column_stack([x1.ravel(), x2.ravel()])
            shape = (resolution, resolution)
        h = self.inputs(X)
        feature_maps = [h[:, j].reshape(shape) for j in range(h.shape[1])]
        hidden: list[list[np.ndarray]] = []
        with np.errstate(over="ignore", invalid="ignore"):
            for layer in self.net.layers:
                h = layer.forward(h)
                if isinstance(layer, Activation):
                    hidden.append([h[:, j].reshape(shape) for j in range(h.shape[1])])
            f = h
            if self.task == "binary":
                prediction = nn.sigmoid(f[:, 0]).reshape(shape)
            elif self.task == "multiclass":
                prediction = nn.softmax(f, axis=1).reshape(*shape, f.shape[1])
            else:
                prediction = f[:, 0].reshape(shape)
        return GridView(axis, prediction, feature_maps, hidden)

    @property
    def update_rule(self) -> str:
        """The learning rule that runs, as the lecture writes it (with the penalty's gradient)."""
        penalty = PENALTIES[self.config.regularization] if self.config.reg_rate else ""
        rule = UPDATE_RULES[self.config.optimizer]
        return f"{penalty};  {rule}" if penalty else rule

    @property
    def output_description(self) -> tuple[str, str]:
        """(output layer, loss) as the lecture names them for this task."""
        return OUTPUTS[self.task]

    # ------------------------------------------------------------------ keep
    def save(self, path: str | Path) -> Path:
        """Write the weights as `nnedu.train.save_weights` does (load them with
        `nnedu.train.load_weights(nnedu.nn.mlp(model.sizes, …), path)`); the file is written
        next to its destination and renamed, so a failed write leaves an old file as it was."""
        path = Path(path)
        if path.suffix != ".npz":
            raise ValueError(f"save: the weights file must end in .npz, got {path.name!r}")
        fd, tmp = tempfile.mkstemp(suffix=".npz", prefix=f".{path.stem}-",
                                   dir=path.parent if str(path.parent) else ".")
        os.close(fd)
        try:
            train.save_weights(self.net, tmp)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return path
