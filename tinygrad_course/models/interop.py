"""For people who outgrow the engine: a model's parameters as a dict (``state_dict``) and the
same network as a ``torch.nn.Sequential`` (``to_torch``; PyTorch is the optional ``torch`` extra).

The course's W[l] is ``(n[l], n[l-1])``, exactly ``torch.nn.Linear.weight``'s ``(out, in)``; the
layouts differ in the examples (columns here, rows in PyTorch) and in the bias, ``(n[l], 1)``
here and ``(n[l],)`` there. So the torch model takes ``X.T`` and returns ``A.T``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from ..engine.tensor import Tensor
from ..nn.layers import LeakyReLU, Linear, ReLU, Sigmoid, Tanh
from .serialization import CheckpointError, _legacy

if TYPE_CHECKING:
    from .base import Model

__all__ = ["InteropMixin", "state_dict", "load_state_dict", "to_torch"]


def state_dict(model: Model) -> dict[str, np.ndarray]:
    """``{"W[1]": ..., "b[1]": ..., ...}``: copies of the parameters under the course's names
    (the names of ``named_parameters()`` and of saved files)."""
    return {name: p.data.copy() for name, p in model.named_parameters()}


def _as_array(value: Any) -> np.ndarray:
    if isinstance(value, Tensor):
        return value.data
    if hasattr(value, "detach") and hasattr(value, "cpu"):  # a torch tensor
        return np.asarray(value.detach().cpu().numpy())
    return np.asarray(value)


def load_state_dict(model: Model, state: Mapping[str, Any]) -> None:
    """Set the parameters from ``state`` (arrays, Tensors or torch tensors by course name:
    ``W[1]``, or ``W1`` as files written before the bracket convention say).

    All-or-nothing: a missing or unexpected name, a wrong shape, non-numbers or NaN/inf raise
    :class:`~tinygrad_course.models.CheckpointError` and leave the model unchanged.
    """
    params = dict(model.named_parameters())
    legacy = {_legacy(name): name for name in params}
    arrays: dict[str, np.ndarray] = {}
    for key, value in state.items():
        name = key if key in params else legacy.get(key, key)
        if name in arrays:
            raise CheckpointError(f"cannot load this state into {type(model).__name__}: "
                                  f"{name} is given twice (as {name} and {_legacy(name)})")
        arrays[name] = _as_array(value)
    problems = []
    missing = [n for n in params if n not in arrays]
    extra = [n for n in arrays if n not in params]
    if missing:
        problems.append(f"missing {', '.join(missing)}")
    if extra:
        problems.append(f"unexpected {', '.join(extra)}")
    for name, p in params.items():
        arr = arrays.get(name)
        if arr is None:
            continue
        if arr.shape != p.shape:
            problems.append(f"{name} has shape {arr.shape}, the model's is {p.shape}")
        elif arr.dtype.kind not in "iuf":
            problems.append(f"{name} holds {arr.dtype} values, not numbers")
        elif not np.all(np.isfinite(arr)):
            problems.append(f"{name} contains NaN or infinity")
    if problems:
        raise CheckpointError(f"cannot load this state into {type(model).__name__}: "
                              + "; ".join(problems) + " (the model is unchanged)")
    for name, p in params.items():
        p.data = arrays[name].astype(p.dtype, copy=True)
        p.grad = None


def _torch() -> Any:
    try:
        import torch
    except ImportError:
        raise ImportError("to_torch needs PyTorch, the optional 'torch' extra: pip install "
                          "tinygrad-course[torch] (CPU wheels: pip install torch --index-url "
                          "https://download.pytorch.org/whl/cpu)") from None
    return torch


def to_torch(model: Model) -> Any:
    """An equivalent ``torch.nn.Sequential`` (weights copied, same dtype). Feed it ``X.T``
    (examples as rows); it returns ``A.T``."""
    torch = _torch()
    layers: list[Any] = []
    for layer in model.net:
        if isinstance(layer, Linear):
            W = layer.W.data
            lin = torch.nn.Linear(layer.n_in, layer.n_out, dtype=torch.from_numpy(W).dtype)
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(W.copy()))      # (n[l], n[l-1]) both
                lin.bias.copy_(torch.from_numpy(layer.b.data.reshape(-1).copy()))
            layers.append(lin)
        elif isinstance(layer, LeakyReLU):
            layers.append(torch.nn.LeakyReLU(layer.slope))
        elif isinstance(layer, (Sigmoid, Tanh, ReLU)):
            layers.append({Sigmoid: torch.nn.Sigmoid, Tanh: torch.nn.Tanh,
                           ReLU: torch.nn.ReLU}[type(layer)]())
        else:
            raise TypeError(f"to_torch: no PyTorch equivalent for layer {layer!r}")
    return torch.nn.Sequential(*layers)


class InteropMixin:
    """``state_dict``, ``load_state_dict`` and ``to_torch`` as methods of the course's models."""

    def state_dict(self) -> dict[str, np.ndarray]:
        """Copies of the parameters by the course's names (``W1``, ``b1``, ...)."""
        return state_dict(self)  # type: ignore[arg-type]

    def load_state_dict(self, state: Mapping[str, Any]) -> Any:
        """Set every parameter from ``state``, or raise and change nothing; returns the model."""
        load_state_dict(self, state)  # type: ignore[arg-type]
        return self

    def to_torch(self) -> Any:
        """The same network as a ``torch.nn.Sequential`` (it takes ``X.T``, returns ``A.T``)."""
        return to_torch(self)  # type: ignore[arg-type]
