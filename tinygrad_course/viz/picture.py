"""``Picture``: the ``graphviz.Digraph`` that ``draw_graph`` returns, whose every way of running
``dot`` (``pipe``, ``render``, Jupyter's display) goes through the rendering budget."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import graphviz

from .render import (
    MAX_LAYOUT_EDGES,
    MAX_LAYOUT_NODES,
    RENDER_TIMEOUT,
    GraphTooLarge,
    GraphvizMissing,
    render_source,
)

__all__ = ["Picture"]


class Picture(graphviz.Digraph):
    """A ``graphviz.Digraph`` rendered within a budget: ``timeout`` seconds for ``dot`` and at
    most ``max_layout_nodes``/``max_layout_edges`` (attributes; set one to ``None`` to lift
    it). graphviz's own ``pipe`` and ``render`` would run ``dot`` with no bound at all."""

    timeout: float | None = RENDER_TIMEOUT
    max_layout_nodes: int | None = MAX_LAYOUT_NODES
    max_layout_edges: int | None = MAX_LAYOUT_EDGES

    def pipe(self, format: str | None = None, *args: Any, encoding: str | None = None,
             **kwargs: Any) -> Any:
        """The rendered picture as bytes (``str`` with ``encoding``); Jupyter calls this."""
        if args or any(v for v in kwargs.values()):
            raise TypeError("Picture.pipe takes only format= and encoding=; for other engines "
                            "or renderers, pipe the DOT source (.source) yourself")
        data = render_source(self.source, format or self.format, timeout=self.timeout,
                             max_nodes=self.max_layout_nodes, max_edges=self.max_layout_edges)
        return data.decode(encoding) if encoding else data

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any
                          ) -> dict[str, Any]:
        """Jupyter's display: the picture, or one line saying why not (never a traceback)."""
        try:
            bundle: dict[str, Any] = super()._repr_mimebundle_(include, exclude, **kwargs)
        except (GraphTooLarge, GraphvizMissing) as e:
            return {"text/plain": f"(not drawn) {e}"}
        return bundle

    def render(self, filename: Any = None, directory: Any = None, view: bool = False,
               cleanup: bool = False, format: str | None = None, *args: Any,
               outfile: Any = None, **kwargs: Any) -> str:
        """Write the source (as graphviz does) and the picture next to it, within the budget;
        returns the picture's path. ``view`` and engine options are not supported."""
        if view or args or any(v for v in kwargs.values()):
            raise TypeError("Picture.render takes filename, directory, cleanup, format and "
                            "outfile; to open the file, use your viewer")
        fmt = format or (Path(outfile).suffix.lstrip(".") if outfile else self.format)
        source = Path(self.save(filename, directory=directory))
        target = Path(outfile) if outfile else source.with_name(f"{source.name}.{fmt}")
        target.write_bytes(self.pipe(fmt))
        if cleanup:
            source.unlink()
        return str(target)
