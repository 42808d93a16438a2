"""What `fit` does around its loop, as callbacks: the divergence check, the progress bar, early
stopping (`nnedu.train.early_stopping`) and your own functions.

A callback has four hooks, each a no-op unless overridden:

    loss_known(L, epoch, history)       after the step's loss L is computed and recorded
    before_update(model)                just before `optimizer.step()` changes the weights
    end_epoch(epoch, model, history)    after each epoch is recorded; True stops training
    end_training(model, history)        after the last epoch (not after an error)

and `close()`, called however training ends. A plain function `f(epoch, model, history)` is
the `end_epoch` of a callback.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from nnedu.train.history import History

if TYPE_CHECKING:
    from tqdm import tqdm


class Callback:
    """Base class: override the hooks you need."""

    def loss_known(self, L: float, epoch: int, history: History) -> None:
        """The step's loss L, already appended to `history.step_loss`."""

    def before_update(self, model: object) -> None:
        """The optimizer is about to change the weights."""

    def end_epoch(self, epoch: int, model: object, history: History) -> bool:
        """The epoch is recorded in `history`; return True to stop training."""
        return False

    def end_training(self, model: object, history: History) -> None:
        """The last epoch is done (training ran to the end or a callback stopped it)."""

    def close(self) -> None:
        """Training has ended, normally or not."""


class FunctionCallback(Callback):
    """A function `f(epoch, model, history)` called after every epoch; True stops training."""

    def __init__(self, function: Callable[[int, object, History], object]) -> None:
        if not callable(function):
            raise TypeError(f"fit: a callback must be a function f(epoch, model, history) or a "
                            f"Callback, got {type(function).__name__} {function!r}")
        self.function = function

    def end_epoch(self, epoch: int, model: object, history: History) -> bool:
        return bool(self.function(epoch, model, history))


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


class DivergenceCheck(Callback):
    """A NaN or infinite loss stops training with a `DivergenceError`, the model back at the
    last weights whose loss was finite (kept before every update)."""

    def __init__(self, model: object) -> None:
        self.params = model.parameters()
        self.last_finite = [p.data.copy() for p in self.params]

    def before_update(self, model: object) -> None:
        for saved, p in zip(self.last_finite, self.params):
            np.copyto(saved, p.data)

    def loss_known(self, L: float, epoch: int, history: History) -> None:
        if math.isfinite(L):
            return
        for saved, p in zip(self.last_finite, self.params):
            p.data[...] = saved
        raise DivergenceError(len(history.step_loss), epoch, history.step_lr[-1], L, history)


class ProgressBar(Callback):
    """A progress bar over the epochs (see `_progress_bar` for when it is shown)."""

    def __init__(self, epochs: int, progress: bool | None) -> None:
        self.bar = _progress_bar(epochs, progress)

    def end_epoch(self, epoch: int, model: object, history: History) -> bool:
        if self.bar is not None:
            self.bar.set_postfix_str(_summary(history), refresh=False)
            self.bar.update()
        return False

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


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
