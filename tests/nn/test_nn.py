"""nn: Module bookkeeping, Linear in the course's shapes, activations, Sequential naming,
layer scopes for pictures, and the initializers (the course's draws bit for bit)."""

from __future__ import annotations

import numpy as np
import pytest

from tinygrad_course import ShapeError, Tensor, gradcheck, nn
from tinygrad_course.nn import init, scope


def small_net() -> nn.Sequential:
    return nn.Sequential(nn.Linear(3, 4, init="he", seed=0), nn.Tanh(),
                         nn.Linear(4, 1, init="he", seed=1), nn.Sigmoid())


def test_linear_shapes_and_math() -> None:
    layer = nn.Linear(3, 2, init="he", seed=0)
    assert layer.W.shape == (2, 3) and layer.b.shape == (2, 1)
    assert np.all(layer.b.data == 0)
    layer.b.data[:] = [[1.0], [-1.0]]
    A_prev = np.arange(12.0).reshape(3, 4)
    Z = layer(Tensor(A_prev))
    np.testing.assert_allclose(Z.data, layer.W.data @ A_prev + layer.b.data)
    assert Z.shape == (2, 4)


def test_linear_rejects_bad_sizes_and_dtype() -> None:
    with pytest.raises(ValueError, match="n_in must be a positive int"):
        nn.Linear(0, 2)
    with pytest.raises(ValueError, match="n_out"):
        nn.Linear(2, 2.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="float32 or float64"):
        nn.Linear(2, 2, dtype=np.int32)
    with pytest.raises(ValueError, match="unknown init 'nope'"):
        nn.Linear(2, 2, init="nope")


def test_linear_shape_error_names_the_convention() -> None:
    layer = nn.Linear(3, 2)
    with pytest.raises(ShapeError, match=r"\(n\[l-1\], m\)"):
        layer(Tensor(np.ones((5, 4))))


def test_float32_layer_stays_float32() -> None:
    layer = nn.Linear(3, 2, dtype=np.float32, seed=0)
    out = nn.ReLU()(layer(Tensor(np.ones((3, 2), dtype=np.float32))))
    assert layer.W.dtype == np.float32 and out.dtype == np.float32


@pytest.mark.parametrize("act, fn", [
    (nn.Sigmoid(), lambda z: 1 / (1 + np.exp(-z))),
    (nn.Tanh(), np.tanh),
    (nn.ReLU(), lambda z: np.maximum(z, 0)),
    (nn.LeakyReLU(0.1), lambda z: np.where(z > 0, z, 0.1 * z)),
])
def test_activations(act: nn.Activation, fn: object) -> None:
    z = np.linspace(-3, 3, 12).reshape(3, 4)
    np.testing.assert_allclose(act(Tensor(z)).data, fn(z))  # type: ignore[operator]
    np.testing.assert_allclose(act(z).data, fn(z))  # type: ignore[operator]


def test_activation_by_name() -> None:
    assert isinstance(nn.activation("relu"), nn.ReLU)
    with pytest.raises(ValueError, match="unknown activation 'softplus'"):
        nn.activation("softplus")


def test_sequential_names_in_course_notation() -> None:
    net = small_net()
    assert [p.name for p in net.parameters()] == ["W[1]", "b[1]", "W[2]", "b[2]"]
    assert [n for n, _ in net.named_parameters()] == ["0.W", "0.b", "2.W", "2.b"]
    X = Tensor(np.ones((3, 5)), name="X")
    A2 = net(X)
    assert A2.name == "A[2]"
    Z2 = A2.parents[0]
    assert Z2.name == "Z[2]" and Z2.parents[0].parents[1].name == "A[1]"
    with pytest.raises(TypeError, match="Sequential takes Modules"):
        nn.Sequential(nn.Linear(2, 2), "relu")  # type: ignore[arg-type]


def test_layer_calls_are_marked_for_pictures() -> None:
    net = small_net()
    X = Tensor(np.ones((3, 2)), name="X")
    A2 = net(X)
    label, boundary = scope.call_of(A2)  # type: ignore[misc]
    assert label == "Sigmoid 2" and boundary[0].name == "Z[2]"
    Z1 = A2.parents[0].parents[0].parents[1].parents[0]
    assert scope.call_of(Z1)[0] == "Linear 1"  # type: ignore[index]
    members = {t.name for t in scope.members(Z1)}
    assert {"Z[1]", "W[1]", "b[1]"} <= members and "X" not in members


def test_parameters_zero_grad_and_count() -> None:
    net = small_net()
    (net(Tensor(np.ones((3, 2)))).sum()).backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    assert net.num_parameters() == 3 * 4 + 4 + 4 + 1


def test_only_parameters_get_gradients() -> None:
    net = small_net()
    X = Tensor(np.ones((3, 2)))
    out = net(X)
    out.sum().backward()
    assert X.grad is None and not X.requires_grad


