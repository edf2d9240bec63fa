"""Every public Tensor attribute and package function or class has a docstring with an example."""

from __future__ import annotations

import doctest
import inspect
from pathlib import Path

import numpy as np
import pytest

import tinygrad_course as tc
from tinygrad_course import Tensor

TENSOR_NAMES = sorted(n for n in dir(Tensor) if not n.startswith("_"))
PACKAGE_NAMES = sorted(n for n in tc.__all__
                       if inspect.isfunction(getattr(tc, n)) or inspect.isclass(getattr(tc, n)))


def _doc(obj: object) -> str:
    return inspect.getdoc(obj) or ""


def test_the_lists_are_not_empty() -> None:  # a refactor must not make the checks vacuous
    assert {"sigmoid", "sum", "reshape", "T", "grad", "data", "backward"} <= set(TENSOR_NAMES)
    assert {"Tensor", "no_grad", "grad"} <= set(PACKAGE_NAMES)


@pytest.mark.parametrize("name", TENSOR_NAMES)
def test_tensor_attribute_has_an_example(name: str) -> None:
    doc = _doc(inspect.getattr_static(Tensor, name))
    assert doc.strip(), f"Tensor.{name} has no docstring"
    assert ">>>" in doc, f"Tensor.{name}'s docstring has no example (>>>)"


@pytest.mark.parametrize("name", PACKAGE_NAMES)
def test_package_name_has_an_example(name: str) -> None:
    doc = _doc(getattr(tc, name))
    assert ">>>" in doc, f"tinygrad_course.{name}'s docstring has no example (>>>)"


@pytest.mark.parametrize("name", ["grad", "requires_grad"])
def test_slot_examples_run(name: str) -> None:
    # --doctest-modules does not collect the docstrings of __slots__ fields: run them here.
    doc = _doc(inspect.getattr_static(Tensor, name))
    test = doctest.DocTestParser().get_doctest(doc, {"Tensor": Tensor, "np": np},
                                               f"Tensor.{name}", None, 0)
    runner = doctest.DocTestRunner()
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
    assert test.examples


def test_the_api_reference_sees_every_example() -> None:
    # mkdocstrings reads the source (griffe), not help(): properties and slots included.
    griffe = pytest.importorskip("griffe", reason="griffe comes with the docs extra")
    root = Path(__file__).resolve().parents[2]
    package = griffe.load("tinygrad_course", search_paths=[str(root)])
    members = package["engine.tensor.Tensor"].all_members
    missing = [n for n in TENSOR_NAMES
               if n not in members or ">>>" not in getattr(members[n].docstring, "value", "")]
    assert not missing, f"the API reference would show these without an example: {missing}"
    for name in ("grad", "requires_grad"):  # written twice: the source's and the slot's
        assert members[name].docstring.value == _doc(inspect.getattr_static(Tensor, name))
