"""`Parameter`: a trainable array `data` with its gradient `grad` (given, nothing to write)."""

from __future__ import annotations

import numpy as np


class Parameter:
    """A trainable array: `data` and `grad` = ∂L/∂data, of the same shape."""

    def __init__(self, data: np.ndarray) -> None:
        self.data = np.array(data, dtype=float)
        self.grad = np.zeros_like(self.data)

    def zero_grad(self) -> None:
        self.grad[...] = 0.0
