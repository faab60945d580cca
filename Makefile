# Two commands: `make run` and `make test`. Both set themselves up from nothing but Python.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

export DJANGO_DEBUG ?= 1

.PHONY: run test test-fast lint setup migrate catalogues messages bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools wheel
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

migrate: setup catalogues
	$(PY) manage.py migrate --noinput

# .po files are the source (in git); .mo files are build output, compiled in pure Python
# (no GNU gettext needed) and only when a .po is newer than its .mo.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

catalogues: $(MO_FILES)

$(MO_FILES): %.mo: %.po | $(STAMP)
	$(PY) manage.py compile_catalogues $<

## Maintainers: gather the marked strings into the fr/de/ja catalogues (needs GNU gettext).
MAKEMESSAGES_IGNORE := --ignore=.venv --ignore=tests --ignore=benchmarks --ignore=var --ignore=node_modules
messages: setup
	flock /tmp/jumelage-po.lock $(PY) manage.py makemessages -l fr -l de -l ja --no-obsolete $(MAKEMESSAGES_IGNORE)
	flock /tmp/jumelage-po.lock $(PY) manage.py makemessages -d djangojs -l fr -l de -l ja --no-obsolete $(MAKEMESSAGES_IGNORE) --ignore=static/vendor

## Set up, migrate, load the twinnings and the demo, and serve everything on $(PORT).
run: migrate
	$(PY) manage.py load_twinnings
	$(PY) manage.py seed_demo --if-empty --participants 300 --seed 1 --demo-logins
	$(PY) manage.py serve_platform --port $(PORT)

## Set up and run the whole suite (uses DATABASE_URL / REDIS_URL when set).
test: setup catalogues
	$(PY) -m pytest $(PYTEST_ARGS)

## The inner loop: the suite without the tests that start servers, workers or browsers.
test-fast: setup catalogues
	$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

## Lint: ruff, and the import-linter contracts (imports run one way; see pyproject.toml).
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) var
