"""numpy's protocols on Tensor (NEP 13 ``__array_ufunc__``, NEP 18 ``__array_function__``).

``np.tanh(t)``, ``np.dot(W, X)``, ``np.sum(dZ, axis=1, keepdims=True)`` on Tensors record into
the graph and return Tensors (see ``numpy_table.SUPPORTED``). Functions without a gradient
(``np.argmax``, comparisons, ``np.floor``) return what numpy returns for the underlying arrays.
Anything else on a Tensor that requires grad raises a ``TypeError``: a Tensor never comes out
of a numpy function silently cut from its graph. Nothing here runs for Tensor methods or
operators (``t * 2``, ``t.tanh()``), so the engine's hot path is unchanged.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .mode import is_grad_enabled
from .versions import mark_modified

__all__ = ["array_ufunc", "array_function"]

_tables: dict[str, Any] = {}
# ufunc.reduce / ufunc.accumulate that have a differentiable meaning
_REDUCERS = {"add": "sum", "multiply": "prod", "maximum": "max", "minimum": "min"}
_IGNORED = {"casting": "same_kind", "order": "K", "subok": True}


def _load() -> dict[str, Any]:
    """Build the dispatch tables on first use (the table imports the whole engine)."""
    if not _tables:
        from .numpy_table import NO_GRADIENT, SUPPORTED, numpy_object
        from .tensor import Tensor
        ufuncs: dict[Any, Any] = {}
        funcs: dict[Any, Any] = {}
        for name, entry in SUPPORTED.items():
            obj = numpy_object(name)
            (ufuncs if isinstance(obj, np.ufunc) else funcs)[obj] = entry
        passive = {getattr(np, n) for n in NO_GRADIENT if hasattr(np, n)}
        _tables.update(ufuncs=ufuncs, funcs=funcs, passive=passive, Tensor=Tensor,
                       supported=SUPPORTED)
    return _tables


def _raw(x: Any, Tensor: Any) -> Any:
    """``x`` with every Tensor (in lists, tuples and dicts too) replaced by its array."""
    if isinstance(x, Tensor):
        return x._data  # a read for an op: not handed out to the user
    if isinstance(x, (list, tuple)):
        return type(x)(_raw(v, Tensor) for v in x)
    if isinstance(x, dict):
        return {k: _raw(v, Tensor) for k, v in x.items()}
    return x


def _needs_grad(x: Any, Tensor: Any) -> bool:
    if isinstance(x, Tensor):
        return bool(x.requires_grad)
    if isinstance(x, (list, tuple)):
        return any(_needs_grad(v, Tensor) for v in x)
    if isinstance(x, dict):
        return any(_needs_grad(v, Tensor) for v in x.values())
    return False


def _refuse(what: str, why: str) -> TypeError:
    return TypeError(
        f"{what} on a Tensor that requires grad {why}, so its result would be silently cut "
        "from the graph. Use a supported function (tinygrad_course.numpy lists them; see the "
        "docs page 'Bring your own numpy'), or compute on t.detach() / t.data if no gradient "
        "should flow.")


def _plain(func: Any, args: Any, kwargs: Any, T: Any) -> Any:
    """Run numpy on the underlying arrays; Tensors given as ``out=`` get the result."""
    result = func(*_raw(args, T), **_raw(kwargs, T))
    out = kwargs.get("out")
    if out is None:
        return result
    targets: tuple[Any, ...] = out if isinstance(out, tuple) else (out,)
    for t in targets:
        if isinstance(t, T):  # its values changed in place: graphs that saved it must know
            mark_modified(t)
    return out[0] if isinstance(out, tuple) and len(out) == 1 else out


def _cast(result: Any, dtype: Any, name: str) -> Any:
    if dtype is None:
        return result
    from .functions import astype
    return astype(result, dtype)


def array_ufunc(self: Any, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
    """``np.<ufunc>(...)`` with a Tensor among the operands (NEP 13)."""
    tables = _tables or _load()
    if method == "__call__" and not kwargs:  # the common case, first: np.tanh(Z), X * W
        entry = tables["ufuncs"].get(ufunc)
        if entry is not None:
            return entry.impl(*inputs)
    T = tables["Tensor"]
    name = f"np.{ufunc.__name__}" + ("" if method == "__call__" else f".{method}")
    grad = is_grad_enabled() and (_needs_grad(inputs, T) or _needs_grad(kwargs, T))
    direct = method == "__call__" and ufunc in tables["ufuncs"] and \
        kwargs.get("out") is None and kwargs.get("where", True) is True
    if ufunc in tables["passive"] or not (grad or direct):
        return _plain(getattr(ufunc, method), inputs, kwargs, T)
    if kwargs.get("out") is not None:
        raise _refuse(f"{name}(..., out=...)", "cannot write into an array and record a "
                      "gradient; write y = " + name + "(...) instead")
    kwargs.pop("out", None)
    dtype = kwargs.pop("dtype", None)
    for k, default in _IGNORED.items():
        if k in kwargs and kwargs.pop(k) != default:
            raise _refuse(f"{name}(..., {k}=...)", "is not supported with that keyword")
    if method == "__call__":
        entry = tables["ufuncs"].get(ufunc)
        if entry is None:
            raise _refuse(name, "has no derivative rule here")
        if kwargs.pop("where", True) is not True:
            raise _refuse(f"{name}(..., where=...)", "leaves the unselected entries undefined; "
                          "use tc.where(cond, x, y)")
        if kwargs:
            raise _refuse(f"{name}(..., {', '.join(kwargs)}=...)", "does not take that keyword")
        return _cast(entry.impl(*inputs), dtype, name)
    if method in ("reduce", "accumulate") and ufunc.__name__ in _REDUCERS and len(inputs) == 1:
        from . import functions as F
        axis = kwargs.pop("axis", 0)
        if method == "accumulate" and ufunc.__name__ == "add" and not kwargs:
            return _cast(F.cumsum(inputs[0], axis=axis), dtype, name)
        keepdims = kwargs.pop("keepdims", False)
        if method == "reduce" and not kwargs:
            impl = getattr(F, _REDUCERS[ufunc.__name__])
            return _cast(impl(inputs[0], axis=axis, keepdims=keepdims), dtype, name)
    raise _refuse(name, "has no derivative rule here")


def array_function(self: Any, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
    """``np.<function>(...)`` with a Tensor among the arguments (NEP 18)."""
    tables = _tables or _load()
    T = tables["Tensor"]
    if not all(issubclass(t, (np.ndarray, T)) for t in types):
        return NotImplemented
    entry = tables["funcs"].get(func)
    if entry is not None and not kwargs and (func is not np.where or len(args) == 3):
        return entry.impl(*args)  # the common case, first: np.dot(W, X), np.sum(logprobs)
    module = (getattr(func, "__module__", None) or "numpy").replace("numpy", "np", 1)
    name = f"{module if module.startswith('np') else 'np'}.{getattr(func, '__name__', func)}"
    if func is np.where and len(args) + len(kwargs) == 1:
        entry = None  # np.where(cond): the indices where cond holds, no gradient
    grad = is_grad_enabled() and (_needs_grad(args, T) or _needs_grad(kwargs, T))
    if entry is None:
        if grad and func not in tables["passive"] and func is not np.where:
            raise _refuse(name, "has no derivative rule here")
        return _plain(func, args, kwargs, T)
    if kwargs.get("out") is not None:
        if grad:
            raise _refuse(f"{name}(..., out=...)", "cannot write into an array and record a "
                          "gradient; write y = " + name + "(...) instead")
        return _plain(func, args, kwargs, T)
    kwargs = dict(kwargs)
    kwargs.pop("out", None)
    dtype = kwargs.pop("dtype", None)
    if dtype is not None and args and isinstance(args[0], T):  # accumulate in that dtype
        args = (_cast(args[0], dtype, name),) + tuple(args[1:])
    if func is np.clip:  # numpy 2's min=/max= spellings
        for new_name, old_name in (("min", "a_min"), ("max", "a_max")):
            if new_name in kwargs:
                kwargs[old_name] = kwargs.pop(new_name)
    try:
        result = entry.impl(*args, **kwargs)
    except TypeError as e:
        if not grad:  # a keyword only numpy knows; nothing to record, so numpy answers
            return _plain(func, args, {**kwargs, **({} if dtype is None else
                                                     {"dtype": dtype})}, T)
        if "unexpected keyword" in str(e) or "positional argument" in str(e):
            raise TypeError(f"{name} on Tensors: {e} (supported keywords: see "
                            f"tinygrad_course.numpy.{entry.name.split('.')[-1]})") from None
        raise
    return _cast(result, dtype, name)
