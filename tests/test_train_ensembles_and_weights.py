"""Ensembles average probabilities; snapshots are taken at cycle ends; weights files are
checked before they are loaded."""

from __future__ import annotations

import numpy as np
import pytest

from nnedu.data import blobs
from nnedu.nn import Linear, ReLU, Sequential, SoftmaxCrossEntropyLoss, softmax
from nnedu.optim import SGD, Cosine, Cyclic
from nnedu.train import (
    Ensemble,
    Snapshots,
    WeightsFileError,
    fit,
    get_weights,
    load_weights,
    predict,
    save_weights,
    set_weights,
)


def classifier(seed: int = 0, hidden: int = 8, dtype=np.float64) -> Sequential:
    rng = np.random.default_rng(seed)
    return Sequential(Linear(2, hidden, rng=rng, dtype=dtype), ReLU(),
                      Linear(hidden, 3, rng=rng, dtype=dtype))


def test_ensemble_averages_the_members_softmax_probabilities() -> None:
    X, _ = blobs(20, seed=1)
    models = [classifier(seed) for seed in range(3)]
    ensemble = Ensemble(models)
    expected = np.mean([softmax(m.forward(X), axis=1) for m in models], axis=0)
    np.testing.assert_allclose(ensemble.predict_proba(X), expected, rtol=1e-12)
    np.testing.assert_array_equal(ensemble.predict(X), np.argmax(expected, axis=1))
    np.testing.assert_allclose(ensemble.predict_proba(X).sum(axis=1), 1.0)


def test_ensemble_accuracy_reads_labels_one_hot_rows_and_binary_columns() -> None:
    X, _ = blobs(30, seed=2)
    ensemble = Ensemble([classifier(seed) for seed in range(3)])
    pred = ensemble.predict(X)
    t = pred.copy()
    t[:6] = (t[:6] + 1) % 3  # 6 of 30 wrong
    assert ensemble.accuracy(X, t) == pytest.approx(0.8)
    assert ensemble.accuracy(X, np.eye(3)[t]) == pytest.approx(0.8)
    with pytest.raises(ValueError, match="30 predictions but 29 targets"):
        ensemble.accuracy(X, t[:-1])
    rng = np.random.default_rng(0)
    binary = Ensemble([Sequential(Linear(2, 1, rng=rng)) for _ in range(2)])
    labels = binary.predict(X)
    assert binary.accuracy(X, labels[:, None]) == 1.0  # a (n, 1) column, not broadcast to n×n
    assert binary.accuracy(X, np.where(labels, 1, -1)[:, None]) == 1.0  # ±1 targets


def test_snapshots_are_taken_at_the_end_of_each_cycle() -> None:
    X, t = blobs(60, seed=0)
    model = classifier()
    schedule = Cyclic(0.2, cycle=2)
    snapshots = Snapshots(model, schedule)
    every_epoch = []
    fit(model, SoftmaxCrossEntropyLoss(), SGD(model.parameters(), lr=0.2), (X, t), epochs=6,
        batch_size=10, schedule=schedule,
        callbacks=[snapshots, lambda e, m, h: every_epoch.append(get_weights(m))])
    assert snapshots.epochs == [1, 3, 5] and len(snapshots) == 3
    for epoch, weights in zip(snapshots.epochs, snapshots.weights):
        for a, b in zip(weights, every_epoch[epoch]):
            np.testing.assert_array_equal(a, b)


def test_snapshot_ensemble_predicts_with_each_snapshot_and_restores_the_model() -> None:
    X, t = blobs(60, seed=0)
    model = classifier()
    schedule = Cyclic(0.2, cycle=1)
    snapshots = Snapshots(model, schedule)
    fit(model, SoftmaxCrossEntropyLoss(), SGD(model.parameters(), lr=0.2), (X, t), epochs=3,
        schedule=schedule, callbacks=[snapshots])
    current = get_weights(model)
    expected = []
    for weights in snapshots.weights:
        set_weights(model, weights)
        expected.append(softmax(predict(model, X), axis=1))
    set_weights(model, current)
    np.testing.assert_allclose(snapshots.predict_proba(X), np.mean(expected, axis=0))
    for a, b in zip(get_weights(model), current):
        np.testing.assert_array_equal(a, b)


