# One command to set up and draft (make demo), one to run the tests (make test).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
EXAMPLE ?= examples/tms-erisa

.PHONY: install demo test lint bench clean-index

$(BIN)/lmn: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

install: $(BIN)/lmn

demo: install
	$(BIN)/lmn draft $(EXAMPLE)/letter.txt --case $(EXAMPLE)/case.yaml

lint: install
	$(BIN)/ruff check pipeline tests benchmarks scripts examples evals fuzz
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/bench_offline.py

.PHONY: bench-retrieval
bench-retrieval: install
	$(BIN)/python benchmarks/bench_retrieval.py
