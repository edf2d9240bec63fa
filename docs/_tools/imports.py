"""The package's module-level imports, read from its source with ``ast``: the module graph,
its import cycles, and the folder-level picture of docs/architecture.md.

Module level means what runs when a module is imported: imports inside functions (a plugin
boundary, a lazy optional dependency) and under ``if TYPE_CHECKING:`` are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

__all__ = ["cycles", "folder_graph", "module_imports"]


def _modules(package: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module of ``package``."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Import statements that run at import time: not in a def, not under TYPE_CHECKING."""
    found: list[ast.Import | ast.ImportFrom] = []
    todo: list[ast.stmt] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif isinstance(node, ast.If):
            if "TYPE_CHECKING" not in ast.unparse(node.test):
                todo.extend(node.body + node.orelse)
        elif isinstance(node, ast.Try):
            todo.extend(node.body + node.orelse + node.finalbody)
            todo.extend(s for h in node.handlers for s in h.body)
        elif isinstance(node, (ast.With, ast.ClassDef)):
            todo.extend(node.body)
    return found


def module_imports(package: Path) -> dict[str, set[str]]:
    """Each module of ``package`` -> the package modules it imports at module level.

    ``from .a import b`` points at ``a.b`` when that is a module, else at ``a``.
    """
    mods = _modules(package)
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        is_pkg = path.name == "__init__.py"
        here = name.split(".") if is_pkg else name.split(".")[:-1]
        deps: set[str] = set()
        for node in _top_level_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = here[:len(here) - node.level + 1] if node.level else []
                stem = ".".join(base + ([node.module] if node.module else []))
                targets = [f"{stem}.{a.name}" if f"{stem}.{a.name}" in mods else stem
                           for a in node.names]
            deps.update(t for t in targets if t in mods and t != name)
        graph[name] = deps
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def folder_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The module graph collapsed to the package's folders and root modules (``engine``,
    ``nn``, ``losses``, ...); the package's own ``__init__``/``__main__`` (the public facade,
    which imports everything) are left out.

    >>> folder_graph({"p.a.x": {"p.b"}, "p.b": set(), "p": {"p.a.x"}})
    {'a': {'b'}, 'b': set()}
    """
    def folder(module: str) -> str | None:
        parts = module.split(".")
        return None if len(parts) == 1 or parts[1] == "__main__" else parts[1]

    out: dict[str, set[str]] = {}
    for module, deps in graph.items():
        src = folder(module)
        if src is None:
            continue
        out.setdefault(src, set()).update(
            d for d in map(folder, deps) if d is not None and d != src)
    return dict(sorted(out.items()))
