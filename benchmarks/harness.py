"""The timing core: interleaved runs after a warm-up, medians, and the check against numpy.

A workload gives, per implementation, a *factory*: ``factory(data)`` does the untimed setup
(fresh copies of the initial parameters, wrapping arrays in the library's tensors) and returns
a *runner*; ``runner()`` is the timed part and returns check values (the final loss, or the
output and the gradient) that must agree with the numpy version's, so a fast wrong result is
caught on every run.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .backends import clock, fresh_heap

__all__ = ["Row", "Workload", "check_error", "judge_compiled", "judge_ratio", "time_workload"]

Runner = Callable[[], np.ndarray]
Factory = Callable[[Any], Runner]
ORDER = ("engine", "compiled", "numpy", "torch", "autograd", "jax")


@dataclass(frozen=True)
class Workload:
    """One benchmark: data for a size (``tiny``/``quick``/``full``) and its implementations.

    ``impls`` must hold ``numpy`` (the reference and the floor) and ``engine``. With ``per_op``,
    the data has an ``n_ops`` attribute and times are reported in µs per op.
    """

    key: str
    title: str
    make_data: Callable[[str], Any]
    impls: dict[str, Factory]
    rtol: float
    target: float  # the largest engine/numpy ratio of medians allowed (issue 6)
    per_op: bool = False
    notes: tuple[str, ...] = ()
    compiled_target: float | None = None  # issue 13: compiled/numpy, and below JAX's jit
    compiled_vs_jax: bool = True  # whether the compiled target also asks to beat JAX


@dataclass
class Row:
    """One line of the results table (and of the JSON)."""

    key: str
    title: str
    unit: str
    values: dict[str, float] = field(default_factory=dict)  # implementation -> median
    samples: dict[str, list[float]] = field(default_factory=dict)
    target: str = ""
    passed: bool | None = None  # None: not judged (e.g. the engine part is not available)
    compiled_target: str = ""
    compiled_passed: bool | None = None
    correct: bool = True  # every run of every implementation agreed with numpy
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def ratio(self, impl: str) -> float | None:
        """``impl``'s median over numpy's, when both were measured."""
        if impl in self.values and self.values.get("numpy"):
            return self.values[impl] / self.values["numpy"]
        return None


def check_error(got: np.ndarray, want: np.ndarray) -> float:
    """Largest deviation relative to the reference's largest magnitude (inf on shape mismatch).

    >>> round(check_error(np.array([1.0, 2.0]), np.array([1.0, 2.002])), 6)
    0.000999
    """
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    if got.shape != want.shape or not np.all(np.isfinite(got)):
        return float("inf")
    scale = max(float(np.max(np.abs(want), initial=0.0)), 1e-300)
    return float(np.max(np.abs(got - want), initial=0.0)) / scale


def judge_ratio(row: Row, target: float) -> None:
    """Fill ``row.target``/``row.passed`` for a ratio target (engine median ≤ target × numpy's)."""
    row.target = f"≤ {target:g}×"
    r = row.ratio("engine")
    row.passed = None if r is None else (r <= target and row.correct)


def _timed(runner: Runner) -> tuple[float, np.ndarray]:
    with fresh_heap():  # garbage of the previous run is not charged to this one
        t0 = clock()
        out = runner()
        seconds = clock() - t0
    return seconds, np.asarray(out, dtype=np.float64).ravel()


def time_workload(w: Workload, size: str, repeats: int, warmup: int = 1,
                  impls: list[str] | None = None, log: Callable[[str], None] = print) -> Row:
    """Run ``w``'s implementations interleaved (engine, numpy, torch, ... then again), ``warmup``
    untimed rounds then ``repeats`` timed ones; the row holds medians and the checks."""
    data = w.make_data(size)
    names = [n for n in ORDER if n in w.impls and (impls is None or n in impls)]
    scale = 1e6 / data.n_ops if w.per_op else 1.0
    title = w.title.format(**getattr(data, "title_fields", {}))  # e.g. the chain's length
    row = Row(w.key, title, "µs/op" if w.per_op else "s", notes=list(w.notes))
    row.samples = {n: [] for n in names}
    worst = dict.fromkeys(names, 0.0)
    checks: dict[str, list[float]] = {}
    failed: set[str] = set()
    for rnd in range(warmup + repeats):
        outs: dict[str, np.ndarray] = {}
        for name in names:
            if name in failed:
                continue
            try:
                seconds, outs[name] = _timed(w.impls[name](data))
            except Exception as e:  # a library that cannot run this workload is a finding
                failed.add(name)
                row.notes.append(f"{name} failed: {type(e).__name__}: {str(e)[:200]}")
                if name in ("engine", "numpy"):
                    row.correct = False
                continue
            if rnd >= warmup:
                row.samples[name].append(seconds * scale)
        ref = outs.get("numpy")
        for name, out in outs.items():
            checks[name] = out[:20].tolist()
            if ref is not None:
                worst[name] = max(worst[name], check_error(out, ref))
        log(f"  {w.key} round {rnd + 1}/{warmup + repeats}: " + ", ".join(
            f"{n} {row.samples[n][-1]:.4g}" for n in names
            if rnd >= warmup and row.samples.get(n)))
    for name in names:
        if row.samples[name]:
            row.values[name] = statistics.median(row.samples[name])
        if worst[name] > w.rtol:
            row.correct = False
            row.notes.append(f"WRONG: {name} differs from numpy by {worst[name]:.2e} "
                             f"(relative; allowed {w.rtol:g})")
    row.extra = {"size": size, "rtol": w.rtol, "max_rel_error": worst, "checks": checks}
    judge_ratio(row, w.target)
    if w.compiled_target is not None:
        judge_compiled(row, w.compiled_target, w.compiled_vs_jax)
    return row


def judge_compiled(row: Row, target: float, vs_jax: bool = True) -> None:
    """Issue 13: the compiled median ≤ target × numpy's, and below JAX's when JAX ran (and
    the workload asks for it)."""
    vs_jax = vs_jax and "jax" in row.values
    row.compiled_target = f"≤ {target:g}×" + (", < jax" if vs_jax else "")
    r, j = row.ratio("compiled"), (row.ratio("jax") if vs_jax else None)
    row.compiled_passed = None if r is None else (
        r <= target and row.correct and (j is None or r < j))
