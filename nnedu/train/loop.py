"""`fit`: the training loop of the lecture, minibatch gradient descent with all its options.

    for each epoch:  shuffle the training set (a seeded Generator)
        for each minibatch I_t of b samples:
            y = model(X[I_t]);  L = loss(y, t[I_t])          forward
            y_bar = ∂L/∂y;  model.backward(y_bar)            backward: θ.grad = ∂L/∂θ
            θ.grad += λW  for every weight matrix W          L2 weight decay, ½λ‖W‖²
            optimizer.step()                                 θ ← θ − (update)
        evaluate on the validation set; early stopping; callbacks
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from typing import TYPE_CHECKING

import numpy as np
from threadpoolctl import threadpool_limits

from nnedu.optim.lbfgs import LBFGS
from nnedu.optim.optimizer import Optimizer, check_hyperparameter
from nnedu.train.early_stopping import EarlyStopping
from nnedu.train.history import History
from nnedu.train.metrics import accuracy, is_classification

if TYPE_CHECKING:
    from tqdm import tqdm

Callback = Callable[[int, object, History], object]


class DivergenceError(RuntimeError):
    """The loss became NaN or infinite: training stopped at that step.

    Attributes: `step` (counted from 1), `epoch`, `lr`, `loss` and the `history` so far. The
    model is back at the last weights whose loss was finite.
    """

    def __init__(self, step: int, epoch: int, lr: float, loss: float, history: History) -> None:
        self.step, self.epoch, self.lr, self.loss, self.history = step, epoch, lr, loss, history
        super().__init__(
            f"training diverged at step {step} (epoch {epoch}): the loss is {loss} with "
            f"learning rate {lr:g}. Likely causes: a learning rate that is too high (try "
            f"{lr / 10:g}), or a bad initialization (weights so large that the outputs "
            "overflow). The model keeps its last finite weights.")


def fit(model: object, loss: object, optimizer: Optimizer, data: tuple[np.ndarray, np.ndarray],
        epochs: int, batch_size: int | None = 32, *,
        val: tuple[np.ndarray, np.ndarray] | None = None,
        schedule: Callable[[float], float] | None = None, weight_decay: float = 0.0,
        early_stopping: EarlyStopping | None = None, callbacks: Iterable[Callback] = (),
        seed: int = 0, rng: np.random.Generator | None = None,
        progress: bool | None = None, threads: int | None = 1) -> History:
    """Train `model` on `data` = (X, t) for `epochs` epochs; return the `History`.

    - `batch_size`: samples per step (None: the full batch). Minibatches are drawn from a
      permutation by `rng` (or `numpy.random.default_rng(seed)`): the same seed, the same run.
    - `schedule`: t ↦ learning rate, set before every step with t = epoch + batch / batches.
    - `weight_decay` λ: adds λW to the gradient of every weight matrix (parameters with 2 or
      more dimensions; biases are not decayed), the gradient of the penalty ½λ‖W‖².
    - `early_stopping`: an `EarlyStopping`; the model ends with the best epoch's weights.
    - `callbacks`: functions `callback(epoch, model, history)` called after every epoch; one
      that returns True stops training.
    - `progress`: a progress bar over the epochs. None (default): shown once a run has taken
      2 seconds, in a terminal (text, on stderr) or in a notebook (a widget; needs ipywidgets,
      which `pip install 'nnedu[lab]'` brings — without it no bar rather than text on stderr),
      never under pytest or with TQDM_DISABLE set.
    - `threads`: the number of BLAS threads while training (default 1; None leaves numpy's
      setting). The lecture's networks are small, and on small matrices a pool of threads costs
      more than it saves: on a busy 2-core machine numpy's default took 9× as long.
    - An `LBFGS` optimizer trains full batch: one `optimizer.step(closure)` per epoch.

    A NaN or infinite loss raises `DivergenceError` at once, with the model back at the last
    weights whose loss was finite.

    Bad input is refused before the first step, with a ValueError or TypeError naming the
    argument: data or val that are not finite numbers or whose lengths differ, a target the
    loss cannot take (e.g. a class label out of range, anywhere in the data: all targets are
    checked against the model's output first), epochs or batch_size that are not positive
    integers (True is not 1), an optimizer whose parameters are not the model's (built on
    another model), a learning rate that is negative or not a number (also when a schedule
    returns it or it is set later: `optimizer.lr` is checked whenever it is set). If training is
    interrupted (KeyboardInterrupt, an exception in a callback), the per-epoch lists of the
    history all have the same length: an epoch is recorded whole or not at all.
    """
    X, t = _check_data(data, "data")
    if val is not None:
        val = _check_data(val, "val")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"fit: epochs must be a positive integer, got {epochs!r}")
    n = len(X)
    batch_size = n if batch_size is None or isinstance(optimizer, LBFGS) else batch_size
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"fit: batch_size must be a positive integer or None, got {batch_size!r}")
    _check_optimizer(optimizer, model, loss)
    weight_decay = check_hyperparameter(weight_decay, "weight_decay", "fit")
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int)
                                or threads < 1):
        raise ValueError(f"fit: threads must be a positive integer or None, got {threads!r}")
    rng = np.random.default_rng(seed) if rng is None else rng
    callbacks = list(callbacks)
    if early_stopping is not None:
        if val is None and early_stopping.monitor.startswith("val"):
            raise ValueError(f"fit: early stopping monitors {early_stopping.monitor}, which needs "
                             "validation data: pass val=(X_val, t_val), or monitor train_loss")
        early_stopping.reset()

    _check_targets(model, loss, X, t, "data")
    if val is not None:
        _check_targets(model, loss, *val, "val")
    trainer = _Trainer(model, loss, optimizer, weight_decay, is_classification(t))
    history = History(steps_per_epoch=math.ceil(n / batch_size))
    start = time.perf_counter()
    bar = _progress_bar(epochs, progress)
    model.train()
    limits = nullcontext() if threads is None else threadpool_limits(threads, user_api="blas")
    with limits:
        try:
            for epoch in range(epochs):
                trainer.epoch(X, t, epoch, batch_size, rng, schedule, history)
                trainer.end_epoch(history, val, start)
                if bar is not None:
                    bar.set_postfix_str(_summary(history), refresh=False)
                    bar.update()
                stop = early_stopping is not None and early_stopping.update(epoch, model, history)
                stop |= any([bool(callback(epoch, model, history)) for callback in callbacks])
                if stop:
                    history.stopped_early = epoch < epochs - 1
                    break
        finally:
            if bar is not None:
                bar.close()
            model.train()
    if early_stopping is not None:
        early_stopping.restore(model)
        history.best_epoch = early_stopping.best_epoch
    return history


class _Trainer:
    """One training step, one L-BFGS epoch, and the per-epoch bookkeeping of `fit`."""

    def __init__(self, model: object, loss: object, optimizer: Optimizer, weight_decay: float,
                 classification: bool) -> None:
        self.model, self.loss, self.optimizer = model, loss, optimizer
        self.weight_decay, self.classification = weight_decay, classification
        params = model.parameters()
        self.decayed = [p for p in params if np.ndim(p.data) >= 2]
        self.params = params
        self.last_finite = [p.data.copy() for p in params]  # weights before the latest step
        self.loss_sum = self.correct = self.seen = 0.0

    def forward_backward(self, x: np.ndarray, t: np.ndarray) -> tuple[float, np.ndarray]:
        """Zero the gradients, run forward and backward; return the data loss and outputs.

        Overflow is not warned about here: a diverging run overflows somewhere, and the
        non-finite loss it leads to raises the clearer `DivergenceError`.
        """
        self.optimizer.zero_grad()
        with np.errstate(over="ignore", invalid="ignore"):
            y = self.model.forward(x)
            L = self.loss.forward(y, t)
            if math.isfinite(L):
                self.model.backward(self.loss.backward(), input_grad=False)
                if self.weight_decay:
                    for W in self.decayed:
                        W.grad += self.weight_decay * W.data
        return L, y

    def epoch(self, X: np.ndarray, t: np.ndarray, epoch: int, batch_size: int,
              rng: np.random.Generator, schedule: Callable[[float], float] | None,
              history: History) -> None:
        """One pass over the training set: shuffled minibatches (L-BFGS: the full batch)."""
        if isinstance(self.optimizer, LBFGS):
            if schedule is not None:
                self.set_lr(schedule, epoch)
            self.lbfgs_epoch(X, t, epoch, history)
            return
        order = rng.permutation(len(X))
        batches = history.steps_per_epoch
        for b in range(batches):
            if schedule is not None:
                self.set_lr(schedule, epoch + b / batches)
            idx = order[b * batch_size:(b + 1) * batch_size]
            self.step(X[idx], t[idx], epoch, history)

    def set_lr(self, schedule: Callable[[float], float], t: float) -> None:
        """optimizer.lr ← schedule(t), naming the schedule and t if the rate is refused."""
        lr = schedule(t)
        try:
            self.optimizer.lr = lr
        except (TypeError, ValueError) as error:
            raise type(error)(f"fit: the schedule {schedule!r} gave the learning rate {lr!r} "
                              f"at t = {t:g}: {error}") from None

    def step(self, x: np.ndarray, t: np.ndarray, epoch: int, history: History) -> None:
        L, y = self.forward_backward(x, t)
        self.log_step(L, epoch, history)
        self.remember_weights()
        with np.errstate(over="ignore", invalid="ignore"):
            self.optimizer.step()
        self.record(L, y, t)

    def lbfgs_epoch(self, X: np.ndarray, t: np.ndarray, epoch: int, history: History) -> None:
        """One `LBFGS.step` on the full batch; its objective includes the weight decay."""
        last: dict[str, object] = {}

        def closure() -> float:
            L, y = self.forward_backward(X, t)
            last.update(L=L, y=y)
            penalty = sum(float(np.sum(W.data * W.data)) for W in self.decayed)
            return L + 0.5 * self.weight_decay * penalty if self.weight_decay else L

        self.remember_weights()
        self.optimizer.step(closure)
        L = last["L"]
        self.log_step(L, epoch, history)
        self.record(L, last["y"], t)

    def remember_weights(self) -> None:
        """Keep a copy of the weights whose loss was just found finite, before the step that
        changes them: training falls back on them if a later loss is not finite."""
        for saved, p in zip(self.last_finite, self.params):
            np.copyto(saved, p.data)

    def log_step(self, L: float, epoch: int, history: History) -> None:
        """Record the step's loss and learning rate; a NaN or infinite loss stops training."""
        history.step_loss.append(L)
        history.step_lr.append(self.optimizer.lr)
        if not math.isfinite(L):
            self.diverged(L, epoch, history)

    def diverged(self, L: float, epoch: int, history: History) -> None:
        """Go back to the last weights whose loss was finite (the weights now are finite
        perhaps, but their outputs or loss are not) and stop."""
        for saved, p in zip(self.last_finite, self.params):
            p.data[...] = saved
        raise DivergenceError(len(history.step_loss), epoch, self.optimizer.lr, L, history)

    def record(self, L: float, y: np.ndarray, t: np.ndarray) -> None:
        self.loss_sum += L * len(t)
        self.seen += len(t)
        if self.classification and t.ndim == 1 and y.ndim == 2 and y.shape[1] > 1:
            self.correct += int(np.count_nonzero(y.argmax(axis=1) == t))  # the common case
        elif self.classification:
            self.correct += accuracy(y, t) * len(t)

    def end_epoch(self, history: History, val: tuple | None, start: float) -> None:
        """Record the epoch: everything is computed first (the validation pass may be
        interrupted), then appended, so the per-epoch lists always have the same length."""
        train_loss = self.loss_sum / self.seen
        train_acc = self.correct / self.seen if self.classification else None
        val_loss, val_acc = (None, None) if val is None else evaluate(self.model, self.loss, val)
        self.loss_sum = self.correct = self.seen = 0.0
        for values, value in ((history.train_loss, train_loss), (history.train_acc, train_acc),
                              (history.val_loss, val_loss), (history.val_acc, val_acc),
                              (history.lr, self.optimizer.lr),
                              (history.seconds, time.perf_counter() - start)):
            values.append(value)


