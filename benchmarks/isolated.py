"""Measurements that need a process of their own: W6 (a 1,000,000-op chain) and W2's memory.

Peak memory is only meaningful per process, so each measurement starts a fresh interpreter
(``python -m benchmarks.isolated KIND IMPL SIZE``) that imports the same modules, builds the
same data, resets the kernel's peak-RSS mark (Linux ``/proc/self/clear_refs``; elsewhere the
whole-process ``ru_maxrss`` is used) and reports one JSON line. The parent interleaves
the children (engine, numpy, torch, engine, ...) and makes the table rows.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

from .backends import available, clock, fresh_heap, limit_threads, require
from .harness import Row, check_error
from .workloads_bce import engine_factory as w2_engine
from .workloads_bce import make_net_data
from .workloads_bce import numpy_factory as w2_numpy
from .workloads_bce import torch_factory as w2_torch
from .workloads_graph import chain_impls, make_chain_data

__all__ = ["measure", "memory_w2", "time_w6"]

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
W6_BACKWARD_LIMIT_S = 10.0
W6_MEMORY_LIMIT_MB = 2048.0
W2_MEMORY_RATIO = 1.2


# --- in the child -----------------------------------------------------------------------------
def _status_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    """Make the peak-RSS mark start from now (so data set-up spikes are not counted)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return False
    return _status_kb("VmHWM") is not None


def _peak_mb(reset: bool) -> float:
    hwm = _status_kb("VmHWM") if reset else None
    if hwm is not None:
        return hwm / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak / MB if sys.platform == "darwin" else peak / 1024


def _rss_mb() -> float:
    rss = _status_kb("VmRSS")
    return rss / 1024 if rss is not None else float("nan")


def child(kind: str, impl: str, size: str) -> dict[str, Any]:
    """Run one measurement in this (fresh) process and return what it found."""
    limit_threads(int(os.environ.get("TGC_BENCH_THREADS", "1")))
    if impl == "torch":
        require("torch")  # loading the library is not part of the run's memory
    if kind == "w6":
        d: Any = make_chain_data("W6", size)
        fn = chain_impls(with_autograd=False)[impl]
    else:
        d = make_net_data("W2", size)
        factory = {"engine": w2_engine, "numpy": w2_numpy, "torch": w2_torch}[impl]
    forward: float | None
    backward: float | None
    with fresh_heap():
        before = _rss_mb()
        reset = _reset_peak()
        t0 = clock()
        if kind == "w6":
            check, forward, backward = fn(d)
        else:  # the setup (wrapping arrays in tensors, copying parameters) is part of the run
            check, forward, backward = factory(d)(), None, None
        seconds = clock() - t0
    return {"check": np.asarray(check, dtype=float).tolist(), "seconds": seconds,
            "forward_s": forward, "backward_s": backward, "rss_before_mb": before,
            "peak_mb": _peak_mb(reset), "peak_from": "VmHWM after reset" if reset
            else "ru_maxrss (whole process)"}


# --- in the parent ----------------------------------------------------------------------------
def measure(kind: str, impl: str, size: str, timeout: float = 300) -> dict[str, Any]:
    """Run ``child(kind, impl, size)`` in a fresh interpreter; ``{"error": ...}`` on failure."""
    cmd = [sys.executable, "-m", "benchmarks.isolated", kind, impl, size]
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                              env=dict(os.environ, PYTHONPATH=str(ROOT)))
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:g} s"}
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return {"error": f"exit {proc.returncode}: {' / '.join(tail)[:300]}"}
    return dict(json.loads(lines[-1]))


def _impls() -> list[str]:
    return ["engine", "numpy"] + (["torch"] if available("torch") else [])


def _collect(kind: str, size: str, repeats: int, log: Any
             ) -> tuple[dict[str, list[dict[str, Any]]], list[str], bool]:
    runs: dict[str, list[dict[str, Any]]] = {n: [] for n in _impls()}
    notes, correct = [], True
    for rnd in range(repeats):
        for name in runs:
            r = measure(kind, name, size)
            if "error" in r:
                notes.append(f"{name} run {rnd + 1} failed: {r['error']}")
                correct = correct and name not in ("engine", "numpy")
                continue
            runs[name].append(r)
        ref = runs["numpy"][-1]["check"] if runs["numpy"] else None
        for name, rs in runs.items():
            if ref is not None and rs and check_error(np.array(rs[-1]["check"]),
                                                      np.array(ref)) > 1e-6:
                correct = False
                notes.append(f"WRONG: {name}'s output/gradient differs from numpy's")
        log(f"  {kind} round {rnd + 1}/{repeats}: " + ", ".join(
            f"{n} {rs[-1]['backward_s'] or rs[-1]['seconds']:.3g} s, {rs[-1]['peak_mb']:.0f} MB"
            for n, rs in runs.items() if rs))
    return runs, notes, correct


