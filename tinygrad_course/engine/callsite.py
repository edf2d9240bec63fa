"""Where in the user's code an engine call came from (for warnings and anomaly reports)."""

from __future__ import annotations

import os
import sys
from types import FrameType

__all__ = ["user_frame", "user_stacklevel", "creation_site"]

_ENGINE_DIR = os.path.dirname(os.path.abspath(__file__))


def _outside(frame: FrameType) -> bool:
    return not os.path.abspath(frame.f_code.co_filename).startswith(_ENGINE_DIR)


def user_frame() -> tuple[FrameType | None, int]:
    """The innermost frame outside the engine, and how many frames up from the caller it is."""
    frame: FrameType | None = sys._getframe(2)
    level = 2
    while frame is not None and not _outside(frame):
        frame = frame.f_back
        level += 1
    return frame, level


def user_stacklevel() -> int:
    """The ``stacklevel`` for ``warnings.warn`` that points at the user's line.

    >>> user_stacklevel() >= 1
    True
    """
    return user_frame()[1] - 1


def creation_site() -> str:
    """``file:line`` of the innermost frame outside the engine (the user's code)."""
    frame = user_frame()[0]
    return "<unknown>" if frame is None else f"{frame.f_code.co_filename}:{frame.f_lineno}"
