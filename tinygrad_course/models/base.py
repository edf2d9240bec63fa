"""The training loop shared by the course's models: fit, predict, accuracy, and History."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from ..engine.mode import no_grad
from ..engine.tensor import Tensor
from ..losses import binary_cross_entropy, binary_cross_entropy_for
from ..nn.layers import Linear, Sequential, linears
from ..nn.module import Module
from ..optim import Optimizer, make_optimizer
from ..progress import progress_bar
from .checks import check_data, check_finite, check_hyperparameters, check_labels
from .interop import InteropMixin

__all__ = ["Model", "History", "check_data"]


def _opt_lr(optimizer: Any, learning_rate: Any) -> Any:
    """The learning rate ``fit`` will use: an Optimizer instance brings its own."""
    return optimizer.lr if isinstance(optimizer, Optimizer) else learning_rate


@dataclass
class History:
    """What ``fit`` did: ``costs[i]`` is the cost before update ``i`` (with mini-batches, the
    mean cost over epoch ``i``)."""

    costs: list[float] = field(default_factory=list)
    learning_rate: float = 0.0
    optimizer: str = "SGD"
    batch_size: int | None = None

    @property
    def final_cost(self) -> float:
        """The last recorded cost."""
        if not self.costs:
            raise ValueError("no cost recorded: fit ran 0 iterations (num_iterations=0)")
        return self.costs[-1]

    def __len__(self) -> int:
        return len(self.costs)

    def plot(self, path: str | Path) -> Path:
        """Save the cost curve as a PNG (needs the ``plot`` extra: matplotlib)."""
        from ..viz.plots import plot_costs
        return plot_costs(self.costs, path, learning_rate=self.learning_rate)

    def __repr__(self) -> str:
        last = f", final cost {self.costs[-1]:.6f}" if self.costs else ""
        return (f"History({len(self.costs)} iterations, learning_rate={self.learning_rate}"
                f"{last})")


class Model(InteropMixin, Module):
    """A network ``self.net`` ending in a sigmoid, trained on the course's cross-entropy.

    ``labels`` says what ``fit`` accepts as ``Y``: ``"binary"`` (0/1, the default),
    ``"softmax"`` (one-hot columns or class indices, for a subclass whose ``cost`` is
    ``losses.softmax_cross_entropy``) or ``"any"`` (a custom cost checks its own labels).
    """

    net: Sequential
    labels: ClassVar[str] = "binary"

    @property
    def n_x(self) -> int:
        """Number of input features (rows of X)."""
        return linears(self.net)[0].n_in

    @property
    def n_y(self) -> int:
        """Number of output units (rows of Y)."""
        return linears(self.net)[-1].n_out

    def forward(self, X: Any) -> Tensor:
        """``A[L]``, the predicted probabilities ``(n_y, m)``."""
        return self.net(X)

    def cost(self, A: Tensor, Y: Any) -> Tensor:
        """The course's cost J (binary cross-entropy on the sigmoid output)."""
        return binary_cross_entropy(A, Y)

    def named_parameters(self) -> Iterator[tuple[str, Tensor]]:
        """The course's parameter names, as its lectures write them and as the tensors are
        named: ``W[1], b[1], W[2], b[2], ...`` (saved files use the same keys)."""
        for l, layer in enumerate(linears(self.net), start=1):
            yield f"W[{l}]", layer.W
            yield f"b[{l}]", layer.b

    @property
    def linears(self) -> list[Linear]:
        """The ``Linear`` layers, l = 1..L (``self.net.layers`` lists every layer, activations
        included)."""
        return linears(self.net)

    @property
    def layers(self) -> list[Linear]:
        """Deprecated name of :attr:`linears` (it lists the Linear layers only, unlike
        ``Sequential.layers``)."""
        warnings.warn("Model.layers is deprecated: use model.linears (the Linear layers) or "
                      "model.net.layers (every layer)", DeprecationWarning, stacklevel=2)
        return linears(self.net)

    # --- training --------------------------------------------------------------------------
    def fit(self, X: Any, Y: Any, num_iterations: int = 2000, learning_rate: float = 0.0075,
            print_cost: bool = False, optimizer: str | Optimizer = "sgd",
            batch_size: int | None = None, seed: int | None = 0,
            progress: bool | None = None, print_every: int = 100,
            compile: bool = False) -> History:
        """Train by gradient descent on (X, Y); X is (n_x, m), Y is (n_y, m) of 0/1 labels.

        With ``batch_size`` each iteration is one epoch over shuffled mini-batches (shuffled
        with ``seed``). ``print_cost`` prints the cost every ``print_every`` iterations and at
        the last one, as the course does; a progress bar (tqdm, the ``progress`` extra)
        appears in a terminal or notebook for fits longer than half a second
        (``progress=False`` turns it off, ``True`` forces it). ``compile=True`` runs each
        step as code generated once by ``tc.compile`` (same numbers, bit for bit; see
        docs/compile.md).

        Checked first, with a clear error: shapes, at least one example, finite X and Y,
        labels the cost can learn from (see ``labels``), a positive finite learning_rate,
        positive print_every and batch_size.
        """
        x, y = check_data(X, Y, self.n_x, self.n_y, self.labels)
        if x.shape[1] == 0:
            raise ValueError(f"X has no examples: shape {x.shape} is (n_x, m) with m = 0")
        check_finite(x, "X")
        check_finite(y, "Y")
        check_labels(y, self.n_y, self.labels)
        num_iterations = check_hyperparameters(
            num_iterations, _opt_lr(optimizer, learning_rate), print_every, batch_size)
        params = self.parameters()
        opt = make_optimizer(optimizer, params, learning_rate)
        dtype = params[0].dtype
        history = History(learning_rate=opt.lr, optimizer=type(opt).__name__,
                          batch_size=batch_size)
        bar = progress_bar(num_iterations, enabled=progress)
        if batch_size is None:
            step = self._full_batch_step(Tensor(x, dtype=dtype, name="X"),
                                         Tensor(y, dtype=dtype, name="Y"), opt, compile)
        else:
            step = self._mini_batch_step(x, y, int(batch_size), opt, seed, dtype, compile)
        costs = history.costs
        try:
            for i in range(num_iterations):
                cost = step()
                costs.append(cost)
                if print_cost and (i % print_every == 0 or i == num_iterations - 1):
                    bar.write(f"Cost after iteration {i}: {cost:f}")
                bar.set_postfix_str(f"cost {cost:.6f}", refresh=False)
                bar.update(1)
        finally:
            bar.close()
        return history

    def cost_for(self, Y: Tensor) -> Callable[[Tensor], Tensor]:
        """``self.cost(., Y)`` as a function of the output alone, for the training loop; the
        course's cost prepares its label terms once."""
        if type(self).cost is Model.cost:
            return binary_cross_entropy_for(Y, like=Y)
        return lambda A: self.cost(A, Y)

    def _forward_for_training(self) -> Callable[[Tensor], Tensor]:
        # Graphs made inside fit are thrown away each step, so they skip the bookkeeping
        # for pictures (layer marks, Z[l]/A[l] names); a custom forward is respected.
        return self.net.run if type(self).forward is Model.forward else self

    def _full_batch_step(self, X: Tensor, Y: Tensor, opt: Optimizer, compile: bool = False
                         ) -> Any:
        net, loss = self._forward_for_training(), self.cost_for(Y)
        forward = lambda: loss(net(X))  # noqa: E731
        if compile:
            from ..compile.training import compiled_full_batch
            return compiled_full_batch(forward, opt)

        def step() -> float:
            # Only the parameters require grad, so backward never computes dX.
            cost = forward()
            value = cost.item()
            cost.backward()
            opt.step()
            opt.zero_grad()
            return value
        return step

    def _mini_batch_step(self, x: np.ndarray, y: np.ndarray, batch_size: int, opt: Optimizer,
                         seed: int | None, dtype: Any, compile: bool = False) -> Any:
        m = x.shape[1]
        rng = np.random.default_rng(seed)
        net, loss = self._forward_for_training(), self.cost
        batch_cost = lambda xb, yb: loss(net(xb), yb)  # noqa: E731
        compiled = None
        if compile:
            from ..compile.training import compiled_batch_step
            compiled = compiled_batch_step(net, loss, type(self).cost is Model.cost, opt)

        def epoch() -> float:
            perm = rng.permutation(m)
            xs, ys = x[:, perm], y[:, perm]
            total = 0.0
            for k in range(0, m, batch_size):
                xb = Tensor(xs[:, k:k + batch_size], dtype=dtype)
                yb = Tensor(ys[:, k:k + batch_size], dtype=dtype)
                if compiled is not None:
                    total += compiled(xb, yb) * xb.shape[1]
                    continue
                cost = batch_cost(xb, yb)
                total += cost.item() * xb.shape[1]
                cost.backward()
                opt.step()
                opt.zero_grad()
            return total / m
        return epoch

    # --- inference -------------------------------------------------------------------------
    def predict_proba(self, X: Any) -> np.ndarray:
        """The output probabilities ``A[L]`` as an ``(n_y, m)`` array (no graph recorded)."""
        x, _ = check_data(X, None, self.n_x)
        check_finite(x, "X")
        with no_grad():
            return self.net(Tensor(x, dtype=self.linears[0].W.dtype)).data

    def predict(self, X: Any) -> np.ndarray:
        """0/1 predictions ``(n_y, m)``: 1 where the probability is above 0.5 (the course's
        threshold)."""
        return (self.predict_proba(X) > 0.5).astype(np.int64)

    def accuracy(self, X: Any, Y: Any) -> float:
        """Fraction of labels predicted right (the course prints it as a percentage)."""
        _, y = check_data(X, Y, self.n_x, self.n_y)
        return float(np.mean(self.predict(X) == y))

    # --- persistence -----------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the parameters to an ``.npz`` file atomically (see ``models.serialization``)."""
        from .serialization import save_parameters
        return save_parameters(self, path)

    def load(self, path: str | Path) -> Model:
        """Read parameters saved by ``save``; on any problem raise and change nothing."""
        from .serialization import load_parameters
        load_parameters(self, path)
        return self
