"""JAX's function transforms beside ``grad``: ``jacobian``, ``hessian``, ``hvp``, and ``grad`` /
``value_and_grad`` with ``has_aux``. Built on the public ``grad`` of ``transforms.py`` (so they
nest as it does), one reverse pass per output entry: meant for the course's sizes.

The Hessian of the logistic cost J(w) = -1/m Σ y log a + (1-y) log(1-a), a = σ(wᵀX), is
X diag(a(1-a)) Xᵀ / m:

>>> import numpy as np
>>> from tinygrad_course import Tensor
>>> X = np.array([[1.0, 2.0, -1.0], [0.5, -1.0, 2.0]]); Y = np.array([[1.0, 0.0, 1.0]])
>>> def cost(w):
...     A = (w.reshape(1, 2) @ X).sigmoid()
...     return -(Y * A.log() + (1 - Y) * (1 - A).log()).mean()
>>> w = np.array([0.3, -0.2])
>>> a = 1 / (1 + np.exp(-(w @ X)))
>>> np.allclose(hessian(cost)(w), X @ np.diag(a * (1 - a)) @ X.T / 3)
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import transforms as _base
from .composite import stack
from .tensor import Tensor

__all__ = ["grad", "value_and_grad", "jacobian", "hessian", "hvp"]


def _split_aux(out: Any) -> tuple[Any, Any]:
    if not (isinstance(out, tuple) and len(out) == 2):
        raise TypeError("has_aux=True: the function must return a pair (value, aux), got "
                        f"{type(out).__name__}")
    return out


def value_and_grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0,
                   has_aux: bool = False) -> Callable[..., Any]:
    """``(f(*args), df/dargs)``; with ``has_aux`` f returns ``(value, aux)`` and this returns
    ``((value, aux), gradient)``, as JAX (aux is passed through, no gradient flows into it).

    >>> (v, aux), g = value_and_grad(lambda w: ((w * w).sum(), "note"), has_aux=True)(3.0)
    >>> float(v), aux, float(g)
    (9.0, 'note', 6.0)
    """
    if not has_aux:
        return _base.value_and_grad(f, argnums)

    def wrapped(*args: Any) -> Any:
        aux: list[Any] = []

        def value_only(*a: Any) -> Any:
            value, extra = _split_aux(f(*a))
            aux.append(extra)
            return value

        value, g = _base.value_and_grad(value_only, argnums)(*args)
        return (value, aux[-1]), g

    return wrapped


def grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0,
         has_aux: bool = False) -> Callable[..., Any]:
    """The gradient of scalar ``f`` with respect to ``argnums``; with ``has_aux`` f returns
    ``(value, aux)`` and this returns ``(gradient, aux)``, as JAX.

    >>> float(grad(lambda x: x.tanh())(0.0))
    1.0
    >>> g, aux = grad(lambda x: (x * x, x.item()), has_aux=True)(2.0)
    >>> float(g), aux
    (4.0, 2.0)
    """
    if not has_aux:
        return _base.grad(f, argnums)
    vg = value_and_grad(f, argnums, has_aux=True)

    def wrapped(*args: Any) -> Any:
        (_, aux), g = vg(*args)
        return g, aux

    return wrapped


def _shape(x: Any) -> tuple[int, ...]:
    return tuple(x.shape) if isinstance(x, Tensor) else np.shape(x)


def _assemble(rows: list[Any], out_shape: tuple[int, ...], in_shape: tuple[int, ...],
              like: Any) -> Any:
    """Stack one gradient per output entry into a (*out_shape, *in_shape) Jacobian."""
    shape = out_shape + in_shape
    if not rows:
        return np.zeros(shape, dtype=np.asarray(like).dtype)
    if any(isinstance(r, Tensor) for r in rows):  # nested in another grad: stay in the graph
        return stack([r if isinstance(r, Tensor) else Tensor(r) for r in rows]).reshape(shape)
    return np.stack([np.asarray(r) for r in rows]).reshape(shape)


def jacobian(f: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """The Jacobian of ``f`` (any output shape): entry ``[i..., j...]`` is d out[i...] /
    d x[j...], so its shape is ``out.shape + x.shape`` (JAX's ``jacrev`` layout). A tuple
    ``argnums`` gives a tuple of Jacobians.

    >>> jacobian(lambda x: x * x)(np.array([1.0, 2.0])).tolist()
    [[2.0, 0.0], [0.0, 4.0]]
    """
    def wrapped(*args: Any) -> Any:
        nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
        out = f(*args)
        if not isinstance(out, Tensor):
            out = Tensor(out)
        out_shape, n = tuple(out.shape), int(out.size)
        per_entry: list[Any] = []
        for i in range(n):
            def entry(*a: Any, i: int = i) -> Any:
                o = f(*a)
                return o.reshape(-1)[i] if isinstance(o, Tensor) else o
            per_entry.append(_base.grad(entry, tuple(nums))(*args))
        jac = tuple(_assemble([row[k] for row in per_entry], out_shape,
                              _shape(args[nums[k]]), args[nums[k]])
                    for k in range(len(nums)))
        return jac[0] if isinstance(argnums, int) else jac

    return wrapped


def hessian(f: Callable[..., Any], argnums: int = 0) -> Callable[..., Any]:
    """The matrix of second derivatives of scalar ``f``: ``jacobian(grad(f))``, of shape
    ``x.shape + x.shape``.

    >>> hessian(lambda x: (x ** 3).sum())(np.array([1.0, 2.0])).tolist()
    [[6.0, 0.0], [0.0, 12.0]]
    """
    return jacobian(_base.grad(f, argnums), argnums)


def hvp(f: Callable[..., Any], x: Any, v: Any) -> Any:
    """The Hessian of scalar ``f`` at ``x`` times the vector ``v`` (``x``'s shape), without
    forming the Hessian: the gradient of ⟨∇f(x), v⟩ (reverse over reverse).

    >>> hvp(lambda x: (x ** 3).sum(), np.array([1.0, 2.0]), np.array([1.0, 1.0])).tolist()
    [6.0, 12.0]
    """
    v_ = v.data if isinstance(v, Tensor) else np.asarray(v)
    dtype = (x.data if isinstance(x, Tensor) else np.asarray(x)).dtype
    if dtype in (np.float32, np.float64):
        v_ = v_.astype(dtype, copy=False)  # float32 stays float32
    if _shape(x) != v_.shape:
        raise ValueError(f"hvp: v has shape {v_.shape}, x has shape {_shape(x)}")
    g = _base.grad(f)
    return _base.grad(lambda y: (g(y) * v_).sum())(x)
