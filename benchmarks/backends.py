"""Optional comparison libraries (PyTorch, HIPS autograd) and the BLAS thread count."""

from __future__ import annotations

import contextlib
import gc
import importlib
import importlib.util
import os
import sys
import time
from collections.abc import Iterator
from types import ModuleType
from typing import Any

__all__ = ["TORCH_HINT", "available", "clock", "clock_name", "fresh_heap", "installed_impls",
           "limit_threads", "optional", "require", "skip_notes", "thread_info"]

TORCH_HINT = ".venv/bin/pip install torch==2.13.0  (the CPU wheel; see benchmarks/README.md)"
AUTOGRAD_HINT = ".venv/bin/pip install autograd"

_HINTS = {"torch": TORCH_HINT, "autograd": AUTOGRAD_HINT}
_cache: dict[str, tuple[ModuleType | None, str]] = {}
_limits: Any = None  # threadpoolctl's limit lasts while this reference lives


def clock_name() -> str:
    """``wall`` (the default: elapsed time) or ``cpu`` (this process's CPU time), as chosen by
    ``run.py --clock`` through ``TGC_BENCH_CLOCK`` (child processes inherit it)."""
    return "cpu" if os.environ.get("TGC_BENCH_CLOCK") == "cpu" else "wall"


def clock() -> float:
    """The benchmark clock in seconds. CPU time ignores the time other processes hold the
    cores (a shared machine), but adds up all threads: use it with one BLAS thread."""
    return time.process_time() if clock_name() == "cpu" else time.perf_counter()


@contextlib.contextmanager
def fresh_heap() -> Iterator[None]:
    """Collect the garbage of earlier runs, then ``gc.freeze()`` what is alive (libraries,
    data) for the duration of the block: the collector still runs, but on the objects the run
    makes. Otherwise every full collection also walks whatever else the process has loaded
    (importing torch adds ~150,000 tracked objects), and an engine that makes Python objects
    per op would be charged for the other libraries in the comparison. ``TGC_BENCH_GC_FREEZE=0``
    (``run.py --no-gc-freeze``) turns the freeze off.
    """
    gc.collect()
    frozen = os.environ.get("TGC_BENCH_GC_FREEZE", "1") != "0"
    if frozen:
        gc.freeze()
    try:
        yield
    finally:
        if frozen:
            gc.unfreeze()


def available(name: str) -> bool:
    """Whether ``name`` is installed, found without importing it (torch alone adds hundreds
    of MB to a process, which would blur the memory measurements of the other libraries).

    >>> available("numpy"), available("surely_not_a_module_name")
    (True, False)
    """
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def installed_impls(**impls: Any) -> dict[str, Any]:
    """The implementations whose library is importable: engine, compiled (tc.compile) and
    numpy always, torch, autograd (HIPS) and jax only when installed. Keyword names are the
    library names."""
    return {name: f for name, f in impls.items()
            if name in ("engine", "numpy", "compiled") or available(name)}


def skip_notes() -> tuple[str, ...]:
    """One note per optional library that is not installed, with how to install it."""
    return tuple(f"{name} skipped: not installed ({hint})" for name, hint in _HINTS.items()
                 if not available(name))


def optional(name: str) -> tuple[ModuleType | None, str]:
    """``(module, "")`` when ``name`` imports, else ``(None, why it is skipped)``.

    >>> optional("surely_not_a_module_name")[0] is None
    True
    """
    if name not in _cache:
        try:
            module = importlib.import_module(name)
        except ImportError as e:  # absent, or a broken install: either way, skip with a note
            hint = _HINTS.get(name, f"pip install {name}")
            _cache[name] = (None, f"{name} skipped: not importable ({e}); install: {hint}")
        else:
            _cache[name] = (module, "")
            if name == "torch" and "TGC_BENCH_THREADS" in os.environ:
                module.set_num_threads(int(os.environ["TGC_BENCH_THREADS"]))
    return _cache[name]


def require(name: str) -> Any:
    """The module ``name``, or an ImportError saying why it cannot be used."""
    module, why = optional(name)
    if module is None:
        raise ImportError(why)
    return module


def limit_threads(n: int) -> list[str]:
    """Set every BLAS/OpenMP pool in this process (numpy's, torch's) to ``n`` threads.

    The environment variables set by ``run.py`` before numpy loads already do this; threadpoolctl
    (when installed) makes sure, and torch has its own setting. Returns notes on what was done.
    """
    global _limits
    notes = []
    tpc, _ = optional("threadpoolctl")
    if tpc is None:
        notes.append("threadpoolctl not installed: relying on OMP/OPENBLAS_NUM_THREADS")
    else:
        _limits = tpc.threadpool_limits(limits=n)
    torch = sys.modules.get("torch")  # set here only if loaded; optional() sets it on import
    if torch is not None:
        torch.set_num_threads(n)
    return notes


def thread_info() -> dict[str, Any]:
    """What the thread pools and the relevant environment variables actually are."""
    info: dict[str, Any] = {k: os.environ.get(k) for k in (
        "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
        "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    tpc, _ = optional("threadpoolctl")
    if tpc is None:
        info["pools"] = "threadpoolctl not installed"
    else:
        info["pools"] = [{k: p.get(k) for k in ("internal_api", "num_threads", "version",
                                                "architecture", "filepath")}
                         for p in tpc.threadpool_info()]
    torch = sys.modules.get("torch")
    if torch is not None:
        info["torch_threads"] = torch.get_num_threads()
    return info
