"""``tinygrad-course code``: print the numpy code ``tc.compile`` generates for a course model's
training step (forward and backward), in the course's notation."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import numpy as np

__all__ = ["register", "run", "model_step_source"]


def register(sub: Any) -> None:
    p = sub.add_parser("code", help="print the generated forward/backward numpy code of a "
                       "model's training step",
                       description="Trace one training step of a course model with "
                       "tc.compile and print the straight-line numpy code it runs: the forward "
                       "pass and the backward pass (dZ, dW, db) with each op's local "
                       "derivative as a comment.")
    p.add_argument("--model", choices=("logreg", "shallow", "deep"), default="shallow")
    p.add_argument("--layers", default=None,
                   help="layer sizes, e.g. 12288,20,7,5,1 (deep; shallow uses n_x,n_h,n_y)")
    p.add_argument("--m", type=int, default=4, help="examples in the traced batch (columns)")
    p.set_defaults(func=run)


_DEFAULT_LAYERS = {"logreg": [4, 1], "shallow": [2, 4, 1], "deep": [5, 4, 3, 1]}


def model_step_source(model_name: str, layers: list[int] | None = None, m: int = 4) -> str:
    """The generated source of ``J = cost(model(X), Y)`` for one of the course's models."""
    from ..compile import show_code
    from ..engine.tensor import Tensor
    from ..models import DeepNN, LogisticRegression, ShallowNN
    dims = layers or _DEFAULT_LAYERS[model_name]
    model: Any
    if model_name == "logreg":
        model = LogisticRegression(dims[0])
    elif model_name == "shallow":
        if len(dims) != 3:
            raise ValueError(f"shallow takes three sizes n_x,n_h,n_y, got {dims}")
        model = ShallowNN(dims[0], dims[1], dims[2])
    else:
        model = DeepNN(dims)
    rng = np.random.default_rng(0)
    X = Tensor(rng.random((model.n_x, m)), name="X")
    Y = (rng.random((model.n_y, m)) > 0.5).astype(np.float64)

    def step(X: Tensor) -> Tensor:
        return model.cost(model(X), Y)
    return show_code(step, X)


def run(args: argparse.Namespace) -> int:
    try:
        layers = None if args.layers is None else [int(s) for s in args.layers.split(",")]
        if args.m < 1 or (layers is not None and (len(layers) < 2 or min(layers) < 1)):
            raise ValueError("--m and the layer sizes must be positive (at least two sizes)")
        print(model_step_source(args.model, layers, args.m), end="")
    except ValueError as e:
        print(f"tinygrad-course code: error: {e}", file=sys.stderr)
        return 2
    return 0
