"""A safe little expression language for the ``graph`` command, evaluated on Tensors.

Python syntax parsed with ``ast`` and checked against a whitelist: numbers, names, ``+ - * /
**``, unary minus, and the engine's functions (exp, log, ...). Assignments name intermediate
tensors, as the course does: ``c = a + b; d = b + 1; e = c * d``. Nothing is ever ``eval``-ed,
and the work is bounded: at most :data:`MAX_CHARS` characters and :data:`MAX_OPS` operations.
"""

from __future__ import annotations

import ast
import keyword
import math
import operator
import unicodedata
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..engine.tensor import Tensor

__all__ = ["ExprError", "FUNCTIONS", "MAX_CHARS", "MAX_OPS", "Program", "evaluate", "parse",
           "parse_bindings"]

# Bounds on untrusted input: parsing, checking and evaluating stay well under a second and
# 100 MB; the pictures have their own budget (viz/render.py).
MAX_CHARS = 10_000
MAX_OPS = 2_000
_OPS = (ast.BinOp, ast.UnaryOp, ast.Call)

FUNCTIONS = ("exp", "log", "sqrt", "abs", "tanh", "sigmoid", "relu")
_BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.Pow: operator.pow}
_UNARY = (ast.USub, ast.UAdd)
# Operator tokens and contexts are harmless children of the nodes checked above.
_PLUMBING = (ast.operator, ast.unaryop, ast.expr_context)
_ALLOWED = ("numbers, names, + - * / **, unary minus and the functions "
            + ", ".join(FUNCTIONS))
_WHAT = {ast.Attribute: "attribute access", ast.Subscript: "subscripts", ast.Lambda: "lambdas",
         ast.Import: "imports", ast.ImportFrom: "imports", ast.Compare: "comparisons",
         ast.BoolOp: "boolean operators", ast.IfExp: "conditional expressions",
         ast.List: "lists", ast.Tuple: "tuples", ast.Dict: "dicts", ast.Set: "sets",
         ast.ListComp: "comprehensions", ast.GeneratorExp: "comprehensions",
         ast.JoinedStr: "f-strings", ast.NamedExpr: "walrus assignments",
         ast.Starred: "starred arguments", ast.FunctionDef: "function definitions",
         ast.Await: "await", ast.Yield: "yield"}


class ExprError(ValueError):
    """An expression or binding the ``graph`` command refuses, with the reason."""


@dataclass(frozen=True)
class Program:
    """A checked expression: ``(name or None, expression)`` steps and its free input names."""

    source: str
    steps: tuple[tuple[str | None, ast.expr], ...]
    inputs: tuple[str, ...]


def _clip(text: str) -> str:
    """User text quoted in a message, cut to 60 characters."""
    return text if len(text) <= 60 else text[:57] + "..."


def _piece(source: str, node: ast.AST) -> str:
    return _clip(ast.get_source_segment(source, node) or type(node).__name__)


def _refuse(source: str, node: ast.AST, what: str | None = None) -> ExprError:
    what = what or _WHAT.get(type(node), f"{type(node).__name__} nodes")
    return ExprError(f"refused {what}: `{_piece(source, node)}` (allowed: {_ALLOWED})")


def _callees(expr: ast.expr) -> set[int]:
    """The Name nodes that are called (``exp`` in ``exp(x)``): functions, not inputs."""
    return {id(n.func) for n in ast.walk(expr) if isinstance(n, ast.Call)}


def _check(source: str, expr: ast.expr) -> None:
    """Refuse any node outside the whitelist (``ast.walk`` is iterative: no depth limit)."""
    callees = _callees(expr)
    for node in ast.walk(expr):
        if isinstance(node, ast.BinOp):
            if type(node.op) not in _BINOPS:
                raise _refuse(source, node, "operator")
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, _UNARY):
                raise _refuse(source, node, "operator")
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise _refuse(source, node, f"{type(node.value).__name__} constant")
            if isinstance(node.value, int) and abs(node.value) > 1e308:
                raise ExprError(f"the number `{_piece(source, node)}` is too large for a "
                                "float64 (at most about 1.8e308)")
        elif isinstance(node, ast.Name):
            if node.id in FUNCTIONS and id(node) not in callees:
                raise ExprError(f"`{node.id}` is a function: call it, e.g. {node.id}(x)")
        elif isinstance(node, ast.Call):
            f = node.func
            if not (isinstance(f, ast.Name) and f.id in FUNCTIONS):
                raise _refuse(source, node, "call")
            if len(node.args) != 1 or node.keywords or isinstance(node.args[0], ast.Starred):
                raise _refuse(source, node, f"call (give {f.id} exactly one argument)")
        elif not isinstance(node, _PLUMBING):
            raise _refuse(source, node)


