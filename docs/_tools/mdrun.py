"""Run the fenced Python blocks of a Markdown page in order, in one namespace, checking output.

The conventions (documented for writers in docs/index.md, "About these docs"):

- A `python` block runs as a script. If an `output` block follows it (blank lines between are
  fine), the block's printed output must match it, doctest-style: `...` matches anything and
  runs of whitespace compare equal.
- A `python` block that starts with `>>>` runs as a doctest (expected output after each
  prompt, tracebacks included).
- A `python` block whose `title` names a `.py` file of the repository is an excerpt of that
  file: it is not run, it is checked to still be in the file (comments and layout ignored).
- Other languages (`sh`, `text`, ...) are shown, not run.

A page runs in a scratch working directory, so files its code writes (pictures) land there;
warnings raised by a page's code are errors unless the code catches them.
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

__all__ = ["Block", "DocsError", "NeedsGraphviz", "PageResult", "parse", "run_page"]

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*)$")
ATTR = re.compile(r'(\w+)="([^"]*)"')
PY_LANGS = {"python", "py", "pycon"}
# Exceptions that mean "Graphviz's dot is not installed" rather than "the docs are wrong".
GRAPHVIZ_MISSING = {"GraphvizMissing", "ExecutableNotFound"}


class DocsError(Exception):
    """A block failed, printed something else than its output block, or an excerpt drifted."""


class NeedsGraphviz(DocsError):
    """A block needs Graphviz's ``dot`` program, which is not installed."""


@dataclass
class Block:
    """One fenced block: its kind, the 1-based lines of its content, and its text."""

    kind: str  # "script", "doctest", "excerpt", "output" or "other"
    lang: str
    attrs: dict[str, str]
    text: str
    first: int  # line number of the first content line
    last: int  # line number of the last content line (first - 1 when empty)
    indent: str = ""


@dataclass
class PageResult:
    """What running a page did: each output block with what the code really printed."""

    path: Path
    blocks: list[Block]
    outputs: list[tuple[Block, str]] = field(default_factory=list)
    ran: int = 0


def _kind(lang: str, attrs: dict[str, str], text: str) -> str:
    if lang == "output":
        return "output"
    if lang not in PY_LANGS:
        return "other"
    if attrs.get("title", "").endswith(".py"):
        return "excerpt"
    return "doctest" if text.lstrip().startswith(">>>") else "script"


def parse(markdown: str) -> list[Block]:
    """The fenced blocks of a page, in order (fences may be indented, e.g. in admonitions).

    >>> [(b.kind, b.first) for b in parse("x\\n```python\\nprint(1)\\n```\\n```output\\n1\\n```")]
    [('script', 3), ('output', 6)]
    """
    lines = markdown.split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = m["indent"], m["fence"], m["info"].strip()
        lang = info.split()[0].lower() if info else ""
        attrs = dict(ATTR.findall(info))
        j = i + 1
        body = []
        while j < len(lines):
            close = FENCE.match(lines[j])
            if (close and close["fence"][0] == fence[0] and len(close["fence"]) >= len(fence)
                    and not close["info"].strip()):
                break
            line = lines[j]
            body.append(line[len(indent):] if line.startswith(indent) else line.lstrip())
            j += 1
        text = "\n".join(body) + ("\n" if body else "")
        blocks.append(Block(_kind(lang, attrs, text), lang, attrs, text, i + 2, j, indent))
        i = j + 1
    return blocks


def _tokens(source: str, where: str) -> list[str]:
    """The significant tokens of Python source (comments, newlines and indentation dropped)."""
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
            tokenize.ENDMARKER}
    try:
        toks = tokenize.generate_tokens(io.StringIO(source).readline)
        return [t.string for t in toks if t.type not in skip]
    except (tokenize.TokenError, SyntaxError) as e:
        raise DocsError(f"{where}: cannot tokenize: {e}") from None


def check_excerpt(block: Block, page: Path, root: Path) -> None:
    """The excerpt's tokens must appear, contiguous and in order, in the file it names."""
    where = f"{page}:{block.first}"
    source = root / block.attrs["title"]
    if not source.is_file():
        raise DocsError(f"{where}: the excerpt names {block.attrs['title']}, which does not "
                        f"exist under {root}")
    want = _tokens(block.text, where)
    have = _tokens(source.read_text(encoding="utf-8"), str(source))
    n = len(want)
    if not any(have[k:k + n] == want for k in range(len(have) - n + 1)):
        raise DocsError(f"{where}: this excerpt is no longer in {block.attrs['title']}: "
                        "update the page to match the source")


