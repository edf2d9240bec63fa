"""The generated program: ``forward`` and ``backward`` of a traced graph, as module source.

Forward runs the nodes in creation order; backward runs their rules in eager backward's
order (newest first, inputs in argument order), with eager's unbroadcasting and order of
accumulation, so the gradients are eager's to the last bit. Only gradients that reach a leaf
the caller wants are computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..engine.tensor import Tensor
from . import symbolic as S
from .codegen import OpWriter
from .graph import backward_order as topological_order
from .names import identifier
from .printer import emit

__all__ = ["Generated", "generate"]


@dataclass
class Generated:
    """The generated module: its source, its globals and the facts the caller needs."""

    source: str
    names: dict[str, Any]
    n_aux: int
    grad_params: list[int]  # positions of the parameters whose gradient backward returns
    notes: list[str] = field(default_factory=list)
    fallbacks: list[str] = field(default_factory=list)


def generate(outputs: list[Tensor], params: list[tuple[str, Any]], need: set[Tensor]
             ) -> Generated:
    """Source for ``forward(*params) -> (out, aux, saved)`` and ``backward(dout, *saved)``.

    ``params`` are (name, leaf) pairs: graph leaves (Tensors) or argument arrays; ``need``
    the leaves whose gradient backward returns. Any other array met in the graph is a
    constant, copied now (frozen) and bound by name.
    """
    gen = OpWriter()
    S._BINDINGS.append(gen.b)
    try:
        return _generate(gen, outputs, params, need)
    finally:
        S._BINDINGS.pop()


def _generate(gen: OpWriter, outputs: list[Tensor], params: list[tuple[str, Any]],
              need: set[Tensor]) -> Generated:
    b = gen.b
    param_names = []
    for name, leaf in params:
        pname = b.fresh(name)
        param_names.append(pname)
        if isinstance(leaf, Tensor):
            gen.fwd[leaf] = S.atom(pname, leaf._data)
            gen.arrays[id(leaf._data)] = gen.fwd[leaf]  # its array used as a constant
        else:
            gen.arrays[id(leaf)] = S.atom(pname, leaf)
    order = [t for t in topological_order(outputs[0]) if not t.is_leaf]  # eager's order
    seen = set(order)
    extra: list[Tensor] = []
    for aux in outputs[1:]:
        for t in reversed([u for u in topological_order(aux) if not u.is_leaf]):
            if t not in seen:
                seen.add(t)
                extra.append(t)
    for t in [*reversed(order), *extra]:
        gen.fwd[t] = gen.forward(t)
    root = outputs[0]
    root_sym = gen.fwd[root]
    if root_sym.children and root_sym.name is None:
        root_sym.name = b.fresh(root.name or "J")
    out_name = root_sym.name or root_sym.template
    # --- backward, in eager's order: newest tensor first, inputs in argument order ---------
    needs = _propagate_need(order, need)
    grads: dict[Tensor, S.Sym] = {}
    seed = None
    if root in needs:
        seed = S.atom(b.fresh("d" + identifier(root.name or "J")), np.ones_like(root._data))
        grads[root] = seed
    for t in order:
        g = grads.get(t)
        if g is None:
            continue
        if t is not root and t.name and g.children and g.name is None:
            g.name = b.fresh("d" + identifier(t.name))
        for i, x in enumerate(t.inputs):
            if isinstance(x, Tensor) and x in needs:
                r = gen.vjp(t, i, g)
                prev = grads.get(x)
                grads[x] = r if prev is None else S.binary(np.add, "add", prev, r)
    grad_params = [k for k, (_, leaf) in enumerate(params)
                   if isinstance(leaf, Tensor) and leaf in need and leaf in grads]
    bwd_roots = [(b.fresh("d" + param_names[k]), grads[params[k][1]]) for k in grad_params]
    saved = gen.resolve_refs([s for _, s in bwd_roots])
    bwd_lines = emit(bwd_roots, b.fresh, "t") if bwd_roots else []
    # --- forward: the output, the auxiliary outputs, what backward reads -----------------
    aux_names = [b.fresh(a.name or f"aux{k}") for k, a in enumerate(outputs[1:], start=1)]
    fwd_roots = [(root_sym.name or out_name, root_sym)]
    fwd_roots += [(n, gen.fwd[a]) for n, a in zip(aux_names, outputs[1:])]
    fwd_roots += [(gen.ref[t].template, gen.fwd[t]) for t in saved]
    fwd_lines = emit(fwd_roots, b.fresh, "t")
    saved_names = [gen.ref[t].template for t in saved] + [s.template for s in gen.saved_arrays]
    src = _module(param_names, fwd_lines, fwd_roots[0][0], aux_names, saved_names,
                  seed.template if seed is not None else "dout", bwd_lines,
                  [n for n, _ in bwd_roots], b.notes)
    return Generated(src, b.names, len(outputs) - 1, grad_params, list(b.notes),
                     gen.fallbacks)


def _propagate_need(order: list[Tensor], need: set[Tensor]) -> set[Tensor]:
    """Tensors through which a gradient reaches a leaf in ``need`` (inputs first)."""
    needs = set(need)
    for t in reversed(order):
        if any(isinstance(x, Tensor) and x in needs for x in t.inputs):
            needs.add(t)
    return needs


def _tuple(names: list[str]) -> str:
    return "(" + ", ".join(names) + ("," if len(names) == 1 else "") + ")"


def _module(params: list[str], fwd: list[str], out: str, aux: list[str], saved: list[str],
            seed: str, bwd: list[str], grads: list[str], notes: list[str]) -> str:
    head = ["# Generated by tinygrad_course.compile: straight-line numpy, one op per line;",
            "# each comment names the op and, in backward, its local derivative rule."]
    head += [f"# constant {n}" for n in notes]
    lines = head + ["", f"def forward({', '.join(params)}):"]
    lines += ["    " + ln for ln in fwd]
    lines += [f"    return {out}, {_tuple(aux)}, {_tuple(saved)}", "",
              f"def backward({', '.join([seed, *saved])}):"]
    lines += ["    " + ln for ln in bwd]
    lines += [f"    return {_tuple(grads)}", ""]
    return "\n".join(lines)
