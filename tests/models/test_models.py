"""The course's models: the training loop, History, predictions, shape errors, mini-batches,
the tqdm progress bar, and the planar net against the course's hand-written numpy."""

from __future__ import annotations

import doctest
from pathlib import Path

import numpy as np
import pytest

from tinygrad_course import ShapeError, Tensor
from tinygrad_course.datasets import load_planar_dataset, make_blobs, make_moons
from tinygrad_course.models import DeepNN, History, LogisticRegression, ShallowNN
from tinygrad_course.optim import Adam


def course_planar_numpy(X: np.ndarray, Y: np.ndarray, iterations: int) -> list[float]:
    """The week-3 notebook's nn_model, written out as the course writes it."""
    np.random.seed(2)
    W1 = np.random.randn(4, 2) * 0.01
    b1 = np.zeros((4, 1))
    W2 = np.random.randn(1, 4) * 0.01
    b2 = np.zeros((1, 1))
    m = X.shape[1]
    costs = []
    for _ in range(iterations):
        A1 = np.tanh(np.dot(W1, X) + b1)
        A2 = 1 / (1 + np.exp(-(np.dot(W2, A1) + b2)))
        logprobs = np.multiply(np.log(A2), Y) + np.multiply((1 - Y), np.log(1 - A2))
        costs.append(float(-np.sum(logprobs) / m))
        dZ2 = A2 - Y
        dW2 = 1 / m * np.dot(dZ2, A1.T)
        db2 = 1 / m * np.sum(dZ2, axis=1, keepdims=True)
        dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2))
        dW1 = 1 / m * np.dot(dZ1, X.T)
        db1 = 1 / m * np.sum(dZ1, axis=1, keepdims=True)
        W1, b1, W2, b2 = W1 - 1.2 * dW1, b1 - 1.2 * db1, W2 - 1.2 * dW2, b2 - 1.2 * db2
    return costs


def test_planar_costs_follow_the_course_numpy() -> None:
    X, Y = load_planar_dataset()
    expected = course_planar_numpy(X, Y, 1500)
    history = ShallowNN(2, 4, seed=2).fit(X, Y, num_iterations=1500, learning_rate=1.2)
    np.testing.assert_allclose(history.costs, expected, rtol=1e-9)


def test_history_index_i_is_cost_before_update_i() -> None:
    X, Y = make_moons(60, seed=1)
    model = ShallowNN(2, 3, seed=0)
    before = model.cost(model(Tensor(X)), Tensor(Y)).item()
    history = model.fit(X, Y, num_iterations=7, learning_rate=0.5)
    assert isinstance(history, History) and len(history) == 7 and len(history.costs) == 7
    assert history.costs[0] == pytest.approx(before, rel=1e-15)
    after = model.cost(model(Tensor(X)), Tensor(Y)).item()
    assert after < history.costs[-1] < history.costs[0]
    assert history.final_cost == history.costs[-1]
    assert "7 iterations" in repr(history)


def test_print_cost_every_100_and_last(capsys: pytest.CaptureFixture[str]) -> None:
    X, Y = make_moons(40)
    history = LogisticRegression(2).fit(X, Y, num_iterations=250, learning_rate=0.1,
                                        print_cost=True)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "Cost after iteration 0", "Cost after iteration 100", "Cost after iteration 200",
        "Cost after iteration 249"]
    assert lines[1] == f"Cost after iteration 100: {history.costs[100]:f}"


def test_predict_predict_proba_accuracy() -> None:
    X, Y = make_blobs(100, centers=[[-3, 0], [3, 0]], cluster_std=0.5)
    model = LogisticRegression(2)
    model.fit(X, Y, num_iterations=200, learning_rate=0.5)
    proba = model.predict_proba(X)
    pred = model.predict(X)
    assert proba.shape == pred.shape == (1, 100)
    assert set(np.unique(pred)) <= {0, 1}
    np.testing.assert_array_equal(pred, (proba > 0.5).astype(int))
    assert model.accuracy(X, Y) == 1.0


