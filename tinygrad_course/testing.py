"""Hypothesis strategies and a gradcheck helper for property tests of code built on the engine.

Needs the optional ``test`` extra (``pip install tinygrad-course[test]``). Every strategy draws
small shapes (sides 1..4) so that a central-difference gradcheck of each example stays cheap,
and values from a safe range (``[-3, 3]`` by default, where ``exp`` and friends are tame).

>>> from hypothesis import given, settings
>>> @settings(max_examples=10, deadline=None)
... @given(tensors(low=0.5, high=2.0))
... def test_log_is_finite(x):
...     assert np.all(np.isfinite(x.log().data))
>>> test_log_is_finite()
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

try:
    from hypothesis import HealthCheck, given, reject, settings
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp
except ImportError as e:  # hypothesis is an optional dependency: say how to get it
    raise ImportError(
        "tinygrad_course.testing needs hypothesis, which is part of the optional 'test' extra: "
        "pip install tinygrad-course[test]") from e

from .engine.dtypes import SUPPORTED_DTYPES as FLOAT_DTYPES  # the dtypes a Tensor may hold
from .engine.gradcheck import GradcheckResult, gradcheck
from .engine.tensor import Tensor

__all__ = ["FLOAT_DTYPES", "dtypes", "shapes", "arrays", "tensors", "broadcastable_shapes",
           "matmul_shapes", "axes", "keepdims", "assert_gradcheck", "check_gradients"]

Shape = tuple[int, ...]


def dtypes() -> st.SearchStrategy[np.dtype]:
    """float32 or float64.

    >>> from hypothesis import find
    >>> find(dtypes(), lambda dt: dt.itemsize == 8)
    dtype('float64')
    """
    return st.sampled_from(FLOAT_DTYPES)


def shapes(*, min_dims: int = 0, max_dims: int = 3, min_side: int = 1,
           max_side: int = 4) -> st.SearchStrategy[Shape]:
    """Array shapes with ``min_dims..max_dims`` dimensions of ``min_side..max_side`` each.

    >>> from hypothesis import find
    >>> find(shapes(min_dims=2), lambda s: len(s) == 3)  # the simplest 3-D shape
    (1, 1, 1)
    """
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                            max_side=max_side)


def _away(x: float, avoid: Sequence[float], margin: float) -> bool:
    return all(abs(x - p) >= margin for p in avoid)


def _inwards32(x: float, toward: float) -> float:
    """The float32 nearest ``x`` on the ``toward`` side (compared in float64, not float32)."""
    x32 = float(np.float32(x))
    if x32 == x or (x32 > x) == (toward > x):
        return x32
    return float(np.nextafter(np.float32(x32), np.float32(toward)))


@st.composite
def _arrays(draw: Any, shape: Any, dtype: Any, low: float, high: float,
            avoid: tuple[float, ...], margin: float, distinct: bool) -> np.ndarray:
    shp = tuple(draw(shape) if isinstance(shape, st.SearchStrategy) else shape)
    dt = np.dtype(draw(dtype) if isinstance(dtype, st.SearchStrategy) else dtype)
    n = int(np.prod(shp))
    if distinct:
        # A grid with spacing >= margin (shifted at random), minus the avoided points: any n
        # distinct grid points are pairwise at least `margin` apart, so no ties ever.
        shift = draw(st.floats(0.0, margin / 2))
        grid = [v for v in np.arange(low + shift, high, margin) if _away(v, avoid, margin)]
        if len(grid) < n:
            if not isinstance(shape, st.SearchStrategy):
                raise ValueError(f"arrays(distinct=True): {n} values at least {margin} apart "
                                 f"(and {margin} from {list(avoid)}) do not fit in "
                                 f"[{low}, {high}]; widen the range or lower the margin")
            reject()  # a drawn shape too big for the grid: skip it, keep the promise of margin
        picks = draw(st.lists(st.integers(0, len(grid) - 1), min_size=n, max_size=n,
                              unique=True))
        return np.array([grid[k] for k in picks], dtype=dt).reshape(shp)

    def push(x: float) -> float:
        # Values too close to an avoided point are pushed out to its margin (not filtered:
        # filtering would throw away most draws when the margin is wide).
        for p in avoid:
            if abs(x - p) < margin:
                x = p + margin if x >= p else p - margin
        return x

    if dt == np.float32:  # float32 bounds must be float32 numbers: round them inwards
        low, high = _inwards32(low, np.inf), _inwards32(high, -np.inf)
    elements = st.floats(low, high, allow_nan=False, allow_infinity=False,
                         width=8 * dt.itemsize).map(push).filter(
        lambda x: low <= x <= high and _away(x, avoid, margin * 0.999))
    return draw(hnp.arrays(dt, shp, elements=elements))


def arrays(shape: Shape | st.SearchStrategy[Shape] | None = None,
           dtype: Any = None, *, low: float = -3.0, high: float = 3.0,
           avoid: Sequence[float] = (), margin: float = 0.1,
           distinct: bool = False) -> st.SearchStrategy[np.ndarray]:
    """Float arrays with values in ``[low, high]`` kept ``margin`` away from each point in
    ``avoid`` (0 for ``relu``/``abs``, the bounds for ``clip``).

    ``shape`` and ``dtype`` may be fixed or strategies (default: :func:`shapes`,
    :func:`dtypes`). ``distinct=True`` keeps all values pairwise ``margin`` apart (no ties for
    ``max``; drawn shapes with more elements than fit are skipped). For a positive domain
    (``log``, ``sqrt``) use e.g. ``low=0.2``.

    >>> @settings(max_examples=20, deadline=None)
    ... @given(arrays((4, 4), np.float32, avoid=[0.0], margin=0.2, distinct=True))
    ... def test_distinct_and_away_from_zero(a):
    ...     assert a.dtype == np.float32 and np.all(np.abs(a) >= 0.1)
    ...     assert np.min(np.diff(np.sort(a.ravel()))) >= 0.19
    >>> test_distinct_and_away_from_zero()
    >>> from hypothesis import find
    >>> find(arrays((2,), np.float32, low=0.2, high=1.0), lambda a: True)  # positive domain
    array([1., 1.], dtype=float32)
    """
    if not low < high:
        raise ValueError(f"arrays: low ({low}) must be below high ({high})")
    if margin <= 0:
        raise ValueError(f"arrays: margin must be positive, got {margin}")
    if distinct and isinstance(shape, tuple) and np.prod(shape) > (high - low) / margin:
        raise ValueError(f"arrays(distinct=True): {int(np.prod(shape))} values at least "
                         f"{margin} apart do not fit in [{low}, {high}]; widen the range or "
                         "lower the margin")
    for dt in ([dtype] if dtype is not None and not isinstance(dtype, st.SearchStrategy)
               else []):
        if np.dtype(dt) not in FLOAT_DTYPES:
            raise TypeError(f"arrays: dtype {np.dtype(dt)} is not float32 or float64")
    return _arrays(shapes() if shape is None else shape, dtypes() if dtype is None else dtype,
                   float(low), float(high), tuple(float(p) for p in avoid), float(margin),
                   bool(distinct))


def tensors(shape: Shape | st.SearchStrategy[Shape] | None = None, dtype: Any = None, *,
            requires_grad: bool = True, **values: Any) -> st.SearchStrategy[Tensor]:
    """Tensors (``requires_grad=True`` by default) of :func:`arrays` with the same options.

    >>> from hypothesis import find
    >>> find(tensors((2, 1), np.float32, avoid=[0.0]), lambda t: True)
    Tensor([[0.1], [0.1]], shape=(2, 1), dtype=float32, requires_grad=True)
    """
    return arrays(shape, dtype, **values).map(lambda a: Tensor(a, requires_grad=requires_grad))


def _warns_rank_one(a: Shape, b: Shape) -> bool:
    """True when ``a (op) b`` would raise the engine's rank-1 ShapeWarning."""
    out = np.broadcast_shapes(a, b)
    return (len(out) > 1 and (len(a) == 1 or len(b) == 1)
            and int(np.prod(out)) > max(int(np.prod(a)), int(np.prod(b))))


