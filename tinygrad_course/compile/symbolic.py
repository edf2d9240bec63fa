"""Symbolic arrays: run numpy code (an op's forward, its vjp rules) and get its source back.

A :class:`Sym` holds an expression and the value numpy computes for it, so code that looks
at shapes, dtypes or Python numbers runs as it does eagerly while every array operation is
written down. Operators, numpy ufuncs (``__array_ufunc__``) and numpy functions
(``__array_function__``) are recorded; anything else (``float(x)``, ``np.asarray(x)``, in-place
writes) raises :class:`NotSymbolic`, and the caller then calls the rule itself instead.
"""

from __future__ import annotations

import math
import operator as o
import re
from typing import Any

import numpy as np

from .names import Bindings

__all__ = ["Sym", "HandedOver", "NotSymbolic", "lift", "call", "atom", "binary", "bindings"]

# Python's precedence levels, higher binds tighter (an atom needs no parentheses).
ATOM, POSTFIX, POWER, UNARY, MUL, ADD = 17, 16, 14, 13, 12, 11
AND, XOR, OR, CMP, ANY = 9, 8, 7, 6, 0

# ufunc -> (operator, precedence); these are exactly what Python's operators call on arrays.
_BINARY = {
    "add": ("+", ADD), "subtract": ("-", ADD), "multiply": ("*", MUL),
    "divide": ("/", MUL), "true_divide": ("/", MUL), "matmul": ("@", MUL),
    "floor_divide": ("//", MUL), "remainder": ("%", MUL), "power": ("**", POWER),
    "greater": (">", CMP), "less": ("<", CMP), "greater_equal": (">=", CMP),
    "less_equal": ("<=", CMP), "equal": ("==", CMP), "not_equal": ("!=", CMP),
    "bitwise_and": ("&", AND), "bitwise_or": ("|", OR), "bitwise_xor": ("^", XOR),
}
_UNARY = {"negative": "-", "positive": "+", "invert": "~"}
_METHODS = frozenset({"sum", "mean", "max", "min", "prod", "reshape", "transpose", "astype",
                      "ravel", "squeeze", "swapaxes", "copy", "all", "any", "clip"})


_AS_METHOD = frozenset({"sum", "max", "min", "prod"})  # numpy's wrappers call these methods
_UNSET: Any = object()  # "compute the value" (a computed value may be None)


class NotSymbolic(TypeError):
    """The code did something with a symbolic array that cannot be written down."""


class Sym:
    """One expression: ``template`` with ``{i}`` for each child, and its computed ``value``."""

    __slots__ = ("template", "children", "needs", "prec", "value", "name", "comment")

    def __init__(self, template: str, children: tuple[Sym, ...], needs: tuple[int, ...],
                 prec: int, value: Any) -> None:
        self.template, self.children, self.needs = template, children, needs
        self.prec, self.value = prec, value
        self.name: str | None = None
        self.comment: str | None = None

    # what code may look at: the value's metadata, never its numbers
    shape = property(lambda self: np.shape(self.value))
    dtype = property(lambda self: self.value.dtype)
    ndim = property(lambda self: np.ndim(self.value))
    size = property(lambda self: np.size(self.value))

    @property
    def T(self) -> Sym:
        return Sym("{0}.T", (self,), (POSTFIX,), POSTFIX, self.value.T)

    def __getattr__(self, name: str) -> Any:
        if name in _METHODS:
            return lambda *a, **k: method(self, name, a, k)
        raise NotSymbolic(f"attribute {name!r} of a symbolic array")

    def __getitem__(self, index: Any) -> Sym:
        text = index_text(index)
        return Sym("{0}[" + text + "]", (self,), (POSTFIX,), POSTFIX, self.value[index])

    def _no(self, *_: Any) -> Any:
        raise NotSymbolic("the value of a symbolic array was needed")

    __bool__ = __float__ = __int__ = __index__ = __len__ = __iter__ = __complex__ = _no
    __setitem__ = __iadd__ = __isub__ = __imul__ = __itruediv__ = _no
    __hash__ = object.__hash__

    def __array_ufunc__(self, ufunc: Any, method_: str, *inputs: Any, **kw: Any) -> Any:
        if "out" in kw or method_ not in ("__call__", "reduce"):
            raise NotSymbolic(f"np.{ufunc.__name__}.{method_}")
        if method_ == "reduce":
            if ufunc is np.add:
                if isinstance(inputs[0], Sym) and isinstance(inputs[0].value, np.ndarray):
                    return method(inputs[0], "sum", inputs[1:], kw)
                return call(np.sum, "np.sum", inputs, kw)
            return call(ufunc.reduce, f"np.{ufunc.__name__}.reduce", inputs, kw)
        name = ufunc.__name__
        if name in _BINARY and len(inputs) == 2 and not kw:
            return binary(ufunc, name, inputs[0], inputs[1])
        if name in _UNARY and len(inputs) == 1 and not kw:
            a = lift(inputs[0])
            return Sym(_UNARY[name] + "{0}", (a,), (UNARY,), UNARY, ufunc(a.value))
        return call(ufunc, f"np.{name}", inputs, kw)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        name = getattr(func, "__name__", "")
        if vars(np).get(name) is not func:
            raise NotSymbolic(f"numpy function {name}")
        if name in _AS_METHOD and args and isinstance(args[0], Sym) \
                and isinstance(args[0].value, np.ndarray):
            # np.sum(x, ...) calls x.sum(...) after a few µs of Python: write the method
            return method(args[0], name, args[1:], kwargs)
        return call(func, f"np.{name}", args, kwargs)

    def __repr__(self) -> str:
        return f"Sym({self.template!r})"


