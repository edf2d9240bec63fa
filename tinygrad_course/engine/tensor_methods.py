"""Tensor conveniences that PyTorch, numpy and micrograd users expect, kept out of tensor.py.

``Tensor`` inherits :class:`TensorMethods` (which has no state: ``__slots__ = ()``). The
methods are thin: each calls one function of ``engine/functions.py`` or ``shape_functions.py``
(the same functions ``tinygrad_course.numpy`` and numpy's protocols use), so there is one
implementation of each op.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import numpy_protocol as _protocol

__all__ = ["TensorMethods"]


def _f() -> Any:
    from . import functions
    return functions


def _s() -> Any:
    from . import shape_functions
    return shape_functions


class TensorMethods:
    """Methods shared by every Tensor (see the functions they call for the derivatives)."""

    __slots__ = ()

    # numpy's protocols: numpy functions on Tensors record, or refuse clearly (NEP 13, NEP 18)
    __array_ufunc__ = _protocol.array_ufunc
    __array_function__ = _protocol.array_function

    # --- Python conversions ----------------------------------------------------------------
    def __float__(self) -> float:
        """``float(t)`` for a one-element tensor (the value only: no gradient flows)."""
        return float(self.item())  # type: ignore[attr-defined]

    def __int__(self) -> int:
        """``int(t)`` truncates a one-element tensor, as ``int(2.7) == 2`` (no gradient)."""
        return int(self.item())  # type: ignore[attr-defined]

    def tolist(self) -> Any:
        """The values as nested Python lists (a number for a 0-d tensor), as numpy's."""
        return self.data.tolist()  # type: ignore[attr-defined]

    def requires_grad_(self, requires_grad: bool = True) -> Any:
        """Start (or stop) recording operations on this leaf, in place; returns the tensor."""
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

    # --- elementwise -----------------------------------------------------------------------
    def sin(self) -> Any: return _f().sin(self)
    def cos(self) -> Any: return _f().cos(self)
    def tan(self) -> Any: return _f().tan(self)
    def sinh(self) -> Any: return _f().sinh(self)
    def cosh(self) -> Any: return _f().cosh(self)
    def arcsin(self) -> Any: return _f().arcsin(self)
    def arccos(self) -> Any: return _f().arccos(self)
    def arctan(self) -> Any: return _f().arctan(self)
    def arcsinh(self) -> Any: return _f().arcsinh(self)
    def arctanh(self) -> Any: return _f().arctanh(self)
    def log1p(self) -> Any: return _f().log1p(self)
    def expm1(self) -> Any: return _f().expm1(self)
    def log2(self) -> Any: return _f().log2(self)
    def log10(self) -> Any: return _f().log10(self)
    def exp2(self) -> Any: return _f().exp2(self)
    def sign(self) -> Any: return _f().sign(self)
    def square(self) -> Any: return _f().square(self)
    def reciprocal(self) -> Any: return _f().reciprocal(self)
    def rsqrt(self) -> Any: return _f().rsqrt(self)
    def erf(self) -> Any: return _f().erf(self)
    def softplus(self) -> Any: return _f().softplus(self)
    def elu(self, alpha: float = 1.0) -> Any: return _f().elu(self, alpha)
    def gelu(self, approximate: str = "none") -> Any: return _f().gelu(self, approximate)
    def relu6(self) -> Any: return _f().relu6(self)

    def hardtanh(self, min_val: float = -1.0, max_val: float = 1.0) -> Any:
        return _f().hardtanh(self, min_val, max_val)

    def astype(self, dtype: Any) -> Any:
        """A copy in ``dtype`` (float32 or float64); the gradient is cast back."""
        return _f().astype(self, dtype)

    # --- reductions ------------------------------------------------------------------------
    def min(self, axis: Any = None, keepdims: bool = False) -> Any:
        return _f().min(self, axis=axis, keepdims=keepdims)

    def argmax(self, axis: Any = None, keepdims: bool = False) -> Any:
        """Index of the largest entry (a plain integer array: no gradient flows)."""
        return np.argmax(self._data, axis=axis, keepdims=keepdims)  # type: ignore[attr-defined]

    def argmin(self, axis: Any = None, keepdims: bool = False) -> Any:
        """Index of the smallest entry (a plain integer array: no gradient flows)."""
        return np.argmin(self._data, axis=axis, keepdims=keepdims)  # type: ignore[attr-defined]

    def var(self, axis: Any = None, ddof: float = 0, keepdims: bool = False, *,
            correction: float | None = None) -> Any:
        """Variance; ``ddof`` (numpy) or ``correction`` (PyTorch) is subtracted from n."""
        return _f().var(self, axis=axis, ddof=ddof, keepdims=keepdims, correction=correction)

    def std(self, axis: Any = None, ddof: float = 0, keepdims: bool = False, *,
            correction: float | None = None) -> Any:
        return _f().std(self, axis=axis, ddof=ddof, keepdims=keepdims, correction=correction)

    def prod(self, axis: Any = None, keepdims: bool = False) -> Any:
        return _f().prod(self, axis=axis, keepdims=keepdims)

    def cumsum(self, axis: Any = None) -> Any:
        return _f().cumsum(self, axis=axis)

    # --- shape -----------------------------------------------------------------------------
    def flatten(self) -> Any:
        """All entries in one axis (a new Tensor; gradients flow back)."""
        return _s().ravel(self)

    def ravel(self) -> Any: return _s().ravel(self)

    def squeeze(self, axis: Any = None) -> Any:
        return _s().squeeze(self, axis)

    def expand_dims(self, axis: Any) -> Any:
        return _s().expand_dims(self, axis)

    def unsqueeze(self, dim: int) -> Any:
        """PyTorch's name for ``expand_dims``."""
        return _s().expand_dims(self, dim)

    def broadcast_to(self, shape: Any) -> Any:
        return _s().broadcast_to(self, shape)

    def expand(self, *sizes: Any) -> Any:
        """PyTorch's ``expand``: broadcast to ``sizes`` (-1 keeps a dimension)."""
        return _s().expand(self, *sizes)

    def flip(self, axis: Any = None) -> Any:
        return _s().flip(self, axis)

    def swapaxes(self, axis1: int, axis2: int) -> Any:
        return _s().swapaxes(self, axis1, axis2)

    def moveaxis(self, source: Any, destination: Any) -> Any:
        return _s().moveaxis(self, source, destination)

    def repeat(self, repeats: Any, axis: Any = None) -> Any:
        """numpy's ``repeat``: each entry ``repeats`` times (flattened when ``axis`` is None)."""
        return _s().repeat(self, repeats, axis)

    def tile(self, reps: Any) -> Any:
        return _s().tile(self, reps)

    def dot(self, other: Any) -> Any:
        return _s().dot(self, other)

    def gather(self, dim: int, index: Any) -> Any:
        """PyTorch's ``gather``: numpy's ``take_along_axis(self, index, axis=dim)``."""
        return _s().take_along_axis(self, index, dim)