def test_snapshot_ensemble_without_snapshots_says_so() -> None:
    snapshots = Snapshots(classifier(), Cyclic(0.1, cycle=5))
    with pytest.raises(RuntimeError, match="no snapshot"):
        snapshots.predict(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="whole number of epochs"):
        Snapshots(classifier(), Cyclic(0.1, cycle=2.5))  # its first cycle ends mid-epoch
    with pytest.raises(TypeError, match="Cyclic"):
        Snapshots(classifier(), Cosine(0.1, T=5))


def test_saved_weights_load_back_exactly_and_stay_in_the_flat_buffer(tmp_path) -> None:
    source, target = classifier(seed=1), classifier(seed=2)
    path = save_weights(source, tmp_path / "w.npz")
    buffer = target.parameters()[0].data.base
    load_weights(target, path)
    for a, b in zip(source.parameters(), target.parameters()):
        np.testing.assert_array_equal(a.data, b.data)
    assert target.parameters()[0].data.base is buffer
    with np.load(path, allow_pickle=False) as archive:
        assert archive.files == ["0.Linear.W", "0.Linear.b", "2.Linear.W", "2.Linear.b"]


@pytest.mark.parametrize(("other", "message"), [
    (lambda: classifier(hidden=9), "shape"),
    (lambda: classifier(dtype=np.float32), "float64 in the file, float32 in the model"),
    (lambda: Sequential(Linear(2, 8), ReLU(), Linear(8, 8), ReLU(), Linear(8, 3)), "names"),
])
def test_loading_into_another_architecture_is_refused(tmp_path, other, message) -> None:
    path = save_weights(classifier(), tmp_path / "w.npz")
    model = other()
    before = get_weights(model)
    with pytest.raises(WeightsFileError, match=message):
        load_weights(model, path)
    for a, b in zip(get_weights(model), before):
        np.testing.assert_array_equal(a, b)


def test_truncated_or_corrupted_files_are_refused(tmp_path) -> None:
    path = save_weights(classifier(), tmp_path / "w.npz")
    data = path.read_bytes()
    (tmp_path / "cut.npz").write_bytes(data[: len(data) // 2])
    (tmp_path / "junk.npz").write_bytes(b"not a weights file at all")
    for name in ("cut.npz", "junk.npz"):
        with pytest.raises(WeightsFileError, match="corrupted"):
            load_weights(classifier(), tmp_path / name)


def test_a_file_that_needs_pickle_is_refused(tmp_path) -> None:
    model = classifier()
    arrays = {name: np.array([object()], dtype=object) for name in
              ["0.Linear.W", "0.Linear.b", "2.Linear.W", "2.Linear.b"]}
    with (tmp_path / "pickle.npz").open("wb") as f:
        np.savez(f, **arrays)
    with pytest.raises(WeightsFileError, match="pickle"):
        load_weights(model, tmp_path / "pickle.npz")


def test_a_file_with_nan_weights_is_refused(tmp_path) -> None:
    model = classifier()
    model.parameters()[1].data[0] = np.nan
    path = save_weights(model, tmp_path / "nan.npz")
    with pytest.raises(WeightsFileError, match="NaN"):
        load_weights(classifier(), path)


def test_set_weights_checks_count_and_shapes() -> None:
    model = classifier()
    with pytest.raises(ValueError, match="4 parameters, got 3"):
        set_weights(model, get_weights(model)[:3])
    wrong = get_weights(model)
    wrong[0] = wrong[0].T
    with pytest.raises(ValueError, match="shape"):
        set_weights(model, wrong)


def test_scalar_value_models_save_and_load_too(tmp_path) -> None:
    from nnedu.scalar import MLP

    source, target = MLP(2, [3, 1]), MLP(2, [3, 1])
    for i, p in enumerate(source.parameters()):
        p.data = 0.25 * i - 1.0
    load_weights(target, save_weights(source, tmp_path / "scalar.npz"))
    assert [p.data for p in target.parameters()] == [p.data for p in source.parameters()]
    assert all(type(p.data) is float for p in target.parameters())
    with pytest.raises(WeightsFileError, match="names"):
        load_weights(MLP(2, [4, 1]), tmp_path / "scalar.npz")
