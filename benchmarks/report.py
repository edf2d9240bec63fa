"""The results table (markdown, for the terminal and docs/performance.md) and the JSON file."""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from .backends import thread_info
from .harness import ORDER, Row

__all__ = ["machine", "table", "to_json"]

ROOT = Path(__file__).resolve().parent.parent


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _git() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                              capture_output=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=ROOT, text=True, capture_output=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head}{' + uncommitted changes' if dirty.strip() else ''}" if head else "unknown"


def machine(threads: int, size: str) -> dict[str, Any]:
    """Where and how the numbers were taken (goes into the JSON and under the table)."""
    versions = {"python": platform.python_version(), "numpy": np.__version__}
    for lib in ("torch", "autograd", "jax", "threadpoolctl"):
        if sys.modules.get(lib) is not None:
            try:
                versions[lib] = metadata.version(lib)
            except metadata.PackageNotFoundError:
                versions[lib] = "installed"
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu(), "cores": os.cpu_count(), "platform": platform.platform(),
        "threads": threads, "size": size, "versions": versions, "git": _git(),
        "thread_info": thread_info(), "load_avg": _load(),
    }


def _load() -> list[float] | None:
    """1/5/15-minute load averages: other processes on the cores make the times noisier."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "MB":
        return f"{value:.1f}"
    if unit == "µs/op":
        return f"{value:.2f}"
    return f"{value:.3g}" if value >= 0.01 else f"{value:.2g}"


def _result(row: Row) -> str:
    if not row.correct:
        return "WRONG"
    if row.passed is None:
        return "n/a"
    return "pass" if row.passed else "FAIL"


def _compiled_result(row: Row) -> str:
    if not row.compiled_target:
        return "—"
    if not row.correct:
        return "WRONG"
    if row.compiled_passed is None:
        return "n/a"
    return "pass" if row.compiled_passed else "FAIL"


RATIOS = ("engine", "compiled", "torch", "autograd", "jax")


def table(rows: list[Row], meta: dict[str, Any]) -> str:
    """A markdown table of medians and ratios to numpy, then the notes and the machine.
    ``target``/``result`` are the engine's (issue 6), ``compiled target``/``compiled`` the
    compiled column's (issue 13)."""
    head = ["", "workload", "unit", *ORDER, *(f"{n}/np" for n in RATIOS), "target", "result",
            "compiled target", "compiled"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        ratios = [r.ratio(n) for n in RATIOS]
        cells = [r.key, r.title, r.unit, *(_fmt(r.values.get(n), r.unit) for n in ORDER),
                 *("—" if x is None else f"{x:.2f}×" for x in ratios), r.target, _result(r),
                 r.compiled_target or "—", _compiled_result(r)]
        lines.append("| " + " | ".join(cells) + " |")
    notes = [f"- {r.key}: {n}" for r in rows for n in r.notes]
    v = meta["versions"]
    lines += ["", f"{meta['date']}; {meta['cpu']}, {meta['cores']} cores; "
              f"{meta['threads']} BLAS thread(s); size {meta['size']}; git {meta['git']}; "
              f"{meta.get('clock', 'wall')} clock; "
              f"gc {'frozen' if meta.get('gc_freeze', True) else 'not frozen'} before runs; "
              f"load average {meta.get('load_avg')}; "
              + ", ".join(f"{k} {val}" for k, val in v.items())]
    if notes:
        lines += ["", "Notes:", *notes]
    return "\n".join(lines)


def _clean(x: Any) -> Any:
    """JSON has no NaN/inf: write them as null."""
    if isinstance(x, float) and not np.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    return x


def to_json(rows: list[Row], meta: dict[str, Any], path: Path) -> None:
    """Write every row (samples, medians, ratios, checks, notes) and the machine to ``path``."""
    data = {"meta": meta, "results": [{
        "key": r.key, "title": r.title, "unit": r.unit, "medians": r.values,
        "samples": r.samples, "ratios_to_numpy": {n: r.ratio(n) for n in r.values},
        "target": r.target, "passed": r.passed, "correct": r.correct, "result": _result(r),
        "compiled_target": r.compiled_target, "compiled_passed": r.compiled_passed,
        "notes": r.notes, "extra": r.extra} for r in rows]}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_clean(data), indent=1, ensure_ascii=False) + "\n")


def from_json(path: Path) -> tuple[list[Row], dict[str, Any]]:
    """The rows and machine of a results file written by :func:`to_json`."""
    data = json.loads(Path(path).read_text())
    rows = []
    for r in data["results"]:
        row = Row(r["key"], r["title"], r["unit"],
                  values={k: v for k, v in r["medians"].items() if v is not None},
                  samples=r.get("samples", {}), target=r.get("target", ""),
                  passed=r.get("passed"), correct=r.get("correct", True),
                  notes=r.get("notes", []), extra=r.get("extra", {}),
                  compiled_target=r.get("compiled_target", ""),
                  compiled_passed=r.get("compiled_passed"))
        rows.append(row)
    return rows, data["meta"]


BEGIN, END = "<!-- table:begin (generated by benchmarks/report.py) -->", "<!-- table:end -->"


def page_table(results: Path) -> str:
    """The markdown a docs page shows for a results file (between BEGIN and END)."""
    rows, meta = from_json(results)
    return f"{BEGIN}\n\n{table(rows, meta)}\n\n{END}"


def update_page(page: Path, results: Path) -> None:
    """Replace the generated table of ``page`` (between the markers) by ``results``'."""
    text = page.read_text()
    start, stop = text.index(BEGIN), text.index(END) + len(END)
    page.write_text(text[:start] + page_table(results) + text[stop:])


if __name__ == "__main__":  # python -m benchmarks.report RESULTS.json PAGE.md
    update_page(Path(sys.argv[2]), Path(sys.argv[1]))
