# Two commands do everything on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8050
PYTEST_ARGS ?=

.PHONY: run setup data forecast serve test test-slow test-browser test-all bench clean translations lint audit

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

setup: $(VENV)/.installed  ## virtual environment with the product and its test tools

data: setup  ## create (or migrate) the database; load the bundled dataset when the store lacks it or it changed
	$(BIN)/econ init
	$(BIN)/econ ingest --default

forecast: setup  ## fit, backtest and store projections for every series (reused when data, code and settings are unchanged)
	$(BIN)/econ forecast --reuse --brief

serve: setup  ## the dashboard and API on http://$(HOST):$(PORT)
	$(BIN)/econ serve --host $(HOST) --port $(PORT)

run: data forecast serve  ## everything: set up, load, forecast, serve

LOCALES := econ/locale
LANGUAGES := fr en pt
PYBABEL_KEYWORDS := -k t -k tc:1c,2 -k tn:1,2 -k N_

translations: setup  ## extract the texts to translate, update the fr/en/pt catalogs, compile them (.mo)
	$(BIN)/pybabel extract -F babel.cfg $(PYBABEL_KEYWORDS) --no-location --sort-output --project econ \
		--copyright-holder "econ contributors" -o $(LOCALES)/econ.pot econ dashboard
	for lang in $(LANGUAGES); do \
		$(BIN)/pybabel update -D econ -i $(LOCALES)/econ.pot -d $(LOCALES) -l $$lang --init-missing \
			--no-fuzzy-matching --ignore-obsolete --width 100 || exit 1; \
	done
	$(BIN)/pybabel compile -D econ -d $(LOCALES) --statistics

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
	$(BIN)/python benchmarks/ingest.py --rows 10000000 --peak-memory
	$(BIN)/python benchmarks/read.py
	$(BIN)/python benchmarks/forecast.py
	$(BIN)/python benchmarks/combination_rules.py
	$(BIN)/python benchmarks/union_pooling.py
	$(BIN)/python benchmarks/monthly_candidates.py
	$(BIN)/python benchmarks/world_momentum.py
	$(BIN)/python benchmarks/cpi_estimation.py
	$(BIN)/python benchmarks/cpi_estimation.py --origins 1990-2003
	$(BIN)/python benchmarks/panel.py
	$(BIN)/python benchmarks/dashboard.py
	$(BIN)/python benchmarks/load.py

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis test-artifacts
