"""Saving and loading a model's parameters as ``.npz``: atomic writes, all-or-nothing reads."""

from __future__ import annotations

import contextlib
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from ..nn.module import Module

__all__ = ["CheckpointError", "save_parameters", "load_parameters"]


class CheckpointError(ValueError):
    """A parameter file that cannot be loaded into this model (the model is left unchanged)."""


def save_parameters(module: Module, path: str | os.PathLike[str]) -> Path:
    """Write ``module``'s named parameters to ``path`` as an uncompressed ``.npz``.

    The file is written to a temporary file in the same directory, flushed to disk, then
    renamed over ``path`` (``os.replace`` is atomic), so a crash mid-save leaves any previous
    file intact. Returns the path written.
    """
    target = Path(path)
    arrays = {name: np.ascontiguousarray(p.data) for name, p in module.named_parameters()}
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)  # type: ignore[arg-type]
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _file_mode(target))  # mkstemp makes 0600; keep the usual permissions
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


def _file_mode(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _read(path: Path) -> dict[str, np.ndarray]:
    """Every array in the file, fully read (so CRC and truncation errors surface here)."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    except FileNotFoundError:
        raise CheckpointError(f"no parameter file at {path}") from None
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile) as e:
        raise CheckpointError(f"{path} is not a readable .npz parameter file (corrupt, "
                              f"truncated or of another format): {e}") from None


def load_parameters(module: Module, path: str | os.PathLike[str]) -> None:
    """Load parameters saved by :func:`save_parameters` into ``module``.

    Every check happens before anything is assigned: names missing from the file, names the
    model does not have, wrong shapes, non-numeric or non-finite arrays, or unreadable bytes
    raise :class:`CheckpointError` and leave the module unchanged.
    """
    path = Path(path)
    stored = _read(path)
    params = dict(module.named_parameters())
    missing = [n for n in params if n not in stored]
    extra = [n for n in stored if n not in params]
    problems = []
    if missing:
        problems.append(f"missing {', '.join(missing)}")
    if extra:
        problems.append(f"unexpected {', '.join(extra)}")
    for name, p in params.items():
        if name not in stored:
            continue
        arr = stored[name]
        if arr.shape != p.shape:
            problems.append(f"{name} has shape {arr.shape} in the file but {p.shape} in the "
                            "model")
        elif arr.dtype.kind not in "iuf":
            problems.append(f"{name} holds {arr.dtype} values, not numbers")
        elif not np.all(np.isfinite(arr)):
            problems.append(f"{name} contains NaN or infinity")
    if problems:
        raise CheckpointError(f"cannot load {path} into {type(module).__name__}: "
                              + "; ".join(problems) + " (the model is unchanged)")
    for name, p in params.items():
        p.data = stored[name].astype(p.dtype, copy=True)
        p.grad = None
