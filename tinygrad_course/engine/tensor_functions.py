"""Tensor methods for the rest of numpy's elementwise functions (sin, log1p, softplus, gelu...).

``Tensor`` inherits :class:`TensorFunctions` (no state: ``__slots__ = ()``). Each method calls
one function of ``engine/functions.py`` (the same one ``tinygrad_course.numpy`` and numpy's
protocols use), so there is one implementation, and one derivative, of each op.
"""

from __future__ import annotations

from typing import Any

__all__ = ["TensorFunctions"]


def _f() -> Any:
    from . import functions
    return functions


class TensorFunctions:
    """Elementwise functions beyond the course's (see ``engine/functions.py``)."""

    __slots__ = ()

    # --- elementwise -----------------------------------------------------------------------
    def sin(self) -> Any:
        """Sine, elementwise.

        >>> Tensor([0.0, 1.0]).sin()
        Tensor([0. , 0.8415])
        """
        return _f().sin(self)

    def cos(self) -> Any:
        """Cosine, elementwise.

        >>> Tensor([0.0, 1.0]).cos()
        Tensor([1. , 0.5403])
        """
        return _f().cos(self)

    def tan(self) -> Any:
        """Tangent, elementwise.

        >>> Tensor([0.0, 1.0]).tan()
        Tensor([0. , 1.5574])
        """
        return _f().tan(self)

    def sinh(self) -> Any:
        """Hyperbolic sine, elementwise.

        >>> Tensor([0.0, 1.0]).sinh()
        Tensor([0. , 1.1752])
        """
        return _f().sinh(self)

    def cosh(self) -> Any:
        """Hyperbolic cosine, elementwise.

        >>> Tensor([0.0, 1.0]).cosh()
        Tensor([1. , 1.5431])
        """
        return _f().cosh(self)

    def arcsin(self) -> Any:
        """Inverse sine, elementwise.

        >>> Tensor([0.0, 1.0]).arcsin()
        Tensor([0. , 1.5708])
        """
        return _f().arcsin(self)

    def arccos(self) -> Any:
        """Inverse cosine, elementwise.

        >>> Tensor([0.0, 1.0]).arccos()
        Tensor([1.5708, 0. ])
        """
        return _f().arccos(self)

    def arctan(self) -> Any:
        """Inverse tangent, elementwise.

        >>> Tensor([0.0, 1.0]).arctan()
        Tensor([0. , 0.7854])
        """
        return _f().arctan(self)

    def arcsinh(self) -> Any:
        """Inverse hyperbolic sine, elementwise.

        >>> Tensor([0.0, 1.0]).arcsinh()
        Tensor([0. , 0.8814])
        """
        return _f().arcsinh(self)

    def arctanh(self) -> Any:
        """Inverse hyperbolic tangent, elementwise.

        >>> Tensor([0.0, 0.5]).arctanh()
        Tensor([0. , 0.5493])
        """
        return _f().arctanh(self)

    def log1p(self) -> Any:
        """log(1 + x), accurate for small x, elementwise.

        >>> Tensor([0.0, 1.0]).log1p()
        Tensor([0. , 0.6931])
        """
        return _f().log1p(self)

    def expm1(self) -> Any:
        """eˣ − 1, accurate for small x, elementwise.

        >>> Tensor([0.0, 1.0]).expm1()
        Tensor([0. , 1.7183])
        """
        return _f().expm1(self)

    def log2(self) -> Any:
        """Base-2 logarithm, elementwise.

        >>> Tensor([1.0, 8.0]).log2()
        Tensor([0., 3.])
        """
        return _f().log2(self)

    def log10(self) -> Any:
        """Base-10 logarithm, elementwise.

        >>> Tensor([1.0, 100.0]).log10()
        Tensor([0., 2.])
        """
        return _f().log10(self)

    def exp2(self) -> Any:
        """2ˣ, elementwise.

        >>> Tensor([0.0, 1.0]).exp2()
        Tensor([1., 2.])
        """
        return _f().exp2(self)

    def sign(self) -> Any:
        """The sign: -1, 0 or 1 (no gradient flows through it), elementwise.

        >>> Tensor([0.0, 1.0]).sign()
        Tensor([0., 1.])
        """
        return _f().sign(self)

    def square(self) -> Any:
        """x², elementwise.

        >>> Tensor([0.0, 1.0]).square()
        Tensor([0., 1.])
        """
        return _f().square(self)

    def reciprocal(self) -> Any:
        """1 / x, elementwise.

        >>> Tensor([2.0, 4.0]).reciprocal()
        Tensor([0.5 , 0.25])
        """
        return _f().reciprocal(self)

    def rsqrt(self) -> Any:
        """1 / √x, elementwise.

        >>> Tensor([4.0]).rsqrt()
        Tensor([0.5])
        """
        return _f().rsqrt(self)

    def erf(self) -> Any:
        """The error function, elementwise.

        >>> Tensor([0.0, 1.0]).erf()
        Tensor([0. , 0.8427])
        """
        return _f().erf(self)

    def softplus(self) -> Any:
        """log(1 + eˣ), a smooth ReLU, elementwise.

        >>> Tensor([0.0, 1.0]).softplus()
        Tensor([0.6931, 1.3133])
        """
        return _f().softplus(self)

    def elu(self, alpha: float = 1.0) -> Any:
        """x where x > 0, else alpha·(eˣ − 1), elementwise.

        >>> Tensor([-1.0, 2.0]).elu()
        Tensor([-0.6321, 2. ])
        """
        return _f().elu(self, alpha)

    def gelu(self, approximate: str = "none") -> Any:
        """x·Φ(x), elementwise (``approximate='tanh'`` for the tanh form).

        >>> Tensor([0.0, 1.0]).gelu()
        Tensor([0. , 0.8413])
        """
        return _f().gelu(self, approximate)

    def relu6(self) -> Any:
        """min(max(0, x), 6), elementwise.

        >>> Tensor([0.0, 1.0]).relu6()
        Tensor([0., 1.])
        """
        return _f().relu6(self)

    def hardtanh(self, min_val: float = -1.0, max_val: float = 1.0) -> Any:
        """Clip to ``[min_val, max_val]``, elementwise (PyTorch's hardtanh).

        >>> Tensor([-2.0, 0.5]).hardtanh()
        Tensor([-1. , 0.5])
        """
        return _f().hardtanh(self, min_val, max_val)

    def astype(self, dtype: Any) -> Any:
        """A copy in ``dtype`` (float32 or float64); the gradient is cast back.

        >>> Tensor([1.0]).astype(np.float32).dtype
        dtype('float32')
        """
        return _f().astype(self, dtype)
