# The README's two commands. Each sets itself up first (virtualenv, install, Graphviz).
.PHONY: demo test lint

demo:
	@bash scripts/bootstrap.sh demo
	@.venv/bin/tinygrad-course demo

test:
	@bash scripts/bootstrap.sh test
	@$(MAKE) --no-print-directory lint
	@.venv/bin/python -m pytest

lint:
	@echo "==> ruff" && .venv/bin/python -m ruff check .
	@echo "==> mypy" && .venv/bin/python -m mypy
