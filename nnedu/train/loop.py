"""`fit`: the training loop of the lecture, minibatch gradient descent with all its options.

    for each epoch:  shuffle the training set (a seeded Generator)
        for each minibatch I_t of b samples:
            y = model(X[I_t]);  L = loss(y, t[I_t])          forward
            y_bar = ∂L/∂y;  model.backward(y_bar)            backward: θ.grad = ∂L/∂θ
            θ.grad += λW  for every weight matrix W          L2 weight decay, ½λ‖W‖²
            optimizer.step()                                 θ ← θ − (update)
        evaluate on the validation set; early stopping; callbacks

`fit`'s body is this loop; what happens around it are callbacks (`nnedu.train.callbacks`): the
divergence check, the progress bar, early stopping and your own.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext

import numpy as np
from threadpoolctl import threadpool_limits

from nnedu.optim.optimizer import Optimizer, check_hyperparameter, decays
from nnedu.train.callbacks import (
    Callback,
    DivergenceCheck,
    DivergenceError,
    FunctionCallback,
    ProgressBar,
)
from nnedu.train.early_stopping import EarlyStopping
from nnedu.train.history import History
from nnedu.train.metrics import accuracy, is_classification

__all__ = ["DivergenceError", "evaluate", "fit", "predict"]


def fit(model: object, loss: object, optimizer: Optimizer, data: tuple[np.ndarray, np.ndarray],
        epochs: int, batch_size: int | None = 32, *,
        val: tuple[np.ndarray, np.ndarray] | None = None,
        schedule: Callable[[float], float] | None = None, weight_decay: float = 0.0,
        early_stopping: EarlyStopping | None = None,
        callbacks: Iterable[Callback | Callable[[int, object, History], object]] = (),
        seed: int = 0, rng: np.random.Generator | None = None,
        progress: bool | None = None, threads: int | None = 1) -> History:
    """Train `model` on `data` = (X, t) for `epochs` epochs; return the `History`.

    - `batch_size`: samples per step (None: the full batch). Minibatches are drawn from a
      permutation by `rng` (or `numpy.random.default_rng(seed)`): the same seed, the same run.
    - `schedule`: t ↦ learning rate, set before every step with t = epoch + batch / batches.
    - `weight_decay` λ: adds λW to the gradient of every weight matrix (parameters with 2 or
      more dimensions; biases are not decayed), the gradient of the penalty ½λ‖W‖² — the one
      meaning of weight decay in nnedu (`nnedu.optim.decays`; the optimizers' own
      `weight_decay` decays the same parameters).
    - `early_stopping`: an `EarlyStopping`; the model ends with the best epoch's weights.
    - `callbacks`: functions `callback(epoch, model, history)` called after every epoch (one
      that returns True stops training), or `Callback`s (`nnedu.train.callbacks`).
    - `progress`: a progress bar over the epochs. None (default): shown once a run has taken
      2 seconds, in a terminal (text, on stderr) or in a notebook (a widget; needs ipywidgets,
      which `pip install 'nnedu[lab]'` brings — without it no bar rather than text on stderr),
      never under pytest or with TQDM_DISABLE set.
    - `threads`: the number of BLAS threads while training (default 1; None leaves numpy's
      setting). The lecture's networks are small, and on small matrices a pool of threads costs
      more than it saves: on a busy 2-core machine numpy's default took 9× as long.
    - An optimizer whose step needs a closure (`optimizer.needs_closure`, as `LBFGS`) trains
      full batch: one `optimizer.step(closure)` per epoch.

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
    X, t, val, batch_size, rng = _checked(model, loss, optimizer, data, val, epochs, batch_size,
                                          weight_decay, early_stopping, threads, seed, rng)
    full_batch = getattr(optimizer, "needs_closure", False)  # L-BFGS: one step(closure) an epoch
    callbacks = [DivergenceCheck(model), ProgressBar(epochs, progress),
                 *([early_stopping] if early_stopping is not None else []),
                 *(c if isinstance(c, Callback) else FunctionCallback(c) for c in callbacks)]
    step = _Step(model, loss, optimizer, weight_decay, callbacks)
    history, start = History(steps_per_epoch=math.ceil(len(X) / batch_size)), time.perf_counter()
    with _blas_threads(threads), _training(model), _closing(callbacks):
        for epoch in range(epochs):
            running = _RunningMean(is_classification(t))
            for when, idx in _minibatches(len(X), batch_size, rng, epoch, not full_batch):
                if schedule is not None:
                    _set_lr(optimizer, schedule, when)
                L, y = step(X[idx], t[idx], epoch, history)
                running.add(L, y, t[idx])
            _record_epoch(history, running, model, loss, val, optimizer.lr, start)
            if any([c.end_epoch(epoch, model, history) for c in callbacks]):
                history.stopped_early = epoch < epochs - 1
                break
    for c in callbacks:
        c.end_training(model, history)
    return history


