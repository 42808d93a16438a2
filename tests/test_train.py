"""The training loop: seeded minibatches, history, schedules, weight decay, early stopping,
divergence, callbacks and the progress bar."""

from __future__ import annotations

import io
import math
import re
import sys

import numpy as np
import pytest

from nnedu.data import blobs, noisy_sine
from nnedu.nn import Layer, Linear, MSELoss, ReLU, Sequential, SoftmaxCrossEntropyLoss, Tanh
from nnedu.optim import LBFGS, SGD, Adam, Cosine, StepDecay
from nnedu.train import DivergenceError, EarlyStopping, accuracy, fit, get_weights, predict
from nnedu.train.loop import _progress_bar


class RecordInputs(Layer):
    """The identity, remembering every batch it sees (to check how fit draws minibatches)."""

    def __init__(self) -> None:
        self.batches: list[np.ndarray] = []

    def forward(self, x):
        if self.training:
            self.batches.append(np.asarray(x).copy())
        return x

    def backward(self, out_bar, input_grad=True):
        return out_bar


def classifier(seed: int = 0, hidden: int = 16, features: int = 2, classes: int = 3):
    rng = np.random.default_rng(seed)
    return Sequential(Linear(features, hidden, rng=rng), ReLU(), Linear(hidden, classes, rng=rng))


def blob_data(n: int = 90, seed: int = 0):
    return blobs(n, centers=3, std=0.6, seed=seed)


def test_same_seed_gives_the_same_run_and_another_seed_another() -> None:
    def run(seed: int) -> list[float]:
        model = classifier()
        return fit(model, SoftmaxCrossEntropyLoss(), SGD(model.parameters(), lr=0.1),
                   blob_data(), epochs=3, batch_size=16, seed=seed).step_loss
    assert run(1) == run(1)
    assert run(1) != run(2)


def test_each_epoch_visits_every_sample_once_in_a_new_order() -> None:
    X = np.arange(10.0)[:, None] * np.ones((1, 2))
    t = np.arange(10) % 3
    recorder = RecordInputs()
    model = Sequential(recorder, Linear(2, 3))
    fit(model, SoftmaxCrossEntropyLoss(), SGD(model.parameters(), lr=0.01), (X, t), epochs=2,
        batch_size=4)
    sizes = [len(b) for b in recorder.batches]
    assert sizes == [4, 4, 2, 4, 4, 2]
    epoch1 = np.concatenate(recorder.batches[:3])[:, 0]
    epoch2 = np.concatenate(recorder.batches[3:])[:, 0]
    assert sorted(epoch1) == sorted(epoch2) == list(range(10))
    assert not np.array_equal(epoch1, epoch2)


def test_history_records_steps_and_epochs() -> None:
    model = classifier()
    X, t = blob_data(90)
    h = fit(model, SoftmaxCrossEntropyLoss(), Adam(model.parameters(), lr=0.01), (X, t),
            epochs=4, batch_size=20, val=blob_data(30, seed=1))
    assert h.steps_per_epoch == 5 and len(h.step_loss) == 20 and h.epochs == 4
    sizes = np.array([20, 20, 20, 20, 10])
    for epoch in range(4):
        losses = np.array(h.step_loss[5 * epoch:5 * epoch + 5])
        assert h.train_loss[epoch] == pytest.approx(np.sum(losses * sizes) / 90)
    assert all(0 <= a <= 1 for a in h.train_acc + h.val_acc)
    assert h.val_loss[-1] < h.val_loss[0]
    assert h.seconds == sorted(h.seconds)
    assert "4 epochs" in repr(h)


def test_regression_history_has_no_accuracy() -> None:
    X, t = noisy_sine(64)
    model = Sequential(Linear(1, 16), Tanh(), Linear(16, 1))
    h = fit(model, MSELoss(), Adam(model.parameters(), lr=0.01), (X, t), epochs=2,
            batch_size=16, val=(X, t))
    assert h.train_acc == [None, None] and h.val_acc == [None, None]
    assert h.val_loss[1] is not None


