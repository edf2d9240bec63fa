"""The course's models: logistic regression (week 2), a shallow net (week 3), an L-layer net
(week 4), with a shared training loop and parameter files."""

from .base import History, Model, check_data
from .deep import DeepNN
from .logistic import LogisticRegression
from .serialization import CheckpointError, load_parameters, save_parameters
from .shallow import ShallowNN

__all__ = ["CheckpointError", "DeepNN", "History", "LogisticRegression", "Model", "ShallowNN",
           "check_data", "load_parameters", "save_parameters"]
