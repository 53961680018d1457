"""Benchmarks, run on demand (never part of the test run): each prints its figures.

.venv/bin/python -m tests.benchmarks.bench_fetch
"""
