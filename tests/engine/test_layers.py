"""The package's imports point one way: no module-level import cycle among its modules."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "tinygrad_course"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _module_level_imports(path: Path, modules: set[str]) -> set[str]:
    """Modules of the package imported at module level (not inside functions).

    ``from pkg import sub`` imports the submodule ``pkg.sub``; ``pkg`` itself counts only
    when a name that is not a submodule is taken from it.
    """
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("tinygrad_course"):
                subs = {f"{target}.{a.name}" for a in node.names}
                found.update(subs & modules)
                if subs - modules:
                    found.add(target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("tinygrad_course"))
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in _module_level_imports(path, set(modules))
                   if m in modules and m != name}
            for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules, or None (iterative depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(graph):
        if start in state:
            continue
        path, stack = [start], [iter(sorted(graph[start]))]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(graph[nxt])))
    return None


def test_the_engine_core_imports_point_one_way() -> None:
    engine = {k: v for k, v in _graph().items() if k.startswith("tinygrad_course.engine")}
    order = ["ops.registry", "record", "xp", "backward", "tensor"]
    for lower, upper in itertools.pairwise(order):
        assert f"tinygrad_course.engine.{lower}" in engine[f"tinygrad_course.engine.{upper}"], \
            f"{upper} should build on {lower}"
        assert f"tinygrad_course.engine.{upper}" not in engine[
            f"tinygrad_course.engine.{lower}"]


def test_no_module_level_import_cycle_in_the_package() -> None:
    cycle = _cycle(_graph())
    assert cycle is None, " -> ".join(cycle or [])


@pytest.mark.parametrize("module", ["tinygrad_course.engine.tensor",
                                    "tinygrad_course.engine.record",
                                    "tinygrad_course.engine.backward"])
def test_core_modules_do_not_reach_above_the_engine(module: str) -> None:
    above = ("tinygrad_course.nn", "tinygrad_course.viz", "tinygrad_course.models",
             "tinygrad_course.cli", "tinygrad_course.datasets")
    assert not [m for m in _graph()[module] if m.startswith(above)]
