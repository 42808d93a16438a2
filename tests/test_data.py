"""Data sets: seeded generators, the digits split, the IDX reader and preprocessing."""

from __future__ import annotations

import gzip
import hashlib
import sys

import numpy as np
import pytest

from nnedu.data import (
    PCA,
    IDXError,
    PCAWhitening,
    Standardize,
    ZCAWhitening,
    blobs,
    load_digits,
    load_mnist,
    noisy_sine,
    read_idx,
    spirals,
    two_moons,
    write_idx,
    xor,
)

GENERATORS = [xor, two_moons, spirals, blobs, noisy_sine]


@pytest.mark.parametrize("make", GENERATORS)
def test_same_seed_gives_same_data_and_other_seed_other_data(make) -> None:
    X1, t1 = make(seed=3)
    X2, t2 = make(seed=3)
    X3, _ = make(seed=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(t1, t2)
    assert not np.allclose(X1, X3)
    assert X1.dtype == np.float64 and len(X1) == len(t1)


@pytest.mark.parametrize("make", GENERATORS)
def test_an_explicit_generator_is_used_instead_of_the_seed(make) -> None:
    X1, _ = make(rng=np.random.default_rng(7))
    X2, _ = make(rng=np.random.default_rng(7))
    np.testing.assert_array_equal(X1, X2)


def test_noiseless_xor_is_the_truth_table() -> None:
    X, t = xor(4, noise=0.0)
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(t, [0, 1, 1, 0])


def test_classification_sets_are_balanced() -> None:
    for _, t in (two_moons(101), spirals(300, classes=3), blobs(300, centers=3), xor(200)):
        counts = np.bincount(t)
        assert counts.max() - counts.min() <= 1, counts


def test_noiseless_moons_lie_on_their_half_circles() -> None:
    X, t = two_moons(200, noise=0.0)
    np.testing.assert_allclose(np.linalg.norm(X[t == 0], axis=1), 1.0)
    np.testing.assert_allclose(np.linalg.norm(X[t == 1] - [1.0, 0.5], axis=1), 1.0)


def test_blobs_have_the_given_means() -> None:
    means = np.array([[5.0, 0.0], [-5.0, 1.0]])
    X, t = blobs(4000, centers=means, std=0.5)
    for k in range(2):
        np.testing.assert_allclose(X[t == k].mean(axis=0), means[k], atol=0.05)


def test_noisy_sine_is_sorted_and_close_to_the_sine() -> None:
    X, t = noisy_sine(500, noise=0.1)
    assert X.shape == (500, 1) and t.shape == (500, 1)
    assert np.all(np.diff(X[:, 0]) >= 0)
    residual = t - np.sin(X)
    assert 0.08 < residual.std() < 0.12


def test_generators_refuse_bad_sizes() -> None:
    with pytest.raises(ValueError, match="spirals"):
        spirals(2, classes=3)
    with pytest.raises(ValueError, match="xor"):
        xor(0)
    with pytest.raises(TypeError, match="Generator"):
        xor(rng=0)
    with pytest.raises(ValueError, match="blobs: centers must be an integer ≥ 1, got 0"):
        blobs(centers=0)


@pytest.mark.parametrize(("make", "message"), [
    (lambda: xor(noise=-0.1), "xor: noise must be a finite number ≥ 0"),
    (lambda: two_moons(noise=np.nan), "two_moons: noise"),
    (lambda: spirals(noise=-1.0), "spirals: noise"),
    (lambda: spirals(classes=1), "spirals: classes must be an integer ≥ 2"),
    (lambda: blobs(std=-0.5), "blobs: std"),
    (lambda: blobs(centers=np.array([[0.0, np.inf]])), "blobs: centers must be a finite"),
    (lambda: noisy_sine(noise=-0.1), "noisy_sine: noise"),
    (lambda: noisy_sine(low=1.0, high=-1.0), "low < high"),
])
def test_generators_refuse_negative_noise_and_empty_ranges(make, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()


def test_digits_split_is_deterministic_disjoint_and_stratified() -> None:
    a, b = load_digits(seed=0), load_digits(seed=0)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    n = len(a.X_train) + len(a.X_val) + len(a.X_test)
    assert n == 1797 and a.X_train.shape[1] == 64
    assert a.X_train.min() >= 0.0 and a.X_train.max() == 1.0
    rows = {r.tobytes() for r in a.X_train}
    assert not any(r.tobytes() in rows for r in a.X_test)
    for t in (a.t_train, a.t_val, a.t_test):
        share = np.bincount(t, minlength=10) / len(t)
        np.testing.assert_allclose(share, 0.1, atol=0.01)
    assert len(a.X_test) == pytest.approx(0.2 * 1797, abs=10)
    other = load_digits(seed=1)
    assert not np.array_equal(a.t_test, other.t_test)


def test_digits_as_float32_images() -> None:
    split = load_digits(dtype=np.float32, images=True)
    assert split.X_train.dtype == np.float32 and split.X_train.shape[1:] == (8, 8)


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.float32,
                                   np.float64])
