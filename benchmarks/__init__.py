"""Benchmarks of the engine (eager and compiled) against hand-written numpy, PyTorch, HIPS
autograd and JAX's jit (issues 6 and 13).

Run them with ``python benchmarks/run.py`` (see ``benchmarks/README.md``); they are a script,
not timed tests: ``tests/benchmarks/test_benchmarks_smoke.py`` only checks that every
workload computes the same numbers through each implementation.
"""
