"""Benchmarks of the engine against hand-written numpy, PyTorch and HIPS autograd (issue 6).

Run them with ``python benchmarks/run.py`` (see ``benchmarks/README.md``); they are a script,
not timed tests: ``tests/test_benchmarks_smoke.py`` only checks that every workload computes
the same numbers through each implementation.
"""
