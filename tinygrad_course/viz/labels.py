"""Text for graph pictures: values, gradients, and the local derivative on each edge."""

from __future__ import annotations

import functools
import re
from typing import Any

import numpy as np

from ..engine.ops.registry import unbroadcast
from ..engine.tensor import Tensor
from ..engine.xp import NUMPY
from .escape import esc

__all__ = ["GRAD_COLOR", "SMALL", "edge_label", "fmt_number", "html_lines", "input_name",
           "local_derivative", "shape_text", "tensor_label", "tensor_lines", "value_lines"]

# Arrays with at most this many elements are shown in full; larger ones are summarized.
SMALL = 8
_FLOAT64 = np.dtype(np.float64)
_SUM_IS_MEAN = (_FLOAT64, np.dtype(np.float32))
_MIN, _MAX, _SUM = np.minimum.reduce, np.maximum.reduce, np.add.reduce
# Gradient lines are drawn in this colour; the step-by-step page finds them by it in the SVG.
GRAD_COLOR = "#1f4e9a"


def fmt_number(x: Any) -> str:
    """A number the way a learner writes it: 4 significant digits, no trailing ``.0``.

    >>> fmt_number(2.0), fmt_number(0.123456), fmt_number(-1e-9)
    ('2', '0.1235', '-1e-09')
    """
    v = float(x)
    if v == 0:
        return "0"  # also turns -0.0 into 0: the sign of zero only confuses here
    return f"{v:.4g}"


def value_lines(a: Any) -> list[str]:
    """The lines that show an array: in full when small, else ``min · mean · max``.

    >>> value_lines(np.float64(6.0))
    ['6']
    >>> value_lines(np.array([[1.0, 2.0], [3.0, 4.0]]))
    ['[1, 2]', '[3, 4]']
    >>> value_lines(np.arange(100.0).reshape(4, 25))
    ['min 0 · mean 49.5 · max 99']
    """
    arr = np.asarray(a)
    size = arr.size
    if size == 1:
        return [fmt_number(arr.reshape(()))]
    if size == 0:
        return ["(empty)"]
    if size <= SMALL and arr.ndim <= 2:
        rows = arr.reshape(1, -1) if arr.ndim <= 1 else arr
        return ["[" + ", ".join(fmt_number(v) for v in row) + "]" for row in rows]
    # A graph has thousands of these, and np.min/np.mean spend more time in Python than in
    # summing a small array. For float64/float32, sum / size is np.mean's own arithmetic (same
    # bits; float16 sums in float32, ints in float64: those keep np.mean). A small array without
    # NaN (its sum is not NaN) has exact min and max from Python's min/max over its values.
    fast = arr.dtype in _SUM_IS_MEAN
    with np.errstate(all="ignore"):
        mean = _SUM(arr, axis=None) / size if fast else np.mean(arr)
        if fast and size <= 64 and mean == mean:
            values = arr.ravel().tolist()
            lo, hi = min(values), max(values)
        else:
            lo, hi = _MIN(arr, axis=None), _MAX(arr, axis=None)
    return [f"min {fmt_number(lo)} · mean {fmt_number(mean)} · max {fmt_number(hi)}"]


@functools.lru_cache(maxsize=256)  # a picture asks for the same few shapes thousands of times
def shape_text(shape: tuple[int, ...]) -> str:
    """A shape as numpy prints it: ``(4, 2)``, ``(3,)``, ``()``."""
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def tensor_lines(name: str, t: Tensor, *, show_data: bool, grad: Any,
                 grad_name: str | None) -> tuple[str, list[str], list[str]]:
    """A tensor's box as text: the header (name, shape, dtype), value lines, gradient lines.

    >>> tensor_lines("b", Tensor(1.0), show_data=True, grad=np.float64(5), grad_name="de/db")
    ('b', ['b = 1'], ['de/db = 5'])
    """
    header = name + (f" {shape_text(t.shape)}" if t.ndim else "")
    if t.dtype != _FLOAT64:
        header += f" {t.dtype}"
    values: list[str] = []
    if show_data:
        lines = value_lines(t.data)
        values = [f"{name} = {lines[0]}"] if len(lines) == 1 else [f"{name} ="] + lines
    grads: list[str] = []
    if grad is not None and grad_name is not None:
        lines = value_lines(grad)
        grads = [f"{grad_name} = {lines[0]}"] if len(lines) == 1 else [f"{grad_name} ="] + lines
    return header, values, grads


def tensor_label(name: str, t: Tensor, *, show_data: bool, grad: Any,
                 grad_name: str | None) -> str:
    """An HTML-like Graphviz label: name and shape, value lines, gradient lines (``grad`` is
    None when there is none to show).

    >>> tensor_label("<x>", Tensor(1.0), show_data=True, grad=None, grad_name=None)[:60]
    '<<table border="0" cellborder="0" cellspacing="0" cellpaddin'
    >>> "&lt;x&gt;" in tensor_label("<x>", Tensor(1.0), show_data=True, grad=None, grad_name=None)
    True
    """
    header, values, grads = tensor_lines(name, t, show_data=show_data, grad=grad,
                                         grad_name=grad_name)
    head = f"<b>{esc(name)}</b>"
    if header != name:
        head += f' <font point-size="9">{esc(header[len(name) + 1:])}</font>'
    rows = [head, *map(esc, values)]
    rows += [f'<font color="{GRAD_COLOR}">{esc(line)}</font>' for line in grads]
    return html_lines(rows)