def _pitfall(shapes_: Sequence[Shape]) -> bool:
    pairs = [(a, b) for i, a in enumerate(shapes_) for b in shapes_[i + 1:]]
    acc = shapes_[0]
    for s in shapes_[1:]:  # the left-to-right chain a + b + c, too
        pairs.append((acc, s))
        acc = np.broadcast_shapes(acc, s)
    return any(_warns_rank_one(a, b) for a, b in pairs)


def broadcastable_shapes(num_shapes: int = 2, *, min_dims: int = 0, max_dims: int = 3,
                         min_side: int = 1, max_side: int = 4,
                         allow_rank_one: bool = False) -> st.SearchStrategy[tuple[Shape, ...]]:
    """Tuples of ``num_shapes`` shapes that broadcast together (numpy rules: dimensions equal
    or 1, missing leading dimensions allowed).

    With ``allow_rank_one=False`` (default) the course's rank-1 pitfall - ``(m,)`` against
    ``(m, 1)`` blowing up to ``(m, m)``, which the engine warns about - is left out.

    >>> @settings(max_examples=20, deadline=None)
    ... @given(broadcastable_shapes(3))
    ... def test_three_shapes_broadcast(shapes_):
    ...     assert len(shapes_) == 3 and len(np.broadcast_shapes(*shapes_)) <= 3
    >>> test_three_shapes_broadcast()
    """
    strategy = hnp.mutually_broadcastable_shapes(
        num_shapes=num_shapes, min_dims=min_dims, max_dims=max_dims, min_side=min_side,
        max_side=max_side).map(lambda b: tuple(tuple(s) for s in b.input_shapes))
    if not allow_rank_one:
        return strategy.filter(lambda s: not _pitfall(s))
    if num_shapes >= 2 and min_dims <= 1 <= max_side // 2 and max_dims >= 2:
        # hypothesis alone draws the pitfall rarely (~1.5%): mix it in on purpose.
        return strategy | _rank_one_pitfalls(num_shapes, max(min_side, 2), max_side)
    return strategy


