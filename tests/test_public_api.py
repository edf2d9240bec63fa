"""Keeps the public API honest: ``__all__`` lists real, documented names; modules have docs."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import tinygrad_course


def _modules() -> list[str]:
    names = ["tinygrad_course"]
    for info in pkgutil.walk_packages(tinygrad_course.__path__, "tinygrad_course."):
        if info.name.endswith("__main__"):
            continue
        names.append(info.name)
    return names


def test_all_names_exist_and_are_documented() -> None:
    for name in tinygrad_course.__all__:
        obj = getattr(tinygrad_course, name)
        if isinstance(obj, (dict, str)):
            continue
        assert (getattr(obj, "__doc__", None) or "").strip(), f"{name} has no docstring"


def test_all_is_sorted_unique_and_complete() -> None:
    names = tinygrad_course.__all__
    assert names == sorted(names), "keep __all__ sorted (uppercase first, as sorted() does)"
    assert len(set(names)) == len(names)
    public = {n for n, v in vars(tinygrad_course).items()
              if not n.startswith("_") and not hasattr(v, "__path__")
              and getattr(v, "__module__", "tinygrad_course").startswith("tinygrad_course")
              and not isinstance(v, type(tinygrad_course))}
    assert public <= set(names) | {"annotations"}, public - set(names)


@pytest.mark.parametrize("module", _modules())
def test_every_module_has_a_docstring_and_valid_all(module: str) -> None:
    mod = importlib.import_module(module)
    assert (mod.__doc__ or "").strip(), f"{module} has no module docstring"
    for name in getattr(mod, "__all__", []):
        assert hasattr(mod, name), f"{module}.__all__ lists missing {name}"
