"""Predictions and accuracy from network outputs (logits or scores)."""

from __future__ import annotations

import numpy as np

from nnedu.nn.functional import sigmoid, softmax


def is_classification(t: np.ndarray) -> bool:
    """Integer or boolean targets are class labels, and so are one-hot rows (0/1 entries, one
    1 per row); other float targets are regression targets."""
    t = np.asarray(t)
    if np.issubdtype(t.dtype, np.integer) or t.dtype == np.bool_:
        return True
    return (t.ndim == 2 and t.shape[1] > 1 and bool(np.all((t == 0) | (t == 1)))
            and bool(np.all(t.sum(axis=1) == 1)))


def predicted_labels(y: np.ndarray, t_example: np.ndarray) -> np.ndarray:
    """The class each output row predicts, in the form of the targets.

    Several outputs: the argmax (for integer labels). One output (a logit or score): y > 0,
    reported as 1/0 for 0/1 targets and as ±1 for ±1 targets (hinge loss).
    """
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        return np.argmax(y, axis=1)
    positive = y.reshape(len(y), -1)[:, 0] > 0
    if np.any(np.asarray(t_example) < 0):
        return np.where(positive, 1, -1)
    return positive.astype(np.int64)


def accuracy(y: np.ndarray, t: np.ndarray) -> float:
    """The fraction of rows of y whose predicted class equals the target t."""
    t = np.asarray(t)
    y = np.asarray(y)
    _check_rows(len(y), t, "outputs")
    if t.ndim == 2 and y.ndim == 2 and y.shape[1] > 1:  # one-hot targets
        t = np.argmax(t, axis=1)
    pred = predicted_labels(y, t)
    return float(np.mean(pred == t.reshape(len(t), -1)[:, 0]))


def label_accuracy(labels: np.ndarray, t: np.ndarray) -> float:
    """The fraction of predicted class indices 0…C−1 that equal the targets t: labels, one-hot
    rows, or a column of 0/1 or ±1 targets (class 1 is the positive one)."""
    labels, t = np.asarray(labels), np.asarray(t)
    _check_rows(len(labels), t, "predictions")
    if t.ndim == 2 and t.shape[1] > 1:
        t = np.argmax(t, axis=1)
    t = t.reshape(len(t), -1)[:, 0]
    if np.any(t < 0):  # ±1 targets
        t = (t > 0).astype(np.int64)
    return float(np.mean(labels == t))


def _check_rows(n: int, t: np.ndarray, what: str) -> None:
    if t.ndim == 0 or len(t) != n:
        raise ValueError(f"accuracy: {n} {what} but {t.size} targets (shape {t.shape})")


def probabilities(y: np.ndarray) -> np.ndarray:
    """Class probabilities from logits: softmax over the outputs, or for a single logit z the
    two columns (1 − σ(z), σ(z))."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        return softmax(y, axis=1)
    p = sigmoid(y.reshape(len(y), -1)[:, 0])
    return np.column_stack([1 - p, p])
