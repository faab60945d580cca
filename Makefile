# Two commands: `make run` and `make test`. Both set themselves up from nothing but Python.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

export DJANGO_DEBUG ?= 1

.PHONY: run test test-fast lint setup migrate bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools wheel
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(PY) manage.py migrate --noinput

## Set up, migrate, load the twinnings and the demo, and serve everything on $(PORT).
run: migrate
	$(PY) manage.py load_twinnings
	$(PY) manage.py seed_demo --if-empty --participants 300 --seed 1 --demo-logins
	$(PY) manage.py serve_platform --port $(PORT)

## Set up and run the whole suite (uses DATABASE_URL / REDIS_URL when set).
test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

## The inner loop: the suite without the tests that start servers, workers or browsers.
test-fast: setup
	$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

## Lint: ruff, and the import-linter contracts (imports run one way; see pyproject.toml).
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) var
