"""Every registered op, compiled: forward and gradients bit-for-bit those of eager mode.

The cases are the property tests' own (tests/engine/test_properties.py and, for numpy's
functions, tests/engine/test_new_ops.py: together they require one for every op in REGISTRY),
so an op added anywhere is swept here too, without hand-written code generation.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from loading import load_by_path

import tinygrad_course as tc
from tinygrad_course import Tensor
from tinygrad_course.compile import CompileError

ENGINE_TESTS = Path(__file__).resolve().parents[1] / "engine"
cases = load_by_path(ENGINE_TESTS / "test_properties.py", "_compile_sweep_cases")
new_cases = load_by_path(ENGINE_TESTS / "test_new_ops.py", "_compile_sweep_new_cases")
NEW = "numpy:"  # labels of test_new_ops' cases; op None there means a composite
ALL = cases.ALL_CASES + [(new_cases.OP_OF[label] or "composite", NEW + label)
                         for label in sorted(new_cases.CASES)]


def _build(op: str, label: str, data: st.DataObject) -> tuple[Any, list[np.ndarray]]:
    if label.startswith(NEW):
        f, _, inputs = new_cases.CASES[label[len(NEW):]](data)
        return f, inputs
    f, inputs = cases.CASES[op][label](data)
    return f, inputs
SWEEP = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _bits(a: np.ndarray, b: np.ndarray) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def test_the_sweep_covers_every_registered_op() -> None:
    assert set(tc.REGISTRY) <= {op for op, _ in ALL}


@pytest.mark.parametrize(("op", "label"), ALL, ids=[f"{o}-{lb}" for o, lb in ALL])
@SWEEP
@given(data=st.data())
def test_compiled_op_matches_eager_bit_for_bit(op: str, label: str, data: st.DataObject
                                               ) -> None:
    f, inputs = _build(op, label, data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rank-1 broadcasting warnings of some draws
        eager_in = [Tensor(x, requires_grad=True) for x in inputs]
        out = f(*eager_in)
        assert op == "composite" or op in cases.ops_in_graph(out)
        seed = np.random.default_rng(0).standard_normal(out.shape).astype(out.dtype)
        out.backward(seed)
        compiled_in = [Tensor(x, requires_grad=True) for x in inputs]
        try:
            step = tc.compile(f)
            got = step(*compiled_in)
        except CompileError as e:
            # Only cases that build a constant from an input's values (through .data) may
            # be refused, and the refusal must say so.
            assert "outside the graph" in str(e), str(e)
            assert label in ("scalar-branch", "probabilities-and-labels"), str(e)
            return
        assert _bits(got.data, out.data), f"forward of {op} differs:\n{step.source(*inputs)}"
        got.backward(seed)
    for a, b in zip(compiled_in, eager_in):
        assert _bits(a.grad, b.grad), f"gradient of {op} differs"
