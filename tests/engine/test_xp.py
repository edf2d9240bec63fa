"""The array-namespace contract: NUMPY and TENSOR offer the same names with the same meaning."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from tinygrad_course import Tensor
from tinygrad_course.engine.xp import NAMES, NUMPY, TENSOR

RNG = np.random.default_rng(0)
X = RNG.uniform(0.5, 2.0, (2, 3))
M = RNG.standard_normal((3, 4))

# name -> (positional array arguments, static arguments)
CALLS: dict[str, tuple[tuple[np.ndarray, ...], tuple[Any, ...]]] = {
    "const": ((X,), ()),
    "exp": ((X,), ()),
    "log": ((X,), ()),
    "reshape": ((X,), ((3, 2),)),
    "transpose": ((X,), ((1, 0),)),
    "broadcast_to": ((X[:1],), ((4, 3),)),
    "unbroadcast": ((X,), ((1, 3),)),
    "scatter": ((X[0],), ((np.array([0, 2, 0]),), (5,))),
    "getitem": ((X,), ((slice(None), np.array([2, 0, 2])),)),
    "matmul": ((X, M), ()),
}


HAND_OVER = {"hand_over", "handed"}  # a hand-over between two rules; tested below


def test_both_namespaces_offer_exactly_the_documented_names() -> None:
    assert set(vars(NUMPY)) == set(vars(TENSOR)) == NAMES == set(CALLS) | HAND_OVER


def test_numpy_hands_a_gradient_over_and_tensor_takes_the_plain_chain_rule() -> None:
    dz = X / 3
    handed = NUMPY.hand_over(X * 2, lambda: dz, "dZ")
    np.testing.assert_array_equal(handed, X * 2)  # still dA, for any other consumer
    assert NUMPY.handed(handed) is dz
    assert NUMPY.handed(X) is None and NUMPY.handed(handed + 1) is None  # a sum hands nothing
    t = Tensor(X, requires_grad=True)
    assert TENSOR.hand_over(t, lambda: pytest.fail("not computed under TENSOR"), "dZ") is t
    assert TENSOR.handed(t) is None


@pytest.mark.parametrize("name", sorted(NAMES - HAND_OVER))
def test_each_function_means_the_same_on_both(name: str) -> None:
    arrays, static = CALLS[name]
    f_np: Callable[..., Any] = getattr(NUMPY, name)
    f_t: Callable[..., Any] = getattr(TENSOR, name)
    expected = f_np(*arrays, *static)
    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    got = f_t(*tensors, *static)
    if name == "const":  # a constant: the plain array, cut from the graph
        assert isinstance(got, np.ndarray) and not isinstance(got, Tensor)
    else:  # recorded, so the rule that used it can be differentiated again
        assert isinstance(got, Tensor) and got.requires_grad and got.op is not None
    np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-12)
    assert np.asarray(got).shape == np.shape(expected)


def test_tensor_namespace_passes_constants_through_numpy() -> None:
    # Under create_graph a rule may meet a constant operand (a Python number or an array).
    np.testing.assert_allclose(TENSOR.exp(X), np.exp(X))
    np.testing.assert_allclose(TENSOR.log(2.0), np.log(2.0))
