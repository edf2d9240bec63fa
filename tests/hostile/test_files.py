"""Hostile and careless files: decompression bombs, non-regular targets, symlinks, crashed
saves, overflowing values, and data files with the wrong parts. Each case is bounded: under
5 s and, for the bombs, under 500 MB of memory (measured in a fresh interpreter)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tinygrad_course.datasets import DatasetError, load_catvnoncat, make_moons
from tinygrad_course.models import CheckpointError, ShallowNN
from tinygrad_course.models.serialization import TEMP_PREFIX

from .hostile_bombs import measured, npy_header, write_zip

BOMB = 640 << 20  # 640 MiB of zeros in ~650 KB: more than the 500 MB bound if ever read
MB_LIMIT, SECONDS = 500, 5.0


def trained() -> ShallowNN:
    X, Y = make_moons(40)
    model = ShallowNN(2, 3, seed=0)
    model.fit(X, Y, num_iterations=10, learning_rate=0.5)
    return model


def load_in_fresh_process(model: str, path: Path) -> dict[str, object]:
    return measured(
        "from tinygrad_course.models import *\n"
        f"model = {model}\n"
        "try:\n"
        f"    model.load({str(path)!r}); result = 'loaded'\n"
        "except CheckpointError as e:\n"
        "    result = 'CheckpointError: ' + str(e)\n")


# --- decompression bombs in .npz --------------------------------------------------------------
DEEP = "DeepNN([12288, 20, 1])"  # big enough that a bomb's file size alone passes
DEEP_SHAPES = {"W[1]": (20, 12288), "b[1]": (20, 1), "W[2]": (1, 20), "b[2]": (1, 1)}


def deep_members(**override: tuple[bytes, int]) -> dict[str, tuple[bytes, int]]:
    legit = {f"{n}.npy": (npy_header(s), 8 * int(np.prod(s))) for n, s in DEEP_SHAPES.items()}
    return {**legit, **override}


def test_npz_with_an_extra_member_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "bomb.npz"
    write_zip(path, deep_members(**{"junk.npy": (npy_header((BOMB // 8,)), BOMB)}))
    report = load_in_fresh_process(DEEP, path)
    assert str(report["result"]).startswith(f"CheckpointError: cannot load {path}: unexpected "
                                            "junk")
    assert report["peak_mb"] < MB_LIMIT and report["seconds"] < SECONDS  # type: ignore[operator]


def test_npz_member_larger_than_its_shape_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "bomb.npz"
    write_zip(path, deep_members(**{"W[2].npy": (npy_header((1, 20)), BOMB)}))
    report = load_in_fresh_process(DEEP, path)
    assert str(report["result"]).startswith(f"CheckpointError: cannot load {path}: W[2] takes")
    assert report["peak_mb"] < MB_LIMIT and report["seconds"] < SECONDS  # type: ignore[operator]


def test_small_file_claiming_a_big_model_is_refused_by_size(tmp_path: Path) -> None:
    path = tmp_path / "bomb.npz"
    write_zip(path, {"W[1].npy": (npy_header((3, 2)), BOMB // 4)})
    with pytest.raises(CheckpointError, match=r"bytes, far more than the 104 bytes"):
        ShallowNN(2, 3).load(path)


def test_npz_header_claiming_a_huge_shape_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.npz"
    write_zip(path, {"W[1].npy": (npy_header((10**7, 10**7)), 48),
                     "b[1].npy": (npy_header((3, 1)), 24), "W[2].npy": (npy_header((1, 3)), 24),
                     "b[2].npy": (npy_header((1, 1)), 8)})
    model = ShallowNN(2, 3)
    with pytest.raises(CheckpointError, match=r"W\[1\] has shape \(10000000, 10000000\) in "
                                              r"the file but \(3, 2\)"):
        model.load(path)


@pytest.mark.parametrize("header, message", [
    (npy_header((3, 2), "|O"), r"W\[1\] holds object values"),
    (npy_header((3, 2), "<U3"), r"W\[1\] holds <U3 values"),
    (b"\x93NUMPY\x01\x00" + (60000).to_bytes(2, "little") + b"{" * 64, "not a readable"),
])
def test_npz_headers_are_checked_before_data(tmp_path: Path, header: bytes, message: str
                                             ) -> None:
    path = tmp_path / "odd.npz"
    write_zip(path, {"W[1].npy": (header, 48), "b[1].npy": (npy_header((3, 1)), 24),
                     "W[2].npy": (npy_header((1, 3)), 24), "b[2].npy": (npy_header((1, 1)), 8)})
    with pytest.raises(CheckpointError, match=message):
        ShallowNN(2, 3).load(path)


def test_plain_npy_fifo_and_directory_are_refused(tmp_path: Path) -> None:
    model = ShallowNN(2, 3)
    np.save(tmp_path / "W1.npy", np.zeros((3, 2)))
    with pytest.raises(CheckpointError, match=r"W1\.npy is a single \.npy array, not an \.npz"):
        model.load(tmp_path / "W1.npy")
    os.mkfifo(tmp_path / "pipe")  # opening a FIFO to read would block forever
    with pytest.raises(CheckpointError, match=r"pipe: it is a FIFO"):
        model.load(tmp_path / "pipe")
    with pytest.raises(CheckpointError, match="it is a directory"):
        model.load(tmp_path)


def test_values_that_overflow_the_models_dtype_are_refused(tmp_path: Path) -> None:
    source = ShallowNN(2, 3)
    source.linears[0].W.data[0, 0] = 1e300  # finite in float64, inf in float32
    path = source.save(tmp_path / "big.npz")
    target = ShallowNN(2, 3, dtype=np.float32)
    before = [p.data.copy() for p in target.parameters()]
    with pytest.raises(CheckpointError, match=r"W\[1\] contains NaN or infinity as float32"):
        target.load(path)
    for p, old in zip(target.parameters(), before):
        np.testing.assert_array_equal(p.data, old)


# --- save: what is at the target -----------------------------------------------------------
def test_save_refuses_fifo_device_and_directory(tmp_path: Path) -> None:
    model = trained()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for target, kind in ((fifo, "a FIFO"), (Path("/dev/null"), "a character device"),
                         (tmp_path, "a directory")):
        with pytest.raises(CheckpointError, match=f"cannot save to {target}: it is {kind}"):
            model.save(target)
    assert fifo.is_fifo() and Path("/dev/null").is_char_device()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo"]  # no temp file left


def test_save_through_a_symlink_updates_its_target(tmp_path: Path) -> None:
    real = tmp_path / "runs" / "best.npz"
    real.parent.mkdir()
    trained().save(real)
    link = tmp_path / "latest.npz"
    link.symlink_to(real)
    model = ShallowNN(2, 3, seed=7)
    assert model.save(link) == link
    assert link.is_symlink() and os.readlink(link) == str(real)
    fresh = ShallowNN(2, 3, seed=1)
    fresh.load(real)
    for a, b in zip(fresh.parameters(), model.parameters()):
        np.testing.assert_array_equal(a.data, b.data)


def test_long_file_name_and_stale_temps_from_a_crash(tmp_path: Path) -> None:
    target = tmp_path / ("m" * 246 + ".npz")  # 250 characters: legal on every common filesystem
    model = trained()
    model.save(target)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    pid = int(dead.stdout)
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
    # What a save killed mid-write leaves behind, from a process that is gone:
    h = hashlib.sha256(target.name.encode()).hexdigest()[:12]
    stale = tmp_path / f"{TEMP_PREFIX}{h}-{pid}-abc123.tmp"
    stale.write_bytes(b"x" * 1000)
    other = tmp_path / f"{TEMP_PREFIX}{'0' * 12}-{pid}-abc123.tmp"  # another target's: kept
    other.write_bytes(b"y")
    model.save(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, other.name])


def test_save_errors_name_the_target_not_the_temp_file(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "m.npz"

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError) as info:
        trained().save(target)
    assert str(info.value) == f"[Errno 28] cannot save parameters to {target}: No space left " \
                              "on device"
    assert TEMP_PREFIX not in str(info.value) and list(tmp_path.iterdir()) == []


# --- the cat / non-cat HDF5 files ------------------------------------------------------------
h5py = pytest.importorskip("h5py", reason="h5py (the 'data' extra) is not installed")


def cat_files(folder: Path, m: int = 4, x: object = None, y: object = None,
              **datasets: object) -> Path:
    for split in ("train", "test"):
        with h5py.File(folder / f"{split}_catvnoncat.h5", "w") as f:
            f.create_dataset(f"{split}_set_x", data=np.full((m, 64, 64, 3), 200, np.uint8)
                             if x is None else x)
            f.create_dataset(f"{split}_set_y", data=np.arange(m) % 2 if y is None else y)
            f.create_dataset("list_classes", data=np.array([b"non-cat", b"cat"]))
            for key, value in datasets.items():
                if key in f:
                    del f[key]
                if value == "group":
                    f.create_group(key)
    return folder


def test_hdf5_claiming_gigabytes_is_refused_unread(tmp_path: Path) -> None:
    for split in ("train", "test"):
        with h5py.File(tmp_path / f"{split}_catvnoncat.h5", "w") as f:
            f.create_dataset(f"{split}_set_x", shape=(20000, 64, 64, 3), dtype="uint8",
                             chunks=(100, 64, 64, 3), compression="gzip", fillvalue=7)
            f.create_dataset(f"{split}_set_y", data=np.zeros(20000, np.int64))
            f.create_dataset("list_classes", data=np.array([b"non-cat", b"cat"]))
    assert (tmp_path / "train_catvnoncat.h5").stat().st_size < 200_000
    report = measured(
        "from tinygrad_course.datasets import DatasetError, load_catvnoncat\n"
        "try:\n"
        f"    load_catvnoncat({str(tmp_path)!r}); result = 'loaded'\n"
        "except DatasetError as e:\n"
        "    result = str(e)\n")
    assert str(report["result"]).startswith(f"{tmp_path / 'train_catvnoncat.h5'}: 245760000 "
                                            "pixel values")
    assert report["peak_mb"] < MB_LIMIT and report["seconds"] < SECONDS  # type: ignore[operator]


@pytest.mark.parametrize("kwargs, message", [
    ({"train_set_x": "group"}, r"'train_set_x' is a Group, not an array"),
    ({"x": np.full((4, 64, 64, 3), b"ab", dtype="S2")}, r"'train_set_x' holds \|S2 values"),
    ({"y": np.array([0, 255, 0, 255])}, r"labels must be 0 \(non-cat\) or 1 \(cat\), got 255"),
    ({"y": np.zeros(3)}, r"expected pictures \(m, height, width, 3\) and labels \(m,\)"),
    ({"x": np.full((4, 64, 64, 3), 2.0)}, r"float pixels must be finite and already scaled"),
    ({"x": np.full((4, 64, 64, 3), 300, np.int16)}, r"integer pixels must lie in 0\.\.255"),
])
def test_hdf5_with_wrong_parts_names_the_file(tmp_path: Path, kwargs: dict[str, object],
                                              message: str) -> None:
    cat_files(tmp_path, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(DatasetError, match=message) as info:
        load_catvnoncat(tmp_path)
    assert "train_catvnoncat.h5" in str(info.value)


def test_hdf5_float_pictures_are_not_divided_twice(tmp_path: Path) -> None:
    cat_files(tmp_path, x=np.full((4, 64, 64, 3), 0.5))
    X, Y, *_ = load_catvnoncat(tmp_path)
    assert X.shape == (12288, 4) and np.all(X == 0.5) and Y.tolist() == [[0, 1, 0, 1]]
    cat_files(tmp_path)
    assert np.allclose(load_catvnoncat(tmp_path)[0], 200 / 255)


def test_cat_loader_wants_a_folder() -> None:
    with pytest.raises(TypeError, match="directory must be a folder path"):
        load_catvnoncat(None)  # type: ignore[arg-type]
