"""MkDocs hooks: run every page's code at build time, publish the pictures it draws, and show
the output it really printed.

Each page runs (with ``docrun``, Sybil underneath) in its own scratch directory; every file
its code writes there is published next to the page, under a folder named after it: the code of
``course/week2.md`` writes ``seed.svg`` and the page shows it as
``![...](week2/seed.svg)``. A block that fails or prints something else than its output
block stops the build.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

import docrun  # docs/_tools is on sys.path while MkDocs loads this hook
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.docrun")
RESULTS: dict[str, docrun.PageResult] = {}


def on_files(files: Any, config: Any) -> Any:
    """Run the pages (before any page renders, so their pictures exist for link checks)."""
    RESULTS.clear()
    docs_dir = Path(config["docs_dir"])
    root = Path(config["config_file_path"]).resolve().parent
    for page in list(files.documentation_pages()):
        src = Path(page.abs_src_path)
        if src.suffix != ".md":  # the tour notebook: mkdocs-jupyter executes it
            continue
        with tempfile.TemporaryDirectory(prefix="docs-run-") as tmp:
            try:
                result = docrun.run_page(src, Path(tmp), root)
            except docrun.DocsError as e:
                raise PluginError(f"docs code failed ({src.relative_to(docs_dir)}):\n{e}") from e
            RESULTS[page.src_uri] = result
            folder = page.src_uri[:-len(".md")]
            for made in sorted(Path(tmp).rglob("*")):
                rel = made.relative_to(tmp)
                # Hidden files are tools' caches (hypothesis keeps one), not pictures.
                if made.is_file() and not any(part.startswith(".") for part in rel.parts):
                    uri = f"{folder}/{rel.as_posix()}"
                    files.append(File.generated(config, uri, content=made.read_bytes()))
        if result.ran:
            log.debug("ran %d blocks of %s", result.ran, page.src_uri)
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Show what the code printed during this build in place of each output block's text."""
    result = RESULTS.get(page.file.src_uri)
    if result is None or not result.outputs:
        return markdown
    return docrun.replace_outputs(markdown, result)
