"""Task 6: two losses with their error signals, averaged over the N samples of a minibatch.

    squared error           l = (1/N) Σₙ ½‖yₙ − tₙ‖²            ȳ = (y − t) / N
    softmax + cross-entropy l = (1/N) Σₙ −Σ_k t_nk log softmax(fₙ)_k,   f̄ = (softmax(f) − t) / N

(t: the targets; for classification the one-hot rows of the class labels c).
"""

from __future__ import annotations

import numpy as np


def squared_error(y: np.ndarray, t: np.ndarray) -> tuple[float, np.ndarray]:
    """(l, ȳ) for outputs y and targets t of shape (N, K)."""
    N = y.shape[0]
    ### BEGIN SOLUTION task 6: squared_error, l = (1/N) Σₙ ½‖yₙ − tₙ‖² and ȳ = ∂l/∂y
    error = y - t
    return float(0.5 * np.sum(error * error) / N), error / N
    ### END SOLUTION


def softmax(f: np.ndarray) -> np.ndarray:
    """softmax of each row of f, without overflow (the largest logit is subtracted first)."""
    e = np.exp(f - f.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy(f: np.ndarray, c: np.ndarray) -> tuple[float, np.ndarray]:
    """(l, f̄) for logits f of shape (N, K) and integer class labels c of shape (N,)."""
    N = f.shape[0]
    rows = np.arange(N)
    shifted = f - f.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # log softmax(f)
    loss = float(-np.sum(log_p[rows, c]) / N)
    ### BEGIN SOLUTION task 6: softmax_cross_entropy, f_bar = (softmax(f) − t) / N
    f_bar = softmax(f)
    f_bar[rows, c] -= 1.0
    f_bar /= N
    ### END SOLUTION
    return loss, f_bar
