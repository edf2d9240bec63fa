"""tinygrad_course.testing: the strategies draw what they promise; the helpers catch bad grads."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from tinygrad_course import ShapeWarning, Tensor, strict_shapes
from tinygrad_course.engine.ops import Op
from tinygrad_course.engine.record import apply
from tinygrad_course.testing import (
    FLOAT_DTYPES,
    arrays,
    assert_gradcheck,
    axes,
    broadcastable_shapes,
    check_gradients,
    dtypes,
    keepdims,
    matmul_shapes,
    shapes,
    tensors,
)

FEW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# find() gives up after max_examples: plenty, so that a rare-but-possible draw is found.
FIND = settings(max_examples=3000, deadline=None, database=None)


def seek(strategy: st.SearchStrategy[Any], condition: Callable[[Any], Any]) -> Any:
    """The simplest example of ``strategy`` meeting ``condition`` (it must be reachable)."""
    return find(strategy, condition, settings=FIND)
SIN_WRONG = Op("sin", "sin", np.sin, (lambda xp, g, out, a: g * np.sin(a),), ("sin(a)",))


def test_import_without_hypothesis_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "tinygrad_course.testing")
    for name in [m for m in sys.modules if m == "hypothesis" or m.startswith("hypothesis.")]:
        monkeypatch.setitem(sys.modules, name, None)  # None in sys.modules: ImportError
    with pytest.raises(ImportError, match=r"pip install tinygrad-course\[test\]"):
        importlib.import_module("tinygrad_course.testing")


@FEW
@given(shape=shapes(min_dims=1, max_dims=2, min_side=2, max_side=3), dt=dtypes())
def test_shapes_and_dtypes_respect_bounds(shape: tuple[int, ...], dt: np.dtype) -> None:
    assert 1 <= len(shape) <= 2 and all(2 <= n <= 3 for n in shape)
    assert dt in FLOAT_DTYPES


@FEW
@given(data=st.data())
def test_arrays_keep_range_dtype_and_distance(data: st.DataObject) -> None:
    low = data.draw(st.floats(-3.0, 0.0), label="low")
    high = low + data.draw(st.floats(1.0, 3.0), label="width")
    avoid = data.draw(st.lists(st.floats(low, high), max_size=2), label="avoid")
    dt = data.draw(dtypes(), label="dtype")
    a = data.draw(arrays(shapes(), dt, low=low, high=high, avoid=avoid, margin=0.05))
    assert a.dtype == dt and a.ndim <= 3
    assert np.all(a >= np.float32(low) if dt == np.float32 else a >= low)
    assert np.all(a <= np.float32(high) if dt == np.float32 else a <= high)
    for p in avoid:
        assert np.all(np.abs(a.astype(np.float64) - p) >= 0.05 * 0.999)


@FEW
@given(a=arrays(shapes(min_dims=1, max_dims=2), dtypes(), avoid=[0.0], margin=0.2,
              distinct=True))
def test_distinct_arrays_have_no_ties(a: np.ndarray) -> None:
    flat = np.sort(a.ravel().astype(np.float64))
    assert np.all(np.diff(flat) >= 0.2 * 0.999)  # pairwise >= margin: max() has no ties
    assert np.all(np.abs(flat) >= 0.2 * 0.999)


def test_positive_domain_and_bad_arguments() -> None:
    assert seek(arrays((5,), np.float32, low=0.2, high=3.0), lambda a: True).min() >= 0.2
    with pytest.raises(ValueError, match="low"):
        arrays(low=1.0, high=1.0)
    with pytest.raises(ValueError, match="margin"):
        arrays(margin=0.0)
    with pytest.raises(TypeError, match="int64"):
        arrays(dtype=np.int64)
    with pytest.raises(ValueError, match="do not fit"):  # 64 values 1 apart in [-3, 3]
        arrays((4, 4, 4), margin=1.0, distinct=True)
    # From a shape strategy, the shapes that cannot fit are skipped instead.
    assert seek(arrays(shapes(), margin=1.0, distinct=True), lambda a: True).size <= 6
    with pytest.raises(ValueError, match="do not fit"):  # 4 slots, but 0 and its margin take 1+
        seek(arrays((4,), low=-0.15, high=0.25, avoid=[0.0], distinct=True), lambda a: True)
    assert not seek(tensors((2,), requires_grad=False), lambda t: True).requires_grad


@FEW
@given(t=tensors(shapes(max_dims=2), np.float32, low=0.5, high=1.0))
def test_tensors_are_leaves_that_need_grad(t: Tensor) -> None:
    assert isinstance(t, Tensor) and t.requires_grad and t.is_leaf and t.dtype == np.float32
    assert np.all((t.data >= 0.5) & (t.data <= 1.0))


@FEW
@given(shapes_=broadcastable_shapes(3))
def test_broadcastable_shapes_broadcast_without_the_rank_one_pitfall(
        shapes_: tuple[tuple[int, ...], ...]) -> None:
    assert len(shapes_) == 3
    out = np.broadcast_shapes(*shapes_)
    a, b, c = (Tensor(np.ones(s)) for s in shapes_)
    with strict_shapes():  # the rank-1 ShapeWarning would be an error here
        assert (a + b + c).shape == (a * c - b).shape == out


def test_broadcastable_shapes_cover_the_interesting_cases() -> None:
    pairs = broadcastable_shapes()
    assert seek(pairs, lambda s: len(s[0]) != len(s[1]) and min(map(len, s)) >= 1)
    assert seek(pairs, lambda s: len(s[0]) == len(s[1]) == 2 and s[0] != s[1])
    assert seek(pairs, lambda s: () in s)
    pitfall = seek(broadcastable_shapes(allow_rank_one=True),
                   lambda s: len(np.broadcast_shapes(*s)) == 2 and len(s[0]) == 1
                   and np.prod(np.broadcast_shapes(*s)) > max(np.prod(s[0]), np.prod(s[1])))
    with pytest.warns(ShapeWarning, match="rank-1"):
        Tensor(np.ones(pitfall[0])) + Tensor(np.ones(pitfall[1]))


@FEW
@given(ab=matmul_shapes())
@pytest.mark.filterwarnings("ignore::tinygrad_course.errors.ShapeWarning")  # 1-D on purpose
def test_matmul_shapes_are_compatible(ab: tuple[tuple[int, ...], tuple[int, ...]]) -> None:
    a, b = ab
    assert len(a) >= 1 and len(b) >= 1
    expected = np.matmul(np.ones(a), np.ones(b)).shape
    assert (Tensor(np.ones(a)) @ Tensor(np.ones(b))).shape == expected


@pytest.mark.parametrize(("ranks", "why"), [
    ((2, 2), "2-D"), ((1, 2), "1-D on the left"), ((2, 1), "1-D on the right"),
    ((1, 1), "1-D dot"), ((3, 2), "batched")])
def test_matmul_shapes_reach_every_kind(ranks: tuple[int, int], why: str) -> None:
    a, b = seek(matmul_shapes(), lambda s: (len(s[0]), len(s[1])) == ranks)
    assert np.matmul(np.ones(a), np.ones(b)) is not None, why


@FEW
@given(data=st.data())
def test_axes_are_valid_for_any_rank(data: st.DataObject) -> None:
    x = np.ones(data.draw(shapes(), label="shape"))
    axis = data.draw(axes(x.ndim), label="axis")
    keep = data.draw(keepdims(), label="keepdims")
    assert isinstance(keep, bool)
    expected = np.sum(x, axis=axis, keepdims=keep).shape
    assert Tensor(x).sum(axis=axis, keepdims=keep).shape == expected


def test_axes_cover_none_negative_and_tuples() -> None:
    assert seek(axes(3), lambda a: a is None) is None
    assert seek(axes(3), lambda a: isinstance(a, int) and a < 0) < 0
    assert len(seek(axes(3), lambda a: isinstance(a, tuple) and len(a) == 2)) == 2
    assert seek(axes(0), lambda a: True) in (None, ())
    with pytest.raises(ValueError, match="0-d"):
        axes(0, allow_none=False, allow_tuple=False)


def test_assert_gradcheck_passes_and_fails_with_a_clear_message() -> None:
    ok = assert_gradcheck(lambda x, y: (x @ y).tanh().sum(), np.ones((2, 3)), np.ones((3, 1)))
    assert ok.passed and len(ok.rel_diffs) == 2
    with pytest.raises(AssertionError, match=r"shapes \[\(2, 2\)\].*FAILED"):
        assert_gradcheck(lambda x: apply(SIN_WRONG, (x,)).sum(), np.eye(2))


def test_check_gradients_passes_on_right_and_catches_wrong_gradients() -> None:
    check_gradients(lambda a, b: (a * b).exp().mean(), arrays((2, 3)), arrays((3,)),
                    max_examples=10)
    check_gradients(lambda x: x.abs().sum(), tensors(avoid=[0.0]), max_examples=10)
    with pytest.raises(AssertionError, match="gradient check failed"):
        check_gradients(lambda x: apply(SIN_WRONG, (x,)).sum(), arrays(), max_examples=10)
    with pytest.raises(ValueError, match="one strategy per argument"):
        check_gradients(lambda x: x)
