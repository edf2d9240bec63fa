"""Draw the pictures of docs/visualization.md into docs/img/ (rerun after changing the drawing).

    .venv/bin/python docs/gen_pictures.py            # writes docs/img/*.svg and a step page
    .venv/bin/python docs/gen_pictures.py --out DIR  # somewhere else (the tests do this)
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from tinygrad_course import Tensor, draw_graph, save_backward_steps, seed_graph
from tinygrad_course.viz import render

IMG = Path(__file__).resolve().parent / "img"


def seed_example() -> Tensor:
    return seed_graph()["e"]


def logistic_regression() -> Tensor:
    # Week 2 on m = 3 examples with n_x = 2 features: examples are the columns of X.
    X = Tensor([[1.0, -2.0, 0.5], [3.0, 0.0, -1.0]], name="X")
    Y = Tensor([[1.0, 0.0, 1.0]], name="Y")
    w = Tensor([[0.1], [-0.2]], requires_grad=True, name="w")
    b = Tensor([[0.0]], requires_grad=True, name="b")
    Z = w.T @ X + b
    Z.name = "Z"
    A = Z.sigmoid()
    A.name = "A"
    L = -(Y * A.log() + (1 - Y) * (1 - A).log())
    L.name = "L"
    J = L.mean()
    J.name = "J"
    return J


def two_layer_net(layer_sizes: Sequence[int] = (2, 4, 1)) -> Tensor:
    # nn.Sequential numbers its layers as the course does (W[1], b[1], Z[1], A[1], ...) and
    # marks each layer's call, so the picture groups each layer into a labelled cluster.
    from tinygrad_course import nn
    from tinygrad_course.losses import binary_cross_entropy

    layers: list[Any] = []
    for l in range(1, len(layer_sizes)):
        layers.append(nn.Linear(layer_sizes[l - 1], layer_sizes[l], seed=l))
        layers.append(nn.Tanh() if l < len(layer_sizes) - 1 else nn.Sigmoid())
    net = nn.Sequential(*layers)
    X = Tensor(np.random.default_rng(0).normal(size=(layer_sizes[0], 3)), name="X")
    J = binary_cross_entropy(net(X), np.array([[1.0, 0.0, 1.0]]))
    J.name = "J"
    return J


def pictures() -> dict[str, Callable[[], Any]]:
    """Each picture of the page by file name, as a function that draws it."""

    def after_backward(make: Callable[[], Tensor], **options: Any) -> Callable[[], Any]:
        def draw() -> Any:
            root = make()
            root.backward()
            return draw_graph(root, **options)
        return draw

    return {
        "seed_forward.svg": lambda: draw_graph(seed_example()),
        "seed_backward.svg": after_backward(seed_example),
        "seed_chain_rule_b.svg": after_backward(seed_example, highlight="b"),
        "logistic_regression.svg": after_backward(logistic_regression, rankdir="TB"),
        "two_layer_net.svg": after_backward(two_layer_net, rankdir="TB"),
        # Top to bottom: a chain of layer boxes drawn left to right is wider than the column.
        "two_layer_net_collapsed.svg": after_backward(two_layer_net, collapse_layers=True,
                                                      rankdir="TB"),
        "deep_net_collapsed.svg": after_backward(lambda: two_layer_net((4, 5, 5, 3, 1)),
                                                 collapse_layers=True, show_data=False,
                                                 rankdir="TB"),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=IMG, help=f"output folder (default {IMG})")
    out = parser.parse_args(argv).out
    out.mkdir(parents=True, exist_ok=True)
    for name, draw in pictures().items():
        print(f"wrote {render(draw(), out / name)}")
    print(f"wrote {save_backward_steps(seed_example(), out / 'seed_steps.html')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
