"""Weeks 2 and 4: the course's cat / non-cat pictures, read from its two HDF5 files."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["load_catvnoncat", "CAT_FILES", "WHERE_TO_GET"]

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


def load_catvnoncat(directory: str | os.PathLike[str] = "datasets"
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``X_train, Y_train, X_test, Y_test, classes`` from ``directory``.

    ``X_*`` are the pictures flattened to ``(64*64*3, m) = (12288, m)`` and divided by 255,
    ``Y_*`` are ``(1, m)`` labels (1 = cat), ``classes`` the class names as ``str``
    (``['non-cat', 'cat']``). 209 training and 50 test pictures.
    """
    folder = Path(directory)
    paths = [folder / name for name in CAT_FILES]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"cat / non-cat data not found: {', '.join(missing)} "
                                f"does not exist. {WHERE_TO_GET}")
    h5py = _h5py()
    out: list[np.ndarray] = []
    try:
        for path, split in zip(paths, ("train", "test")):
            with h5py.File(path, "r") as f:
                x = np.array(f[f"{split}_set_x"][:])
                y = np.array(f[f"{split}_set_y"][:])
                if split == "test":
                    classes = np.array(f["list_classes"][:])
            if x.ndim != 4 or y.shape != (x.shape[0],):
                raise ValueError(f"{path}: expected pictures (m, h, w, 3) and labels (m,), "
                                 f"got {x.shape} and {y.shape}")
            out.append(x.reshape(x.shape[0], -1).T / 255.0)
            out.append(y.reshape(1, -1))
    except (OSError, KeyError) as e:
        raise ValueError(f"cannot read the course's cat data in {folder}: {e}. "
                         f"{WHERE_TO_GET}") from None
    names = np.array([c.decode("utf-8") if isinstance(c, bytes) else str(c) for c in classes])
    return out[0], out[1], out[2], out[3], names
