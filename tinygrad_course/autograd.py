"""Backward: walk the graph in reverse topological order and apply the chain rule."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

from . import anomaly
from .mode import counts, enable_grad, state
from .ops import movement as M
from .ops.linalg import MATMUL
from .ops.registry import NUMPY
from .tensor import Tensor, _binary, apply

__all__ = ["backward", "gradients", "topological_order"]


def _raw(x: Any) -> Any:
    return x.data if isinstance(x, Tensor) else x


# The Tensor twin of ops.registry.NUMPY: with it, the same derivative rules build a graph of
# their own, so gradients can be differentiated again (create_graph=True).
TENSOR = SimpleNamespace(
    const=_raw,
    exp=lambda x: x.exp() if isinstance(x, Tensor) else np.exp(x),
    log=lambda x: x.log() if isinstance(x, Tensor) else np.log(x),
    reshape=lambda x, shape: apply(M.RESHAPE, (x,), {"shape": tuple(shape)}),
    transpose=lambda x, axes: apply(M.TRANSPOSE, (x,), {"axes": tuple(axes)}),
    broadcast_to=lambda x, shape: apply(M.BROADCAST_TO, (x,), {"shape": tuple(shape)}),
    unbroadcast=lambda x, shape: (x if tuple(x.shape) == tuple(shape)
                                  else apply(M.SUM_TO, (x,), {"shape": tuple(shape)})),
    scatter=lambda x, index, shape: apply(M.SCATTER, (x,), {"index": index,
                                                           "shape": tuple(shape)}),
    getitem=lambda x, index: apply(M.GETITEM, (x,), {"index": index}),
    matmul=lambda a, b: _binary(MATMUL, a, b),
)


def topological_order(root: Tensor) -> list[Tensor]:
    """Every tensor ``root`` depends on that needs a gradient, root first, each tensor before
    the tensors it was computed from. Iterative, so million-op chains are fine.

    Recorded tensors carry their creation number and inputs are always created before their
    outputs, so sorting by it (newest first) is a valid order; leaves come last.
    """
    found: list[tuple[int, Tensor]] = []
    leaves: list[Tensor] = []
    seen = {root}  # tensors hash by identity, in C: cheaper than calling id()
    stack = [root]
    while stack:
        t = stack.pop()
        nd = t._node
        if nd is None:
            leaves.append(t)
            continue
        found.append((nd[4], t))
        for x in nd[1]:
            if (type(x) is Tensor or isinstance(x, Tensor)) and x.requires_grad \
                    and x not in seen:
                seen.add(x)
                stack.append(x)
    found.sort(key=_first, reverse=True)
    return [t for _, t in found] + leaves


def _first(pair: tuple[int, Tensor]) -> int:
    return pair[0]


def _seed(root: Tensor, gradient: Any, create_graph: bool) -> Any:
    if gradient is None:
        if root.data.size != 1:
            raise RuntimeError(
                f"backward() on a non-scalar tensor of shape {root.shape} needs a `gradient` "
                "of the same shape (dJ/d this tensor); reduce it to a scalar cost first, "
                "e.g. with .sum() or .mean()")
        g = np.ones_like(root.data)
    else:
        g = np.array(_raw(gradient), dtype=root.dtype)
        if g.shape != root.shape:
            raise ValueError(f"backward(gradient=...) has shape {g.shape} but the tensor has "
                             f"shape {root.shape}")
    return Tensor(g, dtype=root.dtype) if create_graph else g


def backward(root: Tensor, gradient: Any = None, create_graph: bool = False) -> None:
    """Fill ``.grad`` of every tensor ``root`` depends on (see ``Tensor.backward``).

    Leaves accumulate across calls; intermediate tensors are given this call's gradient.
    """
    order = _order(root)
    grads = _propagate(root, _seed(root, gradient, create_graph), order, create_graph)
    for node in order:
        g = grads.get(node)
        if type(g) is not np.ndarray and g is not None and not isinstance(g, Tensor):
            g = np.asarray(g)  # numpy hands back scalars for 0-d results; .grad is an array
        if node._node is not None:
            node.grad = g  # intermediates are recomputed, never accumulated
        elif g is not None:
            _accumulate_leaf(node, g)


def gradients(root: Tensor, targets: list[Tensor], create_graph: bool = False) -> list[Any]:
    """d root / d target for each target, writing no ``.grad`` anywhere (used by ``grad``)."""
    order = _order(root)
    grads = _propagate(root, _seed(root, None, create_graph), order, create_graph)
    found = [grads.get(t) for t in targets]
    return [g if g is None or isinstance(g, (np.ndarray, Tensor)) else np.asarray(g)
            for g in found]


def _order(root: Tensor) -> list[Tensor]:
    if not root.requires_grad:
        raise RuntimeError(
            "backward() on a tensor that does not require grad: none of the tensors it was "
            "computed from has requires_grad=True (or it was computed under no_grad() or "
            "from .detach()). Create the parameters with Tensor(..., requires_grad=True).")
    return topological_order(root)


def _propagate(root: Tensor, seed: Any, order: list[Tensor], create_graph: bool
               ) -> dict[Tensor, Any]:
    """The chain rule over ``order``: {tensor: d root / d tensor} (keys hash by identity)."""
    grads: dict[Tensor, Any] = {root: seed}
    if create_graph:
        with enable_grad():
            _run(order, grads, TENSOR, True)
    else:
        _run(order, grads, NUMPY, False)
    return grads


def _run(order: list[Tensor], grads: dict[Tensor, Any], xp: Any, create_graph: bool) -> None:
    check = counts.anomaly and state.anomaly
    get = grads.get
    for node in order:
        g = get(node)
        if g is None or node._node is None:
            continue
        op, inputs, vals, kw, _ = node._node
        if create_graph:
            vals = inputs
            out: Any = node
        else:
            out = node.data
        for x, vjp in zip(inputs, op.vjps):
            # Only parents that need a gradient get one: no dX for the data matrix.
            if not ((type(x) is Tensor or isinstance(x, Tensor)) and x.requires_grad):
                continue
            r = vjp(xp, g, out, *vals, **kw) if kw else vjp(xp, g, out, *vals)
            if op.elementwise and r.shape != x.data.shape:
                r = xp.unbroadcast(r, x.data.shape)
            if check:
                anomaly.check_backward(node, op, vjp, r)
            prev = get(x)
            grads[x] = r if prev is None else prev + r


def _accumulate_leaf(x: Tensor, r: Any) -> None:
    if x.grad is None:
        # A view (broadcast or slice of another gradient) is copied so the user owns it.
        if isinstance(r, np.ndarray) and (r.base is not None or not r.flags.writeable):
            r = r.copy()
        x.grad = r
    else:
        x.grad = x.grad + r
