"""Saving and loading a model's parameters as ``.npz``: atomic writes, checked, bounded reads.

Parameter names follow the course's notation, ``W[1], b[1], W[2], ...`` (the tensors' own
names); files written before that convention, with keys ``W1, b1, ...``, still load.
See docs/limits.md for what ``save`` and ``load`` guarantee.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from ..engine.tensor import Tensor
from ..nn.module import Module

__all__ = ["CheckpointError", "save_parameters", "load_parameters", "TEMP_PREFIX"]

# Temp files are named ``.tinygrad-save-<hash of the target's name>-<pid>-<random>.tmp``: short
# (a 250-character target name still works), recognizable, and traceable to their target.
TEMP_PREFIX = ".tinygrad-save-"
_MAX_HEADER = 4096  # bytes an .npy header may take; numpy's own headers use 128


class CheckpointError(ValueError):
    """A parameter file that cannot be loaded into this model (the model is left unchanged),
    or parameters that ``save`` refuses to write."""


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def _regular_or_absent(path: Path, target: Path, verb: str) -> bool:
    """True if ``path`` is a regular file, False if absent; refuse anything else."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return False
    except OSError as e:
        raise CheckpointError(f"cannot {verb} {target}: {e.strerror or e}") from None
    if not stat.S_ISREG(mode):
        raise CheckpointError(f"cannot {verb} {target}: it is {_kind(mode)}, not a regular "
                              "file")
    return True


def save_parameters(module: Module, path: str | os.PathLike[str]) -> Path:
    """Write ``module``'s named parameters to ``path`` as an uncompressed ``.npz``.

    The file is written to a temporary file in the same directory, flushed to disk, then
    renamed over ``path`` (``os.replace`` is atomic), so a crash mid-save leaves any previous
    file intact; temp files a crash left behind are removed by the next save to that path.
    A symlink is followed: the file it points to is replaced (atomically) and the link stays.
    A directory, FIFO or device at ``path`` is refused, and so are NaN or infinite parameters
    (``load`` would refuse that file). Returns the path written (as given).
    """
    target = Path(os.fspath(path))
    arrays = {name: np.ascontiguousarray(p.data) for name, p in module.named_parameters()}
    bad = [name for name, a in arrays.items() if not np.all(np.isfinite(a))]
    if bad:
        raise CheckpointError(
            f"refusing to save {target}: {', '.join(bad)} contain NaN or infinity (did "
            "training diverge? try a smaller learning_rate); load would refuse such a file")
    real = Path(os.path.realpath(target))  # follow symlinks deliberately: update the target
    _regular_or_absent(real, target, "save to")
    directory = real.parent
    tag = hashlib.sha256(real.name.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    _remove_stale_temps(directory, tag)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{tag}-{os.getpid()}-", suffix=".tmp",
                                   dir=directory)
    except OSError as e:
        raise _os_error(e, target) from None
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)  # type: ignore[arg-type]
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _file_mode(real))  # mkstemp makes 0600; keep the usual permissions
        os.replace(tmp, real)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise _os_error(e, target) from None
        raise
    return target


def _os_error(e: OSError, target: Path) -> OSError:
    """The same kind of OSError, naming the target rather than the hidden temp file."""
    reason = e.strerror or str(e)
    message = f"cannot save parameters to {target}: {reason}"
    return OSError(e.errno, message) if e.errno is not None else OSError(message)


def _remove_stale_temps(directory: Path, tag: str) -> None:
    """Delete temp files of earlier saves to this target whose process is gone."""
    pattern = re.compile(re.escape(f"{TEMP_PREFIX}{tag}-") + r"(\d+)-[^/]*\.tmp")
    with contextlib.suppress(OSError):
        for entry in os.scandir(directory):
            match = pattern.fullmatch(entry.name)
            if match and not _alive(int(match.group(1))):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True  # another thread of ours may be saving right now
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


