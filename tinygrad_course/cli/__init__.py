"""The ``tinygrad-course`` command line: each subcommand lives in its own module."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import code, demo, graph, train

__all__ = ["main"]

# Each module adds its subcommand with ``register(subparsers)`` and sets ``func(args) -> int``.
_COMMANDS = (demo, graph, train, code)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tinygrad-course",
        description="Autograd for the 'Neural Networks and Deep Learning' course.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in _COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (2 for usage errors, as argparse does)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    status: int = args.func(args)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
