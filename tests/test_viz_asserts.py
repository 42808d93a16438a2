"""A failed notebook assert reports the values it compared, read without running any code."""

import sys

from nnedu.viz.asserts import explain_traceback


def failing(check):
    try:
        check()
    except AssertionError:
        return explain_traceback(sys.exc_info()[2])
    raise AssertionError("the check passed")


def test_both_sides_of_a_comparison_are_shown():
    error = {4: 0.031, 32: 0.049}

    def check():
        assert error[32] < min(0.02, error[4])

    report = failing(check)
    assert report.startswith("assert error[32] < min(0.02, error[4]) failed with")
    assert "error[32] = 0.049" in report and "min(0.02, error[4]) = 0.02" in report


def test_attributes_and_and_chains_are_read():
    class Run:
        accuracy = 0.5

    run = Run()

    def check():
        assert run.accuracy > 0.9 and len("ab") == 2

    report = failing(check)
    assert "run.accuracy = 0.5" in report and "len('ab') = 2" in report


def test_functions_other_than_pure_builtins_are_never_called():
    calls = []

    def measure():
        calls.append(1)
        return 1.0

    def check():
        assert measure() < 0.5

    assert failing(check) is None  # nothing it could read without calling measure()
    assert calls == [1]  # called once by the assert itself, never by the report
