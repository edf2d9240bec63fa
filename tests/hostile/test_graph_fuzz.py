"""Fuzzing the ``graph`` command's expression parser (hypothesis): whatever the string, no code
runs, the command finishes within its bound, and it exits 0, 1 or 2 with at most one line on
stderr (exactly one when it fails)."""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
from collections.abc import Iterator
from typing import Any

import graphviz  # noqa: F401  (imported now: importing a module runs exec, legitimately)
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinygrad_course.cli import main

# Pieces of expressions, of Python, and of what an attacker pastes.
TOKENS = ["a", "b", "x", "c", "=", ";", "+", "-", "*", "/", "**", "(", ")", "1", "2.5", "1e308",
          "9" * 400, "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "abs", "__import__",
          "'os'", ".", "__class__", "[", "]", ",", "lambda", ":", "if", "else", "\n", " ",
          "os.system('touch PWNED')", "open", "eval", "exec", "ａ", "\\", "@", "%", "//", "<",
          "==", "not", "and", "yield", "await", "f'{a}'", "{", "}", "...", "None", "True"]
expressions = st.one_of(
    st.lists(st.sampled_from(TOKENS), min_size=1, max_size=40).map("".join),
    st.text(min_size=1, max_size=200).filter(lambda s: "\x00" not in s),
)


@contextlib.contextmanager
def no_code_runs() -> Iterator[None]:
    """``eval``/``exec`` fail the test; ``compile`` may only build an AST (``ast.parse``)."""
    real_compile = builtins.compile

    def guarded_compile(source: Any, filename: Any, mode: str, flags: int = 0,
                        *args: Any, **kwargs: Any) -> Any:
        assert flags & ast.PyCF_ONLY_AST, f"compiled to bytecode: {source!r}"
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"code was executed: {args!r}")

    saved = builtins.eval, builtins.exec
    builtins.compile = guarded_compile  # type: ignore[assignment]
    builtins.eval = builtins.exec = refused
    try:
        yield
    finally:
        builtins.compile = real_compile
        builtins.eval, builtins.exec = saved


@settings(max_examples=300, deadline=5000,  # the bound: 5 s per expression, parse to DOT
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(source=expressions)
def test_any_expression_is_refused_or_drawn_in_bounds(
        source: str, tmp_path_factory: pytest.TempPathFactory,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Bind the names that appear, so that many expressions get evaluated and drawn too.
    bindings = [f"{n}={v}" for n, v in (("a", 1), ("b", 2), ("x", 0.5), ("c", 3)) if n in source]
    where = tmp_path_factory.mktemp("fuzz")
    monkeypatch.chdir(where)
    out, err = io.StringIO(), io.StringIO()
    with no_code_runs(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(["graph", source, *bindings])
        except SystemExit as e:  # argparse's own usage errors
            status = e.code  # type: ignore[assignment]
    text = err.getvalue()
    assert status in (0, 1, 2), (status, text)
    assert "Traceback" not in text
    lines = text.splitlines()
    assert len(lines) == 1 if status else len(lines) <= 1, text  # an error, or one warning
    assert list(where.iterdir()) == []  # nothing written, PWNED included
