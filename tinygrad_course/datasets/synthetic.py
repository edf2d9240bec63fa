"""Toy 2-D data sets in the course's shapes: ``X`` is ``(2, m)``, ``Y`` is ``(1, m)``."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["make_moons", "make_circles", "make_blobs"]


def _check_n(n_samples: int) -> int:
    if isinstance(n_samples, bool) or int(n_samples) != n_samples or n_samples < 2:
        raise ValueError(f"n_samples must be an int >= 2, got {n_samples!r}")
    return int(n_samples)


def _finish(X: np.ndarray, y: np.ndarray, noise: float, rng: np.random.Generator
            ) -> tuple[np.ndarray, np.ndarray]:
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    if noise:
        X = X + rng.normal(scale=noise, size=X.shape)
    perm = rng.permutation(X.shape[1])
    return X[:, perm], y[perm].reshape(1, -1)


def make_moons(n_samples: int = 400, noise: float = 0.2, seed: int | None = 0
               ) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (the course's "noisy moons" extra data set).

    >>> X, Y = make_moons(10)
    >>> X.shape, Y.shape, int(Y.sum())
    ((2, 10), (1, 10), 5)
    """
    n = _check_n(n_samples)
    n_out, n_in = n // 2, n - n // 2
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    X = np.hstack([np.vstack([np.cos(t_out), np.sin(t_out)]),
                   np.vstack([1 - np.cos(t_in), 0.5 - np.sin(t_in)])])
    y = np.r_[np.zeros(n_out, dtype=np.int64), np.ones(n_in, dtype=np.int64)]
    return _finish(X, y, noise, np.random.default_rng(seed))


def make_circles(n_samples: int = 400, noise: float = 0.05, factor: float = 0.5,
                 seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """A small circle (label 1) inside a large one (label 0); ``factor`` is their radius
    ratio.

    >>> X, Y = make_circles(8, noise=0)
    >>> bool(np.allclose(np.hypot(*X)[Y[0] == 1], 0.5))
    True
    """
    n = _check_n(n_samples)
    if not 0 < factor < 1:
        raise ValueError(f"factor must be in (0, 1), got {factor}")
    n_out, n_in = n // 2, n - n // 2
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.hstack([np.vstack([np.cos(t_out), np.sin(t_out)]),
                   factor * np.vstack([np.cos(t_in), np.sin(t_in)])])
    y = np.r_[np.zeros(n_out, dtype=np.int64), np.ones(n_in, dtype=np.int64)]
    return _finish(X, y, noise, np.random.default_rng(seed))


def make_blobs(n_samples: int = 400, centers: Any = 2, n_features: int = 2,
               cluster_std: float = 1.0, seed: int | None = 0,
               center_box: tuple[float, float] = (-10.0, 10.0)
               ) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian blobs: ``X`` is ``(n_features, m)``, ``Y`` is ``(1, m)`` with labels
    ``0..k-1``. ``centers`` is a count (drawn uniformly in ``center_box``) or a
    ``(k, n_features)`` array.

    >>> X, Y = make_blobs(9, centers=3)
    >>> X.shape, sorted(set(Y.ravel().tolist()))
    ((2, 9), [0, 1, 2])
    """
    n = _check_n(n_samples)
    rng = np.random.default_rng(seed)
    if np.ndim(centers) == 0:
        k = int(centers)
        if k < 1:
            raise ValueError(f"centers must be >= 1, got {centers}")
        c = rng.uniform(center_box[0], center_box[1], size=(k, n_features))
    else:
        c = np.asarray(centers, dtype=np.float64)
        if c.ndim != 2 or c.shape[1] != n_features:
            raise ValueError(f"centers must have shape (k, n_features={n_features}), "
                             f"got {c.shape}")
        k = c.shape[0]
    if cluster_std < 0:
        raise ValueError(f"cluster_std must be >= 0, got {cluster_std}")
    counts = [n // k + (1 if i < n % k else 0) for i in range(k)]
    y = np.repeat(np.arange(k, dtype=np.int64), counts)
    X = c[y].T + rng.normal(scale=cluster_std, size=(n_features, n)) if cluster_std else c[y].T
    return _finish(X, y, 0.0, rng)
