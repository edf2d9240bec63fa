"""Generate the forward and backward source of a traced graph from the ops' own rules.

Forward: each node's ``op.forward`` runs on symbolic arrays and is written down
(``np.maximum(Z1, 0)``). Backward: each ``op.vjps[i]`` runs the same way, in the order the
eager engine runs them, with the same unbroadcasting and the same order of accumulation, so
the numbers are bit-for-bit eager's. A rule or forward that cannot be written down, or whose
symbolic result differs from the real one by a single bit, is called as a function instead
(bound into the generated module's globals): one source of truth per rule, always.
"""

from __future__ import annotations

import functools
import operator
from types import SimpleNamespace
from typing import Any

import numpy as np

from ..engine.tensor import Tensor
from . import symbolic as S
from .names import identifier

__all__ = ["OpWriter", "numpy_namespace", "same"]


def numpy_namespace() -> Any:
    """The array namespace eager backward runs the rules in (plain numpy)."""
    from ..engine.xp import NUMPY
    return NUMPY


def same(a: Any, b: Any) -> bool:
    """Bit-for-bit equal: same dtype, same shape, same bytes."""
    if a is b:
        return True
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind in "fc" and a.dtype == b.dtype and a.shape == b.shape:
        # the same bits, NaNs and -0.0 included, without copying: compare as unsigned ints
        u = np.dtype(f"u{a.dtype.itemsize}") if a.dtype.kind == "f" else None
        if u is not None:
            return bool(np.array_equal(np.ascontiguousarray(a).view(u),
                                       np.ascontiguousarray(b).view(u)))
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def _symbolic_xp(numpy_xp: Any) -> Any:
    """``NUMPY`` with every function trying to run symbolically, else called by name."""
    ns: dict[str, Any] = {}
    for name, f in vars(numpy_xp).items():
        if name.startswith("_"):
            continue

        def w(*args: Any, _f: Any = f, _name: str = name, **kw: Any) -> Any:
            if not any(isinstance(a, S.Sym) for a in (*args, *kw.values())):
                return _f(*args, **kw)
            try:
                r = _f(*args, **kw)
                if isinstance(r, S.Sym):
                    return r
            except Exception:
                pass
            return S.call(_f, S.bindings().bind(_f, _name), args, kw)
        ns[name] = w
    ns["const"] = _identity

    def hand_over(da: Any, dz: Any, rule: str) -> Any:
        d = dz()
        if not isinstance(da, S.Sym) and not isinstance(d, S.Sym):
            return numpy_xp.hand_over(da, lambda: d, rule)
        da, d = S.lift(da), S.lift(d)
        if d.children and d.comment is None:
            d.comment = rule
        return S.HandedOver.of(da, d, numpy_xp.hand_over(da.value, lambda: d.value, rule))

    def handed(g: Any) -> Any:
        if isinstance(g, S.HandedOver):
            return g.dz
        return None if isinstance(g, S.Sym) else numpy_xp.handed(g)
    ns["hand_over"], ns["handed"] = hand_over, handed
    return SimpleNamespace(**ns)


def _identity(x: Any) -> Any:
    return x