def test_module_tree_nesting_and_repr() -> None:
    class Block(nn.Module):
        def __init__(self) -> None:
            self.body = small_net()
            self.head = [nn.Linear(1, 2, seed=0)]

        def forward(self, X: Tensor) -> Tensor:
            return self.head[0](self.body(X))

    block = Block()
    names = [n for n, _ in block.named_parameters()]
    assert names == ["body.0.W", "body.0.b", "body.2.W", "body.2.b", "head.0.W", "head.0.b"]
    text = repr(block)
    assert "W[1] (4, 3), b[1] (4, 1) -> Z[1] (4, m)" in text
    assert "A[1] = tanh(Z[1])" in text
    assert block(Tensor(np.ones((3, 2)))).shape == (2, 2)
    assert repr(nn.LeakyReLU(0.2)) == "LeakyReLU(slope=0.2)"


def test_module_without_forward() -> None:
    with pytest.raises(NotImplementedError, match="must define forward"):
        nn.Module()(Tensor(1.0))


def test_net_gradients_pass_gradcheck() -> None:
    net = small_net()
    X = Tensor(np.random.default_rng(0).normal(size=(3, 6)))
    Y = (np.arange(6) % 2).reshape(1, 6)
    from tinygrad_course.losses import binary_cross_entropy

    def cost(*params: Tensor) -> Tensor:
        for p, value in zip(net.parameters(), params):
            p.data = value.data
        W1, b1, W2, b2 = params
        A1 = (W1 @ X + b1).tanh()
        return binary_cross_entropy((W2 @ A1 + b2).sigmoid(), Y)

    result = gradcheck(cost, *[Tensor(p.data, requires_grad=True) for p in net.parameters()])
    assert result.passed, result


# --- initializers ----------------------------------------------------------------------------
@pytest.mark.parametrize("fn", [init.small_random, init.xavier, init.he, init.course_deep])
def test_initializers_reproducible_from_seed_or_generator(fn: object) -> None:
    a = fn((5, 4), seed=3)  # type: ignore[operator]
    b = fn((5, 4), seed=3)  # type: ignore[operator]
    np.testing.assert_array_equal(a, b)
    gen = fn((5, 4), seed=np.random.default_rng(3))  # type: ignore[operator]
    assert gen.shape == (5, 4)


def test_initializer_scales() -> None:
    assert np.all(init.zeros((3, 2)) == 0)
    assert abs(init.small_random((400, 400), seed=0).std() - 0.01) < 0.001
    assert abs(init.xavier((400, 400), seed=0).std() - np.sqrt(1 / 400)) < 0.005
    assert abs(init.he((400, 400), seed=0).std() - np.sqrt(2 / 400)) < 0.005
    with pytest.raises(ValueError, match=r"\(n\[l\], n\[l-1\]\)"):
        init.he((3,))
    with pytest.raises(TypeError, match="seed must be an int"):
        init.he((2, 2), seed="1")  # type: ignore[arg-type]


def test_course_two_layer_draw_is_the_notebooks() -> None:
    net = nn.Sequential(nn.Linear(5, 3), nn.ReLU(), nn.Linear(3, 1), nn.Sigmoid())
    init.initialize(net, "course_small", seed=1)
    state = np.random.get_state()
    np.random.seed(1)
    W1 = np.random.randn(3, 5) * 0.01
    W2 = np.random.randn(1, 3) * 0.01
    np.random.set_state(state)
    np.testing.assert_array_equal(net[0].W.data, W1)  # type: ignore[attr-defined]
    np.testing.assert_array_equal(net[2].W.data, W2)  # type: ignore[attr-defined]
    assert np.all(net[2].b.data == 0)  # type: ignore[attr-defined]


def test_course_deep_draw_is_the_notebooks_and_leaves_global_rng_alone() -> None:
    dims = [6, 4, 3, 1]
    layers: list[nn.Module] = []
    for l in range(1, len(dims)):
        layers += [nn.Linear(dims[l - 1], dims[l]), nn.ReLU()]
    net = nn.Sequential(*layers)
    np.random.seed(123)
    before = np.random.get_state()[1].copy()  # type: ignore[index]
    init.initialize(net, "course_deep")  # default seed 1, as the course
    assert np.array_equal(np.random.get_state()[1], before)  # type: ignore[index]
    np.random.seed(1)
    for l, layer in enumerate(nn.linears(net), start=1):
        expected = np.random.randn(dims[l], dims[l - 1]) / np.sqrt(dims[l - 1])
        np.testing.assert_array_equal(layer.W.data, expected)


def test_initialize_rejects_unknown_scheme() -> None:
    with pytest.raises(ValueError, match="choose one of zeros, small"):
        init.initialize(small_net(), "glorot")