def test_fit_computes_no_gradient_for_the_data() -> None:
    X, Y = make_moons(20)
    model = ShallowNN(2, 3)
    model.fit(X, Y, num_iterations=2, learning_rate=0.1)
    assert all(p.grad is None for p in model.parameters())  # cleared after each step
    A = model(Tensor(X))
    assert A.requires_grad and A.name == "A[2]"


def test_wrong_shapes_say_which_convention() -> None:
    X, Y = make_moons(30)
    model = ShallowNN(2, 3)
    with pytest.raises(ShapeError, match=r"expects \(n_x, m\) = \(2, m\).*pass X\.T"):
        model.fit(X.T, Y)
    with pytest.raises(ShapeError, match=r"Do not use rank-1 arrays: Y = Y.reshape\(1, 30\)"):
        model.fit(X, Y.ravel())
    with pytest.raises(ShapeError, match=r"pass Y\.T"):
        model.fit(X, Y.T)
    with pytest.raises(ShapeError, match="rank-1 array is ambiguous"):
        model.predict(X[0])
    with pytest.raises(ShapeError, match=r"Flatten each example"):
        LogisticRegression(12).predict(np.zeros((5, 2, 2, 3)))
    with pytest.raises(ValueError, match="num_iterations must be a non-negative int"):
        model.fit(X, Y, num_iterations=2.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="X must hold numbers"):
        model.predict(np.array([["a", "b"]] * 2))


def test_mini_batches_and_adam_learn() -> None:
    X, Y = make_moons(200, noise=0.1, seed=3)
    model = DeepNN([2, 8, 4, 1], init="he", seed=0)
    history = model.fit(X, Y, num_iterations=60, learning_rate=0.01, batch_size=32,
                        optimizer=Adam(model.parameters(), lr=0.01), seed=0)
    assert len(history.costs) == 60 and history.batch_size == 32
    assert history.costs[-1] < 0.5 * history.costs[0]
    assert model.accuracy(X, Y) > 0.9
    again = DeepNN([2, 8, 4, 1], init="he", seed=0)
    same = again.fit(X, Y, num_iterations=60, learning_rate=0.01, batch_size=32,
                     optimizer="adam", seed=0)
    np.testing.assert_allclose(same.costs, history.costs)
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        model.fit(X, Y, num_iterations=1, batch_size=0)


def test_full_batch_equals_one_big_mini_batch() -> None:
    X, Y = make_moons(50, seed=2)
    a, b = ShallowNN(2, 3, seed=1), ShallowNN(2, 3, seed=1)
    full = a.fit(X, Y, num_iterations=20, learning_rate=0.5)
    batch = b.fit(X, Y, num_iterations=20, learning_rate=0.5, batch_size=50)
    np.testing.assert_allclose(batch.costs, full.costs, rtol=1e-12)


def test_models_parameters_and_reprs() -> None:
    deep = DeepNN([4, 3, 2, 1])
    assert [n for n, _ in deep.named_parameters()] == ["W[1]", "b[1]", "W[2]", "b[2]", "W[3]",
                                                    "b[3]"]
    assert deep.n_x == 4 and deep.n_y == 1
    assert "layer_dims=[4, 3, 2, 1]" in repr(deep) and "W[3] (1, 2)" in repr(deep)
    shallow = ShallowNN(3, 5, activation="relu")
    assert "activation='relu'" in repr(shallow)
    logreg = LogisticRegression(3)
    assert logreg.W.shape == (1, 3) and logreg.b.shape == (1, 1)
    assert np.all(logreg.W.data == 0)
    with pytest.raises(ValueError, match="at least"):
        DeepNN([3])
    with pytest.raises(ValueError, match="unknown activation"):
        ShallowNN(2, 2, activation="swish")
    assert np.any(LogisticRegression(3, init="he", seed=0).W.data != 0)


def test_float32_model_trains_in_float32() -> None:
    X, Y = make_moons(40)
    model = ShallowNN(2, 3, dtype=np.float32)
    history = model.fit(X, Y, num_iterations=5, learning_rate=0.5)
    assert all(p.dtype == np.float32 for p in model.parameters())
    assert model.predict_proba(X).dtype == np.float32 and len(history.costs) == 5


