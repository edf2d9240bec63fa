"""Optional labels on a tensor (``name``, a layer ``call``, a creation ``site``): the one owner
of ``Tensor._meta``.

Most tensors carry no label, so ``_meta`` stays ``None`` until the first one is set; every
reader and writer goes through these two functions.
"""

from __future__ import annotations

from typing import Any

__all__ = ["get_meta", "set_meta"]


def get_meta(t: Any, key: str, default: Any = None) -> Any:
    """The label ``key`` of ``t``, or ``default``.

    >>> from tinygrad_course import Tensor
    >>> get_meta(Tensor(1.0, name="a"), "name"), get_meta(Tensor(1.0), "name")
    ('a', None)
    """
    m = t._meta
    return default if m is None else m.get(key, default)


def set_meta(t: Any, key: str, value: Any) -> None:
    """Attach the label ``key`` to ``t``, creating its label dict on first use."""
    m = t._meta
    if m is None:
        t._meta = {key: value}
    else:
        m[key] = value