class HandedOver(Sym):
    """A gradient that carries another for the next rule back (``xp.hand_over``): ``dz``."""

    __slots__ = ("dz",)
    dz: Sym

    @classmethod
    def of(cls, da: Sym, dz: Sym, value: Any) -> HandedOver:
        h = cls(da.template, da.children, da.needs, da.prec, value)
        h.dz = dz
        return h


def _binop(name: str, reflected: bool = False) -> Any:
    ufunc = getattr(np, name)

    def op(self: Sym, other: Any) -> Any:
        return binary(ufunc, name, other, self) if reflected else binary(ufunc, name, self, other)
    return op


for _name, _dunder in (("add", "add"), ("subtract", "sub"), ("multiply", "mul"),
                       ("true_divide", "truediv"), ("power", "pow"), ("matmul", "matmul"),
                       ("floor_divide", "floordiv"), ("remainder", "mod"),
                       ("bitwise_and", "and"), ("bitwise_or", "or"), ("bitwise_xor", "xor")):
    setattr(Sym, f"__{_dunder}__", _binop(_name))
    setattr(Sym, f"__r{_dunder}__", _binop(_name, reflected=True))
for _name, _dunder in (("greater", "gt"), ("less", "lt"), ("greater_equal", "ge"),
                       ("less_equal", "le"), ("equal", "eq"), ("not_equal", "ne")):
    setattr(Sym, f"__{_dunder}__", _binop(_name))
Sym.__neg__ = lambda self: Sym("-{0}", (self,), (UNARY,), UNARY, -self.value)  # type: ignore
Sym.__pos__ = lambda self: self  # type: ignore
Sym.__invert__ = lambda self: Sym("~{0}", (self,), (UNARY,), UNARY, ~self.value)  # type: ignore
Sym.__abs__ = lambda self: call(np.absolute, "np.abs", (self,), {})  # type: ignore


_PY_OPS = {"add": "__add__", "subtract": "__sub__", "multiply": "__mul__",
           "true_divide": "__truediv__", "power": "__pow__", "matmul": "__matmul__"}


def binary(ufunc: Any, name: str, a: Any, b: Any, value: Any = _UNSET) -> Sym:
    """``a (op) b`` written with Python's operator; the value computed as Python would
    (unless the caller already has it)."""
    sa, sb = lift(a), lift(b)
    text, p = _BINARY[name]
    if value is _UNSET:
        # Python's operator on the values: the same dispatch (and scalar types) as eager.
        value = _python_op(text, sa.value, sb.value)
    if text == "**":
        needs = (POSTFIX, UNARY)
    elif p == CMP:
        needs = (p + 1, p + 1)
    else:
        needs = (p, p + 1)
    return Sym("{0} " + text + " {1}", (sa, sb), needs, p, value)


_PY = {"+": o.add, "-": o.sub, "*": o.mul, "/": o.truediv, "@": o.matmul, "//": o.floordiv,
       "%": o.mod, "**": o.pow, ">": o.gt, "<": o.lt, ">=": o.ge, "<=": o.le, "==": o.eq,
       "!=": o.ne, "&": o.and_, "|": o.or_, "^": o.xor}


def _python_op(text: str, a: Any, b: Any) -> Any:
    return _PY[text](a, b)


_BINDINGS: list[Bindings] = []  # the module being generated (set by codegen)


def bindings() -> Bindings:
    if not _BINDINGS:
        raise NotSymbolic("no module is being generated")
    return _BINDINGS[-1]


def atom(text: str, value: Any, prec: int = ATOM) -> Sym:
    return Sym(text, (), (), prec, value)