def test_schedule_sets_the_learning_rate_before_every_step() -> None:
    model = classifier()
    schedule = Cosine(0.1, T=3)
    h = fit(model, SoftmaxCrossEntropyLoss(), SGD(model.parameters(), lr=1.0), blob_data(90),
            epochs=3, batch_size=30, schedule=schedule)
    expected = [schedule(e + b / 3) for e in range(3) for b in range(3)]
    assert h.step_lr == pytest.approx(expected)
    other = classifier()
    steps = fit(other, SoftmaxCrossEntropyLoss(), SGD(other.parameters(), lr=1.0),
                blob_data(90), epochs=4, batch_size=45,
                schedule=StepDecay(0.1, milestones=[2], factor=0.5)).step_lr
    assert steps == pytest.approx([0.1] * 4 + [0.05] * 4)


def test_weight_decay_adds_lambda_w_to_weight_gradients_only() -> None:
    X, t = blob_data(30)
    lam, lr = 0.5, 0.1
    plain, decayed = classifier(), classifier()
    before = get_weights(decayed)
    fit(plain, SoftmaxCrossEntropyLoss(), SGD(plain.parameters(), lr=lr), (X, t), epochs=1,
        batch_size=None)
    fit(decayed, SoftmaxCrossEntropyLoss(), SGD(decayed.parameters(), lr=lr), (X, t),
        epochs=1, batch_size=None, weight_decay=lam)
    for p_plain, p_decayed, w0 in zip(plain.parameters(), decayed.parameters(), before):
        shrink = lr * lam * w0 if w0.ndim >= 2 else 0.0
        np.testing.assert_allclose(p_decayed.data, p_plain.data - shrink, rtol=1e-12,
                                   atol=1e-15)


