# The README's two commands. Each sets itself up first (virtualenv, install, Graphviz).
.PHONY: demo test lint

# One BLAS thread per test worker: two workers on two cores, instead of each worker's BLAS
# spinning threads against the other's (that made the cat replications 10x slower).
TEST_ENV = OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
# Tests run on one worker per core (pytest-xdist); the slow ones are spread by work stealing.
PYTEST_ARGS ?= -n auto --dist worksteal

demo:
	@bash scripts/bootstrap.sh demo
	@.venv/bin/tinygrad-course demo

test:
	@bash scripts/bootstrap.sh test
	@$(MAKE) --no-print-directory lint
	@echo "==> pytest (all tests, docs and notebook included; about 2-3 min on 2 cores)"
	@$(TEST_ENV) .venv/bin/python -m pytest $(PYTEST_ARGS)

lint:
	@echo "==> ruff" && .venv/bin/python -m ruff check .
	@echo "==> mypy" && .venv/bin/python -m mypy
