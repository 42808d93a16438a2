"""The MLP benchmark's workload (its timings are printed by `nnedu bench mlp`, never asserted)."""

import numpy as np
import pytest

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


def test_benchmarks_refuse_zero_steps_or_repeats_before_timing_anything():
    from nnedu.bench import scalar

    with pytest.raises(ValueError, match="bench scalar: steps must be positive, got 0"):
        scalar.run(steps=0)
    with pytest.raises(ValueError, match="bench mlp: repeats must be positive, got 0"):
        mlp.run(repeats=0)
