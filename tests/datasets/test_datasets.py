"""Data sets: the course's planar generator point for point, the cat pictures' layout, and
the synthetic sets in the course's shapes."""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tinygrad_course.datasets import (
    load_catvnoncat,
    load_planar_dataset,
    make_blobs,
    make_circles,
    make_moons,
)

CAT_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "catvnoncat"
needs_cat = pytest.mark.skipif(
    not (CAT_DIR / "train_catvnoncat.h5").is_file(),
    reason=f"the course's cat data is not at {CAT_DIR} (train_catvnoncat.h5, test_catvnoncat.h5)")


def course_load_planar_dataset() -> tuple[np.ndarray, np.ndarray]:
    """planar_utils.load_planar_dataset() as the course ships it (global seed and all)."""
    np.random.seed(1)
    m = 400
    N = int(m / 2)
    D = 2
    X = np.zeros((m, D))
    Y = np.zeros((m, 1), dtype="uint8")
    a = 4
    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + np.random.randn(N) * 0.2
        r = a * np.sin(4 * t) + np.random.randn(N) * 0.2
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return X.T, Y.T


def test_planar_is_the_course_data_exactly() -> None:
    state = np.random.get_state()
    try:
        X_course, Y_course = course_load_planar_dataset()
    finally:
        np.random.set_state(state)
    np.random.seed(7)
    marker = np.random.get_state()[1].copy()  # type: ignore[index]
    X, Y = load_planar_dataset()
    assert np.array_equal(np.random.get_state()[1], marker)  # type: ignore[index]
    assert X.shape == (2, 400) and Y.shape == (1, 400) and Y.dtype == np.uint8
    np.testing.assert_array_equal(X, X_course)
    np.testing.assert_array_equal(Y, Y_course)


@pytest.mark.parametrize("make", [make_moons, make_circles, make_blobs])
def test_synthetic_course_shapes_and_reproducible(make: Any) -> None:
    X, Y = make(101, seed=4)
    assert X.shape == (2, 101) and Y.shape == (1, 101)
    assert set(np.unique(Y)) == {0, 1}
    assert abs(int(Y.sum()) - 50) <= 1
    X2, Y2 = make(101, seed=4)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(Y, Y2)
    assert not np.array_equal(make(101, seed=5)[0], X)


def test_synthetic_geometry() -> None:
    X, Y = make_circles(200, noise=0.0, factor=0.3)
    radius = np.hypot(X[0], X[1])
    np.testing.assert_allclose(radius[Y[0] == 0], 1.0)
    np.testing.assert_allclose(radius[Y[0] == 1], 0.3)
    X, Y = make_moons(200, noise=0.0)
    upper = X[:, Y[0] == 0]
    np.testing.assert_allclose(np.hypot(upper[0], upper[1]), 1.0)
    X, Y = make_blobs(300, centers=[[0, 0, 0], [5, 5, 5], [-5, 5, 0]], n_features=3,
                      cluster_std=0.1)
    assert X.shape == (3, 300) and sorted(np.unique(Y)) == [0, 1, 2]
    np.testing.assert_allclose(X[:, Y[0] == 1].mean(axis=1), [5, 5, 5], atol=0.05)


def test_synthetic_errors() -> None:
    with pytest.raises(ValueError, match="n_samples must be an int >= 2"):
        make_moons(1)
    with pytest.raises(ValueError, match="noise must be >= 0"):
        make_moons(10, noise=-1)
    with pytest.raises(ValueError, match=r"factor must be in \(0, 1\)"):
        make_circles(10, factor=1.5)
    with pytest.raises(ValueError, match="centers must have shape"):
        make_blobs(10, centers=[[0, 0, 0]])
    with pytest.raises(ValueError, match="centers must be >= 1"):
        make_blobs(10, centers=0)


def test_cat_missing_files_say_where_to_get_them(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"train_catvnoncat\.h5.*datasets/"):
        load_catvnoncat(tmp_path)


def test_cat_without_h5py_says_which_extra(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("train_catvnoncat.h5", "test_catvnoncat.h5"):
        (tmp_path / name).write_bytes(b"")
    real_import = builtins.__import__

    def no_h5py(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "h5py":
            raise ImportError("No module named 'h5py'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_h5py)
    with pytest.raises(ImportError, match=r"tinygrad-course\[data\]"):
        load_catvnoncat(tmp_path)


def test_cat_corrupt_file_is_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("h5py", reason="h5py (the 'data' extra) is not installed")
    for name in ("train_catvnoncat.h5", "test_catvnoncat.h5"):
        (tmp_path / name).write_bytes(b"not an hdf5 file")
    with pytest.raises(ValueError, match="cannot read the course's cat data"):
        load_catvnoncat(tmp_path)


@needs_cat
def test_cat_data_in_course_shapes() -> None:
    pytest.importorskip("h5py", reason="h5py (the 'data' extra) is not installed")
    X_train, Y_train, X_test, Y_test, classes = load_catvnoncat(CAT_DIR)
    assert X_train.shape == (12288, 209) and Y_train.shape == (1, 209)
    assert X_test.shape == (12288, 50) and Y_test.shape == (1, 50)
    assert 0.0 <= X_train.min() and X_train.max() <= 1.0
    assert list(classes) == ["non-cat", "cat"]
    assert int(Y_train.sum()) == 72 and int(Y_test.sum()) == 33
    import h5py
    with h5py.File(CAT_DIR / "train_catvnoncat.h5", "r") as f:
        first = np.array(f["train_set_x"][0])
    np.testing.assert_array_equal(X_train[:, 0], first.reshape(-1) / 255)