def _file_mode(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _legacy(name: str) -> str:
    """``W[1]`` -> ``W1``: the key files written before the bracket convention used."""
    return name.replace("[", "").replace("]", "")


def _header(f: Any) -> tuple[tuple[int, ...], np.dtype[Any]]:
    version = np.lib.format.read_magic(f)
    if version == (1, 0):
        shape, _, dtype = np.lib.format.read_array_header_1_0(f, max_header_size=_MAX_HEADER)
    elif version == (2, 0):
        shape, _, dtype = np.lib.format.read_array_header_2_0(f, max_header_size=_MAX_HEADER)
    else:
        raise ValueError(f"unsupported .npy format version {version}")
    return shape, dtype


def _read(path: Path, params: dict[str, Tensor]) -> dict[str, np.ndarray]:
    """The arrays for ``params``, read only after every name, shape and dtype in the file has
    been checked against the model (so a decompression bomb is refused unread)."""
    if not _regular_or_absent(path, path, "load"):
        raise CheckpointError(f"no parameter file at {path}")
    expected = sum(p.data.nbytes for p in params.values())
    size = path.stat().st_size
    if size > 2 * expected + 64 * 1024 + _MAX_HEADER * len(params):
        raise CheckpointError(f"{path} is {size} bytes, far more than the {expected} bytes of "
                              "this model's parameters: not its parameter file")
    try:
        if not zipfile.is_zipfile(path):
            with open(path, "rb") as f:
                single = f.read(6) == b"\x93NUMPY"
            what = ("a single .npy array, not an .npz parameter file (save with model.save, "
                    "or np.savez with one array per parameter)") if single else \
                "not a readable .npz parameter file (corrupt, truncated or of another format)"
            raise CheckpointError(f"{path} is {what}")
        with zipfile.ZipFile(path) as z:
            infos = _match_members(path, z, params)
            problems = []
            for name, info in infos.items():
                with z.open(info) as f:
                    shape, dtype = _header(f)
                problem = _member_problem(name, info, shape, dtype, params[name])
                if problem:
                    problems.append(problem)
            if problems:
                raise CheckpointError(f"cannot load {path}: " + "; ".join(problems)
                                      + " (the model is unchanged)")
            out = {}
            for name, info in infos.items():
                with z.open(info) as f:
                    out[name] = np.lib.format.read_array(f, allow_pickle=False,
                                                         max_header_size=_MAX_HEADER)
            return out
    except CheckpointError:
        raise
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, zlib.error,
            NotImplementedError, MemoryError) as e:
        raise CheckpointError(f"{path} is not a readable .npz parameter file (corrupt, "
                              f"truncated or of another format): {e}") from None


def _match_members(path: Path, z: zipfile.ZipFile, params: dict[str, Tensor]
                   ) -> dict[str, zipfile.ZipInfo]:
    """Each parameter's member of the zip, by name alone (nothing decompressed yet)."""
    legacy = {_legacy(name): name for name in params}
    found: dict[str, zipfile.ZipInfo] = {}
    extra: list[str] = []
    for info in z.infolist():
        key = info.filename[:-4] if info.filename.endswith(".npy") else info.filename
        name = key if key in params else legacy.get(key)
        if name is None:
            extra.append(repr(key) if not key.isprintable() else key)
        elif name in found:
            raise CheckpointError(f"cannot load {path}: {name} appears twice in the file")
        else:
            found[name] = info
    missing = [n for n in params if n not in found]
    problems = []
    if missing:
        problems.append(f"missing {', '.join(missing)}")
    if extra:
        shown = ", ".join(extra[:10]) + (f" and {len(extra) - 10} more" if len(extra) > 10
                                          else "")
        problems.append(f"unexpected {shown}")
    if problems:
        raise CheckpointError(f"cannot load {path}: " + "; ".join(problems)
                              + " (the model is unchanged)")
    return found


def _member_problem(name: str, info: zipfile.ZipInfo, shape: tuple[int, ...],
                    dtype: np.dtype[Any], p: Tensor) -> str | None:
    if dtype.hasobject or dtype.kind not in "iuf":
        return f"{name} holds {dtype} values, not numbers"
    if tuple(shape) != p.shape:
        return f"{name} has shape {tuple(shape)} in the file but {p.shape} in the model"
    if info.file_size > dtype.itemsize * p.size + _MAX_HEADER + 16:
        return f"{name} takes {info.file_size} bytes uncompressed, more than its shape needs"
    return None


def load_parameters(module: Module, path: str | os.PathLike[str]) -> None:
    """Load parameters saved by :func:`save_parameters` into ``module``.

    Every check happens before anything is assigned: names missing from the file, names the
    model does not have, wrong shapes, non-numeric arrays, values that are NaN or infinite
    once cast to the model's dtype (1e300 in a float32 model), or unreadable bytes raise
    :class:`CheckpointError` and leave the module unchanged. Names, shapes and dtypes are
    checked from the file's headers before any data is decompressed.
    """
    path = Path(os.fspath(path))
    params = dict(module.named_parameters())
    stored = _read(path, params)
    cast = {}
    for name, p in params.items():
        with np.errstate(over="ignore", invalid="ignore"):
            value = stored[name].astype(p.dtype, copy=True)
        if not np.all(np.isfinite(value)):
            raise CheckpointError(f"cannot load {path} into {type(module).__name__}: {name} "
                                  f"contains NaN or infinity as {p.dtype} (the model is "
                                  "unchanged)")
        cast[name] = value
    for name, p in params.items():
        p.data = cast[name]
        p.grad = None