# --- progress bar (tqdm) ---------------------------------------------------------------------
def test_fit_forced_progress_bar_counts_every_iteration(capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    pytest.importorskip("tqdm")
    X, Y = make_moons(20)
    LogisticRegression(2).fit(X, Y, num_iterations=7, learning_rate=0.1, progress=True,
                              print_cost=True, print_every=3)
    out, err = capsys.readouterr()
    # Cost lines stay on stdout, whole, in the course's format; the bar goes to stderr.
    assert [line.split(":")[0] for line in out.splitlines()] == [
        "Cost after iteration 0", "Cost after iteration 3", "Cost after iteration 6"]
    assert "/7 [" in err and "cost 0." in err and err.endswith("\r")  # cleared at the end


def test_fit_shows_no_bar_off_a_terminal_or_when_turned_off(
        capsys: pytest.CaptureFixture[str]) -> None:
    X, Y = make_moons(20)
    LogisticRegression(2).fit(X, Y, num_iterations=3, learning_rate=0.1)  # stderr: not a tty
    LogisticRegression(2).fit(X, Y, num_iterations=3, learning_rate=0.1, progress=False)
    assert capsys.readouterr() == ("", "")


def test_forced_bar_without_tqdm_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # import fails as if not installed
    X, Y = make_moons(20)
    with pytest.raises(ImportError, match=r"tinygrad-course\[progress\]"):
        LogisticRegression(2).fit(X, Y, num_iterations=3, learning_rate=0.1, progress=True)
    history = LogisticRegression(2).fit(X, Y, num_iterations=3, learning_rate=0.1)
    assert len(history) == 3  # the default (auto) quietly goes without a bar


def test_models_page_examples_run() -> None:
    page = Path(__file__).resolve().parents[2] / "docs" / "models.md"
    result = doctest.testfile(str(page), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 20
    assert result.failed == 0


def test_fit_uses_a_custom_forward_and_cost() -> None:
    from tinygrad_course.losses import mse

    class Halved(ShallowNN):
        calls = 0

        def forward(self, X: Tensor) -> Tensor:
            Halved.calls += 1
            return self.net(X) * 0.5

        def cost(self, A: Tensor, Y: object) -> Tensor:
            return mse(A, Y)

    X, Y = make_moons(30)
    model = Halved(2, 3, seed=0)
    history = model.fit(X, Y, num_iterations=4, learning_rate=0.1)
    assert Halved.calls == 4
    expected = Halved(2, 3, seed=0)
    assert history.costs[0] == pytest.approx(mse(expected(Tensor(X)), Y).item())


def test_linears_are_the_linear_layers_and_layers_is_deprecated() -> None:
    deep = DeepNN([4, 3, 2, 1])
    assert [layer.n_out for layer in deep.linears] == [3, 2, 1]
    assert len(deep.net.layers) == 6  # Sequential.layers: every layer, activations included
    with pytest.warns(DeprecationWarning, match="use model.linears"):
        assert deep.layers == deep.linears


def test_each_model_names_its_course_init_and_keeps_the_old_alias() -> None:
    import inspect
    defaults = {cls: inspect.signature(cls).parameters["init"].default
                for cls in (LogisticRegression, ShallowNN, DeepNN)}
    assert defaults == {LogisticRegression: "zeros", ShallowNN: "course_small",
                        DeepNN: "course_deep"}
    for cls, args in ((ShallowNN, (3, 4)), (DeepNN, ([3, 4, 1],)), (LogisticRegression, (3,))):
        old, new = cls(*args, init="course"), cls(*args)  # type: ignore[operator]
        for a, b in zip(old.parameters(), new.parameters()):
            np.testing.assert_array_equal(a.data, b.data)


@pytest.mark.parametrize("dims", [[2, 3.7, 1], [2, "3", 1], [2, 0, 1], [2, True, 1]])
def test_deep_nn_refuses_layer_sizes_that_are_not_positive_ints(dims: list) -> None:
    # int(3.7) would quietly build a 3-unit layer (issue 11, item 8)
    with pytest.raises(ValueError, match="positive int"):
        DeepNN(dims)
