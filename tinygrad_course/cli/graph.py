"""``tinygrad-course graph``: draw the computation graph of an expression, before or after backward.

    tinygrad-course graph "(a+b)*(b+1)" a=2 b=1 -o e.svg
    tinygrad-course graph "c = a+b; d = b+1; e = c*d" a=2 b=1 -o e.png --highlight b
    tinygrad-course graph "sigmoid(w*x + b)" w=0.5 x=2 b=-1 --data x --steps steps.html
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from ..engine.tensor import Tensor
from ..viz.draw import draw_graph
from ..viz.labels import fmt_number
from ..viz.render import (
    MAX_LAYOUT_EDGES,
    MAX_LAYOUT_NODES,
    RENDER_TIMEOUT,
    GraphTooLarge,
    GraphvizMissing,
    format_for,
    render,
)
from ..viz.steps import save_backward_steps
from .expr import FUNCTIONS, MAX_CHARS, MAX_OPS, ExprError, evaluate, parse, parse_bindings

__all__ = ["register", "run"]

_PROG = "tinygrad-course graph"
DEFAULT_MAX_NODES = 500  # tensors drawn from the command line, nearest the output first
_BOUNDS = (f"Bounds: an expression of at most {MAX_CHARS:,} characters and {MAX_OPS:,} "
           f"operations; pictures of at most --max-nodes tensors (default {DEFAULT_MAX_NODES}), "
           f"{MAX_LAYOUT_NODES:,} Graphviz nodes and {MAX_LAYOUT_EDGES:,} edges; `dot` stops "
           f"after --timeout seconds (default {RENDER_TIMEOUT:g}) and 2 GB, and dies with this "
           "command. Exit status: 0 done, 2 a refused expression or argument, 1 a failure "
           "while drawing or writing; the message is one line on stderr.")


class _GraphParser(argparse.ArgumentParser):
    """The ``graph`` subcommand's parser: an expression such as ``-a*b`` is not an option, and
    a usage error is one line (argparse prints the whole usage first).

    argparse takes every argument that starts with ``-`` for an option; here only ``-o`` and
    ``-h`` (and ``--long`` ones) are, so ``graph "-a*b" a=1 b=2`` works without ``--``.
    """

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        ns, extras = super().parse_known_args(args, namespace)
        if extras:  # reported here, in one line, rather than by the top-level parser
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return ns, extras

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{_PROG}: error: {_short(message)} (see {_PROG} --help)\n")

    def _parse_optional(self, arg_string: str) -> Any:
        if arg_string.startswith("-") and not arg_string.startswith("--") \
                and arg_string[:2] not in ("-o", "-h") and len(arg_string) > 1:
            return None
        return super()._parse_optional(arg_string)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "graph", help="draw the computation graph of an expression (values, gradients, "
        "derivatives on the edges)",
        description="Draw the computation graph of an expression in Python syntax: numbers, "
        "names, + - * / **, unary minus and the functions " + ", ".join(FUNCTIONS) + ". "
        "Assignments name intermediate results: \"c = a+b; d = b+1; e = c*d\". Every name "
        "is a parameter (it gets a gradient) unless --data marks it as data. " + _BOUNDS,
        epilog="example: tinygrad-course graph \"(a+b)*(b+1)\" a=2 b=1 -o e.svg")
    p.__class__ = _GraphParser  # add_parser builds a plain ArgumentParser; see _GraphParser
    p.add_argument("expression", help="e.g. \"(a+b)*(b+1)\"; \"-a*b\" works too")
    p.add_argument("bindings", nargs="*", metavar="NAME=VALUE",
                   help="a value for each input name, e.g. a=2 b=1")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write the picture; the suffix picks the format: .svg .png .pdf .dot "
                   "(default: print the DOT source)")
    p.add_argument("--data", action="append", default=[], metavar="NAME[,NAME...]",
                   help="names that are data, like X and Y: drawn grey, with no gradient")
    p.add_argument("--no-backward", action="store_true",
                   help="draw the forward pass only (no gradients)")
    p.add_argument("--steps", metavar="PAGE.html",
                   help="also write an HTML page that steps through backprop")
    p.add_argument("--highlight", metavar="NAME",
                   help="mark the paths from NAME to the output and write its gradient as "
                   "the chain rule's sum")
    p.add_argument("--rankdir", choices=("LR", "TB", "RL", "BT"), default="LR",
                   help="layout direction (default %(default)s: inputs on the left)")
    p.add_argument("--max-nodes", type=int, default=DEFAULT_MAX_NODES, metavar="N",
                   help="draw at most N tensors, those nearest the output (default %(default)s)")
    p.add_argument("--timeout", type=float, default=RENDER_TIMEOUT, metavar="SECONDS",
                   help="how long Graphviz's dot may take to lay the graph out "
                   "(default %(default)s)")
    p.add_argument("--dpi", type=float, default=None, help="resolution of a .png (dot: 96)")
    p.set_defaults(func=run)


def _short(message: str, limit: int = 400) -> str:
    """One line, whatever the message holds (a pasted argument can be megabytes long)."""
    line = " ".join(str(message).split())
    return line if len(line) <= limit else line[:limit - 3] + "..."


def _fail(message: str, status: int = 2) -> int:
    print(f"{_PROG}: error: {_short(message)}", file=sys.stderr)
    return status


def _free_name(base: str, taken: Any) -> str:
    """``base``, or ``base_2``, ``base_3``, ... : the first that ``taken`` does not hold."""
    name, k = base, 1
    while name in taken:
        k += 1
        name = f"{base}_{k}"
    return name


def run(args: argparse.Namespace) -> int:
    # Check every argument before any work, so a typo costs nothing.
    try:
        if args.output is not None:
            format_for(args.output)
    except ValueError as e:
        return _fail(str(e))
    if args.steps is not None and Path(args.steps).suffix.lower() not in (".html", ".htm"):
        return _fail(f"--steps writes an HTML page: give a name ending in .html "
                     f"(got {args.steps})")
    if args.max_nodes < 1:
        return _fail(f"--max-nodes must be at least 1 (got {args.max_nodes})")
    if not (args.timeout > 0):
        return _fail(f"--timeout must be a positive number of seconds (got {args.timeout})")
    if args.dpi is not None and not (1 <= args.dpi <= 2400):
        return _fail(f"--dpi must be from 1 to 2400 (got {args.dpi:g})")
    try:
        program = parse(args.expression)
        data = {n.strip() for arg in args.data for n in arg.split(",") if n.strip()}
        root, env = evaluate(program, parse_bindings(args.bindings), data=data)
    except ExprError as e:
        return _fail(str(e))
    if not isinstance(root, Tensor) or not root.requires_grad:
        what = "no input names" if not program.inputs else "only data (--data) names"
        return _fail(f"the expression uses {what}, so it has no gradient to draw: write it "
                     "in parameter names and give their values, e.g. \"x*x\" x=3")
    if root.name is None:
        # An unnamed result is called "out" in the picture and the summary (dout/da reads
        # better than dt3/da); a name the expression already uses is never taken.
        root.name = _free_name("out", env)
    try:
        with np.errstate(all="ignore"):  # inf/nan are reported below, in one line
            if not args.no_backward:
                root.backward()
            graph = draw_graph(root, rankdir=args.rankdir, highlight=args.highlight,
                               max_nodes=args.max_nodes)
    except ValueError as e:
        return _fail(str(e))
    if not np.isfinite(root.item()):
        print(f"{_PROG}: warning: {root.name} = {fmt_number(root.item())} (a division by zero, "
              "or log/sqrt of a number <= 0?); drawn anyway", file=sys.stderr)
    if args.output is None and args.steps is None:
        print(graph.source)
        return 0
    print(_summary(root, env, program.inputs, args.no_backward))
    return _write(args, graph, root)


def _write(args: argparse.Namespace, graph: Any, root: Tensor) -> int:
    try:
        if args.output is not None:
            print(f"wrote {render(graph, args.output, dpi=args.dpi, timeout=args.timeout)}")
        if args.steps is not None:
            page = save_backward_steps(root, args.steps, rankdir=args.rankdir,
                                       max_nodes=args.max_nodes, timeout=args.timeout)
            print(f"wrote {page}")
    except GraphTooLarge as e:
        return _fail(f"{str(e).split(':')[0]}: draw fewer tensors (--max-nodes 100) or allow "
                     "more time (--timeout 120), or write the .dot source (-o graph.dot)", 1)
    except (GraphvizMissing, RuntimeError) as e:
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
