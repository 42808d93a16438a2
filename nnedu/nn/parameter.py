"""`Parameter`: a trainable array with `.data` and `.grad`, the protocol `Value` shares.

An optimizer only ever reads `p.grad` and updates `p.data` (in place for arrays), so the same
optimizer trains a scalar `Value` graph and a numpy network. To look at all parameters (or all
gradients) of a network as one vector θ, `pack` makes them views into one flat buffer; the
optimizers treat them like any other arrays.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, DTypeLike


class Parameter:
    """A trainable array: `data` and its gradient `grad` = ∂L/∂data (same shape and dtype)."""

    __slots__ = ("data", "grad", "name")

    def __init__(self, data: ArrayLike, name: str = "", dtype: DTypeLike | None = None) -> None:
        array = np.array(data, dtype=dtype)
        if not np.issubdtype(array.dtype, np.floating):
            raise TypeError(f"Parameter {name!r}: data must be floating point, got {array.dtype}")
        self.data: np.ndarray = array
        self.grad: np.ndarray = np.zeros_like(array)
        self.name = name

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def size(self) -> int:
        return self.data.size

    def zero_grad(self) -> None:
        """Set the gradient to 0 in place (views into a flat buffer stay views)."""
        self.grad[...] = 0

    def __repr__(self) -> str:
        name = f"{self.name!r}, " if self.name else ""
        return f"Parameter({name}shape={self.shape}, dtype={self.dtype})"


def pack(params: Sequence[Parameter]) -> Parameter:
    """Move the parameters into one flat buffer and make each `.data`/`.grad` a view into it:
    θ and ∂L/∂θ of a whole network as one vector (`flat.data`, `flat.grad`), kept up to date
    by every forward, backward and in-place optimizer step.

    Returns the flat parameter (1-D) whose `data` and `grad` are the shared buffers. Values are
    unchanged; all parameters must have the same dtype.
    """
    if not params:
        raise ValueError("pack: no parameters")
    for i, p in enumerate(params):
        if not isinstance(p, Parameter):
            raise TypeError(f"pack: item {i} is {type(p).__name__}, not a Parameter")
    dtypes = {p.dtype for p in params}
    if len(dtypes) != 1:
        raise TypeError(f"pack: parameters have different dtypes {sorted(map(str, dtypes))}")
    flat = Parameter(np.concatenate([p.data.ravel() for p in params]), name="flat")
    start = 0
    for p in params:
        stop = start + p.size
        p.data = flat.data[start:stop].reshape(p.shape)
        p.grad = flat.grad[start:stop].reshape(p.shape)
        start = stop
    return flat
