"""Backward: walk the graph in reverse topological order and apply the chain rule."""

from __future__ import annotations

from heapq import heappop, heappush, heappushpop
from types import SimpleNamespace
from typing import Any

import numpy as np

from . import anomaly
from .mode import counts, enable_grad, state
from .ops import movement as M
from .ops.linalg import MATMUL
from .ops.registry import NUMPY
from .record import _binary, apply
from .tensor import Tensor

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
    the tensors it was computed from (for tools that walk the graph; backward itself needs
    no separate sort). Iterative, so million-op chains are fine.

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
    found.sort(key=lambda pair: pair[0], reverse=True)
    return [t for _, t in found] + leaves


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
    _check_root(root)
    seed = _seed(root, gradient, create_graph)
    if root._node is None:
        _accumulate_leaf(root, seed)
        return
    grads, leaves = _propagate(root, seed, create_graph, write=True)
    for leaf in leaves:
        _accumulate_leaf(leaf, _as_array(grads[leaf]))


def gradients(root: Tensor, targets: list[Tensor], create_graph: bool = False) -> list[Any]:
    """d root / d target for each target, writing no ``.grad`` anywhere (used by ``grad``)."""
    _check_root(root)
    seed = _seed(root, None, create_graph)
    if root._node is None:
        return [seed if t is root else None for t in targets]
    grads, _ = _propagate(root, seed, create_graph, write=False)
    return [None if grads.get(t) is None else _as_array(grads[t]) for t in targets]


def _check_root(root: Tensor) -> None:
    if not root.requires_grad:
        raise RuntimeError(
            "backward() on a tensor that does not require grad: none of the tensors it was "
            "computed from has requires_grad=True (or it was computed under no_grad() or "
            "from .detach()). Create the parameters with Tensor(..., requires_grad=True).")


def _as_array(g: Any) -> Any:
    # numpy hands back scalars for 0-d results; .grad is always an array (or a Tensor).
    return g if type(g) is np.ndarray or isinstance(g, (np.ndarray, Tensor)) else np.asarray(g)


def _propagate(root: Tensor, seed: Any, create_graph: bool, write: bool
               ) -> tuple[dict[Tensor, Any], list[Tensor]]:
    """The chain rule from ``root``: returns {tensor: d root / d tensor} and the leaves."""
    if create_graph:
        with enable_grad():
            return _run(root, seed, TENSOR, True, write)
    return _run(root, seed, NUMPY, False, write)


def _run(root: Tensor, seed: Any, xp: Any, create_graph: bool, write: bool
         ) -> tuple[dict[Tensor, Any], list[Tensor]]:
    """One pass, newest tensor first. Inputs are always created before their outputs, so
    when the tensor with the highest creation number is taken from the heap, every tensor
    that consumed it has already sent its contribution: its gradient is complete. No
    separate topological sort, no recursion, and a tensor enters the heap once, when it
    first receives a gradient."""
    check = counts.anomaly and state.anomaly
    grads: dict[Tensor, Any] = {root: seed}  # tensors hash by identity, in C
    get = grads.get
    leaves: list[Tensor] = []
    heap: list[tuple[int, Tensor]] = []
    node: Tensor | None = root
    while node is not None:
        g = grads.pop(node) if write else grads[node]
        if write:
            node.grad = g if type(g) is np.ndarray else _as_array(g)
        op, inputs, vals, kw, _ = node._node  # type: ignore[misc]
        if create_graph:
            vals = inputs
            out: Any = node
        else:
            out = node.data
        new: Tensor | None = None  # the first input that got its first gradient just now
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
            if prev is not None:
                grads[x] = prev + r
                continue
            grads[x] = r
            nd = x._node
            if nd is None:
                leaves.append(x)
            elif new is None:
                new = x
            else:
                heappush(heap, (-nd[4], x))
        # Next: the newest pending tensor. Along a chain that is the input just reached, so
        # the heap is skipped entirely.
        if new is not None:
            if heap and heap[0][0] < -new._node[4]:  # type: ignore[index]
                node = heappushpop(heap, (-new._node[4], new))[1]  # type: ignore[index]
            else:
                node = new
        else:
            node = heappop(heap)[1] if heap else None
    return grads, leaves


def _accumulate_leaf(x: Tensor, r: Any) -> None:
    if x.grad is None:
        # A view (broadcast or slice of another gradient) is copied so the user owns it.
        if isinstance(r, np.ndarray) and (r.base is not None or not r.flags.writeable):
            r = r.copy()
        x.grad = r
    else:
        x.grad = x.grad + r
