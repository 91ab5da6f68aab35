# Two entry points, each self-sufficient on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[server]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/kiemchung demo
	@echo "Starting the API and web page with the bundled demo knowledge base (Ctrl-C stops it)."
	$(BIN)/kiemchung serve --no-auth --jobs .kiemchung-demo/pulse-jobs

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/text_bench.py
	$(BIN)/python benchmarks/langid_eval.py
	$(BIN)/python benchmarks/moderation_bench.py
	$(BIN)/python benchmarks/guard_bench.py
	$(BIN)/python benchmarks/verify_bench.py
	$(BIN)/python benchmarks/pulse_bench.py
	$(BIN)/python benchmarks/load_bench.py
	$(BIN)/python benchmarks/ceilings.py
	$(BIN)/python benchmarks/model_outputs.py

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache .hypothesis
