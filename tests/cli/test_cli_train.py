"""``tinygrad-course train`` and ``tinygrad-course demo`` end to end."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tinygrad_course.cli import main
from tinygrad_course.models import ShallowNN

CAT_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "catvnoncat"
needs_cat = pytest.mark.skipif(
    not (CAT_DIR / "train_catvnoncat.h5").is_file(),
    reason=f"the course's cat data is not at {CAT_DIR} (train_catvnoncat.h5, test_catvnoncat.h5)")
PNG = b"\x89PNG"


def test_train_shallow_on_planar(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="plots need the 'plot' extra (matplotlib)")
    status = main(["train", "--model", "shallow", "--dataset", "planar", "--iterations", "1200",
                   "--plot", str(tmp_path / "plots"), "--save", str(tmp_path / "m.npz")])
    out = capsys.readouterr().out
    assert status == 0
    assert "model: ShallowNN, layer sizes [2, 4, 1]" in out
    assert "Cost after iteration 0: 0.693048" in out  # the course's week-3 first cost
    assert "Cost after iteration 1000: 0.288083" in out
    assert "Cost after iteration 1199:" in out
    accuracy = float(out.split("train accuracy: ")[1].split(" %")[0])
    assert accuracy > 85
    assert (tmp_path / "plots" / "cost.png").read_bytes()[:4] == PNG
    assert (tmp_path / "plots" / "decision_boundary.png").read_bytes()[:4] == PNG
    model = ShallowNN(2, 4).load(tmp_path / "m.npz")
    from tinygrad_course.datasets import load_planar_dataset
    X, Y = load_planar_dataset()
    assert abs(100 * model.accuracy(X, Y) - accuracy) < 0.01


@pytest.mark.parametrize("model, dataset, extra", [
    ("logreg", "moons", []),
    ("deep", "circles", ["--layers", "2,8,4,1", "--lr", "0.5", "--activation", "tanh"]),
    ("shallow", "blobs", ["--hidden", "2", "--activation", "relu"]),
])
def test_train_models_on_synthetic_data(capsys: pytest.CaptureFixture[str], model: str,
                                        dataset: str, extra: list[str]) -> None:
    status = main(["train", "--model", model, "--dataset", dataset, "--iterations", "300",
                   "--quiet", *extra])
    out = capsys.readouterr().out
    assert status == 0 and "Cost after" not in out
    accuracy = float(out.split("train accuracy: ")[1].split(" %")[0])
    assert accuracy > 75


@pytest.mark.parametrize("argv, message", [
    (["--model", "deep", "--dataset", "moons", "--layers", "3,4,1"],
     "--layers starts with n_x = 3, but the moons data has n_x = 2"),
    (["--model", "deep", "--layers", "2,x,1"], "comma-separated ints"),
    (["--model", "deep", "--layers", "2,4,3"], "end with 1 output unit"),
    (["--iterations", "0"], "--iterations must be positive"),
    (["--lr", "-1"], "--lr must be positive"),
    (["--hidden", "0"], "--hidden must be positive"),
])
def test_train_usage_errors(capsys: pytest.CaptureFixture[str], argv: list[str],
                            message: str) -> None:
    assert main(["train", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_train_cat_without_data_says_where_to_get_it(capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    assert main(["train", "--dataset", "cat", "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "train_catvnoncat.h5" in err and "--data-dir" in err


def test_train_rejects_unknown_choices(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["train", "--model", "svm"])
    assert info.value.code == 2
    assert "invalid choice: 'svm'" in capsys.readouterr().err


@needs_cat
def test_train_logreg_on_cat(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("h5py", reason="h5py (the 'data' extra) is not installed")
    status = main(["train", "--model", "logreg", "--dataset", "cat", "--data-dir",
                   str(CAT_DIR), "--iterations", "101"])
    out = capsys.readouterr().out
    assert status == 0
    # The course's week-2 printout, to its six digits.
    assert "Cost after iteration 0: 0.693147" in out
    assert "Cost after iteration 100: 0.584508" in out
    assert "test accuracy:" in out


def test_demo_writes_pictures_and_reports_accuracy(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="the demo's plots need matplotlib")
    out_dir = tmp_path / "demo"
    proc = subprocess.run([sys.executable, "-m", "tinygrad_course", "demo", "--out",
                           str(out_dir), "--iterations", "1500"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "de/da = 2, de/db = 5" in out and "de/dc = 2, de/dd = 3" in out
    assert "logistic regression: accuracy 47.00 %" in out
    assert "Cost after iteration 1000: 0.288083" in out
    accuracy = float(out.split("shallow network: accuracy ")[1].split(" %")[0])
    assert accuracy > 85
    for name in ("cost.png", "decision_boundary.png"):
        assert (out_dir / name).read_bytes()[:4] == PNG
    suffix = ".svg" if shutil.which("dot") else ".dot"
    graph = (out_dir / f"graph{suffix}").read_text()
    network = (out_dir / f"network{suffix}").read_text()
    assert "de/db" in graph
    assert "Linear 1" in network and "W[1]" in network and "A[2]" in network


def test_demo_default_output_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib", reason="the demo's plots need matplotlib")
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--iterations", "50"]) == 0
    assert (tmp_path / "demo-output" / "cost.png").is_file()
    assert main(["demo", "--iterations", "0"]) == 2
    assert "--iterations must be positive" in capsys.readouterr().err