@pytest.mark.parametrize("name", ["a.idx", "a.idx.gz"])
def test_idx_round_trip(tmp_path, dtype, name: str) -> None:
    array = (np.arange(24).reshape(2, 3, 4) - 5).astype(dtype)
    if dtype == np.uint8:
        array = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    write_idx(tmp_path / name, array)
    got = read_idx(tmp_path / name)
    assert got.dtype == dtype and got.shape == (2, 3, 4)
    np.testing.assert_array_equal(got, array)


def test_idx_reads_the_bytes_of_the_format_by_hand(tmp_path) -> None:
    raw = bytes([0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 255])
    (tmp_path / "m").write_bytes(raw)
    np.testing.assert_array_equal(read_idx(tmp_path / "m"), [[1, 2, 3], [4, 5, 255]])


@pytest.mark.parametrize(("raw", "message"), [
    (b"\x00\x00", "too short"),
    (b"PK\x03\x04rest", "magic number"),
    (bytes([0, 0, 0x07, 1, 0, 0, 0, 1, 0]), "magic number"),
    (bytes([0, 0, 0x08, 3, 0, 0, 0, 1]), "truncated header"),
    (bytes([0, 0, 0x08, 1, 0, 0, 0, 5, 1, 2]), "truncated"),
    (bytes([0, 0, 0x08, 1, 0, 0, 0, 1, 1, 2]), "trailing bytes"),
    (bytes([0, 0, 0x08, 0]), "0 dimensions"),
    (bytes([0, 0, 0x0E, 3]) + bytes.fromhex("7fffffff") * 3 + bytes(8),
     r"needs 79228162403583873202826248184 data bytes, found 8"),  # (2³¹ − 1)³ · 8, no wrap
])
def test_idx_refuses_malformed_files_clearly(tmp_path, raw: bytes, message: str) -> None:
    (tmp_path / "bad").write_bytes(raw)
    with pytest.raises(IDXError, match=message):
        read_idx(tmp_path / "bad")


def test_idx_refuses_truncated_gzip(tmp_path) -> None:
    data = gzip.compress(bytes([0, 0, 8, 1, 0, 0, 0, 100]) + bytes(100))
    (tmp_path / "cut.gz").write_bytes(data[: len(data) // 2])
    with pytest.raises(IDXError, match="gzip"):
        read_idx(tmp_path / "cut.gz")


def write_small_mnist(directory, n: int = 5, labels_n: int | None = None) -> None:
    rng = np.random.default_rng(0)
    write_idx(directory / "train-images-idx3-ubyte.gz",
              rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8))
    write_idx(directory / "train-labels-idx1-ubyte",
              rng.integers(0, 10, size=labels_n or n, dtype=np.uint8))


def test_load_mnist_scales_images_and_reads_labels(tmp_path) -> None:
    write_small_mnist(tmp_path)
    X, t = load_mnist(tmp_path, "train")
    assert X.shape == (5, 784) and X.dtype == np.float32
    assert X.min() >= 0.0 and X.max() <= 1.0
    assert t.dtype == np.int64 and t.shape == (5,)
    pixels = read_idx(tmp_path / "train-images-idx3-ubyte.gz")[0].ravel()
    np.testing.assert_allclose(X[0] * 255, pixels, rtol=1e-6)


def test_load_mnist_refuses_mismatched_counts_and_missing_files(tmp_path) -> None:
    write_small_mnist(tmp_path, n=5, labels_n=4)
    with pytest.raises(IDXError, match="5 images but 4 labels"):
        load_mnist(tmp_path)
    with pytest.raises(FileNotFoundError, match="t10k-images"):
        load_mnist(tmp_path, "t10k")


def correlated_data(n: int = 500, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    A = np.array([[3.0, 0.0, 0.0], [1.5, 0.5, 0.0], [0.2, -0.3, 0.1]])
    return rng.standard_normal((n, 3)) @ A.T + np.array([5.0, -2.0, 1.0])


def test_standardize_gives_zero_mean_unit_variance_on_training_data_only() -> None:
    X_train, X_test = correlated_data(seed=0), correlated_data(seed=1)
    s = Standardize().fit(X_train)
    Z = s.transform(X_train)
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=0), 1.0, rtol=1e-6)
    np.testing.assert_allclose(s.transform(X_test), (X_test - s.mean) / (s.std + s.eps))
    assert not np.allclose(s.transform(X_test).mean(axis=0), 0.0, atol=1e-3)