def time_w6(size: str, repeats: int, log: Any = print) -> list[Row]:
    """W6: backward seconds and peak RSS of a 1,000,000-op chain, each run in its own process."""
    ops = 3 * make_chain_data("W6", size).triples + 1
    runs, notes, correct = _collect("w6", size, repeats, log)
    timing = Row("W6", f"chain of {ops:,} ops: backward", "s",
                 target=f"< {W6_BACKWARD_LIMIT_S:g} s", correct=correct, notes=notes)
    memory = Row("W6m", f"chain of {ops:,} ops: peak RSS", "MB",
                 target=f"< {W6_MEMORY_LIMIT_MB:g} MB", correct=correct)
    for name, rs in runs.items():
        if rs:
            timing.samples[name] = [r["backward_s"] for r in rs]
            timing.values[name] = statistics.median(timing.samples[name])
            memory.samples[name] = [r["peak_mb"] for r in rs]
            memory.values[name] = max(memory.samples[name])
    timing.extra = {"size": size, "ops": ops, "forward_s": {
        n: statistics.median(r["forward_s"] for r in rs) for n, rs in runs.items() if rs}}
    if timing.extra["forward_s"]:
        timing.notes.append("forward (building the chain) medians: " + ", ".join(
            f"{n} {s:.3g} s" for n, s in timing.extra["forward_s"].items()))
    memory.extra = {"size": size, "ops": ops, "peak_from": _peak_source(runs), "growth_mb": {
        n: max(r["peak_mb"] - r["rss_before_mb"] for r in rs) for n, rs in runs.items() if rs}}
    if "torch" in memory.values:
        memory.notes.append("whole-process peaks; torch's includes its library "
                            f"({runs['torch'][0]['rss_before_mb']:.0f} MB before the chain)")
    if "engine" in timing.values:
        timing.passed = correct and timing.values["engine"] < W6_BACKWARD_LIMIT_S
        memory.passed = correct and memory.values["engine"] < W6_MEMORY_LIMIT_MB
    return [timing, memory]


def memory_w2(size: str, repeats: int, log: Any = print) -> Row:
    """Peak memory of a W2 training run, engine against numpy, each in its own process.

    The figure is the growth of the peak RSS over the RSS just before training (interpreter,
    libraries and the 12288×209 data already loaded, and the same in every process), so it is
    the memory the training itself costs; the whole-process peaks are in the notes.
    """
    runs, notes, correct = _collect("w2", size, repeats, log)
    row = Row("W2m", "W2 training: peak memory over the loaded data", "MB",
              target=f"≤ {W2_MEMORY_RATIO:g}×", correct=correct, notes=notes)
    total: dict[str, float] = {}
    for name, rs in runs.items():
        if rs:
            row.samples[name] = [r["peak_mb"] - r["rss_before_mb"] for r in rs]
            row.values[name] = max(row.samples[name])
            total[name] = max(r["peak_mb"] for r in rs)
    row.extra = {"size": size, "peak_total_mb": total, "peak_from": _peak_source(runs),
                 "rss_before_mb": {n: rs[0]["rss_before_mb"] for n, rs in runs.items() if rs}}
    if total:
        row.notes.append("whole-process peak RSS: " + ", ".join(
            f"{n} {mb:.0f} MB" for n, mb in total.items()))
    r = row.ratio("engine")
    row.passed = None if r is None else (correct and r <= W2_MEMORY_RATIO)
    return row


def _peak_source(runs: dict[str, list[dict[str, Any]]]) -> str:
    return next((r["peak_from"] for rs in runs.values() for r in rs), "")


if __name__ == "__main__":
    print(json.dumps(child(sys.argv[1], sys.argv[2], sys.argv[3])))
