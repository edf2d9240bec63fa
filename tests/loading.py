"""Import a file that is not part of an installed package (docs tools, examples, other tests)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

__all__ = ["load_by_path"]


def load_by_path(path: Path, name: str | None = None) -> ModuleType:
    """The module in ``path``, imported once under ``name`` (default: the file's stem)."""
    name = name or path.stem
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module
