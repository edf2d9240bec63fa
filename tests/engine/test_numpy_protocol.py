"""numpy functions on Tensors (NEP 13/18): the course's numpy code records into the graph, and a
Tensor that requires grad never comes out of a numpy function silently detached."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_course as tc
import tinygrad_course.numpy as tnp
from tinygrad_course import Tensor, no_grad
from tinygrad_course.engine.numpy_table import NO_GRADIENT, SUPPORTED, numpy_object

RNG = np.random.default_rng(0)
X = RNG.uniform(0.2, 0.8, (2, 3))   # inside every domain (log, arcsin, arctanh, ...)
Y = RNG.uniform(1.1, 1.9, (2, 3))   # divisors away from 0; mod/floor_divide off their jumps

# name -> the arguments of one call, given Tensors (or arrays) x, y of shape (2, 3)
SAMPLES: dict[str, Callable[[Any, Any], tuple[Any, ...]]] = {
    **{n: (lambda x, y: (x, y)) for n in (
        "add", "subtract", "multiply", "divide", "true_divide", "power", "floor_divide",
        "mod", "remainder", "maximum", "minimum", "logaddexp")},
    **{n: (lambda x, y: (x,)) for n in (
        "negative", "positive", "exp", "log", "sqrt", "abs", "absolute", "tanh", "sin", "cos",
        "tan", "sinh", "cosh", "arcsin", "arccos", "arctan", "arcsinh", "arctanh", "log1p",
        "expm1", "sign", "log2", "log10", "exp2", "square", "reciprocal", "sum", "mean", "max",
        "amax", "min", "amin", "prod", "cumsum", "var", "std", "linalg.norm", "ravel",
        "squeeze", "atleast_2d", "copy", "transpose", "flip", "tril", "triu", "diag", "trace",
        "sort")},
    "matmul": lambda x, y: (x, y.T), "dot": lambda x, y: (x, y.T),
    "clip": lambda x, y: (x, 0.3, 0.7), "where": lambda x, y: (X > 0.5, x, y),
    "reshape": lambda x, y: (x, (3, 2)), "expand_dims": lambda x, y: (x, 1),
    "swapaxes": lambda x, y: (x, 0, 1), "moveaxis": lambda x, y: (x, 0, -1),
    "broadcast_to": lambda x, y: (x, (4, 2, 3)),
    "concatenate": lambda x, y: ([x, y],), "stack": lambda x, y: ([x, y],),
    "vstack": lambda x, y: ([x, y],), "hstack": lambda x, y: ([x, y],),
    "split": lambda x, y: (x, 3, 1), "repeat": lambda x, y: (x, 2, 0),
    "tile": lambda x, y: (x, (2, 1)), "pad": lambda x, y: (x, 1),
    "take_along_axis": lambda x, y: (x, np.array([[0, 0], [2, 1]]), 1),
    "outer": lambda x, y: (x, y), "tensordot": lambda x, y: (x, y, 2),
    "einsum": lambda x, y: ("ij,kj->ik", x, y),
}


def _leaves(out: Any) -> list[Any]:
    return list(out) if isinstance(out, list) else [out]


def test_every_supported_function_has_a_sample() -> None:
    assert set(SAMPLES) == set(SUPPORTED)


@pytest.mark.parametrize("name", sorted(SUPPORTED))
def test_supported_function_records_through_numpy_and_tnp(name: str) -> None:
    expected = numpy_object(name)(*SAMPLES[name](X, Y))
    tnp_fn: Any = tnp
    for part in name.split("."):
        tnp_fn = getattr(tnp_fn, part)
    for fn in (numpy_object(name), tnp_fn):
        x, y = Tensor(X, requires_grad=True), Tensor(Y, requires_grad=True)
        out = fn(*SAMPLES[name](x, y))
        for o, e in zip(_leaves(out), _leaves(expected)):
            assert isinstance(o, Tensor) and o.requires_grad, f"{fn}: {type(o).__name__}"
            np.testing.assert_allclose(o.data, e, rtol=1e-12, atol=1e-15)
            assert o.dtype == np.asarray(e).dtype
        sum(((o * o).sum() for o in _leaves(out)), Tensor(0.0)).backward()
        assert x.grad is not None and x.grad.shape == x.shape


@pytest.mark.parametrize("name", sorted(SUPPORTED))
def test_float32_stays_float32(name: str) -> None:
    x = Tensor(X.astype(np.float32), requires_grad=True)
    y = Tensor(Y.astype(np.float32), requires_grad=True)
    for o in _leaves(numpy_object(name)(*SAMPLES[name](x, y))):
        assert o.dtype == np.float32, f"np.{name}: float32 in, {o.dtype} out"


def test_the_courses_forward_propagation_gives_the_courses_gradients() -> None:
    # Week 3's forward_propagation and compute_cost, as the course writes them.
    m = X.shape[1]
    Xd = RNG.standard_normal((2, m))
    Yd = (RNG.random((1, m)) > 0.5).astype(float)
    W1 = Tensor(RNG.standard_normal((4, 2)) * 0.5, requires_grad=True)
    b1 = Tensor(RNG.standard_normal((4, 1)) * 0.1, requires_grad=True)
    W2 = Tensor(RNG.standard_normal((1, 4)) * 0.5, requires_grad=True)
    b2 = Tensor(np.zeros((1, 1)), requires_grad=True)

    def sigmoid(z: Any) -> Any:
        return 1 / (1 + np.exp(-z))

    Z1 = np.dot(W1, Xd) + b1
    A1 = np.tanh(Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = sigmoid(Z2)
    logprobs = np.multiply(np.log(A2), Yd) + np.multiply(np.log(1 - A2), 1 - Yd)
    cost = - np.sum(logprobs) / m
    assert isinstance(cost, Tensor)
    cost.backward()
    # the course's backward_propagation, by hand
    a1, a2 = A1.data, A2.data
    dZ2 = a2 - Yd
    dW2 = 1 / m * np.dot(dZ2, a1.T)
    db2 = 1 / m * np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = np.dot(W2.data.T, dZ2) * (1 - np.power(a1, 2))
    dW1 = 1 / m * np.dot(dZ1, Xd.T)
    db1 = 1 / m * np.sum(dZ1, axis=1, keepdims=True)
    for p, g in ((W1, dW1), (b1, db1), (W2, dW2), (b2, db2)):
        np.testing.assert_allclose(p.grad, g, rtol=1e-10, atol=1e-14)
    assert float(np.squeeze(cost)) == pytest.approx(cost.item())


# --- never silently detached ------------------------------------------------------------------
UFUNCS = sorted(n for n in dir(np) if isinstance(getattr(np, n), np.ufunc))


@pytest.mark.parametrize("name", UFUNCS)
def test_every_ufunc_records_refuses_or_has_no_gradient(name: str) -> None:
    ufunc = getattr(np, name)
    x = Tensor(X[:, :2], requires_grad=True)  # square, so matmul fits
    args = (x,) * ufunc.nin
    try:
        with np.errstate(all="ignore"):
            out = ufunc(*args)
    except TypeError as e:
        assert "requires grad" in str(e) or "not supported" in str(e) or "ufunc" in str(e)
        return
    outs = out if isinstance(out, tuple) else (out,)
    for o in outs:
        if isinstance(o, Tensor):
            assert o.requires_grad, f"np.{name} returned a Tensor cut from the graph"
        else:
            assert name in NO_GRADIENT, f"np.{name} returned a detached {type(o).__name__}"


UNSUPPORTED = [
    lambda t: np.fft.fft(t), lambda t: np.linalg.inv(t[:, :2]), lambda t: np.cumprod(t),
    lambda t: np.median(t), lambda t: np.percentile(t, 50), lambda t: np.cbrt(t),
    lambda t: np.hypot(t, t), lambda t: np.add.at(t, [0], 1.0), lambda t: np.diff(t),
    lambda t: np.average(t), lambda t: np.nansum(t), lambda t: np.interp(t, [0, 1], [0, 1]),
    lambda t: np.multiply.outer(t, t), lambda t: np.sum(t, initial=1.0),
]


REFUSED = [*UNSUPPORTED, lambda t: np.exp(t, where=X > 0.5),
           lambda t: np.add.reduce(t, axis=0, initial=1.0)]


@pytest.mark.parametrize("call", REFUSED, ids=range(len(REFUSED)))
def test_unsupported_function_on_a_tensor_that_requires_grad_is_refused(call: Any) -> None:
    with pytest.raises(TypeError, match=r"(requires grad|on Tensors)"):
        call(Tensor(X, requires_grad=True))


@pytest.mark.parametrize("call", UNSUPPORTED, ids=range(len(UNSUPPORTED)))
def test_unsupported_function_without_gradient_runs_on_the_arrays(call: Any) -> None:
    a, b = X.copy(), X.copy()
    expected = call(a)
    with no_grad():
        got = call(Tensor(b, requires_grad=True))
    if expected is not None:  # (np.add.at works in place, on the Tensor's own copy)
        np.testing.assert_allclose(np.asarray(getattr(got, "data", got)), expected)


def test_out_into_a_tensor_that_requires_grad_is_refused() -> None:
    x = Tensor(X, requires_grad=True)
    with pytest.raises(TypeError, match="out="):
        np.multiply(x, 2.0, out=x)
    with pytest.raises(TypeError, match="out="):
        np.sum(x, out=np.empty(()))
    arr = X.copy()
    with pytest.raises(TypeError, match="out="):
        arr += x  # an in-place numpy update of a plain array from a recorded tensor


def test_out_without_a_gradient_writes_like_numpy() -> None:
    plain = Tensor(X.copy())
    result = np.multiply(plain, 2.0, out=plain)
    assert result is plain and np.allclose(plain.data, 2 * X)


def test_out_into_a_tensor_saved_by_a_graph_is_caught_at_backward() -> None:
    w, plain = Tensor(Y, requires_grad=True), Tensor(X.copy())
    cost = np.sum(w * plain)           # saves plain's values for dcost/dw
    np.multiply(plain, 2.0, out=plain)  # ...which change in place afterwards
    with pytest.raises(RuntimeError, match="in place"):
        cost.backward()


def test_keywords_dtype_where_keepdims() -> None:
    x = Tensor(X.astype(np.float32), requires_grad=True)
    s = np.sum(x, axis=1, keepdims=True, dtype=np.float64)
    assert s.shape == (2, 1) and s.dtype == np.float64 and s.requires_grad
    mask = X > 0.5
    np.testing.assert_allclose(np.sum(x, where=mask).data, np.sum(X, where=mask), rtol=1e-6)
    np.testing.assert_allclose(np.mean(x, where=mask).data, np.mean(X, where=mask), rtol=1e-6)
    with pytest.raises(TypeError, match="float32 or float64"):
        np.sum(x, dtype=np.int64)
    r = np.add.reduce(x, axis=0)
    np.testing.assert_allclose(r.data, X.sum(axis=0), rtol=1e-6)
    assert np.maximum.reduce(x, axis=1).requires_grad
    assert np.add.accumulate(x, axis=1).requires_grad


def test_mixed_operands_in_any_position() -> None:
    x = Tensor(X, requires_grad=True)
    for out in (Y * x, x * Y, np.add(Y, x), np.add(2.0, x), np.float64(2.0) * x,
                np.where(X > 0.5, Y, x), np.dot(Y.T, x), np.concatenate([Y, x])):
        assert isinstance(out, Tensor) and out.requires_grad
    x32 = Tensor(X.astype(np.float32), requires_grad=True)
    assert (np.float32(2.0) * x32).dtype == np.float32
    assert (X.astype(np.float32) - x32).dtype == np.float32


def test_no_gradient_functions_return_what_numpy_returns() -> None:
    x = Tensor(X, requires_grad=True)
    assert np.argmax(x) == np.argmax(X) and x.argmin() == X.argmin()
    assert np.shape(x) == (2, 3) and np.ndim(x) == 2
    np.testing.assert_array_equal(np.floor(x * 3), np.floor(X * 3))
    np.testing.assert_array_equal(x > 0.5, X > 0.5)
    assert not isinstance(np.round(x, 2), Tensor)


def test_tensor_conveniences() -> None:
    t = Tensor([[1.5], [2.5]], requires_grad=True)
    assert float(t[0, 0]) == 1.5 and int(t[1, 0]) == 2 and t.tolist() == [[1.5], [2.5]]
    assert t.squeeze().shape == (2,) and t.flatten().shape == (2,)
    assert t.unsqueeze(0).shape == (1, 2, 1)
    assert t.transpose(0, 1).shape == (1, 2)  # PyTorch's swap of two axes
    assert Tensor(np.zeros((2, 3, 4))).transpose(0, 2).shape == (4, 3, 2)
    assert Tensor(np.zeros((2, 3, 4))).transpose(1, 2, 0).shape == (3, 4, 2)  # numpy's
    leaf = Tensor([1.0]).requires_grad_()
    assert leaf.requires_grad
    assert t.min().item() == 1.5 and t.argmax() == 1
    w = tc.zeros((2, 2), requires_grad=True)
    assert w.requires_grad and tc.randn(2, 3, seed=0).shape == (2, 3)


def test_dlpack_is_refused_on_a_tensor_that_requires_grad() -> None:
    plain = Tensor(X)
    shared = np.from_dlpack(plain)
    assert np.shares_memory(shared, plain.data)
    assert np.shares_memory(tc.from_dlpack(X).data, X)
    with pytest.raises(TypeError, match="detach"):
        np.from_dlpack(Tensor(X, requires_grad=True))


def test_the_docs_table_is_generated_from_the_code() -> None:
    from pathlib import Path

    from tinygrad_course.engine.numpy_table import markdown_table
    page = (Path(__file__).resolve().parents[2] / "docs" / "numpy.md").read_text("utf-8")
    start, end = "<!-- supported-table:start -->\n", "<!-- supported-table:end -->"
    table = page.split(start, 1)[1].split(end, 1)[0].strip()
    assert table == markdown_table().strip(), (
        "docs/numpy.md's table is stale; paste in the output of: python -c 'from "
        "tinygrad_course.engine.numpy_table import markdown_table; print(markdown_table())'")
    for name in SUPPORTED:
        assert f"`np.{name}`" in table


def test_issue_11_item_9_numpy_functions_no_longer_drop_the_graph() -> None:
    # each of these returned a detached ndarray or raised about out=/dtype= at cbba949
    x = Tensor(X, requires_grad=True)
    for out in (np.reshape(x, (3, 2)), np.sum(x), np.mean(x), np.exp(x), np.transpose(x),
                np.squeeze(x[None]), np.clip(x, 0.3, 0.6), np.max(x, axis=0)):
        assert isinstance(out, Tensor) and out.requires_grad
    np.sum(np.reshape(x, (3, 2)) * np.reshape(np.exp(x), (3, 2))).backward()
    np.testing.assert_allclose(x.grad, np.exp(X) * (1 + X), rtol=1e-12)  # d(x·eˣ)/dx


def test_new_ops_draw_with_their_rules() -> None:
    from tinygrad_course.viz import draw_graph
    x = Tensor(X, requires_grad=True, name="x")
    graph = draw_graph(np.sum(np.sin(x) * np.cumsum(x, axis=1)))
    assert "∂t1/∂x: cos(x)" in graph.source and "reverse cumsum" in graph.source
