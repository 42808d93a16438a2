"""What the build-it-yourself checks share: the failure they raise and the comparisons."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nnedu.gradcheck import numerical_gradient


class TaskError(AssertionError):
    """A check of a task failed; the message says what was expected and gives a hint."""


def fmt(x: object) -> str:
    """A number or array, short enough for a one-line message."""
    if isinstance(x, (float, np.floating)):
        return f"{float(x):.6g}"
    if isinstance(x, (tuple, list)):
        return "(" + ", ".join(fmt(v) for v in x) + ("," if len(x) == 1 else "") + ")"
    if isinstance(x, np.ndarray):
        return np.array2string(x, precision=5, threshold=12, separator=", ").replace("\n", "")
    return repr(x)


def close(got: object, want: object, rtol: float = 1e-7, atol: float = 1e-10) -> bool:
    """`got` is an array or number of `want`'s shape, equal within the tolerances."""
    try:
        got_array = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    want_array = np.asarray(want, dtype=float)
    return got_array.shape == want_array.shape and bool(
        np.all(np.isfinite(got_array)) and np.allclose(got_array, want_array, rtol=rtol, atol=atol))


def expect(ok: bool, message: str) -> None:
    if not ok:
        raise TaskError(message)


def central_differences(f: Callable[[np.ndarray], float], x: np.ndarray,
                        h: float = 1e-6) -> np.ndarray:
    """∂f/∂xᵢ ≈ (f(x + h eᵢ) − f(x − h eᵢ)) / 2h for every entry of x (x is perturbed in place
    and restored): nnedu's own `numerical_gradient`, the check the lecture's notebooks use."""
    return numerical_gradient(f, np.asarray(x, dtype=float), eps=h)
