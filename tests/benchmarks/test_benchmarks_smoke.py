"""The benchmark harness (benchmarks/, issue 6) in its tiny configuration: every workload runs
and the engine computes what the hand-written numpy computes. Correctness only: timings are
never asserted (they belong to ``python benchmarks/run.py``, not to the test suite)."""

from __future__ import annotations

import doctest
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import (  # noqa: E402  (the benchmarks are a folder of the repo, not installed)
    backends,
    harness,
    isolated,
    workloads_bce,
    workloads_graph,
    workloads_mlp,
)
from benchmarks.harness import Workload, time_workload  # noqa: E402

IN_PROCESS = [workloads_bce.W1, workloads_bce.W2, workloads_bce.W3, workloads_mlp.W4,
              workloads_graph.W5]


def quiet(message: str) -> None:
    pass


@pytest.mark.parametrize("w", IN_PROCESS, ids=lambda w: w.key)
def test_every_implementation_matches_numpy(w: Workload) -> None:
    # JAX compiles each workload with XLA (seconds each): checked once, below.
    impls = [n for n in w.impls if n != "jax"]
    row = time_workload(w, "tiny", repeats=1, warmup=0, impls=impls, log=quiet)
    assert row.correct, row.notes
    assert set(row.values) == set(impls) >= {"engine", "numpy", "compiled"}
    errors = row.extra["max_rel_error"]
    assert errors["engine"] <= w.rtol, errors
    loss = row.extra["checks"]["engine"][0]
    assert np.isfinite(loss) and loss != 0
    # tc.compile runs the engine's own rules: the same numbers to the last bit
    assert row.extra["checks"]["compiled"] == row.extra["checks"]["engine"]


def test_jax_peer_matches_numpy() -> None:
    pytest.importorskip("jax")
    w = workloads_bce.W3
    row = time_workload(w, "tiny", repeats=1, warmup=0, impls=["numpy", "jax"], log=quiet)
    assert row.correct and "jax" in row.values, row.notes


def test_compiled_targets_are_judged_against_numpy_and_jax() -> None:
    row = harness.Row("W1", "t", "s", values={"numpy": 1.0, "compiled": 0.99, "jax": 0.98})
    harness.judge_compiled(row, 1.0)
    assert row.compiled_passed is False and "jax" in row.compiled_target  # slower than jax
    row.values["jax"] = 1.2
    harness.judge_compiled(row, 1.0)
    assert row.compiled_passed is True


def test_the_workloads_have_the_issues_shapes() -> None:
    w1, w2, w3 = (workloads_bce.make_net_data(k, "tiny") for k in ("W1", "W2", "W3"))
    assert w1.X.shape == (12288, 209) and w1.Y.shape == (1, 209)
    assert [p.shape for p in w1.params] == [(12288, 1), (1, 1)]
    assert [p.shape for p in w2.params[::2]] == [(20, 12288), (7, 20), (5, 7), (1, 5)]
    assert w2.hidden == "relu" and w3.hidden == "tanh"
    assert w3.X.shape == (2, 400) and [p.shape for p in w3.params[::2]] == [(4, 2), (1, 4)]
    assert set(np.unique(w3.Y)) == {0.0, 1.0} and 0 < w1.Y.mean() < 1
    w4 = workloads_mlp.make_mlp_data("tiny")
    X, Y = w4.batches[0]
    assert X.shape == (784, 64) and Y.shape == (10, 64) and X.dtype == np.float32
    assert [p.shape for p in w4.params[::2]] == [(256, 784), (128, 256), (10, 128)]
    assert all(p.dtype == np.float32 for p in w4.params)
    assert np.all(Y.sum(axis=0) == 1)
    full = {k: workloads_graph.make_chain_data(k, "full") for k in ("W5", "W6", "W7")}
    assert 3 * full["W5"].triples + 1 == 10_000 and 3 * full["W6"].triples + 1 == 1_000_000
    assert 3 * full["W7"].triples + 1 == 10_000  # tensors drawn: the leaf and 9,999 results


def test_a_wrong_engine_is_caught() -> None:
    def wrong_engine(d: object) -> harness.Runner:
        right = workloads_bce.engine_factory(d)  # type: ignore[arg-type]
        return lambda: right() * (1 + 1e-4)

    w = workloads_bce.W3
    bad = Workload("W3", w.title, w.make_data, {"engine": wrong_engine,
                                                "numpy": w.impls["numpy"]}, w.rtol, w.target)
    row = time_workload(bad, "tiny", repeats=1, warmup=0, log=quiet)
    assert not row.correct and row.passed is False
    assert any("WRONG: engine" in n for n in row.notes)


def test_an_implementation_that_raises_is_reported_not_fatal() -> None:
    def broken(d: object) -> harness.Runner:
        def run() -> np.ndarray:
            raise RecursionError("maximum recursion depth exceeded")
        return run

    w = workloads_graph.W5
    row = time_workload(Workload("W5", w.title, w.make_data, {**w.impls, "torch": broken},
                                 w.rtol, w.target, per_op=True), "tiny", 1, 0, log=quiet)
    assert row.correct and "torch" not in row.values
    assert any("torch failed: RecursionError" in n for n in row.notes)


@pytest.mark.slow  # three fresh interpreters per measurement (a few seconds)
def test_w6_and_w2_memory_run_in_fresh_processes() -> None:
    timing, memory = isolated.time_w6("tiny", 1, log=quiet)
    assert timing.correct and memory.correct, timing.notes
    assert timing.values["engine"] > 0 and memory.values["engine"] > 0
    assert timing.extra["ops"] == 3001
    w2 = isolated.memory_w2("tiny", 1, log=quiet)
    assert w2.correct, w2.notes
    assert {"engine", "numpy"} <= set(w2.values)
    assert all(total > mb for mb, total in zip(w2.values.values(),
                                               w2.extra["peak_total_mb"].values()))


def test_w7_draws_the_graph_or_says_why_not() -> None:
    row = workloads_graph.time_draw("tiny", 1, 0)
    if "engine" in row.values:
        assert row.extra["tensors"] == 301 and row.extra["dot_chars"] > 301
    else:
        assert row.notes and row.notes[0].startswith("not available")


def test_run_py_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--size",
                           "tiny", "--only", "W3,W5", "--json", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "| W3 |" in proc.stdout and "| W5 |" in proc.stdout
    data = json.loads(out.read_text())
    assert [r["key"] for r in data["results"]] == ["W3", "W5"]
    assert all(r["correct"] for r in data["results"])
    assert data["meta"]["threads"] == 1
    assert data["meta"]["thread_info"]["OPENBLAS_NUM_THREADS"] == "1"


def test_run_py_refuses_unknown_workloads() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--only", "W9"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "unknown workload" in proc.stderr


@pytest.mark.parametrize("module", [backends, harness])
def test_doctests(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0


def test_performance_page_shows_the_recorded_results() -> None:
    """docs/performance.md's compiled table is generated from the committed results file."""
    from benchmarks import report
    results = ROOT / "benchmarks" / "results" / "compile-step-1thread-cpu.json"
    page = (ROOT / "docs" / "performance.md").read_text()
    assert report.page_table(results) in page
