"""Newton and L-BFGS converge as the slides promise; the schedules follow their formulas."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from nnedu.data.surfaces import IllConditionedQuadratic, LocalMinima, Rosenbrock, Saddle
from nnedu.nn.parameter import Parameter, pack
from nnedu.optim import (
    LBFGS,
    SGD,
    Adam,
    Constant,
    Cosine,
    Cyclic,
    InverseSqrt,
    LinearDecay,
    Newton,
    StepDecay,
    trajectory,
)
from nnedu.scalar import Value


def quadratic_problem(seed: int = 0, n: int = 6):
    """L(θ) = ½θᵀAθ − bᵀθ with A positive definite; minimum θ* = A⁻¹b."""
    rng = np.random.default_rng(seed)
    M = rng.normal(size=(n, n))
    A = M @ M.T + n * np.eye(n)
    b = rng.normal(size=n)
    return A, b, np.linalg.solve(A, b)


def test_newton_minimizes_a_quadratic_in_one_step() -> None:
    A, b, theta_star = quadratic_problem()
    params = [Parameter(np.zeros(2)), Parameter(np.zeros((2, 2)))]

    def closure() -> float:
        theta = np.concatenate([p.data.ravel() for p in params])
        grad = A @ theta - b
        params[0].grad[...] = grad[:2]
        params[1].grad[...] = grad[2:].reshape(2, 2)
        return 0.5 * theta @ A @ theta - b @ theta

    Newton(params, hessian=A).step(closure)
    theta = np.concatenate([p.data.ravel() for p in params])
    np.testing.assert_allclose(theta, theta_star, rtol=1e-10)


def test_newton_on_scalar_values_uses_the_hessian_function() -> None:
    surface = IllConditionedQuadratic(kappa=50.0)
    x, y = Value(2.0), Value(-1.0)
    opt = Newton([x, y], hessian=lambda theta: surface.hessian(*theta))
    x.grad, y.grad = map(float, surface.grad(x.data, y.data))
    opt.step()
    assert (x.data, y.data) == pytest.approx((0.0, 0.0), abs=1e-12)


def test_newton_refuses_a_singular_or_misshapen_hessian() -> None:
    p = Parameter(np.ones(2))
    with pytest.raises(ValueError, match="singular"):
        Newton([p], hessian=np.zeros((2, 2))).step()
    with pytest.raises(ValueError, match="2x2"):
        Newton([p], hessian=np.eye(3)).step()


def rosenbrock_closure(params: list, surface: Rosenbrock):
    def closure() -> float:
        if isinstance(params[0], Value):
            x, y = params[0].data, params[1].data
            params[0].grad, params[1].grad = map(float, surface.grad(x, y))
        else:
            x, y = params[0].data
            params[0].grad[:] = surface.grad(x, y)
        return float(surface.f(x, y))
    return closure


@pytest.mark.parametrize("kind", ["array", "value"])
def test_lbfgs_finds_the_rosenbrock_minimum_to_1e_6(kind: str) -> None:
    surface = Rosenbrock()
    start = surface.start
    params = ([Value(start[0]), Value(start[1])] if kind == "value"
              else [Parameter(np.array(start))])
    opt = LBFGS(params, max_iter=200, history_size=10)
    loss = opt.step(rosenbrock_closure(params, surface))
    theta = opt.gather_data()
    np.testing.assert_allclose(theta, [1.0, 1.0], atol=1e-6)
    assert loss < 1e-12
    assert opt.k < 100  # iterations; gradient descent needs thousands here


def test_lbfgs_solves_a_quadratic_in_at_most_n_plus_a_few_iterations() -> None:
    A, b, theta_star = quadratic_problem(seed=1, n=8)
    params = [Parameter(np.zeros(3)), Parameter(np.zeros(5))]
    pack(params)

    def closure() -> float:
        theta = np.concatenate([p.data for p in params])
        params[0].grad[:], params[1].grad[:] = np.split(A @ theta - b, [3])
        return 0.5 * theta @ A @ theta - b @ theta

    opt = LBFGS(params, max_iter=50, history_size=20)
    opt.step(closure)
    np.testing.assert_allclose(opt.gather_data(), theta_star, atol=1e-7)
    assert opt.k <= 12


def test_lbfgs_leaves_parameters_and_gradients_at_the_returned_point() -> None:
    surface = Rosenbrock()
    params = [Parameter(np.array(surface.start))]
    loss = LBFGS(params, max_iter=5).step(rosenbrock_closure(params, surface))
    x, y = params[0].data
    assert loss == pytest.approx(float(surface.f(x, y)), rel=1e-12)
    np.testing.assert_allclose(params[0].grad, surface.grad(x, y), rtol=1e-12)


@pytest.mark.parametrize("lr", [1.0, 100.0, 1e6])
def test_lbfgs_line_search_backs_off_from_trial_points_that_overflow(lr: float) -> None:
    """f = Σ exp(θᵢ²): a first trial step of length lr lands where f overflows to inf."""
    theta = Parameter(np.array([3.0, -2.0]))

    def closure() -> float:
        with np.errstate(over="ignore", invalid="ignore"):
            e = np.exp(theta.data**2)
            theta.grad[:] = 2 * theta.data * e
            return float(np.sum(e))

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = LBFGS([theta], lr=lr, max_iter=50).step(closure)
    assert loss == pytest.approx(2.0)
    np.testing.assert_allclose(theta.data, 0.0, atol=1e-6)


def test_lbfgs_step_needs_a_closure() -> None:
    with pytest.raises(TypeError, match="closure"):
        LBFGS([Parameter([1.0])]).step()


@pytest.mark.parametrize("surface", [IllConditionedQuadratic(), Rosenbrock(), Saddle(),
                                     LocalMinima()])
def test_surface_gradient_and_hessian_match_central_differences(surface) -> None:
    rng = np.random.default_rng(3)
    h = 1e-6
    for x, y in rng.uniform(-1.5, 1.5, size=(5, 2)):
        fx = (surface.f(x + h, y) - surface.f(x - h, y)) / (2 * h)
        fy = (surface.f(x, y + h) - surface.f(x, y - h)) / (2 * h)
        np.testing.assert_allclose(surface.grad(x, y), [fx, fy], rtol=1e-6, atol=1e-6)
        gx = (np.array(surface.grad(x + h, y)) - np.array(surface.grad(x - h, y))) / (2 * h)
        gy = (np.array(surface.grad(x, y + h)) - np.array(surface.grad(x, y - h))) / (2 * h)
        np.testing.assert_allclose(surface.hessian(x, y), np.column_stack([gx, gy]),
                                   rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("surface", [IllConditionedQuadratic(), Rosenbrock(), Saddle(),
                                     LocalMinima()])
def test_listed_minima_have_zero_gradient_and_positive_definite_hessian(surface) -> None:
    assert surface.minima
    for x, y in surface.minima:
        np.testing.assert_allclose(surface.grad(x, y), [0.0, 0.0], atol=1e-9)
        assert np.all(np.linalg.eigvalsh(surface.hessian(x, y)) > 0)


def test_local_minima_surface_has_four_minima_and_a_global_one_at_minus_minus() -> None:
    surface = LocalMinima()
    depths = {m: float(surface.f(*m)) for m in surface.minima}
    assert len(depths) == 4
    best = min(depths, key=depths.get)
    assert best[0] < 0 and best[1] < 0


def test_gradient_descent_stays_on_the_saddle_line_and_momentum_does_not_help_there() -> None:
    path = trajectory(Saddle(), lambda p: SGD(p, lr=0.1), start=(-1.5, 0.0), steps=200)
    np.testing.assert_allclose(path[-1], [0.0, 0.0], atol=1e-8)  # stuck at the saddle
    heavy_ball = trajectory(Saddle(), lambda p: SGD(p, lr=0.1, momentum=0.9), start=(-1.5, 0.0),
                            steps=400)
    assert np.all(heavy_ball[:, 1] == 0.0)  # ∂f/∂y = 0 on the line: momentum has nothing to use
    np.testing.assert_allclose(heavy_ball[-1], [0.0, 0.0], atol=1e-8)
    off_line = trajectory(Saddle(), lambda p: SGD(p, lr=0.1), start=(-1.5, 1e-3), steps=200)
    np.testing.assert_allclose(off_line[-1], [0.0, 1.0], atol=1e-3)  # escapes to a minimum


def test_trajectory_stops_when_the_learning_rate_makes_it_diverge() -> None:
    surface = IllConditionedQuadratic(kappa=20.0)
    path = trajectory(surface, lambda p: SGD(p, lr=0.11), steps=500)  # η > 2/κ = 0.1
    assert len(path) < 501
    assert np.max(np.abs(path)) <= 1e6


def test_trajectory_with_noise_is_reproducible_from_the_seed() -> None:
    def run(seed: int) -> np.ndarray:
        return trajectory(Rosenbrock(), lambda p: Adam(p, lr=0.05), steps=20, noise=1.0,
                          rng=np.random.default_rng(seed))
    np.testing.assert_array_equal(run(1), run(1))
    assert not np.allclose(run(1), run(2))


def test_trajectory_refuses_bad_arguments_by_name() -> None:
    make = lambda p: SGD(p, lr=0.1)  # noqa: E731
    with pytest.raises(ValueError, match="steps"):
        trajectory(Saddle(), make, steps=-1)
    with pytest.raises(ValueError, match="noise"):
        trajectory(Saddle(), make, noise=-0.5, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="needs rng"):
        trajectory(Saddle(), make, noise=0.5)
    with pytest.raises(ValueError, match="start must be a point"):
        trajectory(Saddle(), make, start=(1.0, 2.0, 3.0))


def test_schedules_follow_the_slide_formulas() -> None:
    a0, T = 0.1, 10.0
    assert Constant(a0)(7.3) == a0
    step = StepDecay(a0, milestones=[3, 6], factor=0.1)
    assert [step(t) for t in (0, 2.99, 3, 5.5, 6, 9)] == pytest.approx(
        [0.1, 0.1, 0.01, 0.01, 0.001, 0.001])
    cosine = Cosine(a0, T)
    assert [cosine(t) for t in (0, 5, 10, 12)] == pytest.approx([0.1, 0.05, 0.0, 0.0])
    assert cosine(2.5) == pytest.approx(0.5 * a0 * (1 + math.cos(2.5 * math.pi / T)))
    linear = LinearDecay(a0, T)
    assert [linear(t) for t in (0, 2.5, 10, 11)] == pytest.approx([0.1, 0.075, 0.0, 0.0])
    inv = InverseSqrt(a0)
    assert [inv(t) for t in (0, 1, 4, 16)] == pytest.approx([0.1, 0.1, 0.05, 0.025])


def test_cyclic_schedule_restarts_every_cycle_and_marks_its_ends() -> None:
    cyclic = Cyclic(0.2, cycle=4)
    assert [cyclic(t) for t in (0, 2, 3.999999, 4, 6, 8)] == pytest.approx(
        [0.2, 0.1, 0.0, 0.2, 0.1, 0.2], abs=1e-6)
    assert [e for e in range(12) if cyclic.is_cycle_end(e)] == [3, 7, 11]


def test_schedules_refuse_bad_arguments() -> None:
    with pytest.raises(ValueError, match="T"):
        Cosine(0.1, T=0)
    with pytest.raises(ValueError, match="t must be"):
        LinearDecay(0.1, T=5)(-1)
    with pytest.raises(ValueError, match="lr0"):
        Constant(-0.1)
    with pytest.raises(ValueError, match="t must be"):
        Cosine(0.1, T=5)(math.nan)
    with pytest.raises(ValueError, match="milestones"):
        StepDecay(0.1, milestones=[2, -1])


def test_schedules_take_numpy_numbers_for_t() -> None:
    cosine = Cosine(0.1, T=10)
    assert cosine(np.int64(5)) == pytest.approx(0.05)
    assert cosine(np.float32(5.0)) == pytest.approx(0.05)


def test_lbfgs_keeps_only_the_last_history_size_pairs() -> None:
    surface = Rosenbrock()
    params = [Parameter(np.array(surface.start))]
    opt = LBFGS(params, max_iter=30, history_size=3)
    opt.step(rosenbrock_closure(params, surface))
    assert opt.k > 3 and len(opt.history) == 3
    newest_s, newest_y, rho = opt.history[-1]
    assert rho == pytest.approx(1 / (newest_s @ newest_y)) and rho > 0
