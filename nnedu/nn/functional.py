"""Numerically stable functions the layers, the losses and the notebooks share.

Each one is written so that no finite input overflows: exponentials only ever see arguments
≤ 0, so logits of ±1e4 give exact 0s and 1s instead of `inf`, `nan` or a numpy warning.
"""

from __future__ import annotations

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + e⁻ᶻ), computed as e^(−|z|)-based branches so that it never overflows.

    For z ≥ 0: 1 / (1 + e⁻ᶻ); for z < 0: eᶻ / (1 + eᶻ) (the same number, rewritten).
    """
    z = np.asarray(z)
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(_float_dtype(z), copy=False)


def softplus(z: np.ndarray) -> np.ndarray:
    """log(1 + eᶻ) = max(z, 0) + log(1 + e^(−|z|)), the stable form."""
    z = np.asarray(z)
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


def logsumexp(z: np.ndarray, axis: int = -1, keepdims: bool = False) -> np.ndarray:
    """log Σₖ e^(zₖ) = m + log Σₖ e^(zₖ − m) with m = maxₖ zₖ (so every exponent is ≤ 0)."""
    z = np.asarray(z)
    m = np.max(z, axis=axis, keepdims=True)
    out = m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)


def log_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """log softmax(z)ₖ = zₖ − log Σⱼ e^(zⱼ), via the stable `logsumexp`."""
    z = np.asarray(z)
    return z - logsumexp(z, axis=axis, keepdims=True)


def softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """softmax(z)ₖ = e^(zₖ) / Σⱼ e^(zⱼ), shifted by maxⱼ zⱼ first (the result is unchanged)."""
    z = np.asarray(z)
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _float_dtype(z: np.ndarray) -> np.dtype:
    return z.dtype if np.issubdtype(z.dtype, np.floating) else np.dtype(np.float64)
