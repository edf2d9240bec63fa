"""pytest setup shared by the tests and the package's doctests."""

import numpy as np
import pytest

from tinygrad_course import Tensor


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace: dict) -> None:
    # Docstring examples in modules below tensor.py (which cannot import Tensor) use these.
    doctest_namespace["Tensor"] = Tensor
    doctest_namespace["np"] = np
