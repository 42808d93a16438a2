"""Parameter and pack: the protocol Value shares, and all parameters as one vector."""

import numpy as np
import pytest

from nnedu import nn
from nnedu.nn import Parameter, pack
from nnedu.optim import Adam


def _params(dtype=np.float64):
    return [Parameter(np.arange(6.0).reshape(2, 3), "W", dtype=dtype),
            Parameter([10.0, 20.0], "b", dtype=dtype)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_grad_is_zero_at_creation_with_the_shape_and_dtype_of_data(dtype):
    p = Parameter(np.ones((3, 2)), dtype=dtype)
    assert p.grad.shape == p.data.shape == (3, 2) and p.grad.dtype == p.data.dtype == dtype
    assert not p.grad.any()


def test_pack_keeps_the_values_and_makes_every_parameter_a_view():
    params = _params()
    flat = pack(params)
    np.testing.assert_array_equal(flat.data, [0, 1, 2, 3, 4, 5, 10, 20])
    flat.data[0] = -1.0
    flat.grad[-1] = 7.0
    assert params[0].data[0, 0] == -1.0 and params[1].grad[1] == 7.0
    assert params[0].data.base is flat.data and params[1].grad.base is flat.grad


def test_pack_refuses_mixed_dtypes():
    with pytest.raises(TypeError, match="different dtypes"):
        pack([Parameter([1.0], dtype=np.float32), Parameter([1.0])])


def test_a_packed_network_trains_through_the_views():
    model = nn.Sequential(nn.Linear(2, 3, rng=0), nn.Tanh(), nn.Linear(3, 1, rng=1))
    flat = pack(model.parameters())
    assert flat.data.size == 2 * 3 + 3 + 3 * 1 + 1
    y = model(np.ones((4, 2)))
    model.backward(np.ones_like(y))
    np.testing.assert_array_equal(flat.grad[:6], model.layers[0].W.grad.ravel())
    before = flat.data.copy()
    Adam(model.parameters(), lr=0.1).step()  # updates in place: the views stay views
    assert model.layers[0].W.data.base is flat.data
    np.testing.assert_array_equal(flat.data[:6], model.layers[0].W.data.ravel())
    assert not np.array_equal(flat.data, before)
