"""Early stopping: stop when the validation loss has not improved for `patience` epochs, and
go back to the weights of the best epoch."""

from __future__ import annotations

import math
from numbers import Real

from nnedu.train.callbacks import Callback
from nnedu.train.history import History
from nnedu.train.weights import get_weights, set_weights


class EarlyStopping(Callback):
    """Watches `monitor` ("val_loss", "val_acc", "train_loss" or "train_acc") after each epoch.

    An epoch improves if it beats the best value so far by more than `min_delta` (lower loss,
    higher accuracy). After `patience` epochs without improvement training stops; at the end
    the model gets the weights of the best epoch back (`restore_best`), even if it ran to the
    last epoch.
    """

    MONITORS = ("val_loss", "val_acc", "train_loss", "train_acc")

    def __init__(self, patience: int = 10, min_delta: float = 0.0, monitor: str = "val_loss",
                 restore_best: bool = True) -> None:
        if monitor not in self.MONITORS:
            raise ValueError(f"EarlyStopping: monitor must be one of {self.MONITORS}, "
                             f"got {monitor!r}")
        if not isinstance(patience, int) or patience < 1:
            raise ValueError(f"EarlyStopping: patience must be a positive integer, "
                             f"got {patience!r}")
        if isinstance(min_delta, bool) or not isinstance(min_delta, Real) or not (
                0 <= min_delta < math.inf):
            raise ValueError(f"EarlyStopping: min_delta must be a finite number ≥ 0, "
                             f"got {min_delta!r}")
        self.patience, self.min_delta, self.monitor = patience, float(min_delta), monitor
        self.restore_best = restore_best
        self.reset()

    def reset(self) -> None:
        """Forget the best epoch (`fit` calls this at the start of every run)."""
        self.best = math.inf
        self.best_epoch: int | None = None
        self.best_weights = None
        self.wait = 0

    def update(self, epoch: int, model: object, history: History) -> bool:
        """Record epoch `epoch`'s value; True if training should stop now."""
        value = getattr(history, self.monitor)[-1]
        if value is None:
            raise ValueError(f"EarlyStopping: {self.monitor} is not available; pass val=(X, t) "
                             "to fit, or monitor train_loss")
        score = -value if self.monitor.endswith("acc") else value  # lower is better
        if score < self.best - self.min_delta:
            self.best, self.best_epoch, self.wait = score, epoch, 0
            self.best_weights = get_weights(model)
            return False
        self.wait += 1
        return self.wait >= self.patience

    def end_epoch(self, epoch: int, model: object, history: History) -> bool:
        """As a callback of `fit`: `update` after every epoch."""
        return self.update(epoch, model, history)

    def end_training(self, model: object, history: History) -> None:
        """As a callback of `fit`: the best epoch's weights back, its number in the history."""
        self.restore(model)
        history.best_epoch = self.best_epoch

    def restore(self, model: object) -> None:
        """Put the best epoch's weights back into the model."""
        if self.restore_best and self.best_weights is not None:
            set_weights(model, self.best_weights)

    def __repr__(self) -> str:
        return (f"EarlyStopping(patience={self.patience}, min_delta={self.min_delta}, "
                f"monitor={self.monitor!r})")
