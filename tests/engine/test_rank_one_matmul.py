"""The lecture's rank-1 example, np.dot(a, a.T): a number, not a matrix; the engine says so."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import tinygrad_course.numpy as tnp
from tinygrad_course import ShapeError, ShapeWarning, Tensor, grad, strict_shapes

LECTURE = (r"rank-1 array of shape \(5,\).*a\.T is the same array.*"
           r"np\.dot\(a, a\.T\) is a number, not a \(5, 5\) matrix.*reshape it to \(5, 1\)")


def _a() -> Tensor:
    return Tensor(np.random.default_rng(0).standard_normal(5))


@pytest.mark.parametrize("product", [
    lambda a: a @ a.T,
    lambda a: np.dot(a, a.T),
    lambda a: tnp.dot(a, a.T),
    lambda a: a.dot(a.T),
    lambda a: np.matmul(a, a.T),
    lambda a: a.data @ a,          # numpy array on the left: Tensor's __rmatmul__
], ids=["@", "np.dot", "tnp.dot", "Tensor.dot", "np.matmul", "rmatmul"])
def test_lecture_example_warns_with_the_course_words(product) -> None:
    a = _a()
    with pytest.warns(ShapeWarning, match=LECTURE):
        out = product(a)
    assert out.shape == ()  # numpy's answer still: the inner product
    np.testing.assert_allclose(float(out), float(a.data @ a.data))


def test_strict_shapes_makes_it_an_error() -> None:
    a = _a()
    with strict_shapes(), pytest.raises(ShapeError, match=LECTURE):
        np.dot(a, a.T)


def test_matrix_times_rank_one_vector_warns_too() -> None:
    W = Tensor(np.ones((3, 5)))
    with pytest.warns(ShapeWarning, match=r"shapes \(3, 5\) and \(5,\) gives \(3,\)"):
        W @ _a()


def test_warning_points_at_the_users_line() -> None:
    a = _a()
    with pytest.warns(ShapeWarning) as caught:
        a @ a
    assert caught[0].filename == __file__


def test_the_course_shapes_stay_silent() -> None:
    a = _a().reshape(5, 1)
    W, X = Tensor(np.ones((3, 5))), Tensor(np.ones((5, 4)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert (a @ a.T).shape == (5, 5)          # a column: the outer product
        assert (a.T @ a).shape == (1, 1)
        assert np.dot(W, X).shape == (3, 4)
        assert tnp.outer(_a(), _a()).shape == (5, 5)   # outer/tensordot: no spurious warning
        assert tnp.tensordot(W, X, axes=1).shape == (3, 4)


def test_gradients_of_a_rank_one_matmul_are_unchanged() -> None:
    a = Tensor(np.arange(5.0), requires_grad=True)
    with pytest.warns(ShapeWarning):
        g = grad(lambda t: t @ t)(a)
    np.testing.assert_allclose(np.asarray(g), 2 * np.arange(5.0))
