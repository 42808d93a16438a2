"""Tasks 4–6: the student's Linear layer, activation derivatives and losses against central
differences, the slides' formulas and `nnedu.nn`."""

from __future__ import annotations

from types import ModuleType

import numpy as np

from nnedu.exercises.diy.checking import TaskError, central_differences, close, expect, fmt
from nnedu.nn import ELU, LeakyReLU, Linear, MSELoss, ReLU, Sigmoid, SoftmaxCrossEntropyLoss, Tanh


def check_linear(mynn: ModuleType) -> None:
    """Task 4: Z = XWᵀ + b; W̄ = Z̄ᵀX, b̄ = Σₙ Z̄[n], X̄ = Z̄W; gradients accumulate."""
    rng = np.random.default_rng(4)
    layer = mynn.linear.Linear(3, 2)
    reference = Linear(3, 2, rng=1)
    layer.W.data[...] = reference.W.data
    layer.b.data[...] = rng.normal(size=2)
    reference.b.data[...] = layer.b.data
    X = rng.normal(size=(4, 3))
    Z = layer.forward(X.copy())
    want = reference.forward(X)
    expect(isinstance(Z, np.ndarray) and Z.shape == (4, 2),
           f"Linear(3, 2).forward on X of shape (4, 3) returned "
           f"{getattr(Z, 'shape', type(Z).__name__)}, expected shape (4, 2); hint: Z = X Wᵀ + b")
    expect(close(Z, want), f"Linear.forward: Z = {fmt(Z)} but X Wᵀ + b = {fmt(want)}; hint: the "
           "rows of X are the samples, so z = Wx + b becomes Z = X Wᵀ + b")
    Z_bar = rng.normal(size=(4, 2))
    layer.W.grad[...] = 0
    layer.b.grad[...] = 0
    X_bar = layer.backward(Z_bar.copy())
    reference.zero_grad()
    want_X_bar = reference.backward(Z_bar)

    def loss() -> float:  # L = Σ Z ∘ Z̄, so that ∂L/∂Z = Z̄
        return float(np.sum(layer.forward(X_local) * Z_bar))

    X_local = X.copy()
    numeric = {"W": central_differences(lambda _: loss(), layer.W.data),
               "b": central_differences(lambda _: loss(), layer.b.data),
               "X": central_differences(lambda _: loss(), X_local)}
    checks = (("W.grad", layer.W.grad, reference.W.grad, numeric["W"], "W̄ = Z̄ᵀ X"),
              ("b.grad", layer.b.grad, reference.b.grad, numeric["b"], "b̄ = Σₙ Z̄[n]"),
              ("the returned X̄", X_bar, want_X_bar, numeric["X"], "X̄ = Z̄ W"))
    for name, got, want_, num, formula in checks:
        expect(close(got, want_, rtol=1e-9),
               f"Linear.backward: {name} = {fmt(got)} but {formula} = {fmt(want_)} (central "
               f"differences: {fmt(num)}); hint: the slide's W̄ = z̄xᵀ summed over the samples")
    layer.forward(X.copy())
    layer.backward(Z_bar.copy())
    expect(close(layer.W.grad, 2 * reference.W.grad, rtol=1e-9),
           "Linear.backward: after a second backward without zeroing, W.grad should be twice "
           f"W̄ = {fmt(2 * reference.W.grad)}, got {fmt(layer.W.grad)}; hint: gradients "
           "accumulate (W.grad += …), as a node with fan-out sums its children's contributions")


ACTIVATIONS = (
    ("sigmoid_prime", "sigmoid", Sigmoid, {}, "σ′(z) = σ(z)(1 − σ(z))"),
    ("tanh_prime", None, Tanh, {}, "tanh′(z) = 1 − tanh²(z)"),
    ("relu_prime", "relu", ReLU, {}, "1 where z > 0, else 0"),
    ("leaky_relu_prime", "leaky_relu", LeakyReLU, {"alpha": 0.1}, "1 where z > 0, else α"),
    ("elu_prime", "elu", ELU, {"alpha": 1.0}, "1 where z > 0, else α eᶻ"),
)


