"""Benchmarks that print figures and ratios (`nnedu bench`); no unit test asserts a time."""
