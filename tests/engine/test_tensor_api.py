"""Tensor construction, dtypes, properties, repr, and the errors that teach."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from tinygrad_course import (
    AnomalyError,
    ShapeError,
    ShapeWarning,
    Tensor,
    detect_anomaly,
    strict_shapes,
)


def test_construction_and_dtypes() -> None:
    assert Tensor(3).dtype == np.float64
    assert Tensor(True).dtype == np.float64
    assert Tensor([[1, 2], [3, 4]]).shape == (2, 2)
    f32 = Tensor(np.ones(3, dtype=np.float32))
    assert f32.dtype == np.float32
    assert (f32 * 2.0).dtype == np.float32      # a Python scalar never upcasts
    assert (2.0 - f32).dtype == np.float32
    assert (f32 ** 2).dtype == np.float32
    assert f32.sigmoid().dtype == np.float32 and f32.leaky_relu().dtype == np.float32
    assert Tensor([1, 2], dtype="float32").dtype == np.float32
    src = np.ones(2)
    t = Tensor(src, requires_grad=True)
    t.data += 1
    assert src[0] == 1.0  # a parameter owns a copy: in-place updates never reach the user
    assert Tensor(src).data is src  # data needing no gradient is shared, as np.asarray


@pytest.mark.parametrize("bad, exc, words", [
    ("abc", TypeError, "str"),
    ([1, "a"], TypeError, "dtype"),
    (1 + 2j, TypeError, "complex"),
    ([[1, 2], [3]], ValueError, "ragged"),
    (np.ones(2, dtype=np.float16), TypeError, "float16"),
    (None, TypeError, "None"),
    (object(), TypeError, "object"),
])
def test_bad_data_is_refused_clearly(bad: object, exc: type, words: str) -> None:
    with pytest.raises(exc, match=words):
        Tensor(bad)


def test_unsupported_dtype_argument() -> None:
    with pytest.raises(TypeError, match="int32"):
        Tensor([1], dtype=np.int32)


def test_properties_and_conversions() -> None:
    t = Tensor(np.arange(6.0).reshape(2, 3), name="A[1]")
    assert (t.shape, t.ndim, t.size, len(t)) == ((2, 3), 2, 6, 2)
    assert t.T.shape == (3, 2)
    assert np.asarray(t) is t.data and t.numpy() is t.data
    assert Tensor([[4.0]]).item() == 4.0
    with pytest.raises(ValueError, match="one element"):
        t.item()
    assert (t > 2).dtype == np.bool_ and (t == 0).sum() == 1
    assert "A[1]" in repr(t) and "shape=(2, 3)" in repr(t)
    s = Tensor(2.0, requires_grad=True)
    (s * s).backward()
    assert repr(s) == "Tensor(2., requires_grad=True, grad=4.)"
    assert {s: 1}[s] == 1  # hashable by identity


def test_numpy_on_the_left_defers_to_tensor() -> None:
    w = Tensor(np.ones(2), requires_grad=True)
    out = np.array([1.0, 2.0]) * w
    assert isinstance(out, Tensor) and out.requires_grad


def test_matmul_error_names_shapes_in_course_terms() -> None:
    W = Tensor(np.ones((4, 3)), name="W[1]")
    X = Tensor(np.ones((5, 3)), name="X")
    with pytest.raises(ShapeError) as info:
        W @ X
    text = str(info.value)
    assert "(4, 3)" in text and "(5, 3)" in text and "3 columns vs 5 rows" in text
    assert "n[l-1]" in text and "(n_x, m)" in text
    with pytest.raises(ShapeError, match="at least 1-D"):
        W @ 2.0


def test_broadcast_error_names_the_axis() -> None:
    with pytest.raises(ShapeError, match=r"axis 1: 3 vs 4"):
        Tensor(np.ones((2, 3))) + Tensor(np.ones((2, 4)))


def test_rank_one_pitfall_warns_and_strict_raises() -> None:
    v = Tensor(np.ones(5))
    col = Tensor(np.ones((5, 1)))
    with pytest.warns(ShapeWarning, match=r"\(5,\).*\(5, 5\).*reshape"):
        v + col
    with strict_shapes(), pytest.raises(ShapeError, match="rank-1"):
        v * col
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Tensor(np.ones((4, 5))) + v      # a vector added to every row: fine
        Tensor(np.ones((1, 5))) + v      # (1, m) with (m,): still (1, m), fine


def test_detect_anomaly_names_op_shapes_and_user_line() -> None:
    a = Tensor(np.array([[0.5, 0.0]]), requires_grad=True)
    with detect_anomaly(), pytest.raises(AnomalyError) as info:
        with np.errstate(divide="ignore"):
            a.log().sum()
    text = str(info.value)
    assert "log" in text and "(1, 2)" in text and "test_tensor_api.py" in text
    b = Tensor(np.array([0.0, 1.0]), requires_grad=True)
    with detect_anomaly(), pytest.raises(AnomalyError, match="backward of sqrt"):
        with np.errstate(divide="ignore"):
            b.sqrt().sum().backward()
    # Outside the context the same code runs (numpy only warns).
    with np.errstate(divide="ignore"):
        assert np.isneginf(a.log().sum().item())


def test_axis_and_index_errors() -> None:
    t = Tensor(np.ones((2, 3)))
    with pytest.raises(ShapeError, match="axis 2 is out of range"):
        t.sum(axis=2)
    with pytest.raises(IndexError, match=r"shape \(2, 3\)"):
        t[5]
    with pytest.raises(ShapeError, match="permutation"):
        t.transpose(0, 0)
    with pytest.raises(ValueError, match="reshape"):
        t.reshape(4, 2)
    with pytest.raises(TypeError, match="unsupported operand"):
        t + "x"  # type: ignore[operator]
