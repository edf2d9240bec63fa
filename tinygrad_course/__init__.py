"""tinygrad_course: a small, fast autograd engine for the "Neural Networks and Deep Learning"
course - a numpy Tensor that records a computation graph and backpropagates through it."""

from .compile import CompileError, compile, show_code  # the function shadows the package name
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
from .engine.gradcheck import GradcheckResult, gradcheck
from .engine.mode import enable_grad, is_grad_enabled, no_grad, strict_shapes
from .engine.ops import REGISTRY
from .engine.tensor import Tensor
from .engine.transforms import grad, value_and_grad
from .errors import AnomalyError, ShapeError, ShapeWarning
from .viz import draw_graph, save_backward_steps

__version__ = "0.1.0"

__all__ = [
    "AnomalyError",
    "CompileError",
    "GradcheckResult",
    "REGISTRY",
    "ShapeError",
    "ShapeWarning",
    "Tensor",
    "compile",
    "concatenate",
    "detect_anomaly",
    "draw_graph",
    "enable_grad",
    "grad",
    "gradcheck",
    "is_grad_enabled",
    "log_softmax",
    "logsumexp",
    "maximum",
    "minimum",
    "no_grad",
    "save_backward_steps",
    "seed_graph",
    "show_code",
    "softmax",
    "stack",
    "strict_shapes",
    "value_and_grad",
    "where",
]
