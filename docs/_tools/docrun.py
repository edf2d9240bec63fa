"""Run a Markdown page's code blocks with Sybil, in order, in one namespace, checking output.

Sybil (a maintained library) finds the fenced blocks, runs ``python`` blocks as scripts and
``python`` blocks that start with ``>>>`` as doctests, and reports failures at the page's own
line numbers. This module adds the two block kinds our pages use on top of it:

- an ``output`` block after a ``python`` block is what that block must print (compared as
  doctest compares; ``...`` elides, and may only elide what the block above asserts: see
  tests/docs/test_docs.py);
- a ``python title="path/to/file.py"`` block is an excerpt: not run, checked to still be in
  that file (comments and layout ignored).

A page runs in a scratch working directory (files its code writes land there), and a warning
raised by its code is an error unless the code catches it.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import os
import re
import tokenize
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sybil import Document, Example, Region
from sybil.parsers.markdown import CodeBlockParser, PythonCodeBlockParser
from sybil.parsers.markdown.lexers import RawFencedCodeBlockLexer

__all__ = ["DocsError", "NeedsGraphviz", "PageResult", "parse", "replace_outputs", "run_page"]

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
# Exceptions that mean "Graphviz's dot is not installed" rather than "the docs are wrong".
GRAPHVIZ_MISSING = {"GraphvizMissing", "ExecutableNotFound"}
# The standard checker: Sybil's drops the space before a line-ending `...`, so "rows). ..."
# would demand a final "."; doctest blocks use Sybil's (a page avoids that pattern).
CHECKER = doctest.OutputChecker()


class DocsError(Exception):
    """A block failed, printed something else than its output block, or an excerpt drifted."""


class NeedsGraphviz(DocsError):
    """A block needs Graphviz's ``dot`` program, which is not installed."""


@dataclass
class PageResult:
    """What running a page did: each output block (start, end in the text) with what the
    code above it really printed, and how many blocks ran or were checked."""

    path: Path
    text: str
    outputs: list[tuple[int, int, str]] = field(default_factory=list)
    ran: int = 0
    kinds: list[str] = field(default_factory=list)


def _state(example: Example) -> dict[str, Any]:
    # Per-page bookkeeping kept on Sybil's Document, outside the page's namespace.
    return example.document.__dict__.setdefault("docrun", {"printed": None, "outputs": []})


class _Python(PythonCodeBlockParser):
    """Sybil's python parser; scripts' printed output is captured for an output block."""

    def __init__(self) -> None:
        super().__init__(doctest_optionflags=FLAGS)

    def __call__(self, document: Document) -> Any:
        for region in super().__call__(document):
            inner = region.evaluator
            is_script = isinstance(region.parsed, str)  # doctest regions hold doctest Examples

            def evaluate(example: Example, inner: Any = inner, script: bool = is_script) -> Any:
                state = _state(example)
                state["printed"] = None
                if not script:
                    return inner(example)
                out = io.StringIO()
                with contextlib.redirect_stdout(out):
                    inner(example)
                state["printed"] = out.getvalue()
                return None

            region.evaluator = evaluate
            region.kind = "script" if is_script else "doctest"  # type: ignore[attr-defined]
            yield region


def _check_output(example: Example) -> str | None:
    state = _state(example)
    got, state["printed"] = state["printed"], None
    if got is None:
        return "an output block must follow a python block (without >>> prompts)"
    state["outputs"].append((example.start, example.end, got))
    want = str(example.parsed)
    if CHECKER.check_output(want, got, FLAGS):
        return None
    diff = CHECKER.output_difference(doctest.Example("", want), got, FLAGS)
    return f"the output differs from the page's output block\n{diff}"


def _tokens(source: str, where: str) -> list[str]:
    """The significant tokens of Python source (comments, newlines and indentation dropped)."""
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
            tokenize.ENDMARKER}
    try:
        toks = tokenize.generate_tokens(io.StringIO(source).readline)
        return [t.string for t in toks if t.type not in skip]
    except (tokenize.TokenError, SyntaxError) as e:
        raise DocsError(f"{where}: cannot tokenize: {e}") from None


def _check_excerpt(example: Example) -> str | None:
    _state(example)["printed"] = None
    title = example.region.lexemes["title"]
    source = Path(example.document.__dict__["root"]) / title
    if not source.is_file():
        return f"the excerpt names {title}, which does not exist"
    want = _tokens(str(example.parsed), f"{example.path}:{example.line}")
    have = _tokens(source.read_text(encoding="utf-8"), str(source))
    n = len(want)
    if any(have[k:k + n] == want for k in range(len(have) - n + 1)):
        return None
    return f"this excerpt is no longer in {title}: update the page to match the source"


