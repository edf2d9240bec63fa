"""``tinygrad-course graph`` against hostile and careless input: bounded time and memory, no
traceback, no orphan ``dot``, one line on stderr and the documented exit status (0 done,
2 refused input, 1 a failure while drawing or writing)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

needs_dot = pytest.mark.skipif(
    subprocess.run(["sh", "-c", "command -v dot"], capture_output=True).returncode != 0,
    reason="Graphviz's `dot` is not installed")
needs_linux = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                 reason="the parent-death signal is Linux's")

# The 484-byte expression that kept `dot` busy for minutes: a and b feed all 39 steps.
C39 = "c1=a*b; " + "; ".join(f"c{k}=c{k - 1}*a+b" for k in range(2, 40))
CLI = "import sys; from tinygrad_course.cli import main; sys.exit(main())"
BOUND_S = 30  # the CLI's default --timeout: what a hostile expression may cost at most


def cli(*argv: str, env: dict[str, str] | None = None, cwd: Path | None = None
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CLI, "graph", *argv], capture_output=True,
                          text=True, timeout=BOUND_S + 15, env=env, cwd=cwd, check=False)


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


# Runs the CLI as its child and prints the largest resident set of it and its children (dot).
MEASURE = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:]); "
           "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, p.returncode)")


def peak_mb(*argv: str, cwd: Path) -> tuple[int, int, str]:
    """``(peak MB of the CLI and dot, exit status, stderr)`` for ``graph argv``."""
    proc = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-c", CLI, "graph",
                           *argv], capture_output=True, text=True, timeout=BOUND_S + 15,
                          cwd=cwd, check=False)
    mb, status = proc.stdout.split()[-2:]
    return int(mb), int(status), proc.stderr


@needs_dot
@pytest.mark.parametrize("extra", [["-o", "f.svg"], ["--steps", "f.html"]])
def test_the_c39_expression_is_laid_out_within_bounds(tmp_path: Path, extra: list[str]) -> None:
    assert len(C39.encode()) == 483
    mb, status, err = peak_mb(C39, "a=1.0001", "b=0.5", *extra, cwd=tmp_path)
    assert status == 0 and err == "", err
    assert (tmp_path / extra[1]).stat().st_size > 10_000
    assert mb < 500, mb  # the largest of the CLI and dot (about 45 MB)


def test_a_100_kb_expression_is_refused_at_once(tmp_path: Path) -> None:
    big = "+".join(["a"] * 50_000)
    proc = cli(big, "a=1", "-o", "f.svg", cwd=tmp_path)
    assert proc.returncode == 2
    assert "99,999 characters long; the limit is 10,000" in one_line(proc.stderr)
    assert not (tmp_path / "f.svg").exists()


@needs_dot
def test_a_graph_over_the_budget_names_the_knobs(tmp_path: Path) -> None:
    e = "c1=a*b; " + "; ".join(f"c{k}=c{k - 1}*a+b" for k in range(2, 400))
    proc = cli(e, "a=1", "b=0.5", "-o", "f.svg", "--max-nodes", "5000", cwd=tmp_path)
    assert proc.returncode == 1 and not (tmp_path / "f.svg").exists()
    err = one_line(proc.stderr)
    assert "over the rendering budget" in err and "--max-nodes" in err and "--timeout" in err
    assert len(err) < 300


@pytest.mark.parametrize(("argv", "status", "says"), [
    (["1" * 309 + "*a", "a=1"], 2, "too large for a float64"),
    (["1" * 5000 + "*a", "a=1"], 2, "not a valid expression"),
    (["a*b", "a=" + "9" * 400, "b=1"], 2, "must be a finite number"),
    (["a*b", "a=1", "b=2", "--timeout", "0"], 2, "--timeout must be a positive"),
    (["a*b", "a=1", "b=2", "--max-nodes", "0"], 2, "--max-nodes must be at least 1"),
    (["a*b", "a=1", "b=2", "--frobnicate"], 2, "unrecognized arguments: --frobnicate"),
    (["a*b", "a=1", "b=2", "--data", "z"], 2, "--data z: not an input"),
    (["x*2", "x=1", "--data", "x"], 2, "only data (--data) names"),
    (["--", "-" * 5000 + "a", "a=1"], 2, "nested too deeply"),
    (["--" + "x" * 5000, "a=1"], 2, "unrecognized arguments: --xxxxxxxx"),
])
def test_bad_input_exits_2_in_one_line(argv: list[str], status: int, says: str) -> None:
    proc = cli(*argv)
    assert proc.returncode == status and says in one_line(proc.stderr), proc.stderr


def test_names_the_result_never_collides(tmp_path: Path) -> None:
    proc = cli("out+out_+out__+result", "out=1", "out_=1", "out__=1", "result=1", "-o", "-.dot",
               cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("out_2 = 4; dout_2/dout = 1")


def test_a_leading_minus_is_an_expression() -> None:
    proc = cli("-a*b", "a=2", "b=3")
    assert proc.returncode == 0 and proc.stderr == "" and "digraph" in proc.stdout


def test_inf_and_nan_are_one_warning_not_numpy_noise() -> None:
    proc = cli("a/b - log(a)", "a=1", "b=0")
    assert proc.returncode == 0
    err = one_line(proc.stderr)
    assert "warning: out = inf" in err and "RuntimeWarning" not in err


def test_fullwidth_names_bind_as_python_reads_them(tmp_path: Path) -> None:
    proc = cli("ａ*2", "ａ=1", "-o", "-.dot", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.startswith("out = 2; dout/da = 2"), proc.stderr


def test_data_names_get_no_gradient(tmp_path: Path) -> None:
    proc = cli("w*x + b", "w=0.5", "x=2", "b=1", "--data", "x", "-o", "-.dot", cwd=tmp_path)
    assert proc.returncode == 0 and (tmp_path / "-.dot").is_file()
    assert proc.stdout.startswith("out = 2; dout/dw = 2, dout/db = 1\n")


def _fake_dot(tmp_path: Path, body: str) -> dict[str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    dot = bin_dir / "dot"
    dot.write_text(f"#!/bin/sh\necho $$ > {tmp_path / 'dot.pid'}\n{body}\n")
    dot.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead for our purpose
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[-1].startswith("Z"))


def test_a_failing_dot_exits_1_in_one_line(tmp_path: Path) -> None:
    env = _fake_dot(tmp_path, "echo 'Error: syntax error in line 1' >&2; exit 3")
    proc = cli("a*b", "a=1", "b=2", "-o", str(tmp_path / "f.svg"), env=env)
    assert proc.returncode == 1
    assert "dot -Tsvg failed (exit status 3): Error: syntax error" in one_line(proc.stderr)
    assert not (tmp_path / "f.svg").exists()


@needs_linux
def test_a_hanging_dot_is_killed_at_the_timeout(tmp_path: Path) -> None:
    env = _fake_dot(tmp_path, "sleep 600")
    proc = cli("a*b", "a=1", "b=2", "-o", str(tmp_path / "f.svg"), "--timeout", "1", env=env)
    assert proc.returncode == 1 and "within 1 s" in one_line(proc.stderr)
    pid = int((tmp_path / "dot.pid").read_text())
    assert not _alive(pid)


@needs_linux
def test_killing_the_cli_kills_dot(tmp_path: Path) -> None:
    env = _fake_dot(tmp_path, "exec sleep 600")
    proc = subprocess.Popen([sys.executable, "-c", CLI, "graph", "a*b", "a=1", "b=2", "-o",
                             str(tmp_path / "f.svg")], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    pid_file = tmp_path / "dot.pid"
    deadline = time.monotonic() + 20
    while not pid_file.exists() or not pid_file.read_text().strip():
        assert time.monotonic() < deadline and proc.poll() is None, "dot never started"
        time.sleep(0.05)
    dot_pid = int(pid_file.read_text())
    proc.send_signal(signal.SIGKILL)  # no chance to clean up: the kernel must do it
    proc.wait()
    deadline = time.monotonic() + 5
    while _alive(dot_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _alive(dot_pid):
        os.kill(dot_pid, signal.SIGKILL)
        pytest.fail("dot outlived the killed CLI")


def test_a_literal_python_warns_about_gives_one_line_only() -> None:
    # ast.parse warns "invalid decimal literal" on '1if ...' before our own refusal
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, "-m", "tinygrad_course", "graph", "0x1for", "a=1"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
