"""Neural-network building blocks in the course's notation: Module, Linear, activations."""

from . import init
from .layers import (
    ACTIVATIONS,
    Activation,
    LeakyReLU,
    Linear,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
    activation,
    linears,
)
from .module import Module

__all__ = ["ACTIVATIONS", "Activation", "LeakyReLU", "Linear", "Module", "ReLU", "Sequential",
           "Sigmoid", "Tanh", "activation", "init", "linears"]
