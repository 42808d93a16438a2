"""Training: the `fit` loop, early stopping, ensembles and saving weights.

`fit(model, loss, optimizer, (X, t), epochs, batch_size, ...)` trains an `nnedu.nn.Sequential`
(anything with forward/backward/parameters/train/eval) and returns a `History`.
"""

from nnedu.train.early_stopping import EarlyStopping
from nnedu.train.ensemble import Ensemble, Snapshots
from nnedu.train.history import History
from nnedu.train.loop import DivergenceError, evaluate, fit, predict
from nnedu.train.metrics import accuracy, probabilities
from nnedu.train.weights import (
    WeightsFileError,
    get_weights,
    load_weights,
    save_weights,
    set_weights,
)

__all__ = ["DivergenceError", "EarlyStopping", "Ensemble", "History", "Snapshots",
           "WeightsFileError", "accuracy", "evaluate", "fit", "get_weights", "load_weights",
           "predict", "probabilities", "save_weights", "set_weights"]
