"""`History`: what `fit` records, per step and per epoch."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class History:
    """Per step: the minibatch loss and learning rate. Per epoch: training loss and accuracy
    (averaged over the epoch's minibatches, as they were seen during the epoch), validation
    loss and accuracy (on the whole validation set in eval mode, at the end of the epoch), the
    learning rate at the end of the epoch and the seconds since the start.

    Accuracies are None for regression targets, validation entries None without `val`.
    """

    step_loss: list[float] = field(default_factory=list)
    step_lr: list[float] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    train_acc: list[float | None] = field(default_factory=list)
    val_loss: list[float | None] = field(default_factory=list)
    val_acc: list[float | None] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    steps_per_epoch: int = 0
    best_epoch: int | None = None  # set by early stopping: the epoch whose weights were kept
    stopped_early: bool = False

    @property
    def epochs(self) -> int:
        """The number of epochs recorded."""
        return len(self.train_loss)

    def __repr__(self) -> str:
        if not self.epochs:
            return "History(no epochs)"
        last = f"train_loss={self.train_loss[-1]:.4g}"
        if self.val_loss[-1] is not None:
            last += f", val_loss={self.val_loss[-1]:.4g}"
        if self.val_acc[-1] is not None:
            last += f", val_acc={self.val_acc[-1]:.4f}"
        return f"History({self.epochs} epochs, {len(self.step_loss)} steps, {last})"
