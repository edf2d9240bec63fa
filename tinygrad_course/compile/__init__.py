"""Compile a function of Tensors to straight-line numpy source, forward and backward."""

from .api import CACHE_SIZE, Compiled, compile, show_code
from .step import CompiledStep, compile_step
from .trace import CompileError

__all__ = ["CACHE_SIZE", "Compiled", "CompiledStep", "CompileError", "compile", "compile_step",
           "show_code"]