def html_lines(rows: list[str]) -> str:
    """Rows of (already escaped) markup as one HTML-like label, left-aligned.

    >>> html_lines(["a", "b"])
    '<<table border="0" cellborder="0" cellspacing="0" cellpadding="1"><tr><td align="left">a\
</td></tr><tr><td align="left">b</td></tr></table>>'
    """
    cells = "".join(f'<tr><td align="left">{r}</td></tr>' for r in rows)
    return f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">{cells}</table>>'


def local_derivative(out: Tensor, position: int) -> np.ndarray | None:
    """d out / d input[position] as a number array, by calling the op's vjp with ``g = 1``.

    For scalars this is exactly the local derivative on the edge; for arrays it is the
    vector-Jacobian product with a gradient of ones. None if the op has no such input.

    >>> x = Tensor(3.0, requires_grad=True)
    >>> float(local_derivative(x * x, 0))
    3.0
    """
    op = out.op
    if op is None:
        return None
    inputs = out.inputs
    vals = [x.data if isinstance(x, Tensor) else x for x in inputs]
    kw = out.op_args
    g = np.ones_like(out.data)
    try:
        with np.errstate(all="ignore"):
            r = op.vjps[position](NUMPY, g, out.data, *vals, **kw)
            r = np.asarray(r)
            shape = np.shape(vals[position])
            if op.elementwise and r.shape != shape:
                r = unbroadcast(r, shape)
    except Exception:  # a picture must not fail because one rule cannot be evaluated
        return None
    return r


_LETTERS = {"a": 0, "b": 1}
_TOKEN = re.compile(r"(?<![A-Za-z0-9_])(dout|a|b)(?![A-Za-z0-9_])")
_OPERATOR = re.compile(r"[-+*/ ·]")


def input_name(x: Any, names: dict[int, str]) -> str:
    """How an op input is called in labels: the tensor's name, or a constant's value."""
    if isinstance(x, Tensor):
        return names.get(id(x), "?")
    arr = np.asarray(x)
    if arr.size == 1:
        return fmt_number(arr.reshape(()))
    return f"const{shape_text(arr.shape)}"


def _wrap(name: str) -> str:
    # A name like "a+b" must not change the meaning of the rule it is put into.
    return f"({name})" if _OPERATOR.search(name) else name


@functools.lru_cache(maxsize=256)  # a rule text per op input; a graph uses each thousands of times
def _rule_parts(text: str) -> tuple[str, ...]:
    """``text`` split at its tokens: literal text at even positions, tokens at odd ones."""
    return tuple(_TOKEN.split(text))


def _rule(out: Tensor, position: int, names: dict[int, str], out_name: str) -> str:
    """The op's rule for this input, written with the actual names (``b`` -> ``d``)."""
    op = out.op
    assert op is not None
    rules = op.rules
    parts = _rule_parts(rules[min(position, len(rules) - 1)] if rules else "?")
    if len(parts) == 1:
        return parts[0]
    inputs = out.inputs
    written = list(parts)
    for j in range(1, len(parts), 2):
        tok = parts[j]
        if tok == "dout":
            written[j] = "d" + out_name
        elif _LETTERS[tok] < len(inputs):
            x = inputs[_LETTERS[tok]]
            # Constants are written as they are; only tensor names can hide an operator.
            written[j] = (_wrap(names.get(id(x), "?")) if isinstance(x, Tensor)
                          else input_name(x, names))
    return "".join(written)


def edge_label(out: Tensor, position: int, names: dict[int, str]) -> str:
    """The local derivative on the edge from ``out.inputs[position]`` to ``out``.

    Scalars get numbers (``∂e/∂c = d = 2``); tensors get the rule (``∂Z/∂W: dZ·Xᵀ``).

    >>> c = Tensor(3.0, requires_grad=True); d = Tensor(2.0, requires_grad=True)
    >>> e = c * d
    >>> edge_label(e, 0, {id(c): "c", id(d): "d", id(e): "e"})
    '∂e/∂c = d = 2'
    """
    out_name = names.get(id(out), "?")
    x = out.inputs[position]
    in_name = input_name(x, names)
    rule = _rule(out, position, names, out_name)
    head = f"∂{out_name}/∂{in_name}"
    if out.size == 1 and np.size(x) == 1:
        value = local_derivative(out, position)
        if value is not None and value.size == 1:
            number = fmt_number(value.reshape(()))
            return f"{head} = {number}" if rule == number else f"{head} = {rule} = {number}"
    return f"{head}: {rule}"
