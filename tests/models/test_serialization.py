"""Parameter files: round trip, all-or-nothing loading with clear errors, atomic saving."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np
import pytest

from tinygrad_course.datasets import make_moons
from tinygrad_course.models import CheckpointError, DeepNN, LogisticRegression, ShallowNN


def trained(seed: int = 0) -> ShallowNN:
    X, Y = make_moons(40, seed=seed)
    model = ShallowNN(2, 3, seed=seed)
    model.fit(X, Y, num_iterations=20, learning_rate=0.5)
    return model


def snapshot(model: ShallowNN | DeepNN) -> dict[str, np.ndarray]:
    return {name: p.data.copy() for name, p in model.named_parameters()}


def assert_unchanged(model: ShallowNN | DeepNN, before: dict[str, np.ndarray]) -> None:
    for name, p in model.named_parameters():
        np.testing.assert_array_equal(p.data, before[name])


def test_round_trip(tmp_path: Path) -> None:
    model = trained()
    path = model.save(tmp_path / "model.npz")
    assert path == tmp_path / "model.npz"
    with np.load(path, allow_pickle=False) as npz:
        assert sorted(npz.files) == ["W[1]", "W[2]", "b[1]", "b[2]"]
    fresh = ShallowNN(2, 3, seed=9)
    assert fresh.load(path) is fresh
    assert_unchanged(fresh, snapshot(model))
    X, _ = make_moons(10)
    np.testing.assert_array_equal(fresh.predict_proba(X), model.predict_proba(X))
    assert all(p.grad is None for p in fresh.parameters())


def test_saved_file_has_ordinary_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        path = trained().save(tmp_path / "m.npz")
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("other, message", [
    (lambda: ShallowNN(2, 4),
     r"W\[1\] has shape \(3, 2\) in the file but \(4, 2\) in the model"),
    (lambda: DeepNN([2, 3, 2, 1]), r"missing W\[3\], b\[3\]"),
    (lambda: LogisticRegression(2), r"unexpected W\[2\], b\[2\]"),
])
def test_mismatched_file_is_refused_and_model_unchanged(tmp_path: Path, other: object,
                                                         message: str) -> None:
    path = trained().save(tmp_path / "model.npz")
    target = other()  # type: ignore[operator]
    before = snapshot(target)
    with pytest.raises(CheckpointError, match=message):
        target.load(path)
    assert_unchanged(target, before)


def test_corrupt_bytes_are_refused(tmp_path: Path) -> None:
    path = trained().save(tmp_path / "model.npz")
    data = bytearray(path.read_bytes())
    target = trained(seed=1)
    before = snapshot(target)
    for broken in (bytes(data[: len(data) // 2]), b"garbage" * 10,
                   bytes(data[:200]) + bytes(b ^ 0xFF for b in data[200:260]) + bytes(data[260:])):
        path.write_bytes(broken)
        with pytest.raises(CheckpointError, match=r"not a readable \.npz"):
            target.load(path)
        assert_unchanged(target, before)
    with pytest.raises(CheckpointError, match="no parameter file"):
        target.load(tmp_path / "absent.npz")


def test_pickled_or_non_numeric_or_non_finite_arrays_are_refused(tmp_path: Path) -> None:
    model = trained()
    arrays = snapshot(model)
    target = trained(seed=1)
    before = snapshot(target)
    cases = [
        ({**arrays, "W[1]": np.array([[{"x": 1}] * 2] * 3, dtype=object)},
         r"W\[1\] holds object values"),
        ({**arrays, "b[1]": np.array([["a"], ["b"], ["c"]])}, r"b\[1\] holds <U1 values"),
        ({**arrays, "W[2]": np.full((1, 3), np.nan)}, r"W\[2\] contains NaN or infinity"),
    ]
    for content, message in cases:
        path = tmp_path / "bad.npz"
        with open(path, "wb") as f:
            np.savez(f, **content)  # type: ignore[arg-type]
        with pytest.raises(CheckpointError, match=message):
            target.load(path)
        assert_unchanged(target, before)


def test_crash_mid_save_keeps_the_old_file(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "model.npz"
    old = trained(seed=0)
    old.save(path)
    original = path.read_bytes()
    real_savez = np.savez

    def crash_after_half(file: object, **arrays: np.ndarray) -> None:
        first = dict(list(arrays.items())[:2])
        real_savez(file, **first)  # type: ignore[arg-type]
        raise KeyboardInterrupt("power cut mid-save")

    monkeypatch.setattr(np, "savez", crash_after_half)
    with pytest.raises(KeyboardInterrupt):
        trained(seed=1).save(path)
    monkeypatch.undo()
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]  # no temp file left
    fresh = ShallowNN(2, 3, seed=5)
    fresh.load(path)
    assert_unchanged(fresh, snapshot(old))
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None


def test_crash_during_rename_keeps_the_old_file(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "model.npz"
    trained(seed=0).save(path)
    original = path.read_bytes()

    def failing_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match=f"cannot save parameters to {path}: disk full"):
        trained(seed=1).save(path)
    monkeypatch.undo()
    assert path.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]


def test_save_into_missing_directory_fails_clearly(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "model.npz"
    with pytest.raises(FileNotFoundError, match=f"cannot save parameters to {target}: No such"):
        trained().save(target)


def test_files_with_the_old_keys_still_load(tmp_path: Path) -> None:
    model = trained()
    path = tmp_path / "old.npz"
    np.savez(path, **{name.replace("[", "").replace("]", ""): p.data
                      for name, p in model.named_parameters()})
    with np.load(path) as npz:
        assert sorted(npz.files) == ["W1", "W2", "b1", "b2"]  # written as before brackets
    fresh = ShallowNN(2, 3, seed=9)
    fresh.load(path)
    assert_unchanged(fresh, snapshot(model))


def test_diverged_parameters_are_not_saved(tmp_path: Path) -> None:
    model = trained()
    path = model.save(tmp_path / "m.npz")
    original = path.read_bytes()
    model.linears[1].W.data[0, 0] = np.nan
    with pytest.raises(CheckpointError, match=r"refusing to save .*m\.npz: W\[2\] contain NaN"):
        model.save(path)
    assert path.read_bytes() == original
