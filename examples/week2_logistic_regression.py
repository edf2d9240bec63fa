"""Week 2: logistic regression as a one-neuron network, on the course's cat pictures.

    python examples/week2_logistic_regression.py [--data-dir DIR] [--plot cost.png]

Reads train_catvnoncat.h5 / test_catvnoncat.h5 from --data-dir (default: the course's
``datasets/`` folder). Without them, it trains on the built-in planar data instead and says
where to get the pictures. The course prints: cost 0.693147 at iteration 0, train accuracy
99.04306220095694 %, test accuracy 70 %.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tinygrad_course.datasets import load_catvnoncat, load_planar_dataset
from tinygrad_course.models import LogisticRegression


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="datasets",
                        help="folder with train_catvnoncat.h5 and test_catvnoncat.h5")
    parser.add_argument("--plot", help="write the cost curve to this PNG file")
    args = parser.parse_args(argv)

    try:
        X_train, Y_train, X_test, Y_test, classes = load_catvnoncat(args.data_dir)
    except (FileNotFoundError, ImportError) as e:
        print(f"note: {e}\nTraining on the built-in planar data instead.\n", file=sys.stderr)
        X, Y = load_planar_dataset()
        model = LogisticRegression(X.shape[0])
        model.fit(X, Y, num_iterations=2000, learning_rate=1.2, print_cost=True)
        print(f"planar accuracy: {100 * model.accuracy(X, Y):.2f} % (the course: 47 %: the "
              "flower is not linearly separable)")
        return 0

    print(f"X_train {X_train.shape}, Y_train {Y_train.shape}, classes {list(classes)}")
    model = LogisticRegression(X_train.shape[0])  # w = zeros, b = 0, as the notebook
    history = model.fit(X_train, Y_train, num_iterations=2000, learning_rate=0.005,
                        print_cost=True)
    print(f"train accuracy: {100 * model.accuracy(X_train, Y_train)} %  "
          "(the course: 99.04306220095694 %)")
    print(f"test accuracy: {100 * model.accuracy(X_test, Y_test)} %  (the course: 70.0 %)")
    if args.plot:
        print(f"cost curve: {history.plot(Path(args.plot))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
