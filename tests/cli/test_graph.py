"""``tinygrad-course graph`` end to end: pictures, step pages, and every refusal."""

from __future__ import annotations

import inspect
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tinygrad_course.cli import expr, main

needs_dot = pytest.mark.skipif(shutil.which("dot") is None,
                               reason="Graphviz's `dot` is not installed (apt-get install "
                               "graphviz); CI installs it")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["graph", *argv])
    out, err = capsys.readouterr()
    return status, out, err


@needs_dot
def test_seed_to_svg(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "e.svg"
    status, out, err = run(capsys, "(a+b)*(b+1)", "a=2", "b=1", "-o", str(target))
    assert (status, err) == (0, "")
    assert out.splitlines() == ["out = 6; dout/da = 2, dout/db = 5", f"wrote {target}"]
    svg = target.read_text(encoding="utf-8")
    assert "<svg" in svg and ">dout/db = 5</text>" in svg and ">∂out/∂t1 = t2 = 2</text>" in svg


@needs_dot
def test_named_steps_png_highlight_and_step_page(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "c = a+b; d = b+1; e = c*d", "a=2", "b=1",
                         "-o", str(tmp_path / "e.png"), "--highlight", "b",
                         "--steps", str(tmp_path / "e.html"))
    assert status == 0 and out.startswith("e = 6; de/da = 2, de/db = 5\n")
    assert (tmp_path / "e.png").read_bytes()[:4] == b"\x89PNG"
    page = (tmp_path / "e.html").read_text(encoding="utf-8")
    assert page.count('"caption":') == 6  # forward + e, d, c, b, a
    assert "de/db = de/dc·dc/db + de/dd·dd/db = 2·1 + 3·1 = 5" in page


def test_dot_source_to_stdout_and_file(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "c = a+b; d = b+1; e = c*d", "a=2", "b=1", "--highlight", "b")
    assert status == 0 and out.startswith("digraph computation_graph {")
    for text in ("e = 6", "de/db = 5", "∂e/∂c = d = 2",
                 "de/db = de/dc·dc/db + de/dd·dd/db = 2·1 + 3·1 = 5"):
        assert text in out
    status, out, _ = run(capsys, "x*sigmoid(w*x)", "x=2", "w=0.5", "-o",
                         str(tmp_path / "g.dot"))
    assert status == 0 and "wrote" in out
    assert "σ" in (tmp_path / "g.dot").read_text(encoding="utf-8")


def test_no_backward_leaves_gradients_out(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "(a+b)*(b+1)", "a=2", "b=1", "--no-backward")
    assert status == 0 and "out = 6" in out and "dout/d" not in out
    assert "∂out/∂t1 = t2 = 2" in out  # local derivatives are known without backward


def test_functions_constants_and_precedence(capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
    status, out, _ = run(capsys, "y = -x**2 + exp(log(x)) / 2 + relu(tanh(x)) - abs(sqrt(x))",
                         "x=4", "-o", str(tmp_path / "y.dot"))
    assert status == 0
    value = -16 + 2 + 0.999329299739067 - 2
    assert out.startswith(f"y = {value:.4g}; dy/dx = ")


REFUSED = {
    "a.b": "refused attribute access: `a.b`",
    "__import__('os').system('touch HACKED')": "refused call: `__import__('os').system(",
    "open('x')": "refused call: `open('x')`",
    "a[0]": "refused subscripts: `a[0]`",
    "(lambda: a)()": "refused call",
    "lambda: a": "refused lambdas: `lambda: a`",
    "import os": "refused imports: `import os`",
    "a // b": "refused operator: `a // b`",
    "a @ b": "refused operator: `a @ b`",
    "a if b else a": "refused conditional expressions",
    "exp(a, b)": "give exp exactly one argument",
    "exp(x=a)": "give exp exactly one argument",
    "'text' * a": "refused str constant: `'text'`",
    "True * a": "refused bool constant: `True`",
    "a < b": "refused comparisons: `a < b`",
    "[a, b]": "refused lists: `[a, b]`",
    "exp * a": "`exp` is a function: call it",
    "a +": "not a valid expression",
    "": "the expression is empty",
    "a = a + b": "cannot assign to `a`",
    "a*b; a+b": "only the last step may be a bare expression",
    "1 + 2": "uses no input names",
}


@pytest.mark.parametrize("expression", list(REFUSED))
def test_refused_expressions_exit_2_naming_the_piece(
        expression: str, capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    bindings = [] if expression == "1 + 2" else ["a=1", "b=2"]
    status, out, err = run(capsys, expression, *bindings)
    assert status == 2 and out == ""
    assert err.startswith("tinygrad-course graph: error: ") and err.count("\n") == 1
    assert REFUSED[expression] in err
    assert not (tmp_path / "HACKED").exists()


@pytest.mark.parametrize(("argv", "message"), [
    (["a*b", "a=1"], "unbound name b: give a value for each, e.g. b=1"),
    (["a*b*c", "a=1"], "unbound names b, c"),
    (["a*b", "a=1", "b=x"], "`b=x`: 'x' is not a number"),
    (["a*b", "a=1", "b="], "`b=`: '' is not a number"),
    (["a*b", "a=1", "b=nan"], "must be a finite number"),
    (["a*b", "a=1", "b"], "`b` is not a binding: write NAME=NUMBER"),
    (["a*b", "a=1", "b=2", "a=3"], "`a` is given twice"),
    (["a*b", "a=1", "b=2", "z=3"], "z given a value but not an input"),
    (["a*b", "a=1", "b=2", "-o", "e.jpg"], "unknown output format '.jpg' for e.jpg"),
    (["a*b", "a=1", "b=2", "-o", "e"], "unknown output format (no suffix)"),
    (["a*b", "a=1", "b=2", "--steps", "e.svg"], "--steps writes an HTML page"),
    (["a*b", "a=1", "b=2", "--highlight", "q"], "no tensor named 'q'"),
])
def test_bad_input_exits_2_with_a_clear_message(
        argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == "" and message in err


def test_without_dot_rendering_fails_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    status, _, err = run(capsys, "a*b", "a=1", "b=2", "-o", str(tmp_path / "e.svg"))
    assert status == 1 and err.count("\n") == 1
    assert "Graphviz's `dot` program is not installed" in err and "apt-get install graphviz" in err
    status, _, _ = run(capsys, "a*b", "a=1", "b=2", "-o", str(tmp_path / "e.dot"))
    assert status == 0 and (tmp_path / "e.dot").exists()


def test_parser_never_evaluates_python() -> None:
    source = inspect.getsource(expr)
    assert not re.search(r"\b(eval|exec|compile)\(", source)


def test_deep_expressions_do_not_recurse() -> None:
    # Our checks and evaluation are iterative; Python's own parser stops a few thousand deep,
    # and that is reported as a clear refusal, not a crash.
    program = expr.parse("+".join(["x"] * 2_000))
    value, _ = expr.evaluate(program, {"x": 1.0})
    assert value.item() == 2_000.0
    with pytest.raises(expr.ExprError, match="nested too deeply"):
        expr.parse("-" * 5_000 + "x")
    with pytest.raises(expr.ExprError, match="200,001 characters long; the limit is 10,000"):
        expr.parse("+".join(["x"] * 100_001))
    many = ";".join(f"c{k}=a*b-a*b" for k in range(700))  # 3 ops each
    assert len(many) < 10_000
    with pytest.raises(expr.ExprError, match="2,100 operations; the limit is 2,000"):
        expr.parse(many)


@needs_dot
def test_installed_command(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("tinygrad-course")
    if not exe.exists():
        pytest.skip(f"the console script is not installed next to {sys.executable}")
    target = tmp_path / "e.svg"
    proc = subprocess.run([str(exe), "graph", "(a+b)*(b+1)", "a=2", "b=1", "-o", str(target)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "dout/db = 5" in proc.stdout and "<svg" in target.read_text(encoding="utf-8")
    bad = subprocess.run([str(exe), "graph", "a.__class__", "a=1"], capture_output=True,
                         text=True, timeout=120, check=False)
    assert bad.returncode == 2 and "refused attribute access" in bad.stderr
