"""``tinygrad-course graph``: draw the computation graph of an expression, before or after backward.

    tinygrad-course graph "(a+b)*(b+1)" a=2 b=1 -o e.svg
    tinygrad-course graph "c = a+b; d = b+1; e = c*d" a=2 b=1 -o e.png --highlight b
    tinygrad-course graph "sigmoid(w*x + b)" w=0.5 x=2 b=-1 --steps steps.html
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..engine.tensor import Tensor
from ..viz.draw import draw_graph
from ..viz.labels import fmt_number
from ..viz.render import GraphvizMissing, format_for, render
from ..viz.steps import save_backward_steps
from .expr import FUNCTIONS, ExprError, evaluate, parse, parse_bindings

__all__ = ["register", "run"]

_PROG = "tinygrad-course graph"


def register(sub: Any) -> None:
    p = sub.add_parser(
        "graph", help="draw the computation graph of an expression (values, gradients, "
        "derivatives on the edges)",
        description="Draw the computation graph of an expression in Python syntax: numbers, "
        "names, + - * / **, unary minus and the functions " + ", ".join(FUNCTIONS) + ". "
        "Assignments name intermediate results: \"c = a+b; d = b+1; e = c*d\".",
        epilog="example: tinygrad-course graph \"(a+b)*(b+1)\" a=2 b=1 -o e.svg")
    p.add_argument("expression", help="e.g. \"(a+b)*(b+1)\"")
    p.add_argument("bindings", nargs="*", metavar="NAME=VALUE",
                   help="a value for each input name, e.g. a=2 b=1")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write the picture; the suffix picks the format: .svg .png .pdf .dot "
                   "(default: print the DOT source)")
    p.add_argument("--no-backward", action="store_true",
                   help="draw the forward pass only (no gradients)")
    p.add_argument("--steps", metavar="PAGE.html",
                   help="also write an HTML page that steps through backprop")
    p.add_argument("--highlight", metavar="NAME",
                   help="mark the paths from NAME to the output and write its gradient as "
                   "the chain rule's sum")
    p.add_argument("--rankdir", choices=("LR", "TB", "RL", "BT"), default="LR",
                   help="layout direction (default LR: inputs on the left)")
    p.set_defaults(func=run)


def _fail(message: str, status: int = 2) -> int:
    print(f"{_PROG}: error: {message}", file=sys.stderr)
    return status


def run(args: argparse.Namespace) -> int:
    # Check every file name before any work, so a typo costs nothing.
    try:
        if args.output is not None:
            format_for(args.output)
    except ValueError as e:
        return _fail(str(e))
    if args.steps is not None and Path(args.steps).suffix.lower() not in (".html", ".htm"):
        return _fail(f"--steps writes an HTML page: give a name ending in .html "
                     f"(got {args.steps})")
    try:
        program = parse(args.expression)
        root, env = evaluate(program, parse_bindings(args.bindings))
    except ExprError as e:
        return _fail(str(e))
    if not isinstance(root, Tensor) or not root.requires_grad:
        return _fail("the expression uses no input names, so it has no graph to draw: "
                     "write it in names and give their values, e.g. \"x*x\" x=3")
    if root.name is None:
        # An unnamed result is called "out" in the picture and the summary (de/da reads
        # better than dt3/da); a name the expression already uses is never taken.
        root.name = next(n for n in ("out", "out_", "out__", "result") if n not in env)
    if not args.no_backward:
        root.backward()
    try:
        graph = draw_graph(root, rankdir=args.rankdir, highlight=args.highlight)
    except ValueError as e:
        return _fail(str(e))
    if args.output is None and args.steps is None:
        print(graph.source)
        return 0
    print(_summary(root, env, program.inputs, args.no_backward))
    try:
        if args.output is not None:
            print(f"wrote {render(graph, args.output)}")
        if args.steps is not None:
            print(f"wrote {save_backward_steps(root, args.steps, rankdir=args.rankdir)}")
    except GraphvizMissing as e:
        return _fail(str(e), status=1)
    except OSError as e:
        return _fail(f"cannot write: {e}", status=1)
    return 0


def _summary(root: Tensor, env: dict[str, Any], inputs: tuple[str, ...],
             forward_only: bool) -> str:
    """``e = 6; de/da = 2, de/db = 5``: the value and, after backward, each input's gradient."""
    name = root.name or "value"
    text = f"{name} = {fmt_number(root.item())}"
    if forward_only:
        return text
    grads = [f"d{name}/d{n} = {fmt_number(env[n].grad.item())}" for n in inputs
             if env[n].grad is not None]
    return text + ("; " + ", ".join(grads) if grads else "")
