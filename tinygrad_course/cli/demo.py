"""``tinygrad-course demo``: the course's first computation graph with its gradients, then a
shallow network trained on the planar "flower" data, with pictures written to a folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..datasets.graphs import seed_graph
from ..engine.tensor import Tensor
from .outputs import UsageError, check_folder
from .train import LIMITS

__all__ = ["register", "run"]


def register(sub: Any) -> None:
    p = sub.add_parser("demo", help="the seed graph e = (a+b)*(b+1) with its gradients, then a "
                       "shallow net on the planar data, with pictures",
                       description="The course in one command: the computation graph "
                       "e = (a+b)*(b+1) forward and backward, then the week-3 network "
                       "(2, 4, 1) trained on the flower data.")
    p.add_argument("--out", default="demo-output", metavar="DIR",
                   help="folder for graph.svg, network.svg, cost.png, decision_boundary.png, "
                   "created if missing; existing pictures in it are replaced "
                   "(default: ./demo-output)")
    p.add_argument("--iterations", type=int, default=10000,
                   help="training iterations, 1..1,000,000 (default: the course's 10000)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        if not 1 <= args.iterations <= LIMITS["iterations"]:
            raise UsageError(f"--iterations must be positive and at most "
                             f"{LIMITS['iterations']:,}, got {args.iterations}")
        out = check_folder(args.out, "--out")
    except UsageError as problem:
        print(f"tinygrad-course demo: error: {problem}", file=sys.stderr)
        return 2

    a, b, c, d, e = seed_graph(backward=True).values()
    print("1. The course's computation graph: c = a + b, d = b + 1, e = c * d")
    print(f"   forward:  a = 2, b = 1 -> c = {c.item():g}, d = {d.item():g}, e = {e.item():g}")
    print(f"   backward: de/dc = {c.grad.item():g}, de/dd = {d.grad.item():g}, "
          f"de/da = {a.grad.item():g}, de/db = {b.grad.item():g}")
    print(f"   picture:  {_draw(e, out / 'graph', highlight='b')}")

    from ..datasets import load_planar_dataset
    from ..models import LogisticRegression, ShallowNN
    X, Y = load_planar_dataset()
    print(f"\n2. The planar 'flower' data: X {X.shape}, Y {Y.shape} (examples are columns)")
    baseline = LogisticRegression(2)
    baseline.fit(X, Y, num_iterations=2000, learning_rate=1.2, progress=False)
    print(f"   logistic regression: accuracy {100 * baseline.accuracy(X, Y):.2f} % "
          "(the course: 47 %)")
    model = ShallowNN(2, 4, 1, activation="tanh", seed=2)  # the week-3 notebook's draw
    print(f"   training a (2, 4, 1) tanh network, learning rate 1.2, {args.iterations} "
          "iterations:")
    history = model.fit(X, Y, num_iterations=args.iterations, learning_rate=1.2,
                        print_cost=True, print_every=1000)
    print(f"   shallow network: accuracy {100 * model.accuracy(X, Y):.2f} % "
          "(the course: 90 %)")

    # One forward/backward on five examples, so the layer clusters stay readable.
    from ..losses import binary_cross_entropy
    cost = binary_cross_entropy(model(Tensor(X[:, :5], name="X")), Tensor(Y[:, :5], name="Y"))
    cost.name = "J"
    cost.backward()
    model.zero_grad()
    print(f"   network graph: {_draw(cost, out / 'network')}")
    _plots(model, history, X, Y, out)
    return 0


def _draw(root: Tensor, stem: Path, highlight: str | None = None) -> str:
    """Render the graph to ``stem.svg`` (or ``stem.dot`` without Graphviz)."""
    from ..viz import dot_available, draw_graph, render
    graph = draw_graph(root, highlight=highlight)
    if dot_available():
        return str(render(graph, stem.with_suffix(".svg")))
    path = render(graph, stem.with_suffix(".dot"))
    return (f"{path} (DOT source: Graphviz's `dot` is not installed, so no SVG; "
            "install it with e.g. `sudo apt-get install graphviz`)")


def _plots(model: Any, history: Any, X: Any, Y: Any, out: Path) -> None:
    try:
        from ..viz.plots import plot_costs, plot_decision_boundary
        cost = plot_costs(history.costs, out / "cost.png", learning_rate=1.2)
        boundary = plot_decision_boundary(model, X, Y, out / "decision_boundary.png",
                                          title="Decision boundary for hidden layer size 4")
    except ImportError as e:
        print(f"   no cost curve or decision boundary: {e}")
        return
    print(f"   cost curve:        {cost}")
    print(f"   decision boundary: {boundary}")