_EXCERPT = RawFencedCodeBlockLexer(
    info_pattern=re.compile(r'python[ \t]+title="(?P<title>[^"]+\.py)"[^\n]*$\n', re.M),
    mapping={"title": "title", "source": "source"})


def _excerpts(document: Document) -> Any:
    for region in _EXCERPT(document):
        region.parsed = region.lexemes["source"]
        region.evaluator = _check_excerpt
        region.kind = "excerpt"  # type: ignore[attr-defined]
        yield region


def _outputs(document: Document) -> Any:
    for region in CodeBlockParser("output", _check_output)(document):
        region.kind = "output"  # type: ignore[attr-defined]
        yield region


PARSERS = (_Python(), _outputs, _excerpts)


def parse(text: str, path: str = "<page>") -> list[Region]:
    """The page's checked blocks as Sybil regions, in order; ``region.kind`` is one of
    ``script``, ``doctest`` (one region per ``>>>`` example), ``excerpt`` or ``output``.

    >>> [r.kind for r in parse("x\\n```python\\nprint(1)\\n```\\n```output\\n1\\n```\\n")]
    ['script', 'output']
    """
    document = Document(text, path)
    for parser in PARSERS:
        for region in parser(document):
            document.add(region)
    return [region for _, region in document.regions]


def _graphviz_missing(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if type(seen).__name__ in GRAPHVIZ_MISSING or any(
                name in str(seen) for name in GRAPHVIZ_MISSING):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def run_page(page: Path, workdir: Path, root: Path | None = None) -> PageResult:
    """Run every block of ``page`` in order in one namespace, with ``workdir`` as the working
    directory; raise :class:`DocsError` at the first failure. ``root`` resolves excerpt paths
    (default: the parent of the docs folder)."""
    page = Path(page).resolve()
    document = Document.parse(str(page), *PARSERS)
    document.__dict__["root"] = Path(root) if root is not None else page.parent.parent
    document.namespace["__name__"] = "__main__"
    result = PageResult(page, document.text)
    old_cwd = Path.cwd()
    os.chdir(workdir)
    try:
        with warnings.catch_warnings():
            # A warning in the docs is a mistake unless the page catches it on purpose.
            warnings.simplefilter("error")
            warnings.simplefilter("default", DeprecationWarning)
            warnings.simplefilter("default", PendingDeprecationWarning)
            for example in document.examples():
                where = f"{page}:{example.line}"
                try:
                    example.evaluate()
                except AssertionError as e:  # Sybil's failures (doctest, output, excerpt)
                    if _graphviz_missing(e):
                        raise NeedsGraphviz(f"{where}: needs Graphviz's dot") from e
                    tb = "" if type(e).__name__ == "SybilFailure" else _traceback(e, page)
                    raise DocsError(f"{where}: {getattr(e, 'result', '')}{tb}") from e
                except Exception as e:
                    if _graphviz_missing(e):
                        raise NeedsGraphviz(f"{where}: needs Graphviz's dot: {e}") from e
                    raise DocsError(f"{where}: the block raised\n{_traceback(e, page)}") from e
                result.ran += 1
                result.kinds.append(example.region.kind)  # type: ignore[attr-defined]
    finally:
        os.chdir(old_cwd)
    result.outputs = list(_state_of(document)["outputs"])
    return result


def _state_of(document: Document) -> dict[str, Any]:
    return document.__dict__.get("docrun", {"printed": None, "outputs": []})


def _traceback(e: BaseException, page: Path) -> str:
    """The traceback from the page's own frame on (Sybil's and our frames are noise)."""
    tb = e.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != str(page):
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(e), e, tb or e.__traceback__))


def replace_outputs(markdown: str, result: PageResult) -> str:
    """The page with each output block's text replaced by what the code printed this time
    (so the site shows measured timings where the page writes ``...``)."""
    if markdown != result.text:
        raise DocsError(f"{result.path}: the page changed since it was run")
    for start, end, got in sorted(result.outputs, reverse=True):
        lines = markdown[start:end].split("\n")
        indent = lines[0][: len(lines[0]) - len(lines[0].lstrip())]
        new = [lines[0], *(indent + line for line in got.rstrip("\n").split("\n")), lines[-1]]
        markdown = markdown[:start] + "\n".join(new) + markdown[end:]
    return markdown