def literal(x: Any) -> str | None:
    """Source text for a constant that reads well inline, or None."""
    if x is None or x is Ellipsis or isinstance(x, (bool, str)):
        return repr(x)
    if isinstance(x, int) or (isinstance(x, float) and math.isfinite(x)):
        return repr(x)
    if isinstance(x, float):
        return "np.nan" if math.isnan(x) else ("np.inf" if x > 0 else "-np.inf")
    if isinstance(x, np.dtype):
        return f"np.dtype({x.name!r})"
    name = getattr(x, "__name__", "")
    if isinstance(x, type) and vars(np).get(name) is x:
        return f"np.{name}"
    if isinstance(x, slice):
        parts = (x.start, x.stop, x.step)
        if all(p is None or isinstance(p, int) for p in parts):
            return repr(x)
    return None


def lift(x: Any, hint: str = "c") -> Sym:
    """Anything a rule hands to an operation, as an expression."""
    if isinstance(x, Sym):
        return x
    if isinstance(x, (tuple, list)):
        kids = tuple(lift(v, hint) for v in x)
        inner = ", ".join(f"{{{i}}}" for i in range(len(kids)))
        if isinstance(x, tuple):
            inner = "(" + inner + ("," if len(kids) == 1 else "") + ")"
        else:
            inner = "[" + inner + "]"
        return Sym(inner, kids, (ANY,) * len(kids), ATOM, type(x)(k.value for k in kids))
    text = literal(x)
    if text is not None:
        prec = UNARY if text.startswith("-") else ATOM
        return atom(text, x, prec)
    if isinstance(x, np.ndarray) and x.dtype == object:
        raise NotSymbolic("an object array (a symbolic value went through np.asarray)")
    if isinstance(x, np.generic):
        return atom(f"np.{type(x).__name__}({x.item()!r})", x, POSTFIX)
    return atom(bindings().bind(x, hint), x)


def call(fn: Any, text: str, args: Any, kwargs: dict[str, Any], value: Any = _UNSET) -> Sym:
    """``text(args, key=value)``; the value is ``fn`` called on the values (unless given)."""
    kids = [lift(a) for a in args]
    keys = list(kwargs)
    kids += [lift(kwargs[k]) for k in keys]
    parts = [f"{{{i}}}" for i in range(len(args))]
    parts += [f"{k}={{{len(args) + j}}}" for j, k in enumerate(keys)]
    if value is _UNSET:
        value = fn(*(k.value for k in kids[:len(args)]),
                   **{k: kid.value for k, kid in zip(keys, kids[len(args):])})
    return Sym(text + "(" + ", ".join(parts) + ")", tuple(kids), (ANY,) * len(kids), POSTFIX,
               value)


def _plain_ints(x: Any) -> Any:
    """Axes and shapes as Python ints (``argsort`` gives numpy ints, which print badly)."""
    if isinstance(x, (tuple, list)):
        return type(x)(_plain_ints(v) for v in x)
    return int(x) if isinstance(x, np.integer) else x


def method(self: Sym, name: str, args: Any, kwargs: dict[str, Any]) -> Sym:
    if name in ("reshape", "transpose", "swapaxes"):  # their arguments are axes or shapes
        args = _plain_ints(args)
    axis = kwargs.get("axis")
    if isinstance(axis, tuple) and len(axis) == 1:  # the same reduction, as one reads it
        kwargs = {**kwargs, "axis": _plain_ints(axis[0])}
    inner = call(getattr(self.value, name), "", args, kwargs)
    if name == "reshape" and np.shape(inner.value) == self.shape:
        return self  # reshaping to the same shape: the same numbers, one view fewer
    return Sym("{0}." + name + _shift(inner.template), (self, *inner.children),
               (POSTFIX, *inner.needs), POSTFIX, inner.value)


def _shift(template: str) -> str:
    return re.sub(r"\{(\d+)\}", lambda m: f"{{{int(m.group(1)) + 1}}}", template)


def index_text(index: Any) -> str:
    """The text inside ``[...]`` for ``index``; ``()`` (a 0-d array's whole) stays ``()``."""
    if isinstance(index, tuple) and not index:
        return "()"
    parts = index if isinstance(index, tuple) else (index,)
    out = []
    for p in parts:
        if isinstance(p, Sym):
            raise NotSymbolic("indexing with a symbolic array")
        if isinstance(p, slice) and all(v is None or isinstance(v, int)
                                        for v in (p.start, p.stop, p.step)):
            s = ("" if p.start is None else str(p.start)) + ":" + \
                ("" if p.stop is None else str(p.stop))
            out.append(s + ("" if p.step is None else f":{p.step}"))
        elif p is Ellipsis:
            out.append("...")
        else:
            text = literal(p)
            out.append(text if text is not None else bindings().bind(p, "index"))
    if not isinstance(index, tuple):
        return out[0]
    return ", ".join(out) + ("," if len(out) == 1 else "")
