"""Runs the examples in docs/engine.md (doctest blocks) so the page cannot rot."""

from __future__ import annotations

import doctest
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_engine_page_examples_run() -> None:
    result = doctest.testfile(str(DOCS / "engine.md"), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 10
    assert result.failed == 0