def test_lbfgs_with_weight_decay_finds_the_ridge_regression_solution() -> None:
    """min (1/2N)‖Xw + b − t‖² + ½λ‖w‖²: w = (X̃ᵀX̃/N + λI)⁻¹ X̃ᵀt̃/N on centred data, b not
    decayed."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3))
    t = X @ np.array([1.0, -2.0, 0.5]) + 0.3 + 0.1 * rng.normal(size=50)
    lam, n = 0.5, len(X)
    model = Sequential(Linear(3, 1, rng=rng))
    h = fit(model, MSELoss(), LBFGS(model.parameters(), max_iter=100), (X, t[:, None]),
            epochs=1, batch_size=None, weight_decay=lam)
    Xc, tc = X - X.mean(axis=0), t - t.mean()
    w = np.linalg.solve(Xc.T @ Xc / n + lam * np.eye(3), Xc.T @ tc / n)
    b = t.mean() - X.mean(axis=0) @ w
    W, bias = model.parameters()
    np.testing.assert_allclose(W.data.ravel(), w, rtol=1e-6)
    np.testing.assert_allclose(bias.data.ravel(), [b], rtol=1e-6)
    assert h.step_loss[-1] == pytest.approx(0.5 * np.mean((X @ w + b - t) ** 2), rel=1e-6)


def test_early_stopping_stops_and_restores_the_best_epochs_weights() -> None:
    X, t = blob_data(30, seed=0)
    X_val, t_val = blob_data(300, seed=5)
    model = classifier(hidden=64)
    seen: list[list[np.ndarray]] = []

    def remember(epoch, model, history):
        seen.append(get_weights(model))

    stopper = EarlyStopping(patience=3)
    h = fit(model, SoftmaxCrossEntropyLoss(), Adam(model.parameters(), lr=0.05), (X, t),
            epochs=200, batch_size=10, val=(X_val, t_val), early_stopping=stopper,
            callbacks=[remember])
    assert h.stopped_early and h.epochs < 200
    assert h.best_epoch == int(np.argmin(h.val_loss))
    assert h.epochs == h.best_epoch + 1 + 3
    for w_now, w_best in zip(get_weights(model), seen[h.best_epoch]):
        np.testing.assert_array_equal(w_now, w_best)


def test_early_stopping_on_validation_needs_validation_data_before_any_training() -> None:
    model = classifier()
    before = get_weights(model)
    with pytest.raises(ValueError, match="monitors val_loss, which needs validation data"):
        fit(model, SoftmaxCrossEntropyLoss(), SGD(model.parameters(), lr=0.1), blob_data(),
            epochs=2, early_stopping=EarlyStopping())
    for w_now, w_before in zip(get_weights(model), before):
        np.testing.assert_array_equal(w_now, w_before)


@pytest.mark.parametrize("lr", [1e6, 1e300])  # 1e300: the weights themselves overflow
def test_divergence_stops_at_once_naming_step_and_learning_rate(lr: float) -> None:
    X, t = noisy_sine(64)
    model = Sequential(Linear(1, 32), ReLU(), Linear(32, 1))
    message = rf"learning rate {re.escape(f'{lr:g}')}.*too high.*bad initialization"
    with pytest.raises(DivergenceError, match=message) as info:
        fit(model, MSELoss(), SGD(model.parameters(), lr=lr), (X, t), epochs=50,
            batch_size=8)
    error = info.value
    assert error.lr == lr and error.step == len(error.history.step_loss)
    assert not math.isfinite(error.loss)
    assert all(math.isfinite(x) for x in error.history.step_loss[:-1])
    assert all(np.all(np.isfinite(p.data)) for p in model.parameters())
    assert f"step {error.step}" in str(error)


def test_callbacks_run_after_every_epoch_and_can_stop_training() -> None:
    calls = []

    def stop_after_two(epoch, model, history):
        calls.append((epoch, history.epochs))
        return epoch == 1

    model = classifier()
    h = fit(model, SoftmaxCrossEntropyLoss(), SGD(model.parameters(), lr=0.1), blob_data(),
            epochs=5, callbacks=[stop_after_two])
    assert calls == [(0, 1), (1, 2)] and h.epochs == 2 and h.stopped_early


def test_no_progress_bar_in_tests_without_a_terminal_or_with_tqdm_disable(monkeypatch) -> None:
    assert _progress_bar(10, None) is None  # under pytest
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)
    monkeypatch.setenv("TQDM_DISABLE", "1")
    assert _progress_bar(10, None) is None
    assert _progress_bar(10, False) is None
    bar = _progress_bar(10, True)
    assert bar is not None and bar.total == 10
    bar.close()


def test_progress_bar_is_automatic_only_in_a_terminal_or_a_notebook(monkeypatch) -> None:
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)
    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    assert _progress_bar(10, None) is None
    pretend_to_be_in_a_kernel(monkeypatch)
    bar = _progress_bar(10, None)
    assert type(bar).__module__ == "tqdm.notebook"  # a widget, not text on stderr
    bar.close()


def pretend_to_be_in_a_kernel(monkeypatch) -> None:
    import IPython

    shell = type("ZMQInteractiveShell", (), {})()
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    monkeypatch.setitem(sys.modules, "IPython", IPython)


def test_a_notebook_without_ipywidgets_gets_no_bar_rather_than_text(monkeypatch) -> None:
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)
    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    pretend_to_be_in_a_kernel(monkeypatch)
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import ipywidgets fails
    assert _progress_bar(10, None) is None


def test_fit_writes_nothing_to_the_terminal(capsys) -> None:
    model = classifier()
    fit(model, SoftmaxCrossEntropyLoss(), SGD(model.parameters(), lr=0.1), blob_data(), 3)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_fit_refuses_bad_arguments_clearly() -> None:
    model = classifier()
    opt = SGD(model.parameters(), lr=0.1)
    loss = SoftmaxCrossEntropyLoss()
    X, t = blob_data()
    with pytest.raises(ValueError, match="90 inputs but 89 targets"):
        fit(model, loss, opt, (X, t[:-1]), 1)
    with pytest.raises(ValueError, match="epochs"):
        fit(model, loss, opt, (X, t), 0)
    with pytest.raises(ValueError, match="batch_size"):
        fit(model, loss, opt, (X, t), 1, batch_size=0)
    with pytest.raises(ValueError, match="pair"):
        fit(model, loss, opt, X, 1)
    with pytest.raises(ValueError, match="weight_decay"):
        fit(model, loss, opt, (X, t), 1, weight_decay=-0.1)
    with pytest.raises(ValueError, match="threads"):
        fit(model, loss, opt, (X, t), 1, threads=0)
    with pytest.raises(TypeError, match="t must hold numbers"):
        fit(model, loss, opt, (X, t.astype(str)), 1)
    with pytest.raises(ValueError, match="patience"):
        EarlyStopping(patience=0)
    with pytest.raises(ValueError, match="min_delta"):
        EarlyStopping(min_delta=math.nan)


@pytest.mark.parametrize("where", ["data", "val"])
def test_nan_in_the_data_is_named_before_training_not_blamed_on_the_learning_rate(
        where: str) -> None:
    model = classifier()
    before = get_weights(model)
    X, t = blob_data()
    X_bad = X.copy()
    X_bad[7, 1] = np.nan
    data, val = ((X_bad, t), None) if where == "data" else ((X, t), (X_bad, t))
    with pytest.raises(ValueError, match=f"{where} X contains NaN"):
        fit(model, SoftmaxCrossEntropyLoss(), SGD(model.parameters(), lr=0.1), data, 2,
            val=val)
    for w_now, w_before in zip(get_weights(model), before):
        np.testing.assert_array_equal(w_now, w_before)


def test_accuracy_reads_labels_one_hot_and_single_logits() -> None:
    y = np.array([[2.0, 1.0, 0.0], [0.0, 0.5, 3.0], [1.0, 2.0, 0.0]])
    assert accuracy(y, np.array([0, 2, 0])) == pytest.approx(2 / 3)
    assert accuracy(y, np.eye(3)[[0, 2, 1]]) == 1.0
    logits = np.array([[1.5], [-0.2], [0.3]])
    assert accuracy(logits, np.array([[1], [0], [0]])) == pytest.approx(2 / 3)
    assert accuracy(logits, np.array([[1], [-1], [1]])) == 1.0
    with pytest.raises(ValueError, match="3 outputs but 2 targets"):
        accuracy(y, np.array([0, 2]))


def test_predict_handles_an_empty_batch_and_refuses_a_zero_batch_size() -> None:
    model = classifier()
    assert predict(model, np.zeros((0, 2))).shape == (0, 3)
    with pytest.raises(ValueError, match="batch_size"):
        predict(model, np.zeros((4, 2)), batch_size=0)


def test_float32_model_and_data_train_in_float32() -> None:
    X, t = blob_data()
    rng = np.random.default_rng(0)
    model = Sequential(Linear(2, 8, rng=rng, dtype=np.float32), ReLU(),
                       Linear(8, 3, rng=rng, dtype=np.float32))
    h = fit(model, SoftmaxCrossEntropyLoss(), Adam(model.parameters(), lr=0.01),
            (X.astype(np.float32), t), epochs=3, val=(X.astype(np.float32), t))
    assert all(p.data.dtype == np.float32 for p in model.parameters())
    assert h.train_loss[-1] < h.train_loss[0]


def test_one_hot_targets_get_an_accuracy_too() -> None:
    X, t = blob_data()
    model = classifier()
    h = fit(model, SoftmaxCrossEntropyLoss(), Adam(model.parameters(), lr=0.01),
            (X, np.eye(3)[t]), epochs=2, val=(X, np.eye(3)[t]))
    assert h.train_acc[0] is not None and h.val_acc[-1] == accuracy(predict(model, X), t)
