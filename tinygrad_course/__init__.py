"""tinygrad_course: a small, fast autograd engine for the "Neural Networks and Deep Learning"
course - a numpy Tensor that records a computation graph and backpropagates through it."""

from .compile import (  # the function shadows the package name
    CompileError,
    compile,
    compile_step,
    show_code,
)
from .datasets.graphs import seed_graph
from .engine.anomaly import detect_anomaly
from .engine.composite import (
    concatenate,
    log_softmax,
    logsumexp,
    maximum,
    minimum,
    softmax,
    stack,
    where,
)
from .engine.constructors import (
    arange,
    eye,
    from_dlpack,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    rand,
    randn,
    tensor,
    zeros,
    zeros_like,
)
from .engine.derivatives import grad, hessian, hvp, jacobian, value_and_grad
from .engine.gradcheck import GradcheckResult, gradcheck
from .engine.mode import enable_grad, is_grad_enabled, no_grad, strict_shapes
from .engine.ops import REGISTRY
from .engine.tensor import Tensor
from .errors import AnomalyError, ShapeError, ShapeWarning
from .viz import draw_graph, save_backward_steps

__version__ = "0.1.0"

# Sub-modules as attributes (``tc.nn.Linear``, ``tc.numpy.tanh``), imported on first use so
# that ``import tinygrad_course`` stays quick and an optional extra is needed only when used.
_SUBMODULES = ("nn", "losses", "optim", "models", "datasets", "testing", "numpy", "viz",
               "engine", "progress", "errors")


def __getattr__(name: str) -> object:
    if name in _SUBMODULES:
        import importlib
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'tinygrad_course' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_SUBMODULES))


__all__ = [
    "AnomalyError",
    "CompileError",
    "GradcheckResult",
    "REGISTRY",
    "ShapeError",
    "ShapeWarning",
    "Tensor",
    "arange",
    "compile",
    "compile_step",
    "concatenate",
    "detect_anomaly",
    "draw_graph",
    "enable_grad",
    "eye",
    "from_dlpack",
    "full",
    "full_like",
    "grad",
    "gradcheck",
    "hessian",
    "hvp",
    "is_grad_enabled",
    "jacobian",
    "linspace",
    "log_softmax",
    "logsumexp",
    "maximum",
    "minimum",
    "no_grad",
    "ones",
    "ones_like",
    "rand",
    "randn",
    "save_backward_steps",
    "seed_graph",
    "show_code",
    "softmax",
    "stack",
    "strict_shapes",
    "tensor",
    "value_and_grad",
    "where",
    "zeros",
    "zeros_like",
]
