"""``tinygrad-course train``: fit one of the course's models on a built-in or the cat data."""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np

from .outputs import RuntimeFailure, UsageError, check_file, check_folder, save_or_rescue

__all__ = ["register", "run", "DEFAULTS", "LIMITS"]

DATASETS = ("planar", "moons", "circles", "blobs", "cat")

# The course's hyperparameters: week 2 (logreg), week 3 planar / week 4 two-layer (shallow),
# week 4 application (deep: n_x, then the hidden layers' sizes, then one sigmoid unit).
DEFAULTS: dict[str, dict[str, Any]] = {
    "logreg": {"iterations": 2000, "lr": 0.005},
    "shallow": {"iterations": 10000, "lr": 1.2, "hidden": 4, "activation": "tanh", "seed": 2},
    "shallow-cat": {"iterations": 2500, "lr": 0.0075, "hidden": 7, "activation": "relu",
                    "seed": 1},
    "deep": {"iterations": 2500, "lr": 0.0075, "hidden_layers": [20, 7, 5], "seed": 1},
}

# What one command may ask for (docs/limits.md): bounded memory and time for any argv.
LIMITS = {"iterations": 1_000_000, "parameters": 5_000_000, "layers": 50, "seed": 2**32 - 1}

_HELP_MODEL = ("logreg: week 2's logistic regression; shallow: week 3's one hidden layer "
               "(n_h = --hidden); deep: week 4's L-layer net (sizes = --layers)")
_HELP_DATASET = ("planar: week 3's 'flower' (2-D, 400 points); moons, circles, blobs: toy 2-D "
                 "sets; cat: the course's 64x64 pictures (needs --data-dir and the 'data' "
                 "extra)")


