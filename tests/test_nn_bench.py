"""The MLP benchmark's workload (its timings are printed by `nnedu bench mlp`, never asserted)."""

import numpy as np
import pytest

from nnedu.bench import mlp


def test_flop_count_is_forward_plus_twice_forward_minus_the_first_input_gradient():
    forward = 2 * 128 * (784 * 256 + 256 * 256 + 256 * 10)
    first_input_gradient = 2 * 128 * 784 * 256
    assert mlp.matmul_flops() == 3 * forward - first_input_gradient


def test_benchmark_step_trains_in_float32_without_the_inputs_gradient():
    step, model = mlp.nnedu_step(seed=1)
    assert all(p.data.dtype == np.float32 for p in model.parameters())
    before = [p.data.copy() for p in model.parameters()]
    first, asked = model.layers[0], []
    own_backward = first.backward

    def spy(z_bar, input_grad=True):
        asked.append(input_grad)
        return own_backward(z_bar, input_grad)

    first.backward = spy
    losses = [step() for _ in range(6)]
    assert losses[-1] < 0.5 * losses[0]
    assert asked == [False] * 6  # the natural loop never computes X_bar
    assert all(not np.array_equal(p.data, b) for p, b in zip(model.parameters(), before))


def test_benchmarks_refuse_zero_steps_or_repeats_before_timing_anything():
    from nnedu.bench import scalar

    with pytest.raises(ValueError, match="bench scalar: steps must be positive, got 0"):
        scalar.run(steps=0)
    with pytest.raises(ValueError, match="bench mlp: repeats must be positive, got 0"):
        mlp.run(repeats=0)
