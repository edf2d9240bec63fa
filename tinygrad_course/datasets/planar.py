"""Week 3's "flower": the course's planar data set, the same 400 points as its notebook."""

from __future__ import annotations

import numpy as np

__all__ = ["load_planar_dataset"]


def load_planar_dataset(seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The course's ``planar_utils.load_planar_dataset()``: ``X`` is ``(2, 400)`` and ``Y`` is
    ``(1, 400)`` (uint8 labels 0 = red, 1 = blue), two petals' worth of each colour.

    The course's generator, line for line, drawing from a legacy ``RandomState(seed)``: the
    same stream as its ``np.random.seed(1)``, without touching numpy's global generator.

    >>> X, Y = load_planar_dataset()
    >>> X.shape, Y.shape, int(Y.sum())
    ((2, 400), (1, 400), 200)
    """
    rng = np.random.RandomState(seed)
    m = 400  # number of examples
    N = m // 2  # points per class
    D = 2  # dimensionality
    X = np.zeros((m, D))
    Y = np.zeros((m, 1), dtype="uint8")  # labels (0 for red, 1 for blue)
    a = 4  # maximum ray of the flower
    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + rng.randn(N) * 0.2  # theta
        r = a * np.sin(4 * t) + rng.randn(N) * 0.2  # radius
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return X.T, Y.T
