"""The build-it-yourself tasks: number, title, where the slides derive it, the file to edit."""

from __future__ import annotations

from typing import NamedTuple


class Task(NamedTuple):
    number: int
    title: str
    slides: str  # slide titles of the lecture, and the notebook that shows it running
    file: str  # in the student's `mynn` package


TASKS: tuple[Task, ...] = (
    Task(1, "local derivatives of the scalar Value's operations",
         "'Univariate chain rule', 'Computation graph (example)'; notebook 03", "value.py"),
    Task(2, "the topological order v₁ … v_N",
         "'Backpropagation: Full backpropagation algorithm'; notebook 03", "value.py"),
    Task(3, "backward: v̄_N = 1, v̄ᵢ = Σⱼ v̄ⱼ ∂vⱼ/∂vᵢ",
         "'Backpropagation', 'Regularized Regression' (fan-out), 'Multivariable chain rule'; "
         "notebook 03", "value.py"),
    Task(4, "Linear.forward and Linear.backward",
         "'Example: Multi-layer Perceptron (vector form)' (W̄ = z̄xᵀ, b̄ = z̄, x̄ = Wᵀz̄); "
         "notebook 04", "linear.py"),
    Task(5, "the activations' derivatives φ′(z)",
         "'Activation functions' (sigmoid, tanh, ReLU, Leaky ReLU, ELU); notebook 01",
         "activations.py"),
    Task(6, "squared error and softmax + cross-entropy backward",
         "'Computation graph (example)' (L = ½(y − t)²), 'Softmax classification', "
         "'Output layers and loss functions: Multi-class classification'; notebooks 04, 05",
         "losses.py"),
    Task(7, "SGD and momentum steps",
         "'Momentum term', 'SGD + Momentum'; notebook 06", "optim.py"),
    Task(8, "the RMSProp step", "'Gradient Normalisation (RMSProp)'; notebook 06", "optim.py"),
    Task(9, "the Adam step", "'Adaptive Momentum (Adam)'; notebook 06", "optim.py"),
)
