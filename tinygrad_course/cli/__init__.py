"""The ``tinygrad-course`` command line: each subcommand lives in its own module.

Exit status: 0 on success, 2 for usage or input errors, 1 for failures at run time, 130 when
interrupted; every error is one line on stderr (set ``TINYGRAD_COURSE_TRACEBACK=1`` to see the
traceback of an unexpected one). A reader that goes away (``| head``) ends the output quietly.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from .. import __version__
from . import code, demo, graph, train

__all__ = ["main"]

# Each module adds its subcommand with ``register(subparsers)`` and sets ``func(args) -> int``.
_COMMANDS = (demo, graph, train, code)


class _Parser(argparse.ArgumentParser):
    """argparse, with its usage errors on one line (subcommands' parsers are this class too)."""

    def error(self, message: str) -> Any:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tinygrad-course",
        description="Autograd for the 'Neural Networks and Deep Learning' course.",
        epilog="Limits and safety (what each command accepts): docs/limits.md.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in _COMMANDS:
        module.register(sub)
    return parser


class _QuietPipe:
    """``sys.stdout`` that, once its reader has gone (``| head``), sends the rest of the
    output to /dev/null instead of raising ``BrokenPipeError``: the command still finishes
    (a ``train --save`` still saves) and nothing is printed about it."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except BrokenPipeError:
            self._silence()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._silence()

    def _silence(self) -> None:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def _quiet_pipe() -> Iterator[None]:
    real = sys.stdout
    sys.stdout = _QuietPipe(real)
    try:
        yield
        sys.stdout.flush()
    finally:
        sys.stdout = real


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (2 for usage errors, as argparse does)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    name = f"{parser.prog} {args.command}"
    try:
        with _quiet_pipe():
            status: int = args.func(args)
        return status
    except KeyboardInterrupt:
        print(f"{name}: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # the safety net: one line, never a traceback (see the docstring)
        if os.environ.get("TINYGRAD_COURSE_TRACEBACK"):
            raise
        text = " ".join(str(e).split()) or type(e).__name__
        print(f"{name}: error: {type(e).__name__}: {text}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
