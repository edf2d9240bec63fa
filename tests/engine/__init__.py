"""Tests of tinygrad_course.engine, laid out like the package."""