class _Step:
    """One step: the gradient of the minibatch's loss (with weight decay), then the update;
    `step(closure)` for an optimizer that evaluates the loss itself (L-BFGS)."""

    def __init__(self, model: object, loss: object, optimizer: Optimizer, weight_decay: float,
                 callbacks: Sequence[Callback]) -> None:
        self.model, self.loss, self.optimizer = model, loss, optimizer
        self.weight_decay, self.callbacks = weight_decay, callbacks
        self.decayed = [p for p in model.parameters() if decays(p)]

    def __call__(self, x: np.ndarray, t: np.ndarray, epoch: int,
                 history: History) -> tuple[float, np.ndarray]:
        if getattr(self.optimizer, "needs_closure", False):
            return self.with_closure(x, t, epoch, history)
        L, y = self.gradient(x, t)
        self.loss_known(L, epoch, history)
        for c in self.callbacks:
            c.before_update(self.model)
        with np.errstate(over="ignore", invalid="ignore"):
            self.optimizer.step()
        return L, y

    def gradient(self, x: np.ndarray, t: np.ndarray) -> tuple[float, np.ndarray]:
        """Zero the gradients, run forward and backward, add λW; return the data loss and y.

        Overflow is not warned about here: a diverging run overflows somewhere, and the
        non-finite loss it leads to raises the clearer `DivergenceError`.
        """
        self.optimizer.zero_grad()
        with np.errstate(over="ignore", invalid="ignore"):
            y = self.model.forward(x)
            L = self.loss.forward(y, t)
            if math.isfinite(L):
                self.model.backward(self.loss.backward())
                for W in self.decayed if self.weight_decay else ():
                    W.grad += self.weight_decay * W.data
        return L, y

    def with_closure(self, x: np.ndarray, t: np.ndarray, epoch: int,
                     history: History) -> tuple[float, np.ndarray]:
        """One `optimizer.step(closure)`; its objective includes the weight decay."""
        last: dict[str, object] = {}

        def closure() -> float:
            L, y = self.gradient(x, t)
            last.update(L=L, y=y)
            penalty = sum(float(np.sum(W.data * W.data)) for W in self.decayed)
            return L + 0.5 * self.weight_decay * penalty if self.weight_decay else L

        for c in self.callbacks:
            c.before_update(self.model)
        self.optimizer.step(closure)
        self.loss_known(last["L"], epoch, history)  # type: ignore[arg-type]
        return last["L"], last["y"]  # type: ignore[return-value]

    def loss_known(self, L: float, epoch: int, history: History) -> None:
        history.step_loss.append(L)
        history.step_lr.append(self.optimizer.lr)
        for c in self.callbacks:
            c.loss_known(L, epoch, history)


def _minibatches(n: int, batch_size: int, rng: np.random.Generator, epoch: int,
                 shuffle: bool = True) -> Iterator[tuple[float, np.ndarray | slice]]:
    """(t, indices) of each minibatch of a shuffled epoch, t = epoch + batch / batches;
    without `shuffle` the full batch in its order (for L-BFGS: no random numbers drawn)."""
    if not shuffle:
        yield float(epoch), slice(None)
        return
    order = rng.permutation(n)
    batches = math.ceil(n / batch_size)
    for b in range(batches):
        yield epoch + b / batches, order[b * batch_size:(b + 1) * batch_size]


