"""tinygrad_course: a small, fast autograd engine for the "Neural Networks and Deep Learning"
course - a numpy Tensor that records a computation graph and backpropagates through it."""

from .anomaly import detect_anomaly
from .errors import AnomalyError, ShapeError, ShapeWarning
from .functional import concatenate, log_softmax, logsumexp, maximum, minimum, softmax, stack, where
from .grad import grad, value_and_grad
from .gradcheck import GradcheckResult, gradcheck
from .graphs import seed_graph
from .mode import enable_grad, is_grad_enabled, no_grad, strict_shapes
from .ops import REGISTRY
from .tensor import Tensor
from .viz import draw_graph, save_backward_steps

__version__ = "0.1.0"

__all__ = [
    "AnomalyError",
    "GradcheckResult",
    "REGISTRY",
    "ShapeError",
    "ShapeWarning",
    "Tensor",
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
    "softmax",
    "stack",
    "strict_shapes",
    "value_and_grad",
    "where",
]
