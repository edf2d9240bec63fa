"""Rendering graphs to files (svg, png, pdf, dot) with Graphviz's ``dot``, within a budget.

``graphviz``'s own ``pipe()``/``render()`` take no timeout and leave ``dot`` running when
Python is killed, and a graph of a few hundred nodes can keep ``dot`` busy for minutes. So
``dot`` runs here: on a graph within :data:`MAX_LAYOUT_NODES`/:data:`MAX_LAYOUT_EDGES`, for
at most ``timeout`` seconds, in its own process group (killed whole on timeout) and, on Linux,
killed by the kernel if this process dies first.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

__all__ = ["FORMATS", "GraphvizMissing", "GraphTooLarge", "INSTALL_HINT", "MAX_LAYOUT_EDGES",
           "MAX_LAYOUT_NODES", "RENDER_TIMEOUT", "dot_available", "format_for", "render",
           "render_source"]

# Output formats by file suffix; ``.dot``/``.gv`` are the DOT source itself (no ``dot`` needed).
FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot"}
# The rendering budget: past these sizes a layout takes ``dot`` minutes and gigabytes, and a
# picture of it teaches nothing. Each is a keyword argument of ``render`` the user can raise.
MAX_LAYOUT_NODES = 2_000
MAX_LAYOUT_EDGES = 4_000
RENDER_TIMEOUT = 30.0
_MEMORY = 2 << 30  # address space for ``dot``: a bad layout fails instead of swapping

INSTALL_HINT = ("Graphviz's `dot` program is not installed (not found on PATH); install "
                "Graphviz (Debian/Ubuntu: sudo apt-get install graphviz; macOS: brew install "
                "graphviz; conda: conda install -c conda-forge graphviz), or write a .dot file "
                "to get the DOT source without it")
_SMALLER = ("draw less: draw_graph(..., max_nodes=200) keeps the tensors nearest the output, "
            "collapse_layers=True draws one box per layer, show_edge_derivatives=False drops "
            "the edge labels")


class GraphvizMissing(RuntimeError):
    """Rendering needs Graphviz's ``dot`` program and it is not on PATH."""


class GraphTooLarge(RuntimeError):
    """The graph is over the rendering budget, or ``dot`` did not finish within its time."""


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


def graph_size(source: str) -> tuple[int, int]:
    """``(nodes, edges)`` of DOT source as written by ``graphviz`` (one statement a line).

    >>> graph_size('digraph {\\n\\ta [label=x]\\n\\tb\\n\\ta -> b\\n}')
    (2, 1)
    """
    nodes = edges = 0
    for line in source.splitlines():
        s = line.strip()
        if " -> " in s:
            edges += 1
        elif s and s[0] not in "}{/#" and not s.startswith(("graph ", "node ", "edge ",
                                                           "digraph", "subgraph", "label=")):
            nodes += 1 if "=" not in s.split(" ", 1)[0] else 0
    return nodes, edges


def _child_setup() -> None:  # pragma: no cover - runs in the child, between fork and exec
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (_MEMORY, _MEMORY))
    except (ImportError, ValueError, OSError):
        pass


def render_source(source: str, fmt: str, *, timeout: float | None = RENDER_TIMEOUT,
                  max_nodes: int | None = MAX_LAYOUT_NODES,
                  max_edges: int | None = MAX_LAYOUT_EDGES, dpi: float | None = None) -> bytes:
    """Run ``dot -T<fmt>`` on DOT source, within the budget, and return what it writes.

    ``None`` lifts a limit. Raises :class:`GraphTooLarge` (naming the knob to turn) when the
    graph is over the budget or ``dot`` runs out of time, ``GraphvizMissing`` without ``dot``,
    ``RuntimeError`` when ``dot`` fails.
    """
    nodes, edges = graph_size(source)
    if (max_nodes is not None and nodes > max_nodes) or \
            (max_edges is not None and edges > max_edges):
        raise GraphTooLarge(
            f"the graph has {nodes:,} nodes and {edges:,} edges, over the rendering budget "
            f"({max_nodes} nodes, {max_edges} edges): {_SMALLER}; or raise the budget: "
            "render(..., max_layout_nodes=..., max_layout_edges=...)")
    exe = shutil.which("dot")
    if exe is None:
        raise GraphvizMissing(f"cannot render {fmt}: {INSTALL_HINT}")
    cmd = [exe, f"-T{fmt}"] + ([f"-Gdpi={dpi:g}"] if dpi is not None else [])
    posix = os.name == "posix"
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=posix,
                            preexec_fn=_child_setup if posix else None)
    try:
        out, err = proc.communicate(source.encode("utf-8"), timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise GraphTooLarge(
            f"dot did not finish laying out {nodes:,} nodes and {edges:,} edges within "
            f"{timeout:g} s: {_SMALLER}; or allow more time: render(..., timeout=...) "
            "(the command line: --timeout)") from None
    except BaseException:  # Ctrl-C included: never leave dot behind
        _kill(proc)
        raise
    if proc.returncode != 0:
        msg = err.decode("utf-8", "replace").strip().splitlines()
        first = msg[0] if msg else f"killed by signal {-proc.returncode}" \
            if proc.returncode < 0 else "no message"
        raise RuntimeError(f"dot -T{fmt} failed (exit status {proc.returncode}): {first}")
    return out


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # pragma: no cover
            proc.kill()
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def render(graph: Any, path: str | Path, *, dpi: float | None = None,
           timeout: float | None = RENDER_TIMEOUT,
           max_layout_nodes: int | None = MAX_LAYOUT_NODES,
           max_layout_edges: int | None = MAX_LAYOUT_EDGES) -> Path:
    """Write ``graph`` (a ``graphviz`` graph, or DOT source text) to ``path``; the suffix picks
    the format (svg, png, pdf, or dot for the source). Returns the path written.

    ``dpi`` sets the resolution of PNGs (Graphviz's default is 96; 192 is twice as sharp).
    ``dot`` gets ``timeout`` seconds and at most ``max_layout_nodes``/``max_layout_edges``
    (``None`` lifts a limit); a graph past them raises :class:`GraphTooLarge` saying what to do.
    Nothing is written unless rendering succeeds.
    """
    p = Path(path)
    fmt = format_for(p)
    if dpi is not None and not (isinstance(dpi, (int, float)) and 1 <= dpi <= 2400):
        raise ValueError(f"dpi must be a number from 1 to 2400 (got {dpi!r})")
    source = graph if isinstance(graph, str) else graph.source
    if fmt == "dot":
        p.write_text(source, encoding="utf-8")
        return p
    try:
        data = render_source(source, fmt, timeout=timeout, max_nodes=max_layout_nodes,
                             max_edges=max_layout_edges, dpi=dpi)
    except GraphvizMissing:
        raise GraphvizMissing(f"cannot render {p.name}: {INSTALL_HINT}") from None
    p.write_bytes(data)
    return p