class _RunningMean:
    """The epoch's training loss and accuracy, averaged over its minibatches as they came."""

    def __init__(self, classification: bool) -> None:
        self.classification = classification
        self.loss_sum = self.correct = self.seen = 0.0

    def add(self, L: float, y: np.ndarray, t: np.ndarray) -> None:
        self.loss_sum += L * len(t)
        self.seen += len(t)
        if self.classification and t.ndim == 1 and y.ndim == 2 and y.shape[1] > 1:
            self.correct += int(np.count_nonzero(y.argmax(axis=1) == t))  # the common case
        elif self.classification:
            self.correct += accuracy(y, t) * len(t)


def _record_epoch(history: History, running: _RunningMean, model: object, loss: object,
                  val: tuple | None, lr: float, start: float) -> None:
    """Record the epoch: everything is computed first (the validation pass may be
    interrupted), then appended, so the per-epoch lists always have the same length."""
    train_loss = running.loss_sum / running.seen
    train_acc = running.correct / running.seen if running.classification else None
    val_loss, val_acc = (None, None) if val is None else evaluate(model, loss, val)
    for values, value in ((history.train_loss, train_loss), (history.train_acc, train_acc),
                          (history.val_loss, val_loss), (history.val_acc, val_acc),
                          (history.lr, lr), (history.seconds, time.perf_counter() - start)):
        values.append(value)


def _set_lr(optimizer: Optimizer, schedule: Callable[[float], float], t: float) -> None:
    """optimizer.lr ← schedule(t), naming the schedule and t if the rate is refused."""
    lr = schedule(t)
    try:
        optimizer.lr = lr
    except (TypeError, ValueError) as error:
        raise type(error)(f"fit: the schedule {schedule!r} gave the learning rate {lr!r} "
                          f"at t = {t:g}: {error}") from None


def _blas_threads(threads: int | None) -> object:
    return nullcontext() if threads is None else threadpool_limits(threads, user_api="blas")


@contextmanager
def _training(model: object) -> Iterator[None]:
    """The model in training mode, and back in it however training ends."""
    model.train()
    try:
        yield
    finally:
        model.train()


@contextmanager
def _closing(callbacks: Sequence[Callback]) -> Iterator[None]:
    try:
        yield
    finally:
        for c in callbacks:
            c.close()


def _checked(model: object, loss: object, optimizer: Optimizer, data: object, val: object,
             epochs: object, batch_size: object, weight_decay: object,
             early_stopping: EarlyStopping | None, threads: object, seed: int,
             rng: np.random.Generator | None) -> tuple[np.ndarray, np.ndarray, tuple | None, int,
                                                        np.random.Generator]:
    """Refuse bad arguments before the first step; return X, t, val, the batch size and the
    rng."""
    X, t = _check_data(data, "data")
    if val is not None:
        val = _check_data(val, "val")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"fit: epochs must be a positive integer, got {epochs!r}")
    needs_closure = getattr(optimizer, "needs_closure", False)
    batch_size = len(X) if batch_size is None or needs_closure else batch_size
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"fit: batch_size must be a positive integer or None, got {batch_size!r}")
    _check_optimizer(optimizer, model, loss)
    check_hyperparameter(weight_decay, "weight_decay", "fit")
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int)
                                or threads < 1):
        raise ValueError(f"fit: threads must be a positive integer or None, got {threads!r}")
    if early_stopping is not None:
        if val is None and early_stopping.monitor.startswith("val"):
            raise ValueError(f"fit: early stopping monitors {early_stopping.monitor}, which needs "
                             "validation data: pass val=(X_val, t_val), or monitor train_loss")
        early_stopping.reset()
    _check_targets(model, loss, X, t, "data")
    if val is not None:
        _check_targets(model, loss, *val, "val")
    return X, t, val, batch_size, np.random.default_rng(seed) if rng is None else rng


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