def test_standardize_leaves_a_constant_feature_finite() -> None:
    X = np.column_stack([np.ones(10), np.arange(10.0)])
    Z = Standardize().fit_transform(X)
    assert np.all(np.isfinite(Z)) and np.all(Z[:, 0] == 0)


def test_pca_whitening_gives_identity_covariance_and_zca_stays_close_to_x() -> None:
    X = correlated_data()
    for whitening in (PCAWhitening(eps=1e-12), ZCAWhitening(eps=1e-12)):
        Z = whitening.fit_transform(X)
        np.testing.assert_allclose(np.cov(Z.T, bias=True), np.eye(3), atol=1e-8)
    pca_white, zca = PCAWhitening().fit_transform(X), ZCAWhitening().fit_transform(X)
    centered = X - X.mean(axis=0)
    assert (np.linalg.norm(zca - centered / centered.std(axis=0))
            < np.linalg.norm(pca_white - centered / centered.std(axis=0)))


def test_pca_keeps_the_directions_of_largest_variance_in_order() -> None:
    X = correlated_data()
    pca = PCA(n_components=2).fit(X)
    Z = pca.transform(X)
    assert Z.shape == (500, 2)
    np.testing.assert_allclose(Z.var(axis=0), pca.variances, rtol=1e-10)
    assert pca.variances[0] > pca.variances[1]
    eig = np.sort(np.linalg.eigvalsh(np.cov(X.T, bias=True)))[::-1]
    np.testing.assert_allclose(pca.variances, eig[:2], rtol=1e-10)


def test_preprocessing_refuses_bad_input() -> None:
    with pytest.raises(RuntimeError, match="fit"):
        Standardize().transform(np.ones((3, 2)))
    with pytest.raises(ValueError, match="fitted on 3 features"):
        PCA().fit(correlated_data()).transform(np.ones((2, 4)))
    with pytest.raises(ValueError, match="n_components"):
        PCA(n_components=5).fit(correlated_data())
    with pytest.raises(ValueError, match="NaN"):
        Standardize().fit(np.array([[1.0, np.nan], [2.0, 3.0]]))
    with pytest.raises(ValueError, match="2-D"):
        Standardize().fit(np.ones(5))
    with pytest.raises(ValueError, match="Standardize: eps"):
        Standardize(eps=-1e-8)
    with pytest.raises(ValueError, match="ZCAWhitening: eps"):
        ZCAWhitening(eps=np.nan)
    with pytest.raises(ValueError, match="PCA: n_components must be an integer"):
        PCA(n_components=2.5)


# sha256 of `sklearn.datasets.load_digits()`'s data and target as uint8 bytes (scikit-learn
# 1.9.1; the data set has not changed since 2011). Comparing digests instead of calling
# scikit-learn keeps this test from importing sklearn.datasets, which takes seconds.
SKLEARN_DIGITS_SHA256 = ("8f26b2bd9d135c256808f68f14fdabddde6d9c7f869ae419704b051f0f14b3b3",
                         "8ba4f891220f5e4c9c819638d1602d74b83618f167043c6da52a2a247841ddf0")


def test_digits_match_scikit_learns_load_digits() -> None:
    from nnedu.data.digits import _digits_table

    pixels, labels = _digits_table()
    assert pixels.shape == (1797, 64) and labels.shape == (1797,)
    assert np.array_equal(pixels, np.round(pixels)) and 0 <= pixels.min() <= pixels.max() <= 16
    digests = tuple(hashlib.sha256(a.astype(np.uint8).tobytes()).hexdigest()
                    for a in (pixels, labels))
    assert digests == SKLEARN_DIGITS_SHA256


def test_digits_fall_back_to_scikit_learns_loader_if_the_bundled_file_moved(monkeypatch) -> None:
    import importlib.util
    import types

    from nnedu.data import digits

    rows = np.arange(3 * 64, dtype=np.float64).reshape(3, 64) % 17
    fake = types.ModuleType("sklearn.datasets")
    fake.load_digits = lambda: types.SimpleNamespace(data=rows, target=np.array([4, 0, 9]))
    monkeypatch.setitem(sys.modules, "sklearn.datasets", fake)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    digits._digits_table.cache_clear()
    try:
        pixels, labels = digits._digits_table()
    finally:
        digits._digits_table.cache_clear()
    np.testing.assert_array_equal(pixels, rows)
    np.testing.assert_array_equal(labels, [4, 0, 9])
    assert labels.dtype == np.int64 and not pixels.flags.writeable
