"""fit() and the optimizers refuse bad input before the first step, keep History consistent
when interrupted, and fall back on the last weights whose loss was finite."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnedu.data import blobs
from nnedu.nn import GaussianNLLLoss, Linear, MSELoss, ReLU, Sequential, SoftmaxCrossEntropyLoss
from nnedu.optim import SGD, Adam, Cosine
from nnedu.train import DivergenceError, fit, get_weights


def classifier(seed: int = 0) -> Sequential:
    rng = np.random.default_rng(seed)
    return Sequential(Linear(2, 8, rng=rng), ReLU(), Linear(8, 3, rng=rng))


def assert_unchanged(model, before) -> None:
    for a, b in zip(get_weights(model), before):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("optimizer", [SGD, Adam])
def test_a_negative_learning_rate_set_later_is_refused(optimizer) -> None:
    opt = optimizer(classifier().parameters(), lr=0.1)
    with pytest.raises(ValueError, match=rf"{optimizer.__name__}: lr must be in \[0.0, inf\], "
                                         r"got -0.1"):
        opt.lr = -0.1
    assert opt.lr == 0.1


@pytest.mark.parametrize("lr", ["0.1", None, True, [0.1]])
def test_a_learning_rate_that_is_not_a_number_is_refused(lr) -> None:
    with pytest.raises(TypeError, match="SGD: lr must be a finite number"):
        SGD(classifier().parameters(), lr=lr)
    opt = SGD(classifier().parameters(), lr=0.1)
    with pytest.raises(TypeError, match="SGD: lr must be a finite number"):
        opt.lr = lr


def test_a_schedule_returning_a_negative_rate_stops_fit_with_the_schedule_named() -> None:
    model = classifier()
    with pytest.raises(ValueError, match=r"the schedule .* gave the learning rate -0.05 at "
                                         r"t = 1: SGD: lr must be in"):
        fit(model, SoftmaxCrossEntropyLoss(), SGD(model.parameters(), lr=0.1), blobs(30, seed=1),
            epochs=3, batch_size=30, schedule=lambda t: 0.1 if t < 1 else -0.05)


def test_an_optimizer_built_on_another_models_parameters_is_refused() -> None:
    model, other = classifier(1), classifier(2)
    before = get_weights(model)
    with pytest.raises(ValueError, match=r"4 of the optimizer's 4 parameters .* are not "
                                         r"parameters of this model"):
        fit(model, SoftmaxCrossEntropyLoss(), SGD(other.parameters(), lr=0.1), blobs(30),
            epochs=1)
    assert_unchanged(model, before)


def test_an_optimizer_over_the_model_and_the_losss_parameters_is_accepted() -> None:
    X = np.linspace(-1, 1, 20)[:, None]
    model, loss = Sequential(Linear(1, 1)), GaussianNLLLoss(learn_sigma=True)
    history = fit(model, loss, Adam(model.parameters() + loss.parameters(), lr=0.01),
                  (X, 2 * X), epochs=2, batch_size=None)
    assert history.epochs == 2
    sub = classifier()  # training a part of the model (the last layer) is fine too
    fit(sub, SoftmaxCrossEntropyLoss(), SGD(sub.layers[2].parameters(), lr=0.1), blobs(30),
        epochs=1)


@pytest.mark.parametrize("argument", ["epochs", "batch_size"])
def test_true_is_not_accepted_as_one(argument) -> None:
    model = classifier()
    kwargs = {"epochs": 1, "batch_size": 8, argument: True}
    with pytest.raises(ValueError, match=f"{argument} must be a positive integer"):
        fit(model, SoftmaxCrossEntropyLoss(), SGD(model.parameters(), lr=0.1), blobs(30),
            **kwargs)


@settings(max_examples=30, deadline=None)
@given(position=st.integers(0, 59), label=st.sampled_from([-1, 3, 7]),
       batch_size=st.integers(1, 60), in_val=st.booleans())
def test_every_label_is_checked_before_the_first_step(position, label, batch_size,
                                                      in_val) -> None:
    X, t = blobs(60, centers=3, seed=0)
    t = t.copy()
    t[position] = label
    data, val = ((X, t % 3), (X, t)) if in_val else ((X, t), None)
    model = classifier()
    before = get_weights(model)
    with pytest.raises(ValueError, match=rf"targets of {'val' if in_val else 'data'} .*"
                                         r"before training.*labels must be in 0 … 2"):
        fit(model, SoftmaxCrossEntropyLoss(), SGD(model.parameters(), lr=0.5), data,
            epochs=2, batch_size=batch_size, val=val)
    assert_unchanged(model, before)


class InterruptedValidation(SoftmaxCrossEntropyLoss):
    """Raises KeyboardInterrupt in the validation pass of the second epoch (the first call on
    validation-sized outputs is fit's target check, the second the first epoch's pass)."""

    def __init__(self, val_size: int) -> None:
        super().__init__()
        self.val_size, self.val_calls = val_size, 0

    def forward(self, y, t):
        if len(y) == self.val_size:
            self.val_calls += 1
            if self.val_calls == 3:
                raise KeyboardInterrupt
        return super().forward(y, t)


def test_an_interrupt_during_validation_leaves_every_epoch_list_the_same_length() -> None:
    data, val = blobs(60, seed=0), blobs(21, seed=1)
    model = classifier()
    seen = []
    with pytest.raises(KeyboardInterrupt):
        fit(model, InterruptedValidation(21), SGD(model.parameters(), lr=0.1), data, epochs=5,
            batch_size=20, val=val, callbacks=[lambda epoch, m, h: seen.append(h)])
    history = seen[0]
    lengths = {name: len(getattr(history, name)) for name in
               ("train_loss", "train_acc", "val_loss", "val_acc", "lr", "seconds")}
    assert set(lengths.values()) == {1}, lengths
    assert len(history.step_loss) == len(history.step_lr) == 6  # two epochs of 3 steps


def test_after_divergence_the_model_has_the_last_weights_whose_loss_was_finite() -> None:
    """Gradient descent with lr = 10 on least squares: the weights grow ~20x per step, the
    loss (their square) overflows to inf while the weights are still finite (~1e155)."""
    X = np.linspace(1, 2, 10)[:, None]
    t = 3 * X
    model = Sequential(Linear(1, 1, rng=0))
    with pytest.raises(DivergenceError) as info:
        fit(model, MSELoss(), SGD(model.parameters(), lr=10.0), (X, t), epochs=500,
            batch_size=None)
    history = info.value.history
    assert not np.isfinite(history.step_loss[-1]) and np.isfinite(history.step_loss[-2])
    with np.errstate(over="ignore"):
        kept_loss = MSELoss().forward(model.forward(X), t)
    assert kept_loss == history.step_loss[-2]


def test_fit_with_a_cosine_schedule_still_trains() -> None:
    model = classifier()
    history = fit(model, SoftmaxCrossEntropyLoss(), SGD(model.parameters(), lr=1.0),
                  blobs(60, seed=0), epochs=4, batch_size=20, schedule=Cosine(0.3, T=4))
    assert history.step_lr[-1] >= 0 and history.train_loss[-1] < history.train_loss[0]
