"""Tensor constructors with numpy's and PyTorch's names, each taking ``requires_grad=``.

>>> w = zeros((2, 3), requires_grad=True)
>>> w.shape, w.requires_grad, w.dtype
((2, 3), True, dtype('float64'))
>>> arange(3, dtype="float32").tolist()
[0.0, 1.0, 2.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .tensor import Tensor

__all__ = ["tensor", "zeros", "ones", "full", "eye", "arange", "linspace", "zeros_like",
           "ones_like", "full_like", "randn", "rand", "from_dlpack"]


def _shape(shape: Any) -> tuple[int, ...]:
    dims = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
    for n in dims:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise TypeError(f"shape {shape!r}: every dimension must be a whole number >= 0")
    return tuple(int(n) for n in dims)


def _make(data: np.ndarray, dtype: Any, requires_grad: bool) -> Tensor:
    return Tensor(data, requires_grad=requires_grad, dtype=dtype or np.float64)


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """PyTorch's ``torch.tensor``: a Tensor holding ``data`` (copied).

    >>> tensor([[1.0, 2.0]], requires_grad=True)
    Tensor([[1., 2.]], shape=(1, 2), requires_grad=True)
    """
    return Tensor(np.array(data.data if isinstance(data, Tensor) else data),
                  requires_grad=requires_grad, dtype=dtype)


def zeros(shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A Tensor of zeros of ``shape`` (float64 unless ``dtype``).

    >>> zeros((2, 1))
    Tensor([[0.], [0.]], shape=(2, 1))
    """
    return _make(np.zeros(_shape(shape)), dtype, requires_grad)


def ones(shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A Tensor of ones of ``shape``.

    >>> ones((1, 3))
    Tensor([[1., 1., 1.]], shape=(1, 3))
    """
    return _make(np.ones(_shape(shape)), dtype, requires_grad)


def full(shape: Any, fill_value: float, dtype: Any = None, requires_grad: bool = False
         ) -> Tensor:
    """A Tensor of ``shape`` filled with ``fill_value``.

    >>> full((1, 2), 0.01)
    Tensor([[0.01, 0.01]], shape=(1, 2))
    """
    return _make(np.full(_shape(shape), float(fill_value)), dtype, requires_grad)


def eye(N: int, M: int | None = None, k: int = 0, dtype: Any = None,
        requires_grad: bool = False) -> Tensor:
    """The N×M identity (ones on the k-th diagonal).

    >>> eye(2)
    Tensor([[1., 0.], [0., 1.]], shape=(2, 2))
    """
    return _make(np.eye(N, M, k), dtype, requires_grad)


def arange(start: float, stop: float | None = None, step: float = 1, dtype: Any = None,
           requires_grad: bool = False) -> Tensor:
    """Evenly spaced values in [start, stop), as ``np.arange``.

    >>> arange(4)
    Tensor([0., 1., 2., 3.])
    """
    return _make(np.arange(start, stop, step, dtype=np.float64), dtype, requires_grad)


def linspace(start: float, stop: float, num: int = 50, dtype: Any = None,
             requires_grad: bool = False) -> Tensor:
    """``num`` evenly spaced values from start to stop, as ``np.linspace``.

    >>> linspace(0, 1, 5)
    Tensor([0. , 0.25, 0.5 , 0.75, 1. ])
    """
    return _make(np.linspace(start, stop, num), dtype, requires_grad)


def _like(a: Any, dtype: Any) -> tuple[tuple[int, ...], Any]:
    arr = a.data if isinstance(a, Tensor) else np.asarray(a)
    return arr.shape, dtype or (arr.dtype if arr.dtype.kind == "f" else np.float64)


def zeros_like(a: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Zeros of ``a``'s shape (and float dtype).

    >>> zeros_like(np.ones((2, 3))).shape
    (2, 3)
    """
    shape, dt = _like(a, dtype)
    return _make(np.zeros(shape), dt, requires_grad)


def ones_like(a: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Ones of ``a``'s shape (and float dtype).

    >>> ones_like(Tensor([[5.0, 6.0]]))
    Tensor([[1., 1.]], shape=(1, 2))
    """
    shape, dt = _like(a, dtype)
    return _make(np.ones(shape), dt, requires_grad)


def full_like(a: Any, fill_value: float, dtype: Any = None, requires_grad: bool = False
              ) -> Tensor:
    """``fill_value`` in ``a``'s shape (and float dtype).

    >>> full_like(Tensor([1.0, 2.0]), 7.0)
    Tensor([7., 7.])
    """
    shape, dt = _like(a, dtype)
    return _make(np.full(shape, float(fill_value)), dt, requires_grad)


def randn(*shape: Any, dtype: Any = None, requires_grad: bool = False,
          seed: Any = None) -> Tensor:
    """Standard normal values (``np.random.randn``'s call: ``randn(2, 3)``); ``seed`` makes
    them repeatable.

    >>> randn(2, 3, seed=1).shape
    (2, 3)
    """
    dims = _shape(shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list))
                  else shape)
    return _make(np.random.default_rng(seed).standard_normal(dims), dtype, requires_grad)


def rand(*shape: Any, dtype: Any = None, requires_grad: bool = False, seed: Any = None
         ) -> Tensor:
    """Uniform values in [0, 1) (``np.random.rand``'s call: ``rand(2, 3)``).

    >>> x = rand(100, seed=1)
    >>> bool((x >= 0).all() and (x < 1).all())
    True
    """
    dims = _shape(shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list))
                  else shape)
    return _make(np.random.default_rng(seed).random(dims), dtype, requires_grad)


def from_dlpack(x: Any) -> Tensor:
    """A Tensor sharing memory with another library's CPU array (``torch``, ``jax``...) via
    DLPack; like data for which no gradient is wanted, it is not copied.

    >>> a = np.arange(3.0)
    >>> t = from_dlpack(a)
    >>> np.shares_memory(t.data, a)
    True
    """
    return Tensor(np.from_dlpack(x))
