"""Gradient checking: backprop's gradients against central differences, as the course does."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .mode import enable_grad, no_grad
from .tensor import Tensor

__all__ = ["gradcheck", "GradcheckResult"]


@dataclass
class GradcheckResult:
    """Outcome of :func:`gradcheck`; ``bool(result)`` is ``result.passed``.

    ``rel_diffs`` are the course's true relative differences, one per input, as the course
    teaches to read them (~1e-7 fine, ~1e-3 a bug). ``within_noise[i]`` says that input's
    absolute difference is within the rounding noise of central differences: it then passes
    whatever its ratio (an exactly-zero gradient has ratio 1 against a numeric 1e-12).

    >>> result = gradcheck(lambda w: (w * w).sum(), np.array([1.0, 2.0]))
    >>> bool(result), len(result.rel_diffs)
    (True, 1)
    """

    passed: bool
    rel_diffs: list[float]
    analytic: list[np.ndarray] = field(repr=False)
    numeric: list[np.ndarray] = field(repr=False)
    tol: float = 1e-7
    within_noise: list[bool] = field(default_factory=list, repr=False)

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        verdict = "passed" if self.passed else "FAILED"
        diffs = ", ".join(f"{d:.2e}" for d in self.rel_diffs)
        worst = max(self.rel_diffs, default=0.0)
        noisy = sum(1 for d, n in zip(self.rel_diffs, self.within_noise) if n and d >= self.tol)
        note = f"; {noisy} within rounding noise" if noisy else ""
        return (f"GradcheckResult({verdict}: relative differences [{diffs}], worst "
                f"{worst:.2e} vs tolerance {self.tol:.0e}{note})")


def _rel_diff(g: np.ndarray, g_approx: np.ndarray) -> tuple[float, float]:
    """The course's ||g - g_approx|| / (||g|| + ||g_approx||) (0 when both are 0), and the
    absolute difference ||g - g_approx||."""
    num = float(np.linalg.norm(g - g_approx))
    den = float(np.linalg.norm(g) + np.linalg.norm(g_approx))
    return (num / den if den else 0.0), num


def _scalar(out: Any, projection: list[np.ndarray]) -> Tensor:
    """Reduce a non-scalar output with a fixed random direction (a vector-Jacobian check)."""
    if not isinstance(out, Tensor):
        raise TypeError(f"gradcheck: f returned {type(out).__name__}, expected a Tensor")
    if out.size == 1:
        return out
    if not projection:
        projection.append(np.random.default_rng(0).standard_normal(out.shape))
    return (out * projection[0]).sum()


def gradcheck(f: Callable[..., Any], *inputs: Any, eps: float = 1e-7, tol: float = 1e-7,
              atol: float | None = None) -> GradcheckResult:
    """Compare backprop with central differences ``(f(x+eps) - f(x-eps)) / 2eps`` in float64.

    ``inputs`` are arrays or Tensors. Tensors are perturbed in place (and restored), so a
    closure over a model works: ``gradcheck(lambda *p: model_cost(), *model.parameters())``.
    Their ``.grad`` is left as it was. Passes when every relative difference is below ``tol``.

    ``rel_diffs`` shows the true relative differences. For pass/fail only, an input whose
    absolute difference is no larger than ``atol`` passes (else an exactly-zero gradient could
    never pass: the course's ratio is then 1). By default ``atol`` is the rounding noise of
    central differences, about ``10 · machine-eps · |f| / eps`` per element.

    >>> import numpy as np
    >>> r = gradcheck(lambda w: (w ** 3).sum(), np.array([1.0, -2.0]))
    >>> r.passed, 0 < r.rel_diffs[0] < 1e-7   # the true difference, never rounded to 0
    (True, True)
    """
    if not inputs:
        raise ValueError("gradcheck needs at least one input to differentiate")
    tensors = [x if isinstance(x, Tensor) else Tensor(x) for x in inputs]
    saved = [(t._data, t.grad, t.requires_grad) for t in tensors]
    projection: list[np.ndarray] = []
    try:
        for t in tensors:
            t._data = t._data.astype(np.float64, copy=True)
            t.grad, t.requires_grad = None, True
        with enable_grad():
            out = _scalar(f(*tensors), projection)
            out.backward()
        f0 = abs(out.item())
        analytic = [np.zeros_like(t._data) if t.grad is None else np.array(t.grad, np.float64)
                    for t in tensors]
        numeric = []
        with no_grad():
            for t in tensors:
                approx = np.zeros_like(t._data)
                flat, grad_flat = t._data.reshape(-1), approx.reshape(-1)
                for j in range(flat.size):
                    keep = flat[j]
                    flat[j] = keep + eps
                    plus = _scalar(f(*tensors), projection).item()
                    flat[j] = keep - eps
                    minus = _scalar(f(*tensors), projection).item()
                    flat[j] = keep
                    grad_flat[j] = (plus - minus) / (2 * eps)
                numeric.append(approx)
    finally:
        for t, (data, g, rg) in zip(tensors, saved):
            t._data, t.grad, t.requires_grad = data, g, rg
    def noise(n: int) -> float:
        return 10 * np.finfo(np.float64).eps * max(f0, 1.0) / eps * np.sqrt(n)

    pairs = [_rel_diff(a, n) for a, n in zip(analytic, numeric)]
    quiet = [num <= (noise(a.size) if atol is None else atol)
             for a, (_, num) in zip(analytic, pairs)]
    diffs = [d for d, _ in pairs]
    passed = all(d < tol or q for d, q in zip(diffs, quiet))
    return GradcheckResult(passed, diffs, analytic, numeric, tol, quiet)
