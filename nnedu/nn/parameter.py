"""`Parameter`: a trainable array with `.data` and `.grad`, the protocol `Value` shares.

An optimizer only ever reads `p.grad` and updates `p.data` (in place for arrays), so the same
optimizer trains a scalar `Value` graph and a numpy network. For speed, a network can keep all
its parameters as views into one flat buffer (`pack`); an optimizer that finds such a buffer
(`flat_view`) updates every parameter with a handful of vector operations.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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
    """Move the parameters into one flat buffer and make each `.data`/`.grad` a view into it.

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


def flat_view(params: Iterable[object]) -> Parameter | None:
    """The flat parameter behind `params` if they are, in order, views tiling one `pack` buffer.

    Returns None for anything else (scalar `Value`s, separate arrays), where an optimizer falls
    back to updating parameter by parameter.
    """
    params = list(params)
    if not params or not all(isinstance(p, Parameter) for p in params):
        return None
    data_base, grad_base = params[0].data.base, params[0].grad.base
    if data_base is None or grad_base is None or data_base.ndim != 1:
        return None
    offset = 0
    for p in params:
        if p.data.base is not data_base or p.grad.base is not grad_base:
            return None
        if not (p.data.flags.c_contiguous and p.grad.flags.c_contiguous):
            return None
        start = (p.data.__array_interface__["data"][0]
                 - data_base.__array_interface__["data"][0]) // data_base.itemsize
        grad_start = (p.grad.__array_interface__["data"][0]
                      - grad_base.__array_interface__["data"][0]) // grad_base.itemsize
        if start != offset or grad_start != offset:
            return None
        offset += p.size
    if offset != data_base.size or offset != grad_base.size:
        return None
    flat = Parameter.__new__(Parameter)
    flat.data, flat.grad, flat.name = data_base, grad_base, "flat"
    return flat
