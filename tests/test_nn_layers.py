"""Layers of nnedu.nn: backward against central differences, shapes, dtypes, modes, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnedu import nn
from nnedu.gradcheck import check_layer

TOL = 1e-7


def _x(shape=(4, 3), seed=0, dtype=np.float64):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def _away_from_kinks(x):
    """Move entries away from 0, where ReLU-like units are not differentiable."""
    return np.where(np.abs(x) < 1e-3, 0.5, x)


LAYERS = {
    "Linear": lambda: nn.Linear(3, 5, rng=1),
    "Sigmoid": nn.Sigmoid,
    "Tanh": nn.Tanh,
    "ReLU": nn.ReLU,
    "LeakyReLU": nn.LeakyReLU,
    "ELU": lambda: nn.ELU(alpha=0.7),
    "PReLU shared": lambda: nn.PReLU(init=0.2),
    "PReLU per feature": lambda: nn.PReLU(3, init=0.3),
    "Dropout eval inverted": lambda: nn.Dropout(0.4).eval(),
    "Dropout eval scale_at_test": lambda: nn.Dropout(0.4, mode="scale_at_test").eval(),
    "DropConnect eval": lambda: nn.DropConnect(3, 2, p=0.3, rng=2).eval(),
    "Sequential": lambda: nn.Sequential(nn.Linear(3, 4, rng=3), nn.Tanh(), nn.Linear(4, 2, rng=4)),
}


@pytest.mark.parametrize("name", LAYERS)
def test_every_layer_backward_matches_central_differences(name):
    errors = check_layer(LAYERS[name](), _away_from_kinks(_x()))
    assert set(errors) >= {"x"}
    assert max(errors.values()) < TOL, errors


class _FixedMask:
    """A training-mode dropout layer that draws the same mask on every forward (for checking)."""

    def __init__(self, layer, seed=5):
        self.layer, self.seed = layer, seed

    def forward(self, x):
        self.layer.rng = np.random.default_rng(self.seed)
        return self.layer.forward(x)

    def backward(self, out_bar):
        return self.layer.backward(out_bar)

    def parameters(self):
        return self.layer.parameters()


@pytest.mark.parametrize("mode", ["inverted", "scale_at_test"])
def test_dropout_and_dropconnect_backward_with_a_training_mask(mode):
    for layer in (nn.Dropout(0.5, mode=mode), nn.DropConnect(3, 4, p=0.5, mode=mode)):
        errors = check_layer(_FixedMask(layer), _x())
        assert max(errors.values()) < TOL, (layer, errors)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(batch=st.integers(1, 5), n_in=st.integers(1, 6), n_out=st.integers(1, 6),
       seed=st.integers(0, 2**16))
def test_linear_backward_for_any_shape(batch, n_in, n_out, seed):
    layer = nn.Linear(n_in, n_out, rng=seed)
    layer.b.data[...] = np.random.default_rng(seed).standard_normal(n_out)
    errors = check_layer(layer, _x((batch, n_in), seed))
    assert max(errors.values()) < TOL, errors


@settings(max_examples=40, deadline=None, derandomize=True)
@given(name=st.sampled_from(["Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ELU", "PReLU shared"]),
       x=arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 4)),
                elements=st.floats(-3, 3).filter(lambda v: abs(v) > 1e-3)))
def test_activation_backward_for_any_values(name, x):
    # |x| ≤ 3: deeper in saturation φ′ is so small next to φ that central differences
    # themselves lose the digits (rounding ≈ 1e-16 |φ| / ε), not the backward pass.
    errors = check_layer(LAYERS[name](), x)
    assert errors["x"] < TOL, errors


def test_linear_computes_XWt_plus_b_with_the_slide_shapes():
    layer = nn.Linear(3, 2)
    assert layer.W.shape == (2, 3) and layer.b.shape == (2,)
    layer.W.data[...] = [[1, 2, 3], [4, 5, 6]]
    layer.b.data[...] = [10, 20]
    z = layer(np.array([[1.0, 0, -1], [0, 1, 0]]))
    np.testing.assert_array_equal(z, [[8, 18], [12, 25]])


def test_gradients_accumulate_until_zero_grad():
    layer = nn.Linear(3, 2, rng=0)
    x, z_bar = _x((4, 3)), _x((4, 2), seed=1)
    layer.forward(x)
    layer.backward(z_bar)
    once = layer.W.grad.copy()
    layer.backward(z_bar)
    np.testing.assert_allclose(layer.W.grad, 2 * once)
    layer.zero_grad()
    assert not layer.W.grad.any() and not layer.b.grad.any()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_preserved_through_every_layer(dtype):
    x = _x((4, 3), dtype=dtype)
    for make in LAYERS.values():
        layer = make()
        if layer.parameters() and layer.parameters()[0].dtype != dtype:
            continue
        out = layer(x)
        assert out.dtype == dtype, layer
        assert layer.backward(np.ones_like(out), input_grad=True).dtype == dtype, layer
    layers = [nn.Linear(3, 4, dtype=dtype), nn.PReLU(dtype=dtype), nn.Dropout(0.5),
              nn.DropConnect(4, 2, dtype=dtype), nn.ELU(), nn.Sigmoid()]
    model = nn.Sequential(layers)
    y = model(x)
    assert y.dtype == dtype and model.backward(np.ones_like(y), input_grad=True).dtype == dtype
    assert all(p.grad.dtype == dtype for p in model.parameters())


def test_linear_rejects_wrong_feature_count_naming_layer_and_shapes():
    with pytest.raises(ValueError, match=r"Linear\(3, 2\).*\(4, 5\).*\(batch, 3\)"):
        nn.Linear(3, 2)(np.zeros((4, 5)))


def test_linear_suggests_a_reshape_for_a_single_vector():
    with pytest.raises(ValueError, match=r"reshape\(1, 3\)"):
        nn.Linear(3, 2)(np.zeros(3))


def test_float64_input_to_a_float32_layer_is_an_error_not_a_silent_upcast():
    with pytest.raises(ValueError, match=r"float64.*float32"):
        nn.Linear(3, 2, dtype=np.float32)(np.zeros((1, 3)))


def test_integer_inputs_such_as_xor_truth_tables_are_converted():
    out = nn.Linear(2, 1)(np.array([[0, 1], [1, 1]]))
    assert out.dtype == np.float64 and out.shape == (2, 1)


def test_backward_with_wrong_shape_names_both_shapes():
    layer = nn.Tanh()
    layer(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"Tanh\(\).*\(3, 2\).*\(2, 3\)"):
        layer.backward(np.zeros((3, 2)))


def test_backward_before_forward_is_an_error():
    with pytest.raises(RuntimeError, match="before forward"):
        nn.Linear(2, 2).backward(np.zeros((1, 2)))


def test_hard_threshold_computes_xor_with_the_slides_weights():
    # h1 = x1 OR x2, h2 = x1 AND x2, y = h1 AND NOT h2
    hidden, out = nn.Linear(2, 2), nn.Linear(2, 1)
    hidden.W.data[...] = [[1, 1], [1, 1]]
    hidden.b.data[...] = [-0.5, -1.5]
    out.W.data[...] = [[1, -1]]
    out.b.data[...] = [-0.5]
    xor = nn.Sequential(hidden, nn.HardThreshold(), out, nn.HardThreshold())
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(xor(X).ravel(), [0, 1, 1, 0])


def test_hard_threshold_backward_explains_why_it_cannot_be_trained():
    layer = nn.HardThreshold()
    layer(np.array([[0.3, -0.2]]))
    with pytest.raises(RuntimeError, match="derivative is 0"):
        layer.backward(np.ones((1, 2)))


def test_activations_match_their_formulas():
    z = np.array([[-2.0, -0.5, 0.0, 0.5, 2.0]])
    np.testing.assert_allclose(nn.Sigmoid()(z), 1 / (1 + np.exp(-z)))
    np.testing.assert_allclose(nn.ReLU()(z), [[0, 0, 0, 0.5, 2]])
    np.testing.assert_allclose(nn.LeakyReLU()(z), [[-0.2, -0.05, 0, 0.5, 2]])
    np.testing.assert_allclose(nn.ELU(2.0)(z), np.where(z > 0, z, 2 * (np.exp(z) - 1)))
    np.testing.assert_allclose(nn.PReLU(init=0.3)(z), np.where(z > 0, z, 0.3 * z))


def test_activations_do_not_overflow_for_huge_inputs():
    z = np.array([[-1e4, -800.0, 800.0, 1e4]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        for layer in (nn.Sigmoid(), nn.Tanh(), nn.ELU(), nn.ReLU()):
            out = layer(z)
            assert np.all(np.isfinite(out)) and np.all(np.isfinite(layer.backward(np.ones_like(z))))
    np.testing.assert_array_equal(nn.Sigmoid()(z), [[0, 0, 1, 1]])


def test_prelu_learns_alpha_from_negative_inputs_only():
    layer = nn.PReLU(init=0.25)
    layer(np.array([[-2.0, 3.0], [-1.0, 4.0]]))
    layer.backward(np.ones((2, 2)))
    np.testing.assert_allclose(layer.alpha.grad, [-3.0])


@pytest.mark.parametrize("mode", ["inverted", "scale_at_test"])
def test_dropout_training_output_has_the_test_output_as_expectation(mode):
    x = np.ones((2000, 50))
    layer = nn.Dropout(0.3, rng=np.random.default_rng(7), mode=mode)
    train_mean = layer(x).mean()
    test_out = layer.eval()(x)
    dropped = np.mean(layer.train()(x) == 0)
    assert abs(dropped - 0.3) < 0.01
    assert abs(train_mean - test_out.mean()) < 0.01
    expected_test = 1.0 if mode == "inverted" else 0.7
    np.testing.assert_allclose(test_out, expected_test)


def test_dropout_backward_uses_the_same_mask_as_forward():
    layer = nn.Dropout(0.5, rng=3)
    out = layer(np.ones((3, 8)))
    x_bar = layer.backward(np.ones((3, 8)))
    np.testing.assert_array_equal(x_bar, out)  # both are m / q


def test_dropconnect_drops_weights_in_training_and_uses_all_scaled_at_test():
    layer = nn.DropConnect(20, 30, p=0.5, rng=0)
    x = np.eye(20)
    z = layer(x)  # row i is column i of the masked W (b = 0)
    assert 0.4 < np.mean(z == 0) < 0.6
    np.testing.assert_allclose(layer.eval()(x), 0.5 * layer.W.data.T)


def test_dropout_rejects_p_of_one():
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        nn.Dropout(1.0)


def test_same_seed_gives_same_weights_and_masks():
    a, b = nn.Linear(4, 3, rng=11), nn.Linear(4, 3, rng=11)
    np.testing.assert_array_equal(a.W.data, b.W.data)
    x = np.ones((2, 6))
    np.testing.assert_array_equal(nn.Dropout(rng=5)(x), nn.Dropout(rng=5)(x))


@pytest.mark.parametrize(("make", "error", "message"), [
    (lambda: nn.Linear(2.5, 3), TypeError, r"Linear in_features must be an integer, got float 2.5"),
    (lambda: nn.Linear(3, "2"), TypeError, r"Linear out_features must be an integer, got str"),
    (lambda: nn.Linear(True, 2), TypeError, r"Linear in_features .* got bool"),
    (lambda: nn.Linear(0, 2), ValueError, r"Linear in_features must be positive, got 0"),
    (lambda: nn.Linear(2, 2, rng="x"), TypeError, r"Linear: rng must be a numpy Generator"),
    (lambda: nn.Linear(2, 2, rng=-1), ValueError, r"Linear: a seed must be non-negative"),
    (lambda: nn.DropConnect(2, 0), ValueError, r"DropConnect out_features must be positive"),
    (lambda: nn.DropConnect(2, 2, p="a"), TypeError, r"DropConnect: drop probability p must be"),
    (lambda: nn.Dropout("a"), TypeError, r"Dropout: drop probability p must be a real number"),
    (lambda: nn.Dropout(float("nan")), ValueError, r"Dropout: drop probability p must be finite"),
    (lambda: nn.Dropout(rng=1.5), TypeError, r"Dropout: rng must be"),
    (lambda: nn.LeakyReLU("x"), TypeError, r"LeakyReLU alpha must be a real number"),
    (lambda: nn.LeakyReLU(1.5), ValueError, r"LeakyReLU: alpha must be in \[0, 1\)"),
    (lambda: nn.ELU(None), TypeError, r"ELU alpha must be a real number, got NoneType"),
    (lambda: nn.PReLU(2.5), TypeError, r"PReLU num_parameters must be an integer"),
    (lambda: nn.PReLU(init="x"), TypeError, r"PReLU init must be a real number"),
    (lambda: nn.Sequential(1), TypeError, r"Sequential: expected layers or a list of layers"),
    (lambda: nn.Sequential([nn.ReLU(), "relu"]), TypeError, r"Sequential: item 1 is str"),
    (lambda: nn.pack([nn.Parameter([1.0]), 2.0]), TypeError, r"pack: item 1 is float"),
])
def test_bad_constructor_arguments_name_the_layer_and_the_value(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_a_layer_or_loss_missing_its_formulas_cannot_be_created():
    class ForwardOnly(nn.Module):
        def forward(self, x):
            return x

    class NoDerivative(nn.Activation):
        def phi(self, z):
            return z

    with pytest.raises(TypeError, match=r"ForwardOnly.*backward"):
        ForwardOnly()
    with pytest.raises(TypeError, match=r"NoDerivative.*phi_prime"):
        NoDerivative()
    with pytest.raises(TypeError, match=r"Loss.*forward"):
        nn.Loss()


def test_the_old_base_class_name_is_a_deprecated_alias_of_module():
    with pytest.warns(DeprecationWarning, match=r"nnedu.nn.Layer is now nnedu.nn.Module"):
        assert nn.Layer is nn.Module
