"""The course's models trained with compile=True: the same costs and parameters, bit for bit,
and the generated backward agrees with the course's hand-derived equations."""

from __future__ import annotations

import numpy as np
import pytest

from tinygrad_course import Tensor
from tinygrad_course.cli import main
from tinygrad_course.cli.code import model_step_source
from tinygrad_course.datasets import load_planar_dataset
from tinygrad_course.models import DeepNN, LogisticRegression, ShallowNN


def _models() -> list[tuple[str, object, object]]:
    return [
        ("logreg", lambda: LogisticRegression(2), 0.5),
        ("shallow", lambda: ShallowNN(2, 4, seed=2), 1.2),
        ("deep", lambda: DeepNN([2, 5, 3, 1]), 0.3),
        ("shallow-relu-f32", lambda: ShallowNN(2, 6, activation="relu", dtype=np.float32),
         0.5),
    ]


@pytest.mark.parametrize(("name", "make", "lr"), _models(), ids=[m[0] for m in _models()])
@pytest.mark.parametrize("batch_size", [None, 64])
def test_fit_compiled_is_bit_for_bit_eager(name: str, make: object, lr: float,
                                           batch_size: int | None) -> None:
    X, Y = load_planar_dataset()
    eager, compiled = make(), make()  # type: ignore[operator]
    h1 = eager.fit(X, Y, 60, lr, progress=False, batch_size=batch_size)
    h2 = compiled.fit(X, Y, 60, lr, progress=False, batch_size=batch_size, compile=True)
    assert h1.costs == h2.costs
    for p, q in zip(eager.parameters(), compiled.parameters()):
        assert p.data.dtype == q.data.dtype and p.data.tobytes() == q.data.tobytes()


def test_generated_two_layer_backward_is_the_courses_equations() -> None:
    """docs/compile.md sets these side by side: dZ2 = A2 - Y, dW2 = 1/m dZ2 A1ᵀ, ..."""
    X, Y = load_planar_dataset()
    net = ShallowNN(2, 4, seed=2)
    for _ in range(3):  # away from the initial point, so that nothing is trivially zero
        net.fit(X, Y, 1, 1.2, progress=False)
    from tinygrad_course import compile
    step = compile(lambda X: net.cost(net(X), Y))
    step(Tensor(X)).backward()
    W1, b1, W2, b2 = (p.data for p in net.parameters())
    m = X.shape[1]
    A1 = np.tanh(W1 @ X + b1)
    A2 = 1 / (1 + np.exp(-(W2 @ A1 + b2)))
    dZ2 = A2 - Y
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = W2.T @ dZ2 * (1 - A1 ** 2)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    for p, want in zip(net.parameters(), (dW1, db1, dW2, db2)):
        np.testing.assert_allclose(p.grad, want, rtol=1e-9, atol=1e-15)


def test_generated_l_layer_backward_is_the_courses_equations() -> None:
    rng = np.random.default_rng(3)
    X = rng.random((6, 30))
    Y = (rng.random((1, 30)) > 0.5).astype(float)
    net = DeepNN([6, 5, 4, 1])
    from tinygrad_course import compile
    compile(lambda X: net.cost(net(X), Y))(Tensor(X)).backward()
    ps = [p.data for p in net.parameters()]
    L, m = len(ps) // 2, X.shape[1]
    A, caches = X, []
    for l in range(L):
        Z = ps[2 * l] @ A + ps[2 * l + 1]
        caches.append((A, Z))
        A = 1 / (1 + np.exp(-Z)) if l == L - 1 else np.maximum(Z, 0)
    dZ = A - Y  # dZ[L] = A[L] - Y
    for l in reversed(range(L)):
        A_prev, _ = caches[l]
        np.testing.assert_allclose(net.parameters()[2 * l].grad, dZ @ A_prev.T / m, rtol=1e-9)
        np.testing.assert_allclose(net.parameters()[2 * l + 1].grad,
                                   dZ.sum(axis=1, keepdims=True) / m, rtol=1e-9, atol=1e-15)
        if l:
            dZ = (ps[2 * l].T @ dZ) * (caches[l - 1][1] > 0)  # dA[l-1] * g'(Z[l-1])


def test_code_command_prints_the_models_backward(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["code", "--model", "shallow"]) == 0
    out = capsys.readouterr().out
    for line in ("Z1 = W1 @ X + b1", "A1 = np.tanh(Z1)", "dZ2 = ", "dZ1 = dA1 * (1 - A1 * A1)",
                 "dW1 = dZ1 @ X.T", "def backward("):
        assert line in out
    assert out == model_step_source("shallow")


def test_code_command_refuses_bad_layers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["code", "--model", "shallow", "--layers", "2,0,1"]) == 2
    assert "error" in capsys.readouterr().err


def test_train_compile_prints_the_same_costs(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["train", "--model", "shallow", "--iterations", "30", "--print-every", "10"]
    assert main(argv) == 0
    eager = capsys.readouterr().out
    assert main([*argv, "--compile"]) == 0
    assert capsys.readouterr().out == eager
