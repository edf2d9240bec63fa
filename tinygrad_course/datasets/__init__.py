"""Data sets in the course's shapes (``X`` is ``(n_x, m)``, ``Y`` is ``(1, m)``)."""

from .catvnoncat import DatasetError, load_catvnoncat
from .planar import load_planar_dataset
from .synthetic import make_blobs, make_circles, make_moons

__all__ = ["DatasetError", "load_catvnoncat", "load_planar_dataset", "make_blobs", "make_circles",
           "make_moons"]
