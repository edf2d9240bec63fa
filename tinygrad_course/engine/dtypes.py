"""Validation at the boundary: what may become a Tensor's data, and with which dtype."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["to_array", "check_operand", "is_boolean", "SUPPORTED_DTYPES"]

SUPPORTED_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def _resolve_dtype(dtype: Any) -> np.dtype | None:
    if dtype is None:
        return None
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype {dtype!r} is not a numpy dtype; use float32 or float64") from None
    if dt not in SUPPORTED_DTYPES:
        raise TypeError(f"unsupported dtype {dt}: Tensors hold float32 or float64")
    return dt


def to_array(data: Any, dtype: Any = None, copy: bool = True) -> np.ndarray:
    """Turn user data into a float32/float64 array, or explain why it cannot be one.

    With ``copy=False`` a numpy array already of a supported dtype is used as it is.

    >>> to_array(3).dtype, to_array([[1, 2]]).shape
    (dtype('float64'), (1, 2))
    >>> to_array(np.ones(2, dtype=np.float32)).dtype
    dtype('float32')
    """
    want = _resolve_dtype(dtype)
    if isinstance(data, (str, bytes)):
        raise TypeError(f"cannot make a Tensor from a {type(data).__name__} ({data!r}); "
                        "expected a number, a nested list of numbers or a numpy array")
    if data is None:
        raise TypeError("cannot make a Tensor from None")
    try:
        arr = np.array(data, copy=True if copy else None)
    except ValueError as e:
        raise ValueError(f"cannot make a Tensor from ragged or mismatched nested sequences: {e}"
                         ) from None
    kind = arr.dtype.kind
    if kind == "c":
        raise TypeError(f"complex data ({arr.dtype}) is not supported; Tensors are real")
    if kind not in "biuf":
        raise TypeError(f"cannot make a Tensor from data of dtype {arr.dtype} "
                        f"(given a {type(data).__name__}); expected numbers")
    if want is not None:
        return arr.astype(want, copy=False)
    if kind == "f":
        if arr.dtype not in SUPPORTED_DTYPES:
            raise TypeError(f"unsupported dtype {arr.dtype}: use float32 or float64 "
                            f"(convert with .astype(np.float32))")
        return arr
    return arr.astype(np.float64)  # ints, bools and Python numbers


def check_operand(x: Any, op: str) -> Any:
    """A non-Tensor operand of an op: Python numbers pass untouched (numpy 2 keeps them weak,
    so ``float32_tensor * 2.0`` stays float32); arrays are checked; anything else is refused."""
    if isinstance(x, (bool, int, float)):
        return x
    if isinstance(x, (np.ndarray, np.generic)):
        if x.dtype.kind not in "biuf":
            raise TypeError(f"{op}: operand of dtype {x.dtype} is not supported")
        return x
    if isinstance(x, (list, tuple)):
        return to_array(x)
    raise TypeError(f"{op}: unsupported operand of type {type(x).__name__}; expected a Tensor, "
                    "a number or a numpy array")


def is_boolean(items: Any) -> bool:
    """Whether nested lists of values are all booleans (a mask, however it is written).

    >>> is_boolean([[True, False]]), is_boolean([1, 0]), is_boolean([True, 2])
    (True, False, False)
    """
    first = items
    while isinstance(first, (list, tuple)) and len(first) > 0:
        first = first[0]
    if not isinstance(first, (bool, np.bool_)):  # the usual case, decided without a copy
        return False
    try:
        return np.asarray(items).dtype == np.bool_
    except (ValueError, TypeError):
        return False  # ragged or odd data: to_array explains