def _graphviz_missing(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if type(seen).__name__ in GRAPHVIZ_MISSING:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _run_script(block: Block, ns: dict[str, Any], page: Path) -> str:
    # Leading newlines make tracebacks point at the page's own line numbers.
    code = compile("\n" * (block.first - 1) + block.text, str(page), "exec")
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(code, ns)
    except Exception as e:
        if _graphviz_missing(e):
            raise NeedsGraphviz(f"{page}:{block.first}: needs Graphviz's dot: {e}") from e
        tb = "".join(traceback.format_exception(type(e), e, e.__traceback__.tb_next
                                                if e.__traceback__ else None))
        raise DocsError(f"{page}:{block.first}: the block raised\n{out.getvalue()}{tb}") from e
    return out.getvalue()


def _run_doctest(block: Block, ns: dict[str, Any], page: Path) -> None:
    test = doctest.DocTestParser().get_doctest(block.text, ns, f"{page.name}:{block.first}",
                                               str(page), block.first - 1)
    report = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=FLAGS, verbose=False)
    runner.run(test, out=report.write, clear_globs=False)
    ns.update(test.globs)  # the doctest ran on a copy of the page's namespace
    if runner.failures:
        text = report.getvalue()
        if any(name in text for name in GRAPHVIZ_MISSING):
            raise NeedsGraphviz(f"{page}:{block.first}: needs Graphviz's dot")
        raise DocsError(f"{page}:{block.first}: doctest failed\n{text}")


def _check_output(block: Block, got: str, page: Path) -> None:
    checker = doctest.OutputChecker()
    if not checker.check_output(block.text, got, FLAGS):
        example = doctest.Example("", block.text)
        raise DocsError(f"{page}:{block.first}: the output differs from the page's output "
                        f"block\n{checker.output_difference(example, got, FLAGS)}")


def run_page(page: Path, workdir: Path, root: Path | None = None) -> PageResult:
    """Run every block of ``page`` in order in one namespace, with ``workdir`` as the working
    directory; raise :class:`DocsError` at the first failure. ``root`` resolves excerpt paths
    (default: the parent of the docs folder)."""
    page = Path(page).resolve()
    root = Path(root) if root is not None else page.parent.parent
    blocks = parse(page.read_text(encoding="utf-8"))
    result = PageResult(page, blocks)
    ns: dict[str, Any] = {"__name__": "__main__"}
    previous: tuple[Block, str] | None = None  # the last script block and what it printed
    old_cwd = Path.cwd()
    os.chdir(workdir)
    try:
        with warnings.catch_warnings():
            # A warning in the docs is a mistake unless the page catches it on purpose.
            warnings.simplefilter("error")
            warnings.simplefilter("default", DeprecationWarning)
            warnings.simplefilter("default", PendingDeprecationWarning)
            for block in blocks:
                if block.kind == "output":
                    if previous is None:
                        raise DocsError(f"{page}:{block.first}: an output block must follow "
                                        "a python block (without >>> prompts)")
                    _check_output(block, previous[1], page)
                    result.outputs.append((block, previous[1]))
                    previous = None
                    continue
                previous = None
                if block.kind == "excerpt":
                    check_excerpt(block, page, root)
                elif block.kind == "doctest":
                    _run_doctest(block, ns, page)
                elif block.kind == "script":
                    previous = (block, _run_script(block, ns, page))
                else:
                    continue
                result.ran += 1
    finally:
        os.chdir(old_cwd)
    return result


def replace_outputs(markdown: str, result: PageResult) -> str:
    """The page with each output block's text replaced by what the code printed this time
    (so a site shows measured timings where the page writes ``...``). ``markdown`` may lack
    the page's front matter: output blocks are matched by their order and text."""
    lines = markdown.split("\n")
    blocks = [b for b in parse(markdown) if b.kind == "output"]
    if [b.text for b in blocks] != [b.text for b, _ in result.outputs]:
        raise DocsError(f"{result.path}: the page changed since it was run")
    for block, (_, got) in sorted(zip(blocks, result.outputs), key=lambda p: -p[0].first):
        new = [block.indent + line for line in got.rstrip("\n").split("\n")]
        lines[block.first - 1:block.last] = new
    return "\n".join(lines)
