"""Careless and hostile input to fit/predict and to the ``train`` and ``demo`` commands: a
clear error in the course's words (one line, exit 2 for input, 1 at run time), never a
traceback, a silent wrong answer or a lost model. Each case runs well under 5 s."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tinygrad_course import Tensor
from tinygrad_course.cli import main
from tinygrad_course.datasets import make_blobs, make_moons
from tinygrad_course.losses import softmax_cross_entropy
from tinygrad_course.models import History, LogisticRegression, Model, ShallowNN
from tinygrad_course.nn import Linear, Sequential

X, Y = make_moons(20)


# --- fit and predict -----------------------------------------------------------------------
@pytest.mark.parametrize("labels, message", [
    (Y * 255, r"labels Y must be 0 or 1 .* holds 255\. Pixel values as labels\?"),
    (2 * Y - 1, r"holds -1\. Labels -1/\+1 \(as in SVMs\)\?"),
    (np.arange(20).reshape(1, -1) % 4, r"holds 2, 3\. 4 classes\? This model answers yes/no"),
    (Y * 0.7, r"holds 0\.7\. Threshold them first"),
])
def test_fit_refuses_labels_that_are_not_0_or_1(labels: np.ndarray, message: str) -> None:
    model = LogisticRegression(2)
    with pytest.raises(ValueError, match=message):
        model.fit(X, labels, num_iterations=5)
    assert np.all(model.W.data == 0)  # nothing trained


@pytest.mark.parametrize("x, y, message", [
    (np.where(np.arange(40).reshape(2, 20) == 23, np.nan, X), Y,
     r"X contains NaN or infinity \(first in example 3, column 3 of X\)"),
    (X, np.where(np.arange(20) == 5, np.inf, Y.astype(float)), r"Y contains NaN or infinity"),
    (np.zeros((2, 0)), np.zeros((1, 0)), r"X has no examples: shape \(2, 0\) is \(n_x, m\) "
                                          r"with m = 0"),
])
def test_fit_refuses_non_finite_or_empty_data(x: np.ndarray, y: np.ndarray, message: str
                                             ) -> None:
    with pytest.raises(ValueError, match=message):
        LogisticRegression(2).fit(x, y, num_iterations=5)


@pytest.mark.parametrize("kwargs, message", [
    ({"learning_rate": 0.0}, r"learning_rate \(alpha\) must be a positive finite number"),
    ({"learning_rate": -0.1}, r"positive finite number, got -0\.1"),
    ({"learning_rate": float("inf")}, r"positive finite number, got inf"),
    ({"learning_rate": float("nan")}, r"positive finite number, got nan"),
    ({"learning_rate": "fast"}, r"learning_rate \(alpha\) must be a number"),
    ({"print_every": 0}, r"print_every must be a positive int, got 0"),
    ({"batch_size": 0}, r"batch_size must be a positive int, got 0"),
    ({"num_iterations": -1}, r"num_iterations must be a non-negative int"),
    ({"num_iterations": 2.5}, r"num_iterations must be a non-negative int"),
])
def test_fit_refuses_bad_hyperparameters(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        LogisticRegression(2).fit(X, Y, **{"num_iterations": 5, **kwargs})  # type: ignore[arg-type]


def test_zero_iterations_and_empty_history() -> None:
    history = LogisticRegression(2).fit(X, Y, num_iterations=0)
    assert len(history) == 0 and "final cost" not in repr(history)
    with pytest.raises(ValueError, match=r"no cost recorded: fit ran 0 iterations"):
        history.final_cost  # noqa: B018
    with pytest.raises(ValueError, match="no cost recorded"):
        History().final_cost  # noqa: B018


def test_predict_refuses_nan_instead_of_answering_0() -> None:
    model = ShallowNN(2, 3)
    model.fit(X, Y, num_iterations=5, learning_rate=0.5)
    bad = X.copy()
    bad[1, 4] = np.nan
    for ask in (model.predict, model.predict_proba):
        with pytest.raises(ValueError, match=r"X contains NaN .*example 4"):
            ask(bad)


class SoftmaxNet(Model):
    """A softmax classifier built on Model, as a learner would write one."""

    labels = "softmax"

    def __init__(self, n_x: int, classes: int) -> None:
        self.net = Sequential(Linear(n_x, classes, init="zeros"))

    def cost(self, A: Tensor, Y: object) -> Tensor:
        return softmax_cross_entropy(A, Y)


def test_softmax_model_takes_indices_or_one_hot_and_refuses_others() -> None:
    x, y = make_blobs(30, centers=3)
    onehot = np.eye(3)[y[0]].T
    for labels in (y, onehot):
        history = SoftmaxNet(2, 3).fit(x, labels, num_iterations=20, learning_rate=0.1)
        assert history.costs[-1] < history.costs[0]
    with pytest.raises(ValueError, match=r"class labels Y \(1, m\) must be whole numbers "
                                         r"0\.\.2 for 3 classes, got values from 0 to 3"):
        SoftmaxNet(2, 3).fit(x, y + (y == 2), num_iterations=2)
    twice = onehot.copy()
    twice[:, 0] = 1
    with pytest.raises(ValueError, match=r"exactly one 1 per column"):
        SoftmaxNet(2, 3).fit(x, twice, num_iterations=2)


# --- train and demo: one line on stderr, the right exit status -------------------------------
def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    err = captured.err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert "Cost after" not in captured.out  # refused before any training
    return err


@pytest.mark.parametrize("argv, message", [
    (["--lr", "inf"], "--lr must be positive and finite, got inf"),
    (["--lr", "nan"], "--lr must be positive and finite, got nan"),
    (["--seed", "-1"], "--seed must be in 0..4294967295"),
    (["--hidden", "1000000000"], "make 4,000,000,001 parameters; at most 5,000,000"),
    (["--model", "deep", "--layers", "2,100000,100000,1"], "parameters; at most 5,000,000"),
    (["--model", "deep", "--layers", ",".join(["2"] + ["1"] * 80)], "at most 50"),
    (["--model", "deep", "--layers", "2," * 5000 + "1"], "characters long"),
    (["--iterations", "10000000000"], "--iterations must be positive and at most 1,000,000"),
    (["--model", "shallow", "--layers", "2,4,1"], "--layers does not apply to --model shallow"),
    (["--model", "logreg", "--hidden", "3"], "--hidden does not apply to --model logreg"),
    (["--model", "deep", "--hidden", "3"], "--hidden does not apply to --model deep"),
    (["--model", "logreg", "--seed", "3"], "--seed does not apply to --model logreg"),
    (["--print-every", "0"], "--print-every must be at least 1, got 0"),
    (["--quiet", "--print-every", "5"], "contradict"),
    (["--data-dir", "x"], "--data-dir applies to --dataset cat only"),
    (["--seed", "abc"], "argument --seed: invalid int value: 'abc'"),
])
def test_train_refuses_bad_options_in_one_line(capsys: pytest.CaptureFixture[str],
                                               argv: list[str], message: str) -> None:
    try:
        status = main(["train", *argv])
    except SystemExit as e:  # argparse's own checks
        status = int(e.code)  # type: ignore[arg-type]
    assert status == 2
    assert message in one_error_line(capsys)


def test_train_checks_outputs_before_training(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "file").write_text("not a folder")
    cases = [(["--save", str(tmp_path / "fifo")], "exists and is not a regular file"),
             (["--save", str(tmp_path / "no" / "m.npz")], "does not exist"),
             (["--save", str(tmp_path)], "exists and is not a regular file"),
             (["--plot", str(tmp_path / "file")], "exists and is not a folder")]
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        cases.append((["--save", str(locked / "m.npz")], "cannot write in"))
    for argv, message in cases:
        assert main(["train", "--iterations", "5", *argv]) == 2
        assert message in one_error_line(capsys)
    assert (tmp_path / "fifo").is_fifo()


def test_a_save_failing_after_training_is_rescued(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "runs" / "m.npz"
    target.parent.mkdir()
    real_save = Model.save

    def folder_vanished(self: Model, path: str | Path) -> Path:
        if Path(path) == target:
            raise OSError(2, f"cannot save parameters to {target}: No such file or directory")
        return real_save(self, path)

    monkeypatch.setattr(Model, "save", folder_vanished)
    monkeypatch.chdir(tmp_path)
    assert main(["train", "--iterations", "50", "--quiet", "--save", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"cannot save parameters to {target}" in err
    rescued = list(tmp_path.glob("tinygrad-course-rescued-*.npz"))
    assert len(rescued) == 1 and f"saved to {rescued[0]} instead" in err
    ShallowNN(2, 4).load(rescued[0])


def test_train_cat_without_data_says_where_and_how(capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["train", "--dataset", "cat"]) == 2
    err = one_error_line(capsys)
    assert f"expected in {tmp_path / 'datasets'}" in err
    assert "train_catvnoncat.h5" in err and "programming assignments" in err


def test_demo_out_must_be_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    existing = tmp_path / "notes.txt"
    existing.write_text("mine")
    assert main(["demo", "--out", str(existing)]) == 2
    assert "exists and is not a folder" in one_error_line(capsys)
    assert existing.read_text() == "mine"
    assert main(["demo", "--iterations", "0"]) == 2
    assert "--iterations must be positive" in one_error_line(capsys)


def test_version_and_help_show_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0 and capsys.readouterr().out.startswith("tinygrad-course 0.")
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "week 2's logistic regression" in text and "(default: shallow)" in text
    assert "(default: planar)" in text and "cat: the course's 64x64 pictures" in text


def run_cli(*argv: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "tinygrad_course", *argv], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)  # type: ignore[call-overload]


def test_train_piped_into_head_ends_quietly_and_still_saves(tmp_path: Path) -> None:
    target = tmp_path / "m.npz"
    proc = run_cli("train", "--iterations", "3000", "--print-every", "1", "--save", str(target))
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # what `| head -1` does
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0
    assert err == "" and target.is_file()


def test_unexpected_failure_is_one_line_with_exit_1(capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_fit(self: Model, *args: object, **kwargs: object) -> History:
        raise RuntimeError("something deep inside\nwent wrong")

    monkeypatch.setattr(Model, "fit", broken_fit)
    assert main(["train", "--iterations", "5"]) == 1
    assert capsys.readouterr().err == ("tinygrad-course train: error: RuntimeError: something "
                                       "deep inside went wrong\n")
    monkeypatch.setenv("TINYGRAD_COURSE_TRACEBACK", "1")  # for whoever debugs it
    with pytest.raises(RuntimeError, match="something deep inside"):
        main(["train", "--iterations", "5"])
