"""Tensor conveniences that PyTorch, numpy and micrograd users expect, kept out of tensor.py.

``Tensor`` inherits :class:`TensorMethods` (which has no state: ``__slots__ = ()``). The
methods are thin: each calls one function of ``engine/functions.py``, ``shape_functions.py``
or ``linalg_functions.py`` (the same functions ``tinygrad_course.numpy`` and numpy's protocols
use), so there is one implementation of each op.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import numpy_protocol as _protocol

__all__ = ["TensorMethods"]


# functions.py, shape_functions.py and linalg_functions.py import tensor.py, whose Tensor
# inherits this class: they are imported at the first call, not at module level.
def _f() -> Any:
    from . import functions
    return functions


def _s() -> Any:
    from . import shape_functions
    return shape_functions


def _la() -> Any:
    from . import linalg_functions
    return linalg_functions


class TensorMethods:
    """Methods shared by every Tensor (see the functions they call for the derivatives)."""

    __slots__ = ()

    # numpy's protocols: numpy functions on Tensors record, or refuse clearly (NEP 13, NEP 18)
    __array_ufunc__ = _protocol.array_ufunc
    __array_function__ = _protocol.array_function

    # --- what a tensor is: its shape, as numpy's --------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        """Shape, as numpy's.

        >>> Tensor(np.zeros((2, 3))).shape
        (2, 3)
        """
        return self._data.shape  # type: ignore[attr-defined]

    @property
    def ndim(self) -> int:
        """Number of dimensions.

        >>> Tensor(np.zeros((2, 3))).ndim
        2
        """
        return self._data.ndim  # type: ignore[attr-defined]

    @property
    def size(self) -> int:
        """Number of elements.

        >>> Tensor(np.zeros((2, 3))).size
        6
        """
        return self._data.size  # type: ignore[attr-defined]

    @property
    def dtype(self) -> np.dtype[Any]:
        """float32 or float64.

        >>> Tensor(np.zeros((2, 3))).dtype
        dtype('float64')
        """
        return self._data.dtype  # type: ignore[attr-defined]

    @property
    def T(self) -> Any:
        """Transpose (reverses the axes).

        >>> Tensor(np.zeros((2, 3))).T.shape
        (3, 2)
        """
        return self.transpose()  # type: ignore[attr-defined]

    # --- Python conversions ----------------------------------------------------------------
    def __float__(self) -> float:
        """``float(t)`` for a one-element tensor (the value only: no gradient flows)."""
        return float(self.item())  # type: ignore[attr-defined]

    def __int__(self) -> int:
        """``int(t)`` truncates a one-element tensor, as ``int(2.7) == 2`` (no gradient)."""
        return int(self.item())  # type: ignore[attr-defined]

    def tolist(self) -> Any:
        """The values as nested Python lists (a number for a 0-d tensor), as numpy's.

        >>> Tensor([[1.0, 2.0]]).tolist()
        [[1.0, 2.0]]
        """
        return self.data.tolist()  # type: ignore[attr-defined]

    def requires_grad_(self, requires_grad: bool = True) -> Any:
        """Start (or stop) recording operations on this leaf, in place; returns the tensor.

        >>> Tensor([1.0]).requires_grad_().requires_grad
        True
        """
        if not self.is_leaf and not requires_grad:  # type: ignore[attr-defined]
            raise RuntimeError("requires_grad_(False) on a computed tensor: use .detach()")
        self.requires_grad = bool(requires_grad)  # type: ignore[misc]
        return self

    # --- DLPack: zero-copy exchange with PyTorch, JAX, CuPy... (numpy implements it) -------
    def __dlpack__(self, *args: Any, **kwargs: Any) -> Any:
        """Share this tensor's memory through DLPack (``torch.from_dlpack(t)``)."""
        if self.requires_grad:
            raise TypeError("__dlpack__: this Tensor requires grad, and the other library "
                            "would get its values without the graph; export t.detach() "
                            "(as PyTorch asks of its own tensors)")
        return self.data.__dlpack__(*args, **kwargs)  # type: ignore[attr-defined]

    def __dlpack_device__(self) -> Any:
        return self.data.__dlpack_device__()  # type: ignore[attr-defined]

    # --- operators -------------------------------------------------------------------------
    def __abs__(self) -> Any: return self.abs()  # type: ignore[attr-defined]
    def __mod__(self, other: Any) -> Any: return _f().mod(self, other)
    def __rmod__(self, other: Any) -> Any: return _f().mod(other, self)
    def __floordiv__(self, other: Any) -> Any: return _f().floor_divide(self, other)
    def __rfloordiv__(self, other: Any) -> Any: return _f().floor_divide(other, self)

    # --- shape -----------------------------------------------------------------------------
    def flatten(self) -> Any:
        """All entries in one axis (a new Tensor; gradients flow back).

        >>> Tensor(np.zeros((2, 3))).flatten().shape
        (6,)
        """
        return _s().ravel(self)

    def ravel(self) -> Any:
        """All entries in one axis, as numpy's ``ravel`` (same as ``flatten``).

        >>> Tensor(np.zeros((2, 3))).ravel().shape
        (6,)
        """
        return _s().ravel(self)

    def squeeze(self, axis: Any = None) -> Any:
        """Drop axes of size 1 (all of them, or ``axis``).

        >>> Tensor(np.zeros((1, 3, 1))).squeeze().shape
        (3,)
        """
        return _s().squeeze(self, axis)

    def expand_dims(self, axis: Any) -> Any:
        """Insert an axis of size 1 at ``axis``: (5,) -> (5, 1) with ``axis=1``.

        >>> Tensor(np.zeros(5)).expand_dims(1).shape
        (5, 1)
        """
        return _s().expand_dims(self, axis)

    def unsqueeze(self, dim: int) -> Any:
        """PyTorch's name for ``expand_dims``.

        >>> Tensor(np.zeros(5)).unsqueeze(0).shape
        (1, 5)
        """
        return _s().expand_dims(self, dim)

    def broadcast_to(self, shape: Any) -> Any:
        """Repeat along axes of size 1 to ``shape``, as numpy's (gradients are summed back).

        >>> Tensor([[1.0], [2.0]]).broadcast_to((2, 3)).shape
        (2, 3)
        """
        return _s().broadcast_to(self, shape)

    def expand(self, *sizes: Any) -> Any:
        """PyTorch's ``expand``: broadcast to ``sizes`` (-1 keeps a dimension).

        >>> Tensor([[1.0], [2.0]]).expand(-1, 3).shape
        (2, 3)
        """
        return _s().expand(self, *sizes)

    def flip(self, axis: Any = None) -> Any:
        """Reverse the order of entries along ``axis`` (all axes when None).

        >>> Tensor([1.0, 2.0, 3.0]).flip()
        Tensor([3., 2., 1.])
        """
        return _s().flip(self, axis)

    def swapaxes(self, axis1: int, axis2: int) -> Any:
        """Exchange two axes.

        >>> Tensor(np.zeros((2, 3, 4))).swapaxes(0, 2).shape
        (4, 3, 2)
        """
        return _s().swapaxes(self, axis1, axis2)

    def moveaxis(self, source: Any, destination: Any) -> Any:
        """Move axis ``source`` to position ``destination``, as numpy's.

        >>> Tensor(np.zeros((2, 3, 4))).moveaxis(0, -1).shape
        (3, 4, 2)
        """
        return _s().moveaxis(self, source, destination)

    def repeat(self, repeats: Any, axis: Any = None) -> Any:
        """numpy's ``repeat``: each entry ``repeats`` times (flattened when ``axis`` is None).

        >>> Tensor([1.0, 2.0]).repeat(2)
        Tensor([1., 1., 2., 2.])
        """
        return _s().repeat(self, repeats, axis)

    def tile(self, reps: Any) -> Any:
        """Repeat the whole tensor ``reps`` times along each axis, as numpy's.

        >>> Tensor([1.0, 2.0]).tile(2)
        Tensor([1., 2., 1., 2.])
        """
        return _s().tile(self, reps)

    def dot(self, other: Any) -> Any:
        """numpy's ``dot``: the course's ``np.dot(W, X)`` for 2-D tensors.

        >>> W = Tensor(np.ones((2, 3)))
        >>> W.dot(Tensor(np.ones((3, 4)))).shape
        (2, 4)
        """
        return _la().dot(self, other)

    def gather(self, dim: int, index: Any) -> Any:
        """PyTorch's ``gather``: numpy's ``take_along_axis(self, index, axis=dim)``.

        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).gather(1, np.array([[1], [0]]))
        Tensor([[2.], [3.]], shape=(2, 1))
        """
        return _s().take_along_axis(self, index, dim)
