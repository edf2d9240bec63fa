"""state_dict / load_state_dict, and the bridge to PyTorch (skipped without the torch extra):
to_torch gives the same predictions, DLPack shares memory, and the course's numpy code on
Tensors gives PyTorch's gradients."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import tinygrad_course as tc
from tinygrad_course import Tensor
from tinygrad_course.models import CheckpointError, DeepNN, LogisticRegression, ShallowNN

RNG = np.random.default_rng(7)
X = RNG.standard_normal((3, 6))  # n_x = 3, m = 6 examples as columns
Y = (RNG.random((1, 6)) > 0.5).astype(float)
MODELS = {"logistic": lambda: LogisticRegression(3),
          "shallow": lambda: ShallowNN(3, 4, seed=2),
          "deep-relu": lambda: DeepNN([3, 5, 4, 1], seed=1)}


@pytest.mark.parametrize("make", MODELS.values(), ids=MODELS.keys())
def test_state_dict_round_trip_with_the_courses_names(make: Any) -> None:
    model = make()
    model.fit(X, Y, num_iterations=3, learning_rate=0.5)
    state = model.state_dict()
    assert list(state) == [n for n, _ in model.named_parameters()]
    assert list(state)[:2] == ["W[1]", "b[1]"]
    other = make()
    assert other.load_state_dict(state) is other
    np.testing.assert_array_equal(other.predict_proba(X), model.predict_proba(X))
    state["W[1]"][...] = 0  # a copy: changing it leaves the model alone
    assert np.any(model.state_dict()["W[1]"] != 0)
    old_names = {k.replace("[", "").replace("]", ""): v for k, v in model.state_dict().items()}
    np.testing.assert_array_equal(make().load_state_dict(old_names).predict_proba(X),
                                  model.predict_proba(X))  # W1, b1 ... as older files say


def test_load_state_dict_is_all_or_nothing() -> None:
    model = ShallowNN(3, 4)
    before = model.state_dict()
    bad = dict(before)
    bad["W[2]"] = np.ones((2, 4))
    bad["b[1]"] = np.full((4, 1), np.nan)
    with pytest.raises(CheckpointError, match=r"b\[1\] contains NaN.*W\[2\] has shape \(2, 4\)"):
        model.load_state_dict(bad)
    with pytest.raises(CheckpointError, match=r"missing b\[2\]; unexpected W9"):
        model.load_state_dict({**{k: v for k, v in before.items() if k != "b[2]"},
                               "W9": np.ones(1)})
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[name])


@pytest.mark.parametrize("make", MODELS.values(), ids=MODELS.keys())
def test_to_torch_gives_the_same_predictions(make: Any) -> None:
    torch = pytest.importorskip("torch")
    model = make()
    model.fit(X, Y, num_iterations=5, learning_rate=0.5)
    net = model.to_torch()
    assert isinstance(net, torch.nn.Sequential)
    with torch.no_grad():
        A_torch = net(torch.from_numpy(X.T.copy())).numpy().T  # torch: examples are rows
    np.testing.assert_allclose(A_torch, model.predict_proba(X), rtol=1e-12, atol=1e-15)
    back = make().load_state_dict({"W[1]": net[0].weight, **{k: v for k, v in
                                                            model.state_dict().items()
                                                            if k != "W[1]"}})
    np.testing.assert_allclose(back.predict_proba(X), model.predict_proba(X), rtol=1e-12)


def test_to_torch_without_torch_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins
    real_import = builtins.__import__

    def no_torch(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "torch" or name.startswith("torch."):
            raise ImportError("No module named 'torch'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_torch)
    with pytest.raises(ImportError, match=r"tinygrad-course\[torch\]"):
        ShallowNN(3, 4).to_torch()


def test_dlpack_shares_memory_with_torch_both_ways() -> None:
    torch = pytest.importorskip("torch")
    t = Tensor(X.copy())
    shared = torch.from_dlpack(t)
    shared[0, 0] = 42.0
    assert t.data[0, 0] == 42.0
    back = tc.from_dlpack(torch.arange(3.0))
    assert back.tolist() == [0.0, 1.0, 2.0] and back.dtype == np.float32
    with pytest.raises(TypeError, match="detach"):
        torch.from_dlpack(Tensor(X, requires_grad=True))


def test_the_courses_numpy_forward_propagation_matches_torch_autograd() -> None:
    torch = pytest.importorskip("torch")
    params = {"W1": RNG.standard_normal((4, 3)) * 0.5, "b1": RNG.standard_normal((4, 1)),
              "W2": RNG.standard_normal((1, 4)) * 0.5, "b2": RNG.standard_normal((1, 1))}

    def forward_propagation_and_cost(X: Any, Y: Any, parameters: dict[str, Any], np: Any) -> Any:
        # the course's week-3 code, unchanged but for the module it is handed
        W1, b1 = parameters["W1"], parameters["b1"]
        W2, b2 = parameters["W2"], parameters["b2"]
        Z1 = np.dot(W1, X) + b1
        A1 = np.tanh(Z1)
        Z2 = np.dot(W2, A1) + b2
        A2 = 1 / (1 + np.exp(-Z2))
        m = Y.shape[1]
        logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
        return - np.sum(logprobs) / m

    ours = {k: Tensor(v, requires_grad=True) for k, v in params.items()}
    forward_propagation_and_cost(X, Y, ours, np).backward()
    theirs = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}

    class TorchAsNumpy:  # the few numpy names the course uses, in torch
        dot, tanh, exp, log, multiply = (torch.matmul, torch.tanh, torch.exp, torch.log,
                                         torch.mul)

        @staticmethod
        def sum(x: Any) -> Any:
            return torch.sum(x)

    forward_propagation_and_cost(torch.from_numpy(X), torch.from_numpy(Y), theirs,
                                 TorchAsNumpy).backward()
    for k in params:
        np.testing.assert_allclose(ours[k].grad, theirs[k].grad.numpy(), rtol=1e-12,
                                   atol=1e-15)


def test_load_state_dict_refuses_one_parameter_named_twice() -> None:
    model = ShallowNN(3, 4)
    state = model.state_dict()
    with pytest.raises(CheckpointError, match=r"W\[1\] is given twice"):
        model.load_state_dict({**state, "W1": np.zeros((4, 3))})