def predict(model: object, X: np.ndarray, batch_size: int = 4096) -> np.ndarray:
    """The model's outputs for X in eval mode (dropout off), in batches; restores the mode."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"predict: batch_size must be a positive integer, got {batch_size!r}")
    was_training = getattr(model, "training", True)
    model.eval()
    try:
        outputs = [model.forward(X[i:i + batch_size])
                   for i in range(0, max(len(X), 1), batch_size)]  # 0 rows: one empty batch
    finally:
        model.train(was_training)
    return np.concatenate(outputs)


def evaluate(model: object, loss: object, data: Sequence[np.ndarray]) -> tuple[float, float | None]:
    """(loss, accuracy) of the model on data = (X, t) in eval mode; accuracy None for
    regression targets."""
    X, t = _check_data(data, "data", caller="evaluate")
    y = predict(model, X)
    return float(loss.forward(y, t)), accuracy(y, t) if is_classification(t) else None


def _check_data(data: object, name: str, caller: str = "fit") -> tuple[np.ndarray, np.ndarray]:
    """(X, t) as arrays, after checking shapes, dtypes and that every value is finite."""
    if not (isinstance(data, (tuple, list)) and len(data) == 2):
        raise ValueError(f"{caller}: {name} must be a pair (X, t), got {type(data).__name__}")
    X, t = (np.asarray(a) for a in data)
    if X.ndim < 2 or len(X) == 0:
        raise ValueError(f"{caller}: {name} X must have shape (samples, features), got {X.shape}")
    if t.ndim == 0 or len(t) != len(X):
        raise ValueError(f"{caller}: {name} has {len(X)} inputs but {t.size} targets")
    for array, what in ((X, "X"), (t, "t")):
        if not (np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_):
            raise TypeError(f"{caller}: {name} {what} must hold numbers, got dtype {array.dtype}")
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{caller}: {name} {what} contains NaN or infinite values, which "
                             "make the loss NaN; clean or impute the data first")
    return X, t


def _check_optimizer(optimizer: object, model: object, loss: object) -> None:
    """The optimizer must update this model's (or the loss's) parameters: one built on another
    model's parameters would "train" without changing this one."""
    params = getattr(optimizer, "params", None)  # an optimizer of one's own may not say
    if params is None:
        return
    own = {id(p) for p in model.parameters()}
    own |= {id(p) for p in getattr(loss, "parameters", list)()}
    foreign = [i for i, p in enumerate(params) if id(p) not in own]
    if foreign:
        raise ValueError(f"fit: {len(foreign)} of the optimizer's {len(params)} "
                         f"parameters (first: parameter {foreign[0]}) are not parameters of "
                         "this model; build the optimizer on this model: "
                         f"{type(optimizer).__name__}(model.parameters(), …)")