def parse(source: str) -> Program:
    """Check ``source`` and list its steps: ``"c = a + b; e = c * 2"`` or ``"(a+b)*(b+1)"``.

    >>> parse("(a+b)*(b+1)").inputs
    ('a', 'b')
    >>> parse("__import__('os')")
    Traceback (most recent call last):
    ...
    tinygrad_course.cli.expr.ExprError: refused call: `__import__('os')` (allowed: numbers, \
names, + - * / **, unary minus and the functions exp, log, sqrt, abs, tanh, sigmoid, relu)
    """
    if not source.strip():
        raise ExprError("the expression is empty")
    if len(source) > MAX_CHARS:
        raise ExprError(f"the expression is {len(source):,} characters long; the limit is "
                        f"{MAX_CHARS:,}")
    try:
        with warnings.catch_warnings():  # '1if a else b' warns before our own message
            warnings.simplefilter("ignore", SyntaxWarning)
            tree = ast.parse(source, mode="exec")
    except SyntaxError as e:
        raise ExprError(f"not a valid expression: {e.msg} (column {e.offset})") from None
    except (RecursionError, MemoryError):
        raise ExprError("the expression is nested too deeply to parse") from None
    except ValueError as e:  # a NUL byte, or a number literal with too many digits
        raise ExprError(f"not a valid expression: {e}") from None
    ops = sum(1 for node in ast.walk(tree) if isinstance(node, _OPS))
    if ops > MAX_OPS:
        raise ExprError(f"the expression has {ops:,} operations; the limit is {MAX_OPS:,}")
    steps: list[tuple[str | None, ast.expr]] = []
    defined: set[str] = set()
    inputs: list[str] = []
    for k, stmt in enumerate(tree.body):
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ast.Name):
            target: str | None = stmt.targets[0].id
            expr = stmt.value
        elif isinstance(stmt, ast.Expr) and k == len(tree.body) - 1:
            target, expr = None, stmt.value
        elif isinstance(stmt, ast.Expr):
            raise ExprError(f"only the last step may be a bare expression: "
                            f"`{_piece(source, stmt)}` (name it, e.g. c = ...)")
        else:
            raise _refuse(source, stmt, _WHAT.get(type(stmt), "statement"))
        _check(source, expr)
        callees = _callees(expr)
        names = [n for n in ast.walk(expr) if isinstance(n, ast.Name) and id(n) not in callees]
        used = [n.id for n in sorted(names, key=lambda n: (n.lineno, n.col_offset))]
        for name in used:
            if name not in defined and name not in inputs:
                inputs.append(name)
        if target is not None:
            if target in FUNCTIONS or target in defined or target in inputs:
                raise ExprError(f"cannot assign to `{target}`: it is already "
                                + ("a function" if target in FUNCTIONS else "used"))
            defined.add(target)
        steps.append((target, expr))
    return Program(source, tuple(steps), tuple(inputs))


def parse_bindings(args: Iterable[str]) -> dict[str, float]:
    """``["a=2", "b=1"]`` -> ``{"a": 2.0, "b": 1.0}``, refusing bad names and numbers.

    Names are NFKC-normalized, as Python normalizes the names in the expression (so the
    fullwidth ``ａ`` binds the ``a`` of the parsed expression).

    >>> parse_bindings(["a=2", "b=-1.5e-3", "ｃ=1"])
    {'a': 2.0, 'b': -0.0015, 'c': 1.0}
    """
    values: dict[str, float] = {}
    for full in args:
        arg = _clip(full)
        name, eq, text = full.partition("=")
        name, text = unicodedata.normalize("NFKC", name.strip()), text.strip()
        if not eq or not name.isidentifier() or keyword.iskeyword(name):
            raise ExprError(f"`{arg}` is not a binding: write NAME=NUMBER, e.g. a=2")
        try:
            value = float(text)
        except (ValueError, OverflowError):
            raise ExprError(f"`{arg}`: {_clip(text)!r} is not a number") from None
        if not math.isfinite(value):
            raise ExprError(f"`{arg}`: the value must be a finite number")
        if name in values:
            raise ExprError(f"`{_clip(name)}` is given twice")
        values[name] = value
    return values


