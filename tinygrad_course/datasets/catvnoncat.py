"""Weeks 2 and 4: the course's cat / non-cat pictures, read from its two HDF5 files."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["load_catvnoncat", "CAT_FILES", "WHERE_TO_GET", "DatasetError", "MAX_VALUES"]

CAT_FILES = ("train_catvnoncat.h5", "test_catvnoncat.h5")

WHERE_TO_GET = (
    "The files come with the course's programming assignments (week 2 'Logistic Regression "
    "with a Neural Network mindset', folder datasets/); copy train_catvnoncat.h5 and "
    "test_catvnoncat.h5 into one directory and pass it as directory= (or --data-dir).")


def _h5py() -> Any:
    try:
        import h5py
    except ImportError:
        raise ImportError("reading the cat pictures needs h5py, the 'data' extra: "
                          "pip install 'tinygrad-course[data]'") from None
    return h5py


class DatasetError(ValueError):
    """A data file that is missing parts, has the wrong shapes or types, or is too large."""


# The course's files hold 209 + 50 pictures of 64 x 64 x 3 bytes; refuse anything claiming more
# than this many values per file before reading it (a small compressed file can claim GBs).
MAX_VALUES = 2**25  # 33.5M values: 2,730 pictures of 64 x 64 x 3 (268 MB once float64)


def load_catvnoncat(directory: str | os.PathLike[str] = "datasets"
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``X_train, Y_train, X_test, Y_test, classes`` from ``directory``.

    ``X_*`` are the pictures flattened to ``(64*64*3, m) = (12288, m)`` and scaled to [0, 1]
    (byte pixels divided by 255; float pixels already in [0, 1] are kept as they are),
    ``Y_*`` are ``(1, m)`` labels (1 = cat), ``classes`` the class names as ``str``
    (``['non-cat', 'cat']``). 209 training and 50 test pictures.

    Each file's datasets are checked by name, kind, shape and dtype before any data is read,
    and refused above ``MAX_VALUES`` values; labels must be 0/1 and pixels finite numbers in
    range. Problems raise :class:`DatasetError` naming the file.
    """
    if not isinstance(directory, (str, os.PathLike)):
        raise TypeError(f"load_catvnoncat: directory must be a folder path (str or Path), got "
                        f"{type(directory).__name__}")
    folder = Path(directory)
    paths = [folder / name for name in CAT_FILES]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"cat / non-cat data not found: {', '.join(missing)} "
                                f"does not exist. {WHERE_TO_GET}")
    h5py = _h5py()
    out: list[np.ndarray] = []
    classes = np.array([])
    for path, split in zip(paths, ("train", "test")):
        try:
            with h5py.File(path, "r") as f:
                x, y = _split(h5py, f, path, split)
                if split == "test":
                    classes = _classes(h5py, f, path)
        except (OSError, KeyError, TypeError, ValueError) as e:
            if isinstance(e, DatasetError):
                raise
            raise DatasetError(f"cannot read the course's cat data in {path}: {e}. "
                               f"{WHERE_TO_GET}") from None
        out += [x, y]
    return out[0], out[1], out[2], out[3], classes


def _dataset(h5py: Any, f: Any, path: Path, key: str) -> Any:
    if key not in f:
        raise DatasetError(f"{path} has no dataset {key!r} (it has {sorted(f.keys())[:10]}). "
                           f"{WHERE_TO_GET}")
    d = f[key]
    if not isinstance(d, h5py.Dataset):
        raise DatasetError(f"{path}: {key!r} is a {type(d).__name__}, not an array")
    return d


def _split(h5py: Any, f: Any, path: Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    dx = _dataset(h5py, f, path, f"{split}_set_x")
    dy = _dataset(h5py, f, path, f"{split}_set_y")
    if len(dx.shape) != 4 or dx.shape[-1] != 3 or dy.shape != (dx.shape[0],):
        raise DatasetError(f"{path}: expected pictures (m, height, width, 3) and labels (m,), "
                           f"got {dx.shape} and {dy.shape}")
    for key, d in ((f"{split}_set_x", dx), (f"{split}_set_y", dy)):
        if d.dtype.kind not in "biuf":
            raise DatasetError(f"{path}: {key!r} holds {d.dtype} values, not numbers")
    if dx.size > MAX_VALUES:
        raise DatasetError(f"{path}: {dx.size} pixel values (shape {dx.shape}) is more than "
                           f"the {MAX_VALUES} this loader reads (the course's file has "
                           "2,568,192)")
    x = np.asarray(dx[()])
    y = np.asarray(dy[()])
    if x.dtype.kind == "f":
        if not np.all(np.isfinite(x)) or x.min(initial=0) < 0 or x.max(initial=0) > 1:
            raise DatasetError(f"{path}: float pixels must be finite and already scaled to "
                               "[0, 1]; byte pixels (0..255) are scaled here")
        pixels = x.reshape(x.shape[0], -1).T
    else:
        if x.min(initial=0) < 0 or x.max(initial=0) > 255:
            raise DatasetError(f"{path}: integer pixels must lie in 0..255, got "
                               f"{x.min()}..{x.max()}")
        pixels = x.reshape(x.shape[0], -1).T / 255.0
    if not np.all((y == 0) | (y == 1)):
        odd = np.unique(y[(y != 0) & (y != 1)])[:5]
        raise DatasetError(f"{path}: labels must be 0 (non-cat) or 1 (cat), got "
                           f"{', '.join(f'{v:g}' for v in odd)}")
    return pixels, y.reshape(1, -1).astype(np.int64)


def _classes(h5py: Any, f: Any, path: Path) -> np.ndarray:
    d = _dataset(h5py, f, path, "list_classes")
    if len(d.shape) != 1 or d.shape[0] > 16 or d.dtype.kind not in "SUO":
        raise DatasetError(f"{path}: 'list_classes' should be a few class names, got shape "
                           f"{d.shape} of {d.dtype}")
    names = [c.decode("utf-8", "replace") if isinstance(c, bytes) else str(c) for c in d[()]]
    if any(len(n) > 100 for n in names):
        raise DatasetError(f"{path}: 'list_classes' holds names over 100 characters")
    return np.array(names)
