"""Creation numbers and in-place change detection: which recorded graphs a change invalidates.

Every recorded op takes a creation number (``next_seq``); a change made in place is stamped
with one too, and backward refuses a node recorded before a change to a tensor it saved.
Changes through the Tensor API are stamped when they happen (``mark_modified``); changes
through an array handed out by ``Tensor.data`` while a graph is pending are found by
comparing with a snapshot taken when it was handed out (``handed_out``, ``modified_after``).
"""

from __future__ import annotations

import itertools
import weakref
from typing import Any

import numpy as np

from .meta import get_meta, set_meta

__all__ = ["next_seq", "handed_out", "mark_modified", "modified_after", "settle"]

# Creation order of recorded nodes: a tensor's inputs always come before it, so the newest
# pending tensor is always safe to differentiate next (see backward._run).
next_seq = itertools.count().__next__
# The last creation number handed out while nothing was recorded since the last backward()
# ("calm"): while the next number is this one + 1, no graph is pending and ``.data`` is handed
# out as it is. Recording takes numbers, so the first op after a backward ends the calm.
_calm = [next_seq()]
# Tensors holding a snapshot of their values (see ``handed_out``), dropped at backward.
_snapped: list[weakref.ref[Any]] = []


def handed_out(t: Any) -> None:
    """``t.data`` of a tensor that requires grad is being handed out: one int compare when no
    graph is pending (after backward), else a snapshot to compare with at backward."""
    n = next_seq()
    if n == _calm[0] + 1:  # nothing recorded since the last backward(): none pending
        _calm[0] = n
    else:
        _snapshot(t, n)


def _tick() -> int:
    """A fresh creation number that keeps the calm (see ``_calm``) when there is one."""
    n = next_seq()
    if n == _calm[0] + 1:
        _calm[0] = n
    return n


def mark_modified(t: Any) -> None:
    """Note that ``t``'s values changed in place now: a node recorded before this moment that
    saved ``t`` can no longer be differentiated (backward checks, comparing ints only).
    Stored in the tensor's labels, so recording an op pays nothing for it."""
    set_meta(t, "modified_at", _tick())


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    # Equal bytes answer the usual case fast; equal_nan keeps a nan from counting as a change.
    return a.shape == b.shape and (a.tobytes() == b.tobytes()
                                   or bool(np.array_equal(a, b, equal_nan=True)))


def _snapshot(t: Any, n: int) -> None:
    """``t.data`` is handed out (at creation number ``n``) while a graph is pending: keep a
    copy. A snapshot ``[copy, k]`` says the values were ``copy`` when the array was last
    handed out, at ``k``. A change seen later can only have been made after ``k`` through an
    array handed out by then, so it is stamped at ``k``: graphs recorded before are refused,
    later ones (which may have seen the new values) are not."""
    m = t._meta
    snap = None if m is None else m.get("snapshot")
    if snap is None:
        set_meta(t, "snapshot", [t._data.copy(), n])
        _snapped.append(weakref.ref(t))
        return
    if not _same(snap[0], t._data):
        _stamp(t, snap[1])
        snap[0] = t._data.copy()
    snap[1] = n


def _stamp(t: Any, seq: int) -> None:
    if get_meta(t, "modified_at", -1) < seq:
        set_meta(t, "modified_at", seq)


def modified_after(t: Any, seq: int) -> bool:
    """Whether ``t`` was changed in place after the node numbered ``seq`` was recorded: through
    the Tensor API (stamped), or through ``t.data`` handed out after that node (compared with
    its snapshot)."""
    m = t._meta
    if m is None:
        return False
    snap = m.get("snapshot")
    if snap is not None and seq < snap[1] and not _same(snap[0], t._data):
        _stamp(t, snap[1])
    return bool(m.get("modified_at", -1) > seq)


def settle() -> None:
    """A backward pass is over: graphs recorded so far count as used, snapshots are dropped
    (their memory too) and ``.data`` is handed out without a copy until the next op records."""
    if _snapped:
        for r in _snapped:
            t = r()
            if t is not None and t._meta is not None:
                t._meta.pop("snapshot", None)
        _snapped.clear()
    _calm[0] = next_seq()
