"""The package's imports point one way: no module-level import cycle, and the folders form
the layers docs/architecture.md draws (that page's own code checks its list of arrows)."""

from __future__ import annotations

import doctest
from pathlib import Path

from loading import load_by_path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "tinygrad_course"


imports = load_by_path(ROOT / "docs/_tools/imports.py", "docs_imports")


def test_no_module_level_import_cycle() -> None:
    """Issue 10: the engine's tensor <-> record circle is gone; none may come back."""
    found = imports.cycles(imports.module_imports(PACKAGE))
    assert not found, "module-level import cycles: " + "; ".join(" <-> ".join(c) for c in found)


def test_the_folders_are_layers() -> None:
    layers = imports.folder_graph(imports.module_imports(PACKAGE))
    assert not imports.cycles(layers), layers
    # The bottom and the top, as docs/architecture.md states them.
    assert layers["errors"] == set()
    assert "engine" in layers and not layers["engine"] - {"errors"}
    assert not any("cli" in uses for uses in layers.values()), "nothing may import the CLI"


def test_the_import_reader(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from .sub import tool\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "tool.py").write_text(
        "from typing import TYPE_CHECKING\nfrom .. import base\n"
        "if TYPE_CHECKING:\n    from ..late import Late\n"
        "def f():\n    from ..late import x\n")
    (pkg / "base.py").write_text("import os\ntry:\n    from .sub.tool import f\nexcept Exception:"
                                 "\n    pass\n")
    (pkg / "late.py").write_text("from .base import thing\n")
    graph = imports.module_imports(pkg)
    assert graph == {"pkg": {"pkg.sub.tool"}, "pkg.base": {"pkg.sub.tool"}, "pkg.late":
                     {"pkg.base"}, "pkg.sub": set(), "pkg.sub.tool": {"pkg.base"}}
    assert imports.cycles(graph) == [["pkg.base", "pkg.sub.tool"]]
    assert imports.cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    assert doctest.testmod(imports).failed == 0
