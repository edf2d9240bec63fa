"""PNG pictures of training: the cost curve and a 2-D decision boundary (matplotlib extra).

Drawn on a bare ``matplotlib.figure.Figure`` with the Agg canvas, so nothing here touches
pyplot's global state or needs a display.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["plot_costs", "plot_decision_boundary", "require_matplotlib", "PLOT_HINT"]

PLOT_HINT = "plots need matplotlib, the 'plot' extra: pip install 'tinygrad-course[plot]'"


def require_matplotlib() -> Any:
    """The matplotlib ``Figure`` class and Agg canvas, or an ImportError saying what to
    install."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError(PLOT_HINT) from None
    return Figure, FigureCanvasAgg


def _save(fig: Any, canvas_cls: Any, path: str | os.PathLike[str]) -> Path:
    p = Path(path)
    if p.suffix.lower() != ".png":
        raise ValueError(f"plots are written as PNG; give a path ending in .png, got {p.name}")
    p.parent.mkdir(parents=True, exist_ok=True)
    canvas_cls(fig)
    fig.savefig(p, format="png", dpi=100)
    return p


def plot_costs(costs: Sequence[float], path: str | os.PathLike[str],
               learning_rate: float | None = None, title: str | None = None) -> Path:
    """The cost J against the iteration, as the course plots it; saved as a PNG.

    >>> import tempfile, os
    >>> out = plot_costs([0.7, 0.5, 0.4], os.path.join(tempfile.mkdtemp(), "cost.png"))
    >>> out.read_bytes()[:4] == b"\\x89PNG"
    True
    """
    Figure, Canvas = require_matplotlib()
    values = np.asarray(costs, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError("plot_costs needs a non-empty sequence of costs (one per iteration)")
    fig = Figure(figsize=(6, 4))
    ax = fig.subplots()
    ax.plot(np.arange(values.size), values, color="#1f77b4")
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost J")
    if title is None:
        title = "Cost" if learning_rate is None else f"Learning rate = {learning_rate:g}"
    ax.set_title(title)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return _save(fig, Canvas, path)


def plot_decision_boundary(model: Any, X: Any, Y: Any, path: str | os.PathLike[str],
                           title: str | None = None, resolution: int = 300) -> Path:
    """Colour the plane by the model's prediction and scatter the data on top (the course's
    ``plot_decision_boundary``); saved as a PNG.

    ``model`` has ``predict(X) -> (1, k)`` or is such a function; ``X`` is ``(2, m)``, ``Y`` is
    ``(1, m)``.
    """
    Figure, Canvas = require_matplotlib()
    predict: Callable[[np.ndarray], Any] = getattr(model, "predict", model)
    x, y = np.asarray(X, dtype=float), np.asarray(Y).reshape(-1)
    if x.ndim != 2 or x.shape[0] != 2:
        raise ValueError(f"a decision boundary is drawn for 2-D inputs: X must be (2, m), got "
                         f"{x.shape}")
    if y.size != x.shape[1]:
        raise ValueError(f"Y has {y.size} labels but X has {x.shape[1]} examples (columns)")
    pad = 1.0
    x0 = np.linspace(x[0].min() - pad, x[0].max() + pad, resolution)
    x1 = np.linspace(x[1].min() - pad, x[1].max() + pad, resolution)
    g0, g1 = np.meshgrid(x0, x1)
    grid = np.vstack([g0.ravel(), g1.ravel()])  # (2, k): grid points as columns
    z = np.asarray(predict(grid), dtype=float).reshape(g0.shape)
    fig = Figure(figsize=(6, 5))
    ax = fig.subplots()
    ax.contourf(g0, g1, z, cmap="Spectral", alpha=0.8)
    ax.scatter(x[0], x[1], c=y, cmap="Spectral", s=12, edgecolors="k", linewidths=0.3)
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return _save(fig, Canvas, path)