@st.composite
def _rank_one_pitfalls(draw: Any, num_shapes: int, min_side: int,
                       max_side: int) -> tuple[Shape, ...]:
    """``(m,)`` and ``(k, 1)`` (in either order) making ``(k, m)``, then shapes fitting it."""
    m, k = draw(st.integers(min_side, max_side)), draw(st.integers(min_side, max_side))
    pair = [(m,), (k, 1)]
    rest = [tuple(draw(hnp.broadcastable_shapes((k, m), max_dims=2)))
            for _ in range(num_shapes - 2)]
    return tuple(draw(st.permutations(pair + rest)))


def matmul_shapes(*, max_batch_dims: int = 2, min_side: int = 1,
                  max_side: int = 4) -> st.SearchStrategy[tuple[Shape, Shape]]:
    """Pairs ``(a_shape, b_shape)`` that ``a @ b`` accepts: 2-D, 1-D on either side, and
    batched with broadcast batch dimensions (numpy's ``(n?,k),(k,m?)->(n?,m?)``).

    >>> from hypothesis import find
    >>> find(matmul_shapes(), lambda s: len(s[0]) == 1 and len(s[1]) == 3)  # 1-D @ batch
    ((1,), (1, 1, 1))
    """
    return hnp.mutually_broadcastable_shapes(
        signature=np.matmul.signature, max_dims=max_batch_dims, min_side=min_side,
        max_side=max_side).map(lambda b: (tuple(b.input_shapes[0]), tuple(b.input_shapes[1])))


@st.composite
def _axes(draw: Any, ndim: int, allow_none: bool, allow_tuple: bool) -> Any:
    kinds = ["int"] if ndim else []
    kinds += ["none"] if allow_none else []
    kinds += ["tuple"] if allow_tuple else []
    kind = draw(st.sampled_from(kinds))
    if kind == "none":
        return None
    if kind == "int":
        return draw(st.integers(-ndim, ndim - 1))
    picked = draw(st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim)) if ndim \
        else []
    # Negative spellings of the same axis are legal too: -1 is the last axis.
    return tuple(a - ndim if draw(st.booleans()) else a for a in picked)


def axes(ndim: int, *, allow_none: bool = True,
         allow_tuple: bool = True) -> st.SearchStrategy[int | tuple[int, ...] | None]:
    """``axis`` arguments for a reduction over an ``ndim``-dimensional tensor: ``None``, an
    int (negative too) or a tuple of distinct axes (possibly empty).

    >>> from hypothesis import find
    >>> find(axes(3), lambda ax: isinstance(ax, tuple) and len(ax) == 2)
    (0, 1)
    >>> find(axes(2, allow_none=False, allow_tuple=False), lambda ax: ax < 0)
    -1
    """
    if ndim == 0 and not (allow_none or allow_tuple):
        raise ValueError("axes: a 0-d tensor has no int axis; allow None or a tuple")
    return _axes(ndim, allow_none, allow_tuple)


def keepdims() -> st.SearchStrategy[bool]:
    """``keepdims`` for a reduction: True or False."""
    return st.booleans()


def assert_gradcheck(f: Callable[..., Any], *inputs: Any, eps: float = 1e-7,
                     tol: float = 1e-7) -> GradcheckResult:
    """:func:`~tinygrad_course.gradcheck` ``f`` at ``inputs``; raise ``AssertionError`` with the
    per-input relative differences and shapes when it fails. Use inside your own ``@given``.

    Defaults are the course's check (``eps`` 1e-7, difference < 1e-7); where a gradient is tiny
    next to ``f`` (``tanh`` near ±3), rounding dominates and ``eps=1e-6`` helps.

    >>> assert_gradcheck(lambda x: (x * x).sum(), np.array([1.0, 2.0])).passed
    True
    """
    result = gradcheck(f, *inputs, eps=eps, tol=tol)
    if not result.passed:
        shapes_ = [np.shape(x.data if isinstance(x, Tensor) else x) for x in inputs]
        raise AssertionError(f"gradient check failed for inputs of shapes {shapes_}: {result!r}")
    return result


def check_gradients(f: Callable[..., Any], *strategies: st.SearchStrategy[Any],
                    max_examples: int = 20, eps: float = 1e-7, tol: float = 1e-7) -> None:
    """Gradcheck ``f`` on ``max_examples`` inputs drawn from ``strategies`` (one per argument of
    ``f``; arrays or Tensors). Raises ``AssertionError`` naming the (shrunk) failing inputs.

    >>> check_gradients(lambda a, b: (a * b.tanh()).sum(), arrays((2, 3)), arrays((3,)),
    ...                 max_examples=5)
    >>> check_gradients(lambda x: x.abs().sum(), arrays(avoid=[0.0]), max_examples=5)
    """
    if not strategies:
        raise ValueError("check_gradients needs one strategy per argument of f")

    @settings(max_examples=max_examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(st.tuples(*strategies))
    def run(inputs: tuple[Any, ...]) -> None:
        assert_gradcheck(f, *inputs, eps=eps, tol=tol)

    run()
