"""Primitives that work along axes or across operands: astype, prod, cumsum, einsum.

The rules call numpy functions, which record onto Tensors under ``create_graph=True``
through numpy's protocols (``engine/numpy_protocol.py``), so they are differentiable again.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .registry import Variadic, defop

__all__ = ["ASTYPE", "PROD", "CUMSUM", "EINSUM", "parse_einsum"]

ASTYPE = defop(
    "astype", "astype", lambda a, dtype: a.astype(dtype),
    (lambda xp, g, out, a, dtype: g.astype(a.dtype),),
    ("1 (cast back)",))


def _kept(shape: tuple[int, ...], axis: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(1 if i in axis else n for i, n in enumerate(shape))


def _product_of_others(a: np.ndarray, axis: tuple[int, ...]) -> np.ndarray:
    """For each entry, the product of the other entries it was reduced with (zeros allowed)."""
    rest = [i for i in range(a.ndim) if i not in axis]
    moved = np.transpose(a, rest + list(axis))
    flat = moved.reshape(moved.shape[:len(rest)] + (-1,))
    ones = np.ones(flat.shape[:-1] + (1,), dtype=a.dtype)
    left = np.cumprod(np.concatenate([ones, flat[..., :-1]], axis=-1), axis=-1)
    right = np.cumprod(np.concatenate([ones, flat[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    back = (left * right).reshape(moved.shape)
    return np.transpose(back, np.argsort(rest + list(axis)))


def _others_graphed(a: Any, axis: tuple[int, ...]) -> Any:
    """The same as :func:`_product_of_others` with Tensor operations (for create_graph): row j
    of an n×n matrix is the reduced entries with entry j replaced by 1; its product is what
    multiplies entry j. No division, so zeros are exact to every order."""
    rest = [i for i in range(len(a.shape)) if i not in axis]
    moved = np.transpose(a, rest + list(axis))
    n = 1
    for i in axis:
        n *= a.shape[i]
    flat = np.reshape(moved, tuple(moved.shape[:len(rest)]) + (n,))
    eye = np.eye(n, dtype=a.dtype)
    rows = np.expand_dims(flat, -2) * (1 - eye) + eye
    back = np.reshape(np.prod(rows, axis=-1), moved.shape)
    return np.transpose(back, tuple(int(i) for i in np.argsort(rest + list(axis))))


def _prod_vjp(xp: Any, g: Any, out: Any, a: Any, axis: tuple[int, ...], keepdims: bool) -> Any:
    gk = np.reshape(g, _kept(a.shape, axis))
    if isinstance(a, np.ndarray):  # plain backward: exact products of the others, zeros too
        return gk * _product_of_others(a, axis)
    return gk * _others_graphed(a, axis)


PROD = defop(
    "prod", "Π", lambda a, axis, keepdims: np.prod(a, axis=axis, keepdims=keepdims),
    (_prod_vjp,),
    ("product of the other entries",))


def _reverse_cumsum(g: Any, axis: int) -> Any:
    return np.flip(np.cumsum(np.flip(g, axis), axis=axis), axis)


CUMSUM = defop(
    "cumsum", "cumsum", lambda a, axis: np.cumsum(a, axis=axis),
    (lambda xp, g, out, a, axis: _reverse_cumsum(g, axis),),
    ("1 for every later position (reverse cumsum)",))


def parse_einsum(subscripts: str, n: int) -> tuple[list[str], str]:
    """Split ``"ij,jk->ik"`` into the inputs' and the output's subscripts, or explain.

    >>> parse_einsum("ij,jk", 2)
    (['ij', 'jk'], 'ik')
    """
    text = subscripts.replace(" ", "")
    if "." in text:
        raise ValueError("einsum: '...' (ellipsis) subscripts are not supported; write every "
                         "axis out, e.g. 'bij,bjk->bik'")
    lhs, arrow, rhs = text.partition("->")
    ins = lhs.split(",")
    if len(ins) != n:
        raise ValueError(f"einsum: {subscripts!r} names {len(ins)} operands, {n} were given")
    if not all(s.isalpha() or s == "" for s in ins + [rhs]):
        raise ValueError(f"einsum: subscripts {subscripts!r} must be letters")
    for s in ins:
        if len(set(s)) != len(s):
            raise ValueError(f"einsum: the repeated letter in {s!r} (a diagonal or a trace) is "
                             "not supported; use tc.numpy.diag or tc.numpy.trace")
    if not arrow:  # numpy's implicit output: the letters seen once, in alphabetical order
        letters = "".join(ins)
        rhs = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    return ins, rhs


def _einsum_vjp(i: int) -> Any:
    def vjp(xp: Any, g: Any, out: Any, *arrays: Any, subscripts: str) -> Any:
        ins, rhs = parse_einsum(subscripts, len(arrays))
        mine = ins[i]
        others = [s for k, s in enumerate(ins) if k != i]
        seen = set(rhs).union(*others)
        keep = "".join(c for c in mine if c in seen)
        spec = ",".join([rhs] + others) + "->" + keep
        r = np.einsum(spec, g, *[x for k, x in enumerate(arrays) if k != i])
        if keep != mine:  # letters summed over in this operand alone: spread g back
            shape = arrays[i].shape
            kept = tuple(n if c in seen else 1 for c, n in zip(mine, shape))
            r = np.broadcast_to(np.reshape(r, kept), shape)
        return r
    return vjp


EINSUM = defop(
    "einsum", "einsum", lambda *arrays, subscripts: np.einsum(subscripts, *arrays),
    Variadic(_einsum_vjp),
    ("einsum of the gradient with the other operands",))
