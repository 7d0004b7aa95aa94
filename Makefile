# One command to set up and draft (make demo), one to run the tests (make test).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
EXAMPLE ?= examples/tms-erisa

.PHONY: install demo test lint bench clean-index

# pip's own output (and whatever warnings the machine's pip configuration adds) goes to a log,
# shown only when the install fails.
$(BIN)/lmn: pyproject.toml
	@echo "lmn: installing into $(VENV) (first time only, a few minutes; log: $(VENV)/install.log)" >&2
	@$(PY) -m venv $(VENV)
	@{ $(BIN)/python -m pip install -q --upgrade pip \
	   && $(BIN)/python -m pip install -q -e '.[dev]'; } > $(VENV)/install.log 2>&1 \
	  || { tail -n 30 $(VENV)/install.log; echo "lmn: install failed: see $(VENV)/install.log"; \
	       exit 1; }
	@touch $@
	@echo "lmn: installed; the lmn command is $(BIN)/lmn" >&2

install: $(BIN)/lmn

# The letter on stdout, then a one-line summary (and each warning's text) on stderr.
demo: install
	@$(BIN)/lmn draft $(EXAMPLE)/letter.txt --case $(EXAMPLE)/case.yaml

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