class OpWriter:
    """Writes each op of a graph as source: its forward, and its vjps in backward."""

    def __init__(self) -> None:
        self.b = S.Bindings()
        self.arrays: dict[int, S.Sym] = {}  # id of an argument's array or a constant -> Sym
        self.aref: dict[int, tuple[S.Sym, S.Sym]] = {}
        self.saved_arrays: list[S.Sym] = []
        self.frozen: dict[int, np.ndarray] = {}  # id of a constant -> its frozen copy
        self.keep: list[Any] = []  # the originals, so that their ids stay theirs
        self.np_xp = numpy_namespace()
        self.sym_xp = _symbolic_xp(self.np_xp)
        self.fwd: dict[Tensor, S.Sym] = {}
        self.ref: dict[Tensor, S.Sym] = {}  # forward values as seen from backward
        self.fallbacks: list[str] = []

    # --- values ----------------------------------------------------------------------------
    def const(self, x: Any, hint: str, backward: bool) -> Any:
        if isinstance(x, Tensor):
            if x in self.fwd:
                return self.forward_ref(x) if backward else self.fwd[x]
            hint = x.name or hint
            x = x._data  # a tensor that needs no gradient: a constant of the graph
        if isinstance(x, np.ndarray):
            s = self.arrays.get(id(x))
            if s is not None:  # an argument's array
                return self.array_ref(s) if backward else s
            frozen = self.frozen.get(id(x))
            if frozen is None:  # a constant: copied now, so later changes to x cannot leak in
                frozen = self.frozen[id(x)] = np.array(x, copy=True)
                frozen.flags.writeable = False
                self.b.bind(frozen, hint)
                self.keep.append(x)
            # Handed over as an array, as eager code sees it (rules may test isinstance);
            # where it meets a symbolic value it is written by the name bound above.
            return frozen
        return x  # numbers and static arguments stay what they are, as in eager

    def forward_ref(self, t: Tensor) -> S.Sym:
        """A forward value as backward reads it; named once we know backward reads it."""
        if t not in self.ref:
            self.ref[t] = S.atom(f"<ref {len(self.ref)}>", t._data)
        return self.ref[t]

    def _hint(self, t: Tensor) -> str:
        """A name for an unnamed value: ``A2_clip`` for the clip of ``A2``, else ``t``."""
        parents = [x for x in t.inputs if isinstance(x, Tensor) and x in self.fwd]
        if len(parents) == 1:
            p = self.fwd[parents[0]]
            name = p.name or (p.template if not p.children else None)
            if name and identifier(name) == name and t.op is not None:
                return f"{name}_{t.op.name}"
        return "t"

    def array_ref(self, s: S.Sym) -> S.Sym:
        """An argument's array as backward reads it (passed on as a saved value)."""
        if id(s) not in self.aref:
            self.aref[id(s)] = (s, S.atom(s.template, s.value))
        return self.aref[id(s)][1]

    def resolve_refs(self, roots: list[S.Sym]) -> list[Tensor]:
        """Name the forward values that backward really reads; return them (saved)."""
        from .printer import _post_order
        used = {id(s) for s in _post_order(roots)[0]} if roots else set()
        saved = []
        for t, a in self.ref.items():
            if id(a) not in used:
                continue
            s = self.fwd[t]
            if s.children and s.name is None:
                s.name = self.b.fresh(t.name or self._hint(t))
            a.template = s.name or s.template
            saved.append(t)
        self.saved_arrays = [s for s, a in self.aref.values() if id(a) in used]
        return saved

    # --- the two passes --------------------------------------------------------------------
    def forward(self, t: Tensor) -> S.Sym:
        op: Any = t.op
        kw = t.op_args
        names = _arg_names(op, len(t.inputs))
        args = [self.const(x, n, False) for x, n in zip(t.inputs, names)]
        kws = {k: self.const(v, k, False) for k, v in kw.items()}
        s = _known_spelling(op.forward, args, kws, t._data)
        try:
            if s is None:
                r = op.forward(*args, **kws)
                if isinstance(r, S.Sym) and same(r.value, t._data):
                    s = r
        except Exception:
            pass
        if s is None:
            self.fallbacks.append(f"forward of {op.name}")
            s = S.call(op.forward, self.b.bind(op.forward, op.name), args, kws)
        if type(s.value) is not np.ndarray:
            s = S.call(np.asarray, "np.asarray", (s,), {})
        if s.children:
            s.comment = f"{op.name}" if not s.comment else s.comment
            if t.name and s.name is None:
                s.name = self.b.fresh(t.name)
        return s

    def _same_hand_over(self, a: Any, b: Any) -> bool:
        da, db = self.np_xp.handed(a), self.np_xp.handed(b)
        return (da is None) == (db is None) and (da is None or same(da, db))

    def vjp(self, t: Tensor, i: int, g: S.Sym) -> S.Sym:
        op: Any = t.op
        kw = t.op_args
        names = _arg_names(op, len(t.inputs))
        vals = [self.const(x, n, True) for x, n in zip(t.inputs, names)]
        kws = {k: self.const(v, k, True) for k, v in kw.items()}
        out = self.forward_ref(t)
        rule = op.vjps[i]
        real = rule(self.np_xp, g.value, t._data, *(_value(v) for v in vals),
                    **{k: _value(v) for k, v in kws.items()})
        r = None
        try:
            s = rule(self.sym_xp, g, out, *vals, **kws)
            # The same bits and the same type, and the same gradient handed over to the next
            # rule (the cross-entropy hands the sigmoid's rule dZ, see xp.hand_over).
            if isinstance(s, S.Sym) and type(s.value) is type(real) and same(s.value, real) \
                    and self._same_hand_over(s.value, real):
                r = s
        except Exception:
            pass
        if r is None:
            self.fallbacks.append(f"d{op.name}/d(input {i})")
            xp = S.atom(self.b.bind(self.np_xp, "xp"), self.np_xp)
            r = S.call(rule, self.b.bind(rule, f"d_{op.name}_{i}"), (xp, g, out, *vals), kws)
        x = t.inputs[i]
        if op.elementwise and np.shape(r.value) != x.shape:
            r = self.sym_xp.unbroadcast(r, x.shape)
        rules = list(op.rules)
        rule_text = rules[i] if i < len(rules) else (rules[-1] if rules else "")
        if r is not g and r.children and r.comment is None:
            r.comment = f"{op.name}: {rule_text}"
        return r


@functools.lru_cache(maxsize=512)
def _arg_names(op: Any, n: int) -> list[str]:
    """Names for an op's constant inputs: its forward's parameter names where it has them."""
    try:
        import inspect
        names = [p.name for p in inspect.signature(op.forward).parameters.values()
                 if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        names = []
    if len(names) < n:
        names += [f"{op.name}_{k}" for k in range(len(names), n)]
    return [{"y": "Y", "a": "A"}.get(nm, nm) for nm in names[:n]]


_OPERATORS = {operator.add: "add", operator.sub: "subtract", operator.mul: "multiply",
              operator.truediv: "true_divide", operator.pow: "power", operator.matmul: "matmul"}


def _known_spelling(forward: Any, args: list[Any], kws: dict[str, Any], value: Any) -> Any:
    """A forward that IS a Python operator or a numpy ufunc is written as that call, with the
    value the trace already computed: the generated line makes the very same call, so there
    is nothing to check and nothing to compute again (the big matmuls of a trace)."""
    if kws or not any(isinstance(a, S.Sym) for a in args):
        return None
    name = str(_OPERATORS.get(forward) or getattr(forward, "__name__", ""))
    if len(args) == 2 and (forward in _OPERATORS or (
            isinstance(forward, np.ufunc) and name in ("add", "subtract", "multiply", "divide",
                                                       "true_divide", "power", "matmul"))):
        s = S.binary(None, name, args[0], args[1], value=value)
    elif isinstance(forward, np.ufunc) and forward.nin == len(args) and forward.nout == 1:
        s = S.call(forward, f"np.{forward.__name__}", args, {}, value=value)
    else:
        return None
    return s


def _value(x: Any) -> Any:
    return x.value if isinstance(x, S.Sym) else x