def _check_targets(model: object, loss: object, X: np.ndarray, t: np.ndarray,
                   name: str) -> None:
    """Check every target against the loss before the first step, not when its minibatch
    comes up: the loss is computed once for outputs of the model's shape (zeros) and all t.
    The model runs on one sample in eval mode (so dropout draws no random numbers)."""
    was_training = getattr(model, "training", True)
    model.eval()
    try:
        with np.errstate(all="ignore"):
            y1 = np.asarray(model.forward(X[:1]))
    finally:
        model.train(was_training)
    outputs = np.zeros((len(X), *y1.shape[1:]), dtype=y1.dtype)
    try:
        with np.errstate(all="ignore"):
            loss.forward(outputs, t)
    except (ValueError, TypeError) as error:
        raise type(error)(f"fit: the targets of {name} do not fit the loss and the model's "
                          f"outputs (checked before training): {error}") from None


def _summary(history: History) -> str:
    text = f"loss {history.train_loss[-1]:.4f}"
    if history.val_acc[-1] is not None:
        text += f", val acc {history.val_acc[-1]:.3f}"
    elif history.val_loss[-1] is not None:
        text += f", val loss {history.val_loss[-1]:.4f}"
    return text


def _in_notebook() -> bool:
    """Whether this runs in a Jupyter kernel (an IPython shell that talks over ZMQ)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return type(shell).__name__ == "ZMQInteractiveShell"


def _progress_bar(epochs: int, progress: bool | None) -> tqdm | None:
    """A tqdm bar over epochs, or None. Auto (None): a terminal or a notebook, not pytest, no
    TQDM_DISABLE; it appears only once a run has taken 2 seconds."""
    in_notebook = _in_notebook()
    if progress is None:
        progress = (not os.environ.get("TQDM_DISABLE")
                    and "PYTEST_CURRENT_TEST" not in os.environ
                    and (sys.stderr.isatty() or in_notebook))
    if not progress:
        return None
    if in_notebook:
        try:
            import ipywidgets  # noqa: F401  (tqdm's notebook bar is an ipywidgets widget)
        except ImportError:
            return None  # no widget: better no bar than a text bar in a pink stderr box
        from tqdm.notebook import tqdm as notebook_tqdm

        return notebook_tqdm(total=epochs, unit="epoch", delay=2.0, leave=False)
    from tqdm import tqdm

    return tqdm(total=epochs, unit="epoch", delay=2.0, leave=False, file=sys.stderr)
