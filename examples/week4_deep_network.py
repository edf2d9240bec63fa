"""Week 4: the two-layer and the L-layer networks on the cat pictures.

    python examples/week4_deep_network.py [--data-dir DIR] [--save model.npz]

The course prints: two-layer (12288, 7, 1): cost 0.6930497356599888 at iteration 0, train
accuracy 1.0, test 0.72; L-layer [12288, 20, 7, 5, 1]: cost 0.771749 at iteration 0, train
0.9856459330143539, test 0.8. Without the pictures it trains a deep net on the built-in
planar data and says where to get them.
"""

from __future__ import annotations

import argparse
import sys

from tinygrad_course.datasets import load_catvnoncat, load_planar_dataset
from tinygrad_course.models import DeepNN, ShallowNN


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="datasets",
                        help="folder with train_catvnoncat.h5 and test_catvnoncat.h5")
    parser.add_argument("--save", help="save the L-layer model's parameters to this .npz")
    args = parser.parse_args(argv)

    try:
        X_train, Y_train, X_test, Y_test, _ = load_catvnoncat(args.data_dir)
    except (FileNotFoundError, ImportError) as e:
        print(f"note: {e}\nTraining on the built-in planar data instead.\n", file=sys.stderr)
        X, Y = load_planar_dataset()
        deep = DeepNN([2, 10, 5, 1], hidden_activation="tanh", init="xavier", seed=0)
        deep.fit(X, Y, num_iterations=5000, learning_rate=0.5, print_cost=True,
                 print_every=1000)
        print(f"planar accuracy of {deep.layer_dims}: {100 * deep.accuracy(X, Y):.2f} %")
        return 0

    print("Two-layer model (12288, 7, 1), relu then sigmoid")
    two = ShallowNN(12288, 7, 1, activation="relu", init="course", seed=1)
    two.fit(X_train, Y_train, num_iterations=2500, learning_rate=0.0075, print_cost=True)
    print(f"train accuracy {two.accuracy(X_train, Y_train)} (the course: 1.0), "
          f"test {two.accuracy(X_test, Y_test)} (the course: 0.72)\n")

    print("L-layer model [12288, 20, 7, 5, 1]")
    deep = DeepNN([12288, 20, 7, 5, 1], hidden_activation="relu", init="course", seed=1)
    deep.fit(X_train, Y_train, num_iterations=2500, learning_rate=0.0075, print_cost=True)
    print(f"train accuracy {deep.accuracy(X_train, Y_train)} (the course: "
          f"0.9856459330143539), test {deep.accuracy(X_test, Y_test)} (the course: 0.8)")
    if args.save:
        print(f"saved to {deep.save(args.save)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
