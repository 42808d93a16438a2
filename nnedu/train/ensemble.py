"""Ensembles: average the predicted class probabilities of several models, then take argmax.

    p(c | x) = (1/M) Σ_m p_m(c | x)

`Ensemble` combines independently trained models; a snapshot ensemble (`Snapshots`) combines
the weights of one model saved at the ends of the cycles of a cyclic learning rate.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np

from nnedu.optim.schedules import Cyclic
from nnedu.train.history import History
from nnedu.train.loop import predict
from nnedu.train.metrics import label_accuracy, probabilities
from nnedu.train.weights import get_weights, set_weights


class _Averaging(ABC):
    """What `Ensemble` and `Snapshots` share: averaging their members' probabilities."""

    @abstractmethod
    def member_probabilities(self, X: np.ndarray) -> list[np.ndarray]:
        """p_m(c | x) for every member m: a list of (samples, classes) arrays."""

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """(1/M) Σ_m p_m(c | x): the members' class probabilities, averaged."""
        return np.mean(self.member_probabilities(X), axis=0)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The class with the highest averaged probability."""
        return np.argmax(self.predict_proba(X), axis=1)

    def accuracy(self, X: np.ndarray, t: np.ndarray) -> float:
        """The fraction of samples whose averaged prediction is the label t (class labels,
        one-hot rows, or a column of 0/1 or ±1 targets)."""
        return label_accuracy(self.predict(X), t)


class Ensemble(_Averaging):
    """Independently trained models (e.g. different seeds) whose probabilities are averaged."""

    def __init__(self, models: Sequence[object]) -> None:
        if not models:
            raise ValueError("Ensemble: needs at least one model")
        self.models = list(models)

    def member_probabilities(self, X: np.ndarray) -> list[np.ndarray]:
        return [probabilities(predict(m, X)) for m in self.models]

    def __len__(self) -> int:
        return len(self.models)


class Snapshots(_Averaging):
    """A `fit` callback that saves the weights at the end of each cycle of a `Cyclic` schedule,
    and then is the snapshot ensemble of the model with those weights.

        snapshots = Snapshots(model, schedule)
        fit(model, ..., schedule=schedule, callbacks=[snapshots])
        snapshots.predict(X_test)
    """

    def __init__(self, model: object, schedule: Cyclic) -> None:
        if not isinstance(schedule, Cyclic):
            raise TypeError(f"Snapshots: needs a Cyclic schedule, got {type(schedule).__name__}")
        if schedule.cycle != round(schedule.cycle):
            raise ValueError(f"Snapshots: the cycle must be a whole number of epochs (snapshots "
                             f"are taken at the ends of epochs), got {schedule.cycle:g}")
        self.model, self.schedule = model, schedule
        self.weights: list[list[np.ndarray]] = []
        self.epochs: list[int] = []

    def __call__(self, epoch: int, model: object, history: History) -> None:
        if self.schedule.is_cycle_end(epoch):
            self.weights.append(get_weights(model))
            self.epochs.append(epoch)

    def member_probabilities(self, X: np.ndarray) -> list[np.ndarray]:
        if not self.weights:
            raise RuntimeError("Snapshots: no snapshot taken yet; train for at least one cycle "
                               f"({self.schedule.cycle:g} epochs)")
        current = get_weights(self.model)
        try:
            out = []
            for weights in self.weights:
                set_weights(self.model, weights)
                out.append(probabilities(predict(self.model, X)))
            return out
        finally:
            set_weights(self.model, current)

    def __len__(self) -> int:
        return len(self.weights)
