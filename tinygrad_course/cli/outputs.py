"""Where the CLI writes: folders and files checked before any work, and a rescue path for a
trained model whose save fails at the end anyway."""

from __future__ import annotations

import os
import stat
import tempfile
import time
from pathlib import Path
from typing import Any

from ..models import CheckpointError

__all__ = ["UsageError", "RuntimeFailure", "check_folder", "check_file", "save_or_rescue"]


class UsageError(Exception):
    """Bad command-line input: reported on one line with exit status 2."""


class RuntimeFailure(Exception):
    """A failure after the input was accepted: reported on one line with exit status 1."""


def _probe(folder: Path, option: str) -> None:
    """Create and remove a file in ``folder``: the only reliable writability test."""
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".tinygrad-probe-"):
            pass
    except OSError as e:
        raise UsageError(f"{option}: cannot write in {folder}: {e.strerror or e}") from None


def check_folder(path: str, option: str) -> Path:
    """``path`` as a writable folder, created if missing (with its parents)."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{option} {path}: exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(f"{option} {path}: cannot create the folder: {e.strerror or e}"
                         ) from None
    _probe(folder, option)
    return folder


def check_file(path: str, option: str) -> Path:
    """``path`` as a file ``save`` can replace: in an existing writable folder, and either
    absent or a regular file (a symlink is followed, as ``save`` does)."""
    target = Path(path)
    real = Path(os.path.realpath(target))
    try:
        mode = os.stat(real).st_mode
        if not stat.S_ISREG(mode):
            raise UsageError(f"{option} {path}: exists and is not a regular file")
    except FileNotFoundError:
        pass
    except OSError as e:
        raise UsageError(f"{option} {path}: {e.strerror or e}") from None
    if not real.parent.is_dir():
        raise UsageError(f"{option} {path}: the folder {real.parent} does not exist")
    _probe(real.parent, option)
    return target


def save_or_rescue(model: Any, path: Path) -> str:
    """Save ``model`` to ``path``; if that fails now (disk full, folder removed during
    training), save it to a rescue file in the current folder or the temp folder and raise
    :class:`RuntimeFailure` saying where it went. Returns the line to print on success."""
    try:
        return f"saved parameters to {model.save(path)}"
    except CheckpointError as e:
        raise RuntimeFailure(str(e)) from None  # e.g. NaN parameters: nothing worth rescuing
    except OSError as e:
        reason = str(e)
    name = f"tinygrad-course-rescued-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.npz"
    for folder in (Path.cwd(), Path(tempfile.gettempdir())):
        try:
            rescued = model.save(folder / name)
        except (OSError, CheckpointError):
            continue
        raise RuntimeFailure(f"{reason}; the trained parameters were saved to {rescued} "
                             "instead")
    raise RuntimeFailure(f"{reason}; no rescue file could be written either")
