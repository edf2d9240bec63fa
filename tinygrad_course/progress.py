"""The training progress bar: ``tqdm.auto`` (a widget in Jupyter, a text bar in a terminal).

``tqdm`` is the optional extra ``progress`` (``pip install 'tinygrad-course[progress]'``). Without
it, ``fit`` runs without a bar unless one is asked for explicitly (``progress=True``), which
raises an ``ImportError`` saying which extra to install.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["progress_bar", "NoBar"]

_MISSING = ("a progress bar needs tqdm, the 'progress' extra: "
            "pip install 'tinygrad-course[progress]' (or pass progress=False)")


class NoBar:
    """What ``fit`` uses when there is no bar: ``write`` prints, the rest does nothing."""

    def update(self, n: int = 1) -> None:
        pass

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
        pass

    def write(self, line: str) -> None:
        print(line)

    def close(self) -> None:
        pass


def progress_bar(total: int, enabled: bool | None = None, desc: str = "fit") -> Any:
    """A bar over ``total`` iterations, or a :class:`NoBar`.

    ``enabled=None`` shows one only where tqdm can draw it (a terminal or a notebook) and only
    after half a second, so short fits never show one; ``False`` never; ``True`` always (on
    stderr), and raises ``ImportError`` if tqdm is missing.

    >>> progress_bar(10, enabled=False).write("Cost after iteration 0: 0.693147")
    Cost after iteration 0: 0.693147
    """
    if enabled is False:
        return NoBar()
    try:
        from tqdm.auto import tqdm
    except ImportError:
        if enabled:
            raise ImportError(_MISSING) from None
        return NoBar()
    # disable=None: tqdm turns itself off when stderr is not a terminal (pipes, CI logs).
    bar = tqdm(total=total, desc=desc, file=sys.stderr, disable=None if enabled is None else
               False, delay=0.5 if enabled is None else 0, leave=False, mininterval=0.1,
               dynamic_ncols=True)
    if bar.disable:
        bar.close()
        return NoBar()
    return bar
