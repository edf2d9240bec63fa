"""Backward: apply the chain rule from a root, newest tensor first, filling ``.grad``."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from heapq import heappop, heappush, heappushpop
from typing import Any

import numpy as np

from ..errors import GraphGrowthWarning
from . import anomaly
from .callsite import user_stacklevel
from .meta import get_meta
from .mode import counts, enable_grad, state
from .record import TensorBase, make, raw
from .versions import modified_after, next_seq, settle
from .xp import NUMPY, TENSOR

__all__ = ["backward", "gradients"]


def _seed(root: TensorBase, gradient: Any, create_graph: bool) -> Any:
    if gradient is None:
        if root._data.size != 1:
            raise RuntimeError(
                f"backward() on a non-scalar tensor of shape {root._data.shape} needs a "
                "`gradient` of the same shape (dJ/d this tensor); reduce it to a scalar cost "
                "first, "
                "e.g. with .sum() or .mean()")
        g = np.ones_like(root._data)
    else:
        g = np.array(raw(gradient), dtype=root._data.dtype)
        if g.shape != root._data.shape:
            raise ValueError(f"backward(gradient=...) has shape {g.shape} but the tensor has "
                             f"shape {root._data.shape}")
    return make(type(root), g) if create_graph else g


def backward(root: TensorBase, gradient: Any = None, create_graph: bool = False) -> None:
    """Fill ``.grad`` of every tensor ``root`` depends on (see ``Tensor.backward``).

    Leaves accumulate across calls; intermediate tensors are given this call's gradient.
    """
    _check_root(root)
    seed = _seed(root, gradient, create_graph)
    if root._op is None:
        _accumulate_leaf(root, seed)
        settle()
        return
    start = next_seq()
    grads, leaves = _propagate(root, seed, create_graph, write=True)
    for leaf in leaves:
        _accumulate_leaf(leaf, _as_array(grads[leaf]))
    _watch_growth(start)
    settle()


class _Oldest:
    seq = 0


_oldest = _Oldest()
# Creation numbers at the start of the last two backward() calls, and whether we warned.
_starts = [-1, -1]
_warned = [False]


def _watch_growth(start: int) -> None:
    """Warn once when a backward reaches tensors recorded before the last two backward calls:
    the sign of ``W = W - lr * W.grad`` outside ``no_grad()``, where each step's graph holds
    every earlier step and training slows down quadratically. One int compare per backward."""
    if _oldest.seq < _starts[0] and not _warned[0]:
        _warned[0] = True
        warnings.warn(
            "backward() went through tensors recorded before the last two backward() calls: "
            "the graph is growing from step to step. If you update parameters with "
            "`W = W - lr * W.grad`, each step's graph contains all earlier ones and "
            "training gets slower every iteration; update in place under no_grad() instead: "
            "`with no_grad(): W -= lr * W.grad` (or use an optimizer).",
            GraphGrowthWarning, stacklevel=user_stacklevel())
    _starts[0], _starts[1] = _starts[1], start


def gradients(root: TensorBase, targets: Sequence[TensorBase], create_graph: bool = False
              ) -> list[Any]:
    """d root / d target for each target, writing no ``.grad`` anywhere (used by ``grad``)."""
    _check_root(root)
    seed = _seed(root, None, create_graph)
    if root._op is None:
        return [seed if t is root else None for t in targets]
    grads, _ = _propagate(root, seed, create_graph, write=False)
    settle()
    return [None if grads.get(t) is None else _as_array(grads[t]) for t in targets]


def _check_root(root: TensorBase) -> None:
    if not root.requires_grad:
        why = get_meta(root, "no_backward")  # set by whatever made it, e.g. tc.compile_step
        if why:
            raise RuntimeError(f"backward() on a tensor that does not require grad: {why}")
        raise RuntimeError(
            "backward() on a tensor that does not require grad: none of the tensors it was "
            "computed from has requires_grad=True (or it was computed under no_grad() or "
            "from .detach()). Create the parameters with Tensor(..., requires_grad=True).")


def _as_array(g: Any) -> Any:
    # numpy hands back scalars for 0-d results; .grad is always a plain array (or a Tensor).
    if type(g) is np.ndarray or isinstance(g, TensorBase):
        return g
    return g.view(np.ndarray) if isinstance(g, np.ndarray) else np.asarray(g)


def _propagate(root: TensorBase, seed: Any, create_graph: bool, write: bool
               ) -> tuple[dict[TensorBase, Any], list[TensorBase]]:
    """The chain rule from ``root``: returns {tensor: d root / d tensor} and the leaves."""
    if create_graph:
        with enable_grad():
            return _run(root, seed, TENSOR, True, write)
    return _run(root, seed, NUMPY, False, write)


def _run(root: TensorBase, seed: Any, xp: Any, create_graph: bool, write: bool
         ) -> tuple[dict[TensorBase, Any], list[TensorBase]]:
    """One pass, newest tensor first. Inputs are always created before their outputs, so
    when the tensor with the highest creation number is taken from the heap, every tensor
    that consumed it has already sent its contribution: its gradient is complete. No
    separate topological sort, no recursion, and a tensor enters the heap once, when it
    first receives a gradient."""
    check = counts.anomaly and state.anomaly
    grads: dict[TensorBase, Any] = {root: seed}  # tensors hash by identity, in C
    get = grads.get
    leaves: list[TensorBase] = []
    heap: list[tuple[int, TensorBase]] = []
    node: TensorBase | None = root
    while node is not None:
        g = grads.pop(node) if write else grads[node]
        if write:
            node.grad = g if type(g) is np.ndarray else _as_array(g)
        op: Any = node._op  # never None here: only recorded tensors enter the walk
        inputs, vals, kw = node._inputs, node._values, node._kwargs
        if create_graph:
            vals = inputs
            out: Any = node
        else:
            out = node._data
        new: TensorBase | None = None  # the first input that got its first gradient just now
        seq = node._seq
        if node._meta is not None and modified_after(node, seq):
            raise _modified_error(node, node, op)
        if check:
            anomaly.check_unchanged(node)
        for x, vjp in zip(inputs, op.vjps):
            if not isinstance(x, TensorBase):
                continue
            if x._meta is not None and modified_after(x, seq):
                raise _modified_error(x, node, op)
            # Only parents that need a gradient get one: no dX for the data matrix.
            if not x.requires_grad:
                continue
            r = vjp(xp, g, out, *vals, **kw) if kw else vjp(xp, g, out, *vals)
            if op.elementwise and r.shape != x._data.shape:
                r = xp.unbroadcast(r, x._data.shape)
            if check:
                anomaly.check_backward(node, vjp, r)
            prev = get(x)
            if prev is not None:
                grads[x] = prev + r
                continue
            if x._op is None:
                if r is g and write and not create_graph:  # passed through (add): shared
                    r = r.copy()
                grads[x] = r
                leaves.append(x)
                continue
            grads[x] = r
            if new is None:
                new = x
            else:
                heappush(heap, (-x._seq, x))
        # Next: the newest pending tensor. Along a chain that is the input just reached, so
        # the heap is skipped entirely.
        if new is not None:
            new_seq = new._seq
            if heap and heap[0][0] < -new_seq:
                node = heappushpop(heap, (-new_seq, new))[1]
            else:
                node = new
        else:
            node = heappop(heap)[1] if heap else None
    _oldest.seq = seq  # the last tensor taken is the oldest this pass reached
    return grads, leaves


def _modified_error(x: TensorBase, node: TensorBase, op: Any) -> RuntimeError:
    name = getattr(x, "name", None)
    which = f"tensor {name!r}" if name else f"a tensor of shape {x._data.shape}"
    return RuntimeError(
        f"{which}, saved by the op {op.name!r} for the backward pass, was changed in place "
        "(through the Tensor API or its .data array) after that op was recorded, so its "
        "gradient would be wrong. Compute the cost again after changing it: change data only "
        "between backward() and the next forward pass (with no_grad(): w -= lr * w.grad, or "
        "w.data -= lr * w.grad after backward()).")


def _accumulate_leaf(x: TensorBase, r: Any) -> None:
    """Leaves own their ``.grad``: a writable array (or a Tensor under create_graph) that no
    other tensor shares, so clipping one parameter's gradient in place touches no other."""
    if x.grad is None:
        # A view (broadcast or slice of another gradient) is copied so the user owns it.
        if isinstance(r, np.ndarray) and (r.base is not None or not r.flags.writeable):
            r = r.copy()
        x.grad = r
    else:
        total = x.grad + r  # a second backward adds up, as in PyTorch (zero_grad() clears)
        # numpy gives a scalar for 0-d + 0-d: keep .grad an array
        x.grad = total if isinstance(total, (np.ndarray, TensorBase)) else np.array(total)
