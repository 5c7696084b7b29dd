# The two commands a newcomer needs: `make run` and `make test`. Both set up .venv from the lock file first.
# `make test-fast` is the edit loop: the tests not marked slow (no Prefect server, no corpora, no long subprocess runs).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= data/news.duckdb

.PHONY: setup run test test-fast lint lock clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --upgrade pip
	$(BIN)/python -m pip install -qq -r requirements.lock
	$(BIN)/python -m pip install -qq --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

run: setup  ## ingest seeds/ into data/news.duckdb through the Prefect flow and print a summary
	$(BIN)/newsingest run seeds --db $(DB)

test: setup  ## the whole test suite (what CI runs), on two pytest-xdist workers
	$(BIN)/python -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder

test-fast: setup  ## the pure and in-process tests, for the edit loop (under a minute)
	$(BIN)/python -m pytest -q -m "not slow"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

lock:  ## re-pin every dependency (with the dev, bench and dask extras) into requirements.lock
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install -qq --upgrade pip
	.lock-venv/bin/python -m pip install -qq ".[dev,bench,dask]"
	.lock-venv/bin/python -m pip freeze --exclude newsingest > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) data .pytest_cache