def register(sub: Any) -> None:
    p = sub.add_parser("train", help="train the course's logreg / shallow / deep model",
                       description="Train one of the course's models with its hyperparameters "
                       "(override them with the options) and report accuracy. Options that "
                       "do not apply to the chosen model are refused.")
    p.add_argument("--model", choices=("logreg", "shallow", "deep"), default="shallow",
                   help=_HELP_MODEL + " (default: %(default)s)")
    p.add_argument("--dataset", choices=DATASETS, default="planar",
                   help=_HELP_DATASET + " (default: %(default)s)")
    p.add_argument("--data-dir", help="directory with train_catvnoncat.h5 / test_catvnoncat.h5 "
                   "(--dataset cat only; default: ./datasets)")
    p.add_argument("--layers", help="deep only: all layer sizes n_x,n[1],...,1, e.g. "
                   "12288,20,7,5,1 (default: n_x,20,7,5,1)")
    p.add_argument("--hidden", type=int, help="shallow only: hidden units n_h (default: 4; 7 "
                   "on cat)")
    from ..nn.layers import ACTIVATIONS  # the choices follow the registry of activations
    p.add_argument("--activation", choices=tuple(ACTIVATIONS),
                   help="shallow/deep: hidden activation (default: tanh on 2-D data, relu on "
                   "cat and for deep)")
    p.add_argument("--iterations", type=int, help="gradient-descent iterations, at most "
                   f"{LIMITS['iterations']:,} (default: 2000 logreg, 10000 shallow, 2500 "
                   "deep or on cat)")
    p.add_argument("--lr", type=float, help="learning rate alpha > 0 (default: 0.005 logreg, "
                   "1.2 shallow, 0.0075 deep or on cat)")
    p.add_argument("--seed", type=int, help="shallow/deep: seed of the course's weight draws, "
                   f"0..{LIMITS['seed']} (default: 2 shallow on 2-D data, else 1)")
    p.add_argument("--print-every", type=int, help="print the cost every N >= 1 iterations "
                   "(default: 100, or 1000 above 3000 iterations)")
    p.add_argument("--quiet", action="store_true", help="do not print costs")
    p.add_argument("--plot", metavar="DIR", help="write cost.png (and decision_boundary.png "
                   "for 2-D data) into DIR, created if missing; needs the 'plot' extra")
    p.add_argument("--save", metavar="FILE", help="save the trained parameters (.npz); a "
                   "symlink is followed")
    p.add_argument("--compile", action="store_true", help="run each step as numpy code "
                   "generated once by tc.compile (same numbers; see `tinygrad-course code`)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except UsageError as e:
        print(f"tinygrad-course train: error: {e}", file=sys.stderr)
        return 2
    except RuntimeFailure as e:
        print(f"tinygrad-course train: error: {e}", file=sys.stderr)
        return 1


def _refuse_options_that_do_not_apply(args: argparse.Namespace) -> None:
    unused = {"logreg": ("layers", "hidden", "activation", "seed"),
              "shallow": ("layers",), "deep": ("hidden",)}[args.model]
    instead = {"layers": "--layers sets the sizes of --model deep",
               "hidden": "--hidden sets n_h of --model shallow; deep takes --layers",
               "activation": "logistic regression has no hidden layer",
               "seed": "logistic regression starts from zeros"}
    for name in unused:
        if getattr(args, name) is not None:
            raise UsageError(f"--{name} does not apply to --model {args.model} "
                             f"({instead[name]})")
    if args.data_dir is not None and args.dataset != "cat":
        raise UsageError(f"--data-dir applies to --dataset cat only, not {args.dataset}")
    if args.quiet and args.print_every is not None:
        raise UsageError("--print-every and --quiet contradict each other")


def _check_numbers(args: argparse.Namespace) -> None:
    top = LIMITS["iterations"]
    if args.iterations is not None and not 1 <= args.iterations <= top:
        raise UsageError(f"--iterations must be positive and at most {top:,}, got "
                         f"{args.iterations}")
    if args.lr is not None and not (math.isfinite(args.lr) and args.lr > 0):
        raise UsageError(f"--lr must be positive and finite, got {args.lr}")
    if args.seed is not None and not 0 <= args.seed <= LIMITS["seed"]:
        raise UsageError(f"--seed must be in 0..{LIMITS['seed']} (numpy's legacy seeds), got "
                         f"{args.seed}")
    if args.print_every is not None and args.print_every < 1:
        raise UsageError(f"--print-every must be at least 1, got {args.print_every}")
    if args.hidden is not None and args.hidden < 1:
        raise UsageError(f"--hidden must be positive, got {args.hidden}")


def _data(args: argparse.Namespace) -> tuple[Any, Any, Any, Any]:
    from .. import datasets
    if args.dataset == "cat":
        folder = Path(args.data_dir if args.data_dir is not None else "datasets")
        try:
            X, Y, X_test, Y_test, _ = datasets.load_catvnoncat(folder)
        except FileNotFoundError as e:
            raise UsageError(f"the cat data is expected in {folder.resolve()}: {e}") from None
        except datasets.DatasetError as e:
            raise UsageError(str(e)) from None
        except ImportError as e:
            raise RuntimeFailure(str(e)) from None
        return X, Y, X_test, Y_test
    if args.dataset == "planar":
        X, Y = datasets.load_planar_dataset()
    else:
        X, Y = getattr(datasets, f"make_{args.dataset}")()
    return X, Y, None, None


def _layers(args: argparse.Namespace, n_x: int) -> list[int]:
    if args.layers is None:
        return [n_x, *DEFAULTS["deep"]["hidden_layers"], 1]
    if len(args.layers) > 20 * LIMITS["layers"]:
        raise UsageError(f"--layers is {len(args.layers)} characters long: at most "
                         f"{LIMITS['layers']} sizes are accepted")
    try:
        dims = [int(s) for s in args.layers.split(",") if s.strip()]
    except ValueError:
        raise UsageError(f"--layers must be comma-separated ints like 12288,20,7,5,1, got "
                         f"{args.layers!r}") from None
    if len(dims) < 2 or min(dims) < 1:
        raise UsageError(f"--layers needs at least two positive sizes, got {args.layers!r}")
    if len(dims) > LIMITS["layers"] + 1:
        raise UsageError(f"--layers has {len(dims) - 1} layers; at most {LIMITS['layers']}")
    if dims[0] != n_x:
        raise UsageError(f"--layers starts with n_x = {dims[0]}, but the {args.dataset} data "
                         f"has n_x = {n_x} features")
    if dims[-1] != 1:
        raise UsageError(f"--layers must end with 1 output unit (a yes/no label), got "
                         f"{dims[-1]}")
    return dims


def _check_size(dims: list[int]) -> None:
    count = sum(n * (n_prev + 1) for n_prev, n in itertools.pairwise(dims))
    if count > LIMITS["parameters"]:
        raise UsageError(f"layer sizes {dims} make {count:,} parameters; at most "
                         f"{LIMITS['parameters']:,} are accepted")


def _model(args: argparse.Namespace, n_x: int) -> tuple[Any, dict[str, Any]]:
    from ..models import DeepNN, LogisticRegression, ShallowNN
    if args.model == "logreg":
        return LogisticRegression(n_x), dict(DEFAULTS["logreg"])
    if args.model == "shallow":
        d = dict(DEFAULTS["shallow-cat" if args.dataset == "cat" else "shallow"])
        n_h = args.hidden if args.hidden is not None else d["hidden"]
        _check_size([n_x, n_h, 1])
        act = args.activation or d["activation"]
        seed = args.seed if args.seed is not None else d["seed"]
        return ShallowNN(n_x, n_h, 1, activation=act, seed=seed), d
    d = dict(DEFAULTS["deep"])
    dims = _layers(args, n_x)
    _check_size(dims)
    seed = args.seed if args.seed is not None else d["seed"]
    return DeepNN(dims, hidden_activation=args.activation or "relu", seed=seed), d


def _run(args: argparse.Namespace) -> int:
    _refuse_options_that_do_not_apply(args)
    _check_numbers(args)
    # Every output is checked before training, so a bad path never costs a trained model.
    save = check_file(args.save, "--save") if args.save else None
    if args.plot and importlib.util.find_spec("matplotlib") is None:
        raise UsageError("--plot needs matplotlib, the 'plot' extra: "
                         "pip install 'tinygrad-course[plot]'")
    plots = check_folder(args.plot, "--plot") if args.plot else None
    X, Y, X_test, Y_test = _data(args)
    model, d = _model(args, X.shape[0])
    iterations = args.iterations if args.iterations is not None else d["iterations"]
    lr = args.lr if args.lr is not None else d["lr"]
    every = args.print_every or (100 if iterations <= 3000 else 1000)
    print(_describe(model))
    print(f"data: {args.dataset}, X {X.shape}, Y {Y.shape}; {iterations} iterations, "
          f"learning rate {lr:g}")
    history = model.fit(X, Y, num_iterations=iterations, learning_rate=lr,
                        print_cost=not args.quiet, print_every=every,
                        compile=args.compile)
    print(f"final cost: {history.final_cost:.6f}")
    if not np.all([np.isfinite(p.data).all() for p in model.parameters()]):
        raise RuntimeFailure(f"training diverged (a parameter became NaN or infinite) with "
                             f"learning rate {lr:g}: try a smaller --lr")
    print(f"train accuracy: {100 * model.accuracy(X, Y):.2f} %")
    if X_test is not None:
        print(f"test accuracy: {100 * model.accuracy(X_test, Y_test):.2f} %")
    if save is not None:
        print(save_or_rescue(model, save))
    if plots is not None:
        _plots(args, model, history, X, Y, plots)
    return 0


def _describe(model: Any) -> str:
    dims = [model.n_x] + [layer.n_out for layer in model.linears]
    return f"model: {type(model).__name__}, layer sizes {dims}"


def _plots(args: argparse.Namespace, model: Any, history: Any, X: np.ndarray,
           Y: np.ndarray, out: Path) -> None:
    from ..viz.plots import plot_costs, plot_decision_boundary
    try:
        path = plot_costs(history.costs, out / "cost.png", learning_rate=history.learning_rate)
        print(f"wrote {path}")
        if X.shape[0] == 2:
            title = f"{type(model).__name__} on {args.dataset}"
            path = plot_decision_boundary(model, X, Y, out / "decision_boundary.png", title)
            print(f"wrote {path}")
    except OSError as e:
        raise RuntimeFailure(f"--plot {args.plot}: cannot write the pictures: "
                             f"{e.strerror or e}") from None
