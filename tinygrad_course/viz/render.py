"""Rendering graphs to files (svg, png, pdf, dot) with Graphviz's ``dot`` program."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

__all__ = ["FORMATS", "GraphvizMissing", "dot_available", "format_for", "render",
           "render_source", "INSTALL_HINT"]

# Output formats by file suffix; ``.dot``/``.gv`` are the DOT source itself (no ``dot`` needed).
FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot"}

INSTALL_HINT = ("Graphviz's `dot` program is not installed (not found on PATH); install "
                "Graphviz (Debian/Ubuntu: sudo apt-get install graphviz; macOS: brew install "
                "graphviz; conda: conda install -c conda-forge graphviz), or write a .dot file "
                "to get the DOT source without it")


class GraphvizMissing(RuntimeError):
    """Rendering needs Graphviz's ``dot`` program and it is not on PATH."""


def dot_available() -> bool:
    """Whether Graphviz's ``dot`` program can be run."""
    return shutil.which("dot") is not None


def format_for(path: str | Path) -> str:
    """The output format a file name asks for, from its suffix.

    >>> format_for("e.svg"), format_for("graph.DOT")
    ('svg', 'dot')
    >>> format_for("e.jpeg")
    Traceback (most recent call last):
    ...
    ValueError: unknown output format '.jpeg' for e.jpeg: use .svg, .png, .pdf or .dot
    """
    p = Path(path)
    fmt = FORMATS.get(p.suffix.lower())
    if fmt is None:
        shown = repr(p.suffix) if p.suffix else "(no suffix)"
        raise ValueError(f"unknown output format {shown} for {p.name}: use .svg, .png, .pdf "
                         "or .dot")
    return fmt


def render_source(source: str, fmt: str) -> bytes:
    """Run ``dot -T<fmt>`` on DOT source and return what it writes."""
    exe = shutil.which("dot")
    if exe is None:
        raise GraphvizMissing(f"cannot render {fmt}: {INSTALL_HINT}")
    proc = subprocess.run([exe, f"-T{fmt}"], input=source.encode("utf-8"),
                          capture_output=True, check=False)
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip()
        raise RuntimeError(f"dot -T{fmt} failed (exit status {proc.returncode}): {err}")
    return proc.stdout


def render(graph: Any, path: str | Path) -> Path:
    """Write ``graph`` (a ``graphviz`` graph, or DOT source text) to ``path``; the suffix picks
    the format (svg, png, pdf, or dot for the source). Returns the path written."""
    p = Path(path)
    fmt = format_for(p)
    source = graph if isinstance(graph, str) else graph.source
    if fmt == "dot":
        p.write_text(source, encoding="utf-8")
        return p
    try:
        data = render_source(source, fmt)
    except GraphvizMissing:
        raise GraphvizMissing(f"cannot render {p.name}: {INSTALL_HINT}") from None
    p.write_bytes(data)
    return p
