"""No result number in the docs is typed by hand: docs/results/replication.json, which
docs/models.md prints as its table, is what training the course's models gives today."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from loading import load_by_path

ROOT = Path(__file__).resolve().parents[2]
CAT_DIR = ROOT / ".." / "shared" / "data" / "catvnoncat"


replication = load_by_path(ROOT / "docs/_tools/replication.py", "docs_replication")
RECORDED: dict[str, str] = json.loads(replication.RESULTS.read_text(encoding="utf-8"))
FIX = "rerun `python docs/_tools/replication.py CAT_DIR` and commit the results and the page"


def _compare(fresh: dict[str, str]) -> None:
    moved = {}
    for label, value in fresh.items():
        if label in replication.CHAOTIC:  # see docs/models.md: half a point either way
            ok = abs(float(value) - float(RECORDED[label])) <= 0.5
        elif len(value.split(".")[-1]) > 10:  # 15-17 digits: BLAS summation order
            ok = abs(float(value) - float(RECORDED[label])) <= 1e-12 * abs(float(value))
        else:
            ok = value == RECORDED[label]
        if not ok:
            moved[label] = (RECORDED[label], value)
    assert not moved, f"numbers moved (recorded, now): {moved}; {FIX}"


def test_every_course_number_has_a_result_of_ours() -> None:
    assert set(RECORDED) == set(replication.COURSE), FIX


def test_planar_results_are_current() -> None:
    _compare(replication.planar())


@pytest.mark.slow
@pytest.mark.skipif(not (CAT_DIR / "train_catvnoncat.h5").is_file(),
                    reason=f"the course's cat data is not at {CAT_DIR}")
def test_cat_results_are_current() -> None:
    pytest.importorskip("h5py", reason="h5py (the 'data' extra) is not installed")
    _compare(replication.cat(CAT_DIR))


def test_the_table_marks_agreement() -> None:
    assert replication.agreement("0.5", "0.5") == "yes"
    assert replication.agreement("0.6930497356599890", "0.6930497356599888") == "15 digits"
    assert replication.agreement("90.25", "90.75") == "no"
    lines = replication.table({"week 4 L-layer: test accuracy": "0.8"}).splitlines()
    assert len(lines) == 1 + len(replication.COURSE)
    assert any(line.endswith("(not run)") for line in lines)
