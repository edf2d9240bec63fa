"""Weight initializers: zeros, small random (x0.01), Xavier, He, and the course's exact draws.

Every initializer takes ``seed``: an int, a ``numpy.random.Generator``, a legacy
``numpy.random.RandomState`` (what the course's ``np.random.seed(1)`` drives) or ``None``.
The ``course_*`` schemes use the legacy generator so that ``seed=1`` reproduces the course
notebooks' ``np.random.seed(1); np.random.randn(...)`` draws bit for bit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = ["zeros", "small_random", "xavier", "he", "course_deep", "SCHEMES", "make_rng",
           "draw", "initialize"]

Seed = int | np.random.Generator | np.random.RandomState | None

# The names ``initialize`` and ``Linear(init=...)`` accept.
SCHEMES = ("zeros", "small", "xavier", "he", "course_small", "course_deep")


def make_rng(seed: Seed, legacy: bool = False) -> Any:
    """A random generator from a seed; generators pass through unchanged.

    ``legacy=True`` gives ``RandomState(seed)``, whose ``standard_normal`` stream equals the
    course's ``np.random.seed(seed); np.random.randn(...)``.
    """
    if isinstance(seed, (np.random.Generator, np.random.RandomState)):
        return seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
        raise TypeError(f"seed must be an int, a numpy Generator/RandomState or None, "
                        f"got {type(seed).__name__}")
    return np.random.RandomState(seed) if legacy else np.random.default_rng(seed)


def _shape(shape: Any) -> tuple[int, int]:
    shape = tuple(int(n) for n in shape)
    if len(shape) != 2 or min(shape) < 1:
        raise ValueError(f"a weight matrix W[l] has shape (n[l], n[l-1]) with both positive, "
                         f"got {shape}")
    return shape


def zeros(shape: Any, seed: Seed = None, dtype: Any = np.float64) -> np.ndarray:
    """All zeros (the course's choice for logistic regression and for every b[l]).

    >>> zeros((2, 1)).tolist()
    [[0.0], [0.0]]
    """
    return np.zeros(tuple(int(n) for n in shape), dtype=dtype)


def small_random(shape: Any, seed: Seed = None, scale: float = 0.01,
                 dtype: Any = np.float64) -> np.ndarray:
    """Standard normal times ``scale`` (0.01): the course's week-3 initialization.

    >>> w = small_random((4, 2), seed=0)
    >>> w.shape, bool(abs(w).max() < 0.05)
    ((4, 2), True)
    """
    return (make_rng(seed).standard_normal(_shape(shape)) * scale).astype(dtype, copy=False)


def xavier(shape: Any, seed: Seed = None, dtype: Any = np.float64) -> np.ndarray:
    """Standard normal times sqrt(1 / n[l-1]) (Xavier, as the course's second course states it).

    >>> round(float(xavier((500, 400), seed=0).std() * 20), 1)
    1.0
    """
    n_in = _shape(shape)[1]
    return (make_rng(seed).standard_normal(_shape(shape)) * np.sqrt(1.0 / n_in)).astype(
        dtype, copy=False)


def he(shape: Any, seed: Seed = None, dtype: Any = np.float64) -> np.ndarray:
    """Standard normal times sqrt(2 / n[l-1]) (He et al., for ReLU layers).

    >>> round(float(he((500, 200), seed=0).std() * 10), 1)
    1.0
    """
    n_in = _shape(shape)[1]
    return (make_rng(seed).standard_normal(_shape(shape)) * np.sqrt(2.0 / n_in)).astype(
        dtype, copy=False)


def course_deep(shape: Any, seed: Seed = None, dtype: Any = np.float64) -> np.ndarray:
    """The week-4 application's draw: ``randn(n[l], n[l-1]) / sqrt(n[l-1])`` (a division,
    exactly as the notebook writes it, so the floats match bit for bit)."""
    n_in = _shape(shape)[1]
    w = make_rng(seed, legacy=True).standard_normal(_shape(shape)) / np.sqrt(n_in)
    return w.astype(dtype, copy=False)


def draw(scheme: str, shape: Any, rng: Any, dtype: Any = np.float64) -> np.ndarray:
    """One weight matrix of ``shape`` drawn with ``scheme`` from ``rng`` (see ``SCHEMES``)."""
    if scheme == "zeros":
        return zeros(shape, dtype=dtype)
    if scheme in ("small", "course_small"):
        return small_random(shape, rng, dtype=dtype)
    if scheme == "xavier":
        return xavier(shape, rng, dtype=dtype)
    if scheme == "he":
        return he(shape, rng, dtype=dtype)
    if scheme == "course_deep":
        return course_deep(shape, rng, dtype=dtype)
    raise ValueError(f"unknown init {scheme!r}; choose one of {', '.join(SCHEMES)}")


def initialize(layers: Iterable[Any], scheme: str, seed: Seed = None) -> None:
    """Re-draw the weights of every ``Linear`` in ``layers`` (in order, from ONE generator, as
    the course does) and set every bias to zeros.

    ``course_small`` and ``course_deep`` seed a legacy ``RandomState`` (default seed 1), so
    ``initialize(net, "course_small", seed=1)`` equals the course's ``np.random.seed(1)`` then
    ``W1 = np.random.randn(n_h, n_x) * 0.01; W2 = np.random.randn(n_y, n_h) * 0.01``.

    >>> from tinygrad_course import nn
    >>> net = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1), nn.Sigmoid())
    >>> initialize(net, "course_small", seed=1)
    >>> np.random.seed(1)
    >>> bool(np.array_equal(net.layers[0].W.data, np.random.randn(2, 3) * 0.01))
    True
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown init {scheme!r}; choose one of {', '.join(SCHEMES)}")
    legacy = scheme.startswith("course")
    if legacy and seed is None:
        seed = 1  # the course's np.random.seed(1)
    rng = make_rng(seed, legacy=legacy)
    from .layers import Linear, linears
    for layer in linears(layers) if not isinstance(layers, Linear) else [layers]:
        layer.W.data = draw(scheme, layer.W.shape, rng, layer.W.dtype)
        layer.b.data = zeros(layer.b.shape, dtype=layer.b.dtype)
        layer.W.grad = layer.b.grad = None
