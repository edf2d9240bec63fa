"""A tiny progress bar for long training runs, drawn only when writing to a terminal."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

__all__ = ["ProgressBar"]


class ProgressBar:
    """``[#####.....] 500/1000  cost 0.2345  1.2s`` redrawn in place on ``stream``.

    It stays silent unless ``enabled`` is true or, when ``enabled`` is None, ``stream`` is a
    terminal; even then it first draws after ``delay`` seconds, so short fits never show one.
    ``update`` costs one clock read between redraws.

    >>> import io
    >>> bar = ProgressBar(10, stream=io.StringIO(), enabled=True, delay=0, interval=0)
    >>> bar.update(5, cost=0.5)
    >>> "5/10" in bar.stream.getvalue()
    True
    """

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool | None = None,
                 desc: str = "", width: int = 30, delay: float = 0.5,
                 interval: float = 0.1) -> None:
        self.total = max(int(total), 1)
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled = enabled
        self.desc, self.width, self.interval = desc, width, interval
        self.start = time.monotonic()
        self._next = self.start + delay
        self._shown = False

    def update(self, done: int, cost: float | None = None) -> None:
        """Report ``done`` steps finished; redraws at most every ``interval`` seconds."""
        if not self.enabled:
            return
        now = time.monotonic()
        # Before the delay nothing is drawn; once shown, the final step is always drawn.
        if now < self._next and not (self._shown and done >= self.total):
            return
        self._next = now + self.interval
        self._draw(done, cost, now)

    def _draw(self, done: int, cost: float | None, now: float) -> None:
        filled = int(self.width * min(done, self.total) / self.total)
        bar = "#" * filled + "." * (self.width - filled)
        text = f"{self.desc + ' ' if self.desc else ''}[{bar}] {done}/{self.total}"
        if cost is not None:
            text += f"  cost {cost:.6f}"
        text += f"  {now - self.start:.1f}s"
        self.stream.write("\r" + text + "\x1b[K")
        self.stream.flush()
        self._shown = True

    def write(self, line: str, file: TextIO | None = None) -> None:
        """Print ``line`` (to ``file``, default stdout) above the bar without garbling it."""
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
        print(line, file=file if file is not None else sys.stdout, flush=self._shown)
        if self._shown:
            self._next = 0.0  # redraw at the next update

    def close(self) -> None:
        """Finish the line the bar was drawn on (if it was drawn at all)."""
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
            self._shown = False

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
