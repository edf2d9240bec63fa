"""Module: the base of layers and models - parameters, gradients, and a lean ``__call__``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from ..engine.meta import set_meta
from ..engine.tensor import Tensor
from .scope import mark_call

__all__ = ["Module"]


class Module:
    """Something with parameters that maps tensors to a tensor.

    Parameters are the ``Tensor`` attributes of a module (in the order they were assigned);
    submodules are its ``Module`` attributes and lists of modules. ``__call__`` runs
    ``forward`` and, for a leaf layer, records the call so graph pictures can draw the layer as
    one labelled cluster and name its output in the course's notation (``Z[1]``, ``A[1]``).

    >>> from tinygrad_course import nn
    >>> layer = nn.Linear(2, 3, init="zeros")
    >>> [name for name, _ in layer.named_parameters()]
    ['W', 'b']
    """

    # Leaf layers (Linear, activations) mark their calls; containers must not, since their
    # output IS their last layer's output and would overwrite that layer's mark.
    _leaf: ClassVar[bool] = False
    label: str = ""
    out_name: str | None = None

    def forward(self, *inputs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *inputs: Any) -> Any:
        # Hot path of every training step: one call, one dict entry, one name - nothing else.
        out = self.forward(*inputs)
        if self._leaf:
            mark_call(out, self.label, inputs)
            if self.out_name is not None:
                set_meta(out, "name", self.out_name)
        return out

    # --- the module tree -------------------------------------------------------------------
    def named_children(self) -> Iterator[tuple[str, Module]]:
        """Direct submodules with their attribute names (list items as ``name.i``)."""
        for key, value in vars(self).items():
            if isinstance(value, Module):
                yield key, value
            elif isinstance(value, (list, tuple)):
                for i, item in enumerate(value):
                    if isinstance(item, Module):
                        yield f"{key}.{i}", item

    def named_parameters(self) -> Iterator[tuple[str, Tensor]]:
        """``(dotted name, tensor)`` for every parameter, this module's first, then each
        submodule's in order (an explicit stack, no recursion)."""
        stack: list[tuple[str, Module]] = [("", self)]
        seen: set[int] = set()
        while stack:
            prefix, module = stack.pop()
            for key, value in vars(module).items():
                if isinstance(value, Tensor) and id(value) not in seen:
                    seen.add(id(value))
                    yield prefix + key, value
            children = list(module.named_children())
            stack.extend((f"{prefix}{name}.", child) for name, child in reversed(children))

    def parameters(self) -> list[Tensor]:
        """Every parameter tensor, in ``named_parameters`` order."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Forget every parameter's gradient (they accumulate across ``backward`` calls)."""
        for p in self.parameters():
            p.grad = None

    def num_parameters(self) -> int:
        """How many numbers the module learns."""
        return sum(p.size for p in self.parameters())

    # --- display ---------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """What goes between the parentheses of this module's repr."""
        return ""

    def shape_note(self) -> str:
        """The course's shapes, shown after the parentheses (``W[1] (4, 2)``)."""
        return ""

    def __repr__(self) -> str:
        head = f"{type(self).__name__}({self.extra_repr()}"
        children = list(self.named_children())
        if not children:
            note = self.shape_note()
            return head + ")" + (f"  {note}" if note else "")
        lines = [head + ("," if self.extra_repr() else "")]
        for name, child in children:
            text = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name.rsplit('.', 1)[-1]}): {text}")
        return "\n".join(lines) + "\n)"
