"""The MLP benchmark's workload (its timings are printed by `nnedu bench mlp`, never asserted)."""

import numpy as np

from nnedu.bench import mlp
from nnedu.nn import flat_view


def test_flop_count_is_forward_plus_twice_forward_minus_the_first_input_gradient():
    forward = 2 * 128 * (784 * 256 + 256 * 256 + 256 * 10)
    first_input_gradient = 2 * 128 * 784 * 256
    assert mlp.matmul_flops() == 3 * forward - first_input_gradient


def test_benchmark_step_trains_in_float32_on_the_flat_buffer():
    step, model = mlp.nnedu_step(seed=1)
    flat = flat_view(model.parameters())
    assert flat is not None and flat.data.dtype == np.float32  # Adam takes the vectorized path
    before = flat.data.copy()
    losses = [step() for _ in range(6)]
    assert losses[-1] < 0.5 * losses[0]
    assert flat_view(model.parameters()) is not None  # the steps update in place: still views
    assert not np.array_equal(flat.data, before)
