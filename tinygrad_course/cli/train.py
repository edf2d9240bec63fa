"""``tinygrad-course train``: fit one of the course's models on a built-in or the cat data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["register", "run", "DEFAULTS"]

DATASETS = ("planar", "moons", "circles", "blobs", "cat")

# The course's hyperparameters: week 2 (logreg), week 3 planar / week 4 two-layer (shallow),
# week 4 application (deep).
DEFAULTS: dict[str, dict[str, Any]] = {
    "logreg": {"iterations": 2000, "lr": 0.005},
    "shallow": {"iterations": 10000, "lr": 1.2, "hidden": 4, "activation": "tanh", "seed": 2},
    "shallow-cat": {"iterations": 2500, "lr": 0.0075, "hidden": 7, "activation": "relu",
                    "seed": 1},
    "deep": {"iterations": 2500, "lr": 0.0075, "hidden_layers": [20, 7, 5, 1]},
}


class UsageError(Exception):
    """Bad command-line input: reported on one line with exit status 2."""


def register(sub: Any) -> None:
    p = sub.add_parser("train", help="train the course's logreg / shallow / deep model",
                       description="Train one of the course's models with its hyperparameters "
                       "(override them with the options) and report accuracy.")
    p.add_argument("--model", choices=("logreg", "shallow", "deep"), default="shallow")
    p.add_argument("--dataset", choices=DATASETS, default="planar")
    p.add_argument("--data-dir", default="datasets",
                   help="directory with train_catvnoncat.h5 / test_catvnoncat.h5 (for cat)")
    p.add_argument("--layers", help="layer sizes for deep, e.g. 12288,20,7,5,1 "
                   "(default: n_x,20,7,5,1)")
    p.add_argument("--hidden", type=int, help="hidden units of the shallow net (n_h)")
    p.add_argument("--activation", choices=("tanh", "relu", "sigmoid", "leaky_relu"),
                   help="hidden activation (shallow: tanh on 2-D data, relu on cat)")
    p.add_argument("--iterations", type=int, help="gradient-descent iterations")
    p.add_argument("--lr", type=float, help="learning rate")
    p.add_argument("--seed", type=int, help="seed of the course's weight draws")
    p.add_argument("--print-every", type=int, help="print the cost every N iterations")
    p.add_argument("--quiet", action="store_true", help="do not print costs")
    p.add_argument("--plot", metavar="DIR", help="write cost.png (and decision_boundary.png "
                   "for 2-D data) into DIR")
    p.add_argument("--save", metavar="FILE", help="save the trained parameters (.npz)")
    p.set_defaults(func=run)


def _data(args: argparse.Namespace) -> tuple[Any, Any, Any, Any]:
    from .. import datasets
    if args.dataset == "cat":
        try:
            X, Y, X_test, Y_test, _ = datasets.load_catvnoncat(args.data_dir)
        except (FileNotFoundError, ImportError, ValueError) as e:
            raise UsageError(str(e)) from None
        return X, Y, X_test, Y_test
    if args.dataset == "planar":
        X, Y = datasets.load_planar_dataset()
    else:
        X, Y = getattr(datasets, f"make_{args.dataset}")()
    return X, Y, None, None


def _layers(args: argparse.Namespace, n_x: int) -> list[int]:
    if args.layers is None:
        return [n_x, *DEFAULTS["deep"]["hidden_layers"]]
    try:
        dims = [int(s) for s in args.layers.split(",") if s.strip()]
    except ValueError:
        raise UsageError(f"--layers must be comma-separated ints like 12288,20,7,5,1, got "
                         f"{args.layers!r}") from None
    if len(dims) < 2 or min(dims) < 1:
        raise UsageError(f"--layers needs at least two positive sizes, got {args.layers!r}")
    if dims[0] != n_x:
        raise UsageError(f"--layers starts with n_x = {dims[0]}, but the {args.dataset} data "
                         f"has n_x = {n_x} features")
    if dims[-1] != 1:
        raise UsageError(f"--layers must end with 1 output unit (a yes/no label), got "
                         f"{dims[-1]}")
    return dims


def _model(args: argparse.Namespace, n_x: int) -> tuple[Any, dict[str, Any]]:
    from ..models import DeepNN, LogisticRegression, ShallowNN
    if args.model == "logreg":
        d = dict(DEFAULTS["logreg"])
        return LogisticRegression(n_x), d
    if args.model == "shallow":
        d = dict(DEFAULTS["shallow-cat" if args.dataset == "cat" else "shallow"])
        n_h = args.hidden if args.hidden is not None else d["hidden"]
        if n_h < 1:
            raise UsageError(f"--hidden must be positive, got {n_h}")
        act = args.activation or d["activation"]
        seed = args.seed if args.seed is not None else d["seed"]
        return ShallowNN(n_x, n_h, 1, activation=act, seed=seed), d
    d = dict(DEFAULTS["deep"])
    act = args.activation or "relu"
    seed = args.seed if args.seed is not None else 1
    return DeepNN(_layers(args, n_x), hidden_activation=act, seed=seed), d


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except UsageError as e:
        print(f"tinygrad-course train: error: {e}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    X, Y, X_test, Y_test = _data(args)
    model, d = _model(args, X.shape[0])
    iterations = args.iterations if args.iterations is not None else d["iterations"]
    lr = args.lr if args.lr is not None else d["lr"]
    if iterations < 1:
        raise UsageError(f"--iterations must be positive, got {iterations}")
    if not lr > 0:
        raise UsageError(f"--lr must be positive, got {lr}")
    every = args.print_every or (100 if iterations <= 3000 else 1000)
    print(_describe(model))
    print(f"data: {args.dataset}, X {X.shape}, Y {Y.shape}; {iterations} iterations, "
          f"learning rate {lr:g}")
    history = model.fit(X, Y, num_iterations=iterations, learning_rate=lr,
                        print_cost=not args.quiet, print_every=every)
    print(f"final cost: {history.final_cost:.6f}")
    print(f"train accuracy: {100 * model.accuracy(X, Y):.2f} %")
    if X_test is not None:
        print(f"test accuracy: {100 * model.accuracy(X_test, Y_test):.2f} %")
    if args.save:
        print(f"saved parameters to {model.save(args.save)}")
    if args.plot:
        _plots(args, model, history, X, Y)
    return 0


def _describe(model: Any) -> str:
    dims = [model.n_x] + [layer.n_out for layer in model.linears]
    return f"model: {type(model).__name__}, layer sizes {dims}"


def _plots(args: argparse.Namespace, model: Any, history: Any, X: np.ndarray,
           Y: np.ndarray) -> None:
    from ..viz.plots import plot_costs, plot_decision_boundary
    out = Path(args.plot)
    try:
        path = plot_costs(history.costs, out / "cost.png", learning_rate=history.learning_rate)
        print(f"wrote {path}")
        if X.shape[0] == 2:
            title = f"{type(model).__name__} on {args.dataset}"
            path = plot_decision_boundary(model, X, Y, out / "decision_boundary.png", title)
            print(f"wrote {path}")
    except ImportError as e:
        raise UsageError(str(e)) from None
