"""Week 3: a network with one hidden layer of 4 tanh units on the planar "flower" data.

    python examples/week3_planar_shallow.py [--out DIR]

Logistic regression gets about 47 % on this data; the (2, 4, 1) network gets about 90 %, as in
the course. With matplotlib installed (the 'plot' extra) it writes the cost curve and the
decision boundaries (one per hidden-layer size, as the notebook's last exercise) into --out.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tinygrad_course.datasets import load_planar_dataset
from tinygrad_course.models import LogisticRegression, ShallowNN


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="week3-output", help="folder for the PNG pictures")
    parser.add_argument("--iterations", type=int, default=10000)
    args = parser.parse_args(argv)

    X, Y = load_planar_dataset()
    print(f"X {X.shape}, Y {Y.shape}: {X.shape[1]} examples as columns")

    logreg = LogisticRegression(2)
    logreg.fit(X, Y, num_iterations=2000, learning_rate=1.2)
    print(f"logistic regression: {100 * logreg.accuracy(X, Y):.0f} % (the course: 47 %)")

    model = ShallowNN(2, 4, activation="tanh", seed=2)  # the notebook's np.random.seed(2)
    print(model)
    history = model.fit(X, Y, num_iterations=args.iterations, learning_rate=1.2,
                        print_cost=True, print_every=1000)
    print(f"Accuracy: {100 * model.accuracy(X, Y):.2f} % (the course prints 90 %)")

    try:
        from tinygrad_course.viz.plots import plot_costs, plot_decision_boundary
    except ImportError as e:  # pragma: no cover - only without matplotlib
        print(f"no pictures: {e}")
        return 0
    out = Path(args.out)
    print(f"cost curve: {plot_costs(history.costs, out / 'cost.png', learning_rate=1.2)}")
    # The notebook's last exercise: several hidden-layer sizes, 5000 iterations each.
    for n_h in (1, 2, 3, 4, 5, 20, 50):
        net = ShallowNN(2, n_h, seed=2)
        net.fit(X, Y, num_iterations=5000, learning_rate=1.2)
        path = plot_decision_boundary(net, X, Y, out / f"decision_boundary_nh{n_h}.png",
                                      title=f"Hidden layer of size {n_h}")
        print(f"n_h = {n_h:2d}: accuracy {100 * net.accuracy(X, Y):.2f} %  -> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
