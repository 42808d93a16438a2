"""The slide's MLP in vector form, forward and backward, line for line.

    Forward pass                    Backward pass
    z = W1 x + b1                   L_bar  = 1
    h = σ(z)                        y_bar  = L_bar (y − t)
    y = W2 h + b2                   W2_bar = y_bar hᵀ          (outer product)
    L = ½ (y − t)ᵀ(y − t)           b2_bar = y_bar
                                    h_bar  = W2ᵀ y_bar
                                    z_bar  = h_bar ∘ σ′(z)     (element-wise product)
                                    W1_bar = z_bar xᵀ          (outer product)
                                    b1_bar = z_bar

`forward`/`backward` take one sample x (a vector). `forward_batch`/`backward_batch` do the same
for a minibatch X whose rows are samples, with L the mean of the per-sample losses: every
outer product z_bar xᵀ becomes a sum over the samples, Z_barᵀ X, one matrix product.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from nnedu.nn.functional import sigmoid


def sigmoid_prime(z: np.ndarray) -> np.ndarray:
    """σ′(z) = σ(z)(1 − σ(z))."""
    s = sigmoid(z)
    return s * (1 - s)


def check_shapes(x: np.ndarray, t: np.ndarray, W1: np.ndarray, b1: np.ndarray,
                 W2: np.ndarray, b2: np.ndarray, batch: bool) -> None:
    """W1: (H, D), b1: (H,), W2: (K, H), b2: (K,); x: (D,) and t: (K,) for one sample, or
    X: (N, D) and T: (N, K) for a minibatch. A mismatch is named instead of failing inside a
    matrix product, or (for t) broadcasting into a silently wrong loss."""
    arrays = {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "x": x, "t": t}
    shapes = {name: np.shape(a) for name, a in arrays.items()}
    H, D = shapes["W1"] if len(shapes["W1"]) == 2 else (-1, -1)
    K = shapes["W2"][0] if len(shapes["W2"]) == 2 else -1
    N = shapes["x"][0] if batch and len(shapes["x"]) == 2 else None
    expected = {"W1": (H, D), "b1": (H,), "W2": (K, H), "b2": (K,),
                "x": (N, D) if batch else (D,), "t": (N, K) if batch else (K,)}
    for name, shape in expected.items():
        if shapes[name] != shape or -1 in shape:
            sizes = "x: (N, D), t: (N, K)" if batch else "x: (D,), t: (K,)"
            got = ", ".join(f"{n}: {s}" for n, s in shapes.items())
            raise ValueError(f"slide_mlp: {name} has shape {shapes[name]}; expected W1: (H, D), "
                             f"b1: (H,), W2: (K, H), b2: (K,), {sizes}; got {got}")


class Forward(NamedTuple):
    """The forward pass's intermediate values, which the backward pass needs."""

    z: np.ndarray
    h: np.ndarray
    y: np.ndarray
    L: float


class Gradients(NamedTuple):
    """∂L/∂θ for every parameter θ, named as on the slide."""

    W1_bar: np.ndarray
    b1_bar: np.ndarray
    W2_bar: np.ndarray
    b2_bar: np.ndarray


def forward(x: np.ndarray, t: np.ndarray, W1: np.ndarray, b1: np.ndarray,
            W2: np.ndarray, b2: np.ndarray) -> Forward:
    """One sample: z = W1 x + b1, h = σ(z), y = W2 h + b2, L = ½(y − t)ᵀ(y − t)."""
    check_shapes(x, t, W1, b1, W2, b2, batch=False)
    z = W1 @ x + b1
    h = sigmoid(z)
    y = W2 @ h + b2
    L = 0.5 * (y - t) @ (y - t)
    return Forward(z, h, y, float(L))


def backward(x: np.ndarray, t: np.ndarray, W1: np.ndarray, b1: np.ndarray,
             W2: np.ndarray, b2: np.ndarray, fwd: Forward) -> Gradients:
    """One sample: the slide's backward pass, from L_bar = 1 down to b1_bar."""
    z, h, y = fwd.z, fwd.h, fwd.y
    L_bar = 1.0
    y_bar = L_bar * (y - t)
    W2_bar = np.outer(y_bar, h)
    b2_bar = y_bar
    h_bar = W2.T @ y_bar
    z_bar = h_bar * sigmoid_prime(z)
    W1_bar = np.outer(z_bar, x)
    b1_bar = z_bar
    return Gradients(W1_bar, b1_bar, W2_bar, b2_bar)


def forward_batch(X: np.ndarray, T: np.ndarray, W1: np.ndarray, b1: np.ndarray,
                  W2: np.ndarray, b2: np.ndarray) -> Forward:
    """A minibatch (rows are samples): Z = X W1ᵀ + b1, H = σ(Z), Y = H W2ᵀ + b2,
    L = (1/N) Σ_n ½‖y_n − t_n‖²."""
    check_shapes(X, T, W1, b1, W2, b2, batch=True)
    N = X.shape[0]
    Z = X @ W1.T + b1
    H = sigmoid(Z)
    Y = H @ W2.T + b2
    L = 0.5 * np.sum((Y - T) ** 2) / N
    return Forward(Z, H, Y, float(L))


def backward_batch(X: np.ndarray, T: np.ndarray, W1: np.ndarray, b1: np.ndarray,
                   W2: np.ndarray, b2: np.ndarray, fwd: Forward) -> Gradients:
    """A minibatch: the same lines, each outer product summed over the samples."""
    Z, H, Y = fwd.z, fwd.h, fwd.y
    N = X.shape[0]
    L_bar = 1.0
    Y_bar = L_bar * (Y - T) / N  # row n: ∂L/∂y_n (the 1/N of the mean)
    W2_bar = Y_bar.T @ H  # Σ_n y_bar_n h_nᵀ
    b2_bar = Y_bar.sum(axis=0)  # Σ_n y_bar_n
    H_bar = Y_bar @ W2  # row n: W2ᵀ y_bar_n
    Z_bar = H_bar * sigmoid_prime(Z)
    W1_bar = Z_bar.T @ X  # Σ_n z_bar_n x_nᵀ
    b1_bar = Z_bar.sum(axis=0)
    return Gradients(W1_bar, b1_bar, W2_bar, b2_bar)