def evaluate(program: Program, bindings: dict[str, float], data: Iterable[str] = ()
             ) -> tuple[Any, dict[str, Any]]:
    """Run ``program`` with each input as a ``Tensor(value, requires_grad=True, name=...)``
    (``requires_grad=False`` for the names in ``data``); returns the last step's value and
    every named value.

    >>> _, env = evaluate(parse("w*x"), {"w": 2.0, "x": 3.0}, data=["x"])
    >>> env["w"].requires_grad, env["x"].requires_grad
    (True, False)
    """
    data = {unicodedata.normalize("NFKC", n) for n in data}
    unknown = sorted(data - set(program.inputs))
    if unknown:
        raise ExprError(f"--data {', '.join(unknown)}: not an input of the expression "
                        f"(its inputs: {', '.join(program.inputs) or 'none'})")
    missing = [n for n in program.inputs if n not in bindings]
    if missing:
        s = "s" if len(missing) > 1 else ""
        raise ExprError(f"unbound name{s} {', '.join(missing)}: give a value for each, e.g. "
                        + " ".join(f"{n}=1" for n in missing))
    extra = [n for n in bindings if n not in program.inputs]
    if extra:
        raise ExprError(f"{', '.join(extra)} given a value but not an input of the expression "
                        f"(its inputs: {', '.join(program.inputs) or 'none'})")
    env: dict[str, Any] = {n: Tensor(bindings[n], requires_grad=n not in data, name=n)
                           for n in program.inputs}
    value: Any = None
    with np.errstate(all="ignore"):
        for target, expr in program.steps:
            value = _run(expr, env)
            if target is not None:
                if isinstance(value, Tensor) and value.name is None:
                    value.name = target
                env[target] = value
    return value, env


def _run(expr: ast.expr, env: dict[str, Any]) -> Any:
    """Evaluate a checked expression with an explicit stack (post-order, left before right)."""
    vals: dict[int, Any] = {}
    stack: list[tuple[ast.AST, bool]] = [(expr, False)]
    while stack:
        node, ready = stack.pop()
        if not ready:
            stack.append((node, True))
            kids = [node.right, node.left] if isinstance(node, ast.BinOp) else \
                [node.operand] if isinstance(node, ast.UnaryOp) else \
                [node.args[0]] if isinstance(node, ast.Call) else []
            stack.extend((k, False) for k in kids)
            continue
        if isinstance(node, ast.Constant):
            v: Any = float(node.value)  # type: ignore[arg-type]  # _check allowed numbers only
        elif isinstance(node, ast.Name):
            v = env[node.id]
        elif isinstance(node, ast.UnaryOp):
            x = vals[id(node.operand)]
            v = -x if isinstance(node.op, ast.USub) else x
        elif isinstance(node, ast.BinOp):
            left, right = vals[id(node.left)], vals[id(node.right)]
            if not isinstance(left, Tensor) and not isinstance(right, Tensor):
                left = np.float64(left)  # numpy: 10**10**10 is inf at once, not a long wait
            v = _BINOPS[type(node.op)](left, right)
        else:
            assert isinstance(node, ast.Call)
            v = _call(node.func, vals[id(node.args[0])])
        vals[id(node)] = v
    return vals[id(expr)]


def _call(func: ast.expr, x: Any) -> Any:
    assert isinstance(func, ast.Name)  # _check allowed nothing else
    name = func.id
    t = x if isinstance(x, Tensor) else Tensor(x)
    out = getattr(t, name)()
    return out if isinstance(x, Tensor) else out.item()
