# Two commands do everything on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8050
PYTEST_ARGS ?=

.PHONY: run setup data forecast serve test test-slow test-browser test-all bench clean lint audit

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

setup: $(VENV)/.installed  ## virtual environment with the product and its test tools

data: setup  ## create the database and load the bundled dataset
	$(BIN)/econ init
	$(BIN)/econ ingest --default

forecast: setup  ## fit, backtest and store projections for every series
	$(BIN)/econ forecast

serve: setup  ## the dashboard and API on http://$(HOST):$(PORT)
	$(BIN)/econ serve --host $(HOST) --port $(PORT)

run: data forecast serve  ## everything: set up, load, forecast, serve

test: setup  ## the fast suite (no browser, no slow tests)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-slow: setup  ## slow tests and headless-browser tests (needs Debian's chromium)
	$(BIN)/python -m pytest -m "slow or browser" $(PYTEST_ARGS)

test-all: test test-slow

lint: setup  ## ruff over the code (rules and the files still excused: pyproject.toml)
	$(BIN)/ruff check econ dashboard tests benchmarks scripts

audit: setup  ## known vulnerabilities of the installed dependencies (pip-audit, PyPI's advisory service)
	$(BIN)/python .ci/audit.py

bench: setup  ## benchmarks: they print their figures
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/forecast.py
	$(BIN)/python benchmarks/dashboard.py

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis test-artifacts