def check_activations(mynn: ModuleType) -> None:
    """Task 5: φ′ = nnedu's = central differences of φ, finite and silent for large |z|."""
    z = np.array([[-3.0, -1.2, -0.3], [0.4, 1.1, 2.5]])
    for name, forward, Reference, kwargs, formula in ACTIVATIONS:
        derivative = getattr(mynn.activations, name)
        phi = np.tanh if forward is None else getattr(mynn.activations, forward)
        got = derivative(z.copy(), **kwargs)
        layer = Reference(**kwargs)
        layer.forward(z)
        want = np.asarray(layer.phi_prime(), dtype=float)
        numeric = (phi(z + 1e-6, **kwargs) - phi(z - 1e-6, **kwargs)) / 2e-6
        expect(close(got, want, rtol=1e-9),
               f"{name}(z) at z = {fmt(z)}: got {fmt(np.asarray(got))} but expected "
               f"{fmt(want)} (central differences {fmt(numeric)}); hint: {formula}")
        large = np.array([-800.0, -40.0, 0.0, 40.0, 800.0])
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            try:
                values = np.asarray(derivative(large, **kwargs), dtype=float)
            except FloatingPointError as error:
                raise TaskError(
                    f"{name} at z = {fmt(large)} raised FloatingPointError ({error}); hint: "
                    "never exponentiate a large positive number (use the stable form)") from None
        expect(bool(np.all(np.isfinite(values))),
               f"{name} at z = {fmt(large)} gave {fmt(values)}: not finite; hint: compute it "
               "without overflow")


def check_losses(mynn: ModuleType) -> None:
    """Task 6: the losses and their error signals = nnedu's = central differences."""
    rng = np.random.default_rng(6)
    y, t = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    loss, y_bar = mynn.losses.squared_error(y.copy(), t)
    reference = MSELoss()
    want_loss = reference.forward(y, t)
    want_bar = reference.backward()
    expect(close(loss, want_loss, rtol=1e-12),
           f"squared_error: l = {fmt(loss)} but (1/N) Σₙ ½‖yₙ − tₙ‖² = {fmt(want_loss)} "
           f"(without the ½: {fmt(2 * want_loss)}); hint: the slide's L = ½(y − t)ᵀ(y − t), "
           "averaged over the N samples")
    y_local = y.copy()
    numeric = central_differences(lambda _: mynn.losses.squared_error(y_local, t)[0], y_local)
    expect(close(y_bar, want_bar, rtol=1e-9),
           f"squared_error: ȳ = {fmt(y_bar)} but (y − t)/N = {fmt(want_bar)} (central "
           f"differences of your l: {fmt(numeric)}); hint: the ½ cancels the 2 of the square")
    f = rng.normal(size=(4, 3)) * 3
    c = np.array([0, 2, 1, 2])
    loss, f_bar = mynn.losses.softmax_cross_entropy(f.copy(), c)
    reference = SoftmaxCrossEntropyLoss()
    want_loss = reference.forward(f, c)
    want_bar = reference.backward()
    f_local = f.copy()
    numeric = central_differences(lambda _: mynn.losses.softmax_cross_entropy(f_local, c)[0],
                                  f_local)
    expect(close(f_bar, want_bar, rtol=1e-9),
           f"softmax_cross_entropy: f̄ = {fmt(np.asarray(f_bar))} but (softmax(f) − t)/N = "
           f"{fmt(want_bar)} (central differences {fmt(numeric)}); hint: t is the one-hot row "
           "of the class c: subtract 1 at the true class only, then divide by N")
    big = np.array([[1e4, -1e4, 0.0], [-1e4, 0.0, 1e4]])
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        try:
            _, big_bar = mynn.losses.softmax_cross_entropy(big.copy(), np.array([1, 2]))
        except FloatingPointError as error:
            raise TaskError(f"softmax_cross_entropy at logits ±1e4 raised "
                                 f"FloatingPointError ({error}); hint: use the given softmax, "
                                 "which subtracts the largest logit first") from None
    want_big = np.array([[0.5, -0.5, 0.0], [0.0, 0.0, 0.0]])
    expect(close(big_bar, want_big, atol=1e-12),
           f"softmax_cross_entropy at logits ±1e4: f̄ = {fmt(np.asarray(big_bar))}, expected "
           f"{fmt(want_big)}; hint: use the given softmax (no overflow)")
