"""`nn.mlp`: the builder gives the layers the notebooks used to write by hand."""

from itertools import pairwise

import numpy as np
import pytest

from nnedu import nn


def test_mlp_is_linear_activation_pairs_with_a_linear_output():
    net = nn.mlp([2, 8, 4, 3], "relu", rng=0)
    kinds = [type(layer).__name__ for layer in net.layers]
    assert kinds == ["Linear", "ReLU", "Linear", "ReLU", "Linear"]
    assert [(lin.in_features, lin.out_features) for lin in net.layers[::2]] == [(2, 8), (8, 4),
                                                                                 (4, 3)]


def test_mlp_draws_the_same_weights_as_the_hand_written_builder():
    rng = np.random.default_rng(3)
    by_hand = [nn.Linear(a, b, init="he", rng=rng) for a, b in pairwise([5, 7, 2])]
    net = nn.mlp([5, 7, 2], nn.Tanh, init="he", rng=3)
    for mine, theirs in zip(net.layers[::2], by_hand):
        np.testing.assert_array_equal(mine.W.data, theirs.W.data)


def test_mlp_output_init_and_dropout():
    net = nn.mlp([4, 6, 2], "tanh", output_init="zeros", dropout=0.3, rng=1)
    assert isinstance(net.layers[2], nn.Dropout) and net.layers[2].p == 0.3
    assert not net.layers[-1].W.data.any()
    assert net.layers[0].W.data.any()


@pytest.mark.parametrize(("sizes", "activation", "error"), [
    ([3], "tanh", ValueError), ([3, 0, 1], "tanh", ValueError),
    ([3, 2], "swish", ValueError), ([3, 2], 5, TypeError),
])
def test_mlp_refuses_bad_arguments_by_name(sizes, activation, error):
    with pytest.raises(error, match="mlp"):
        nn.mlp(sizes, activation)
