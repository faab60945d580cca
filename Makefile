# Two commands: `make run` and `make test`. Both set themselves up from nothing but Python.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Links in e-mails point where `make run` serves, unless JUMELAGE_SITE_URL says otherwise.
RUN_SITE_URL = $(or $(JUMELAGE_SITE_URL),http://127.0.0.1:$(PORT))
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

export DJANGO_DEBUG ?= 1

.PHONY: run test test-fast lint setup migrate catalogues native messages bench clean

# uv installs in seconds what pip takes a minute or more for; pip is the fallback when uv
# cannot be had. `make run` installs what serving needs; the tools (`dev`) come with
# `make test`.
define install
	$(PY) -m pip install --quiet --disable-pip-version-check uv \
	  && $(VENV)/bin/uv pip install --quiet --python $(PY) -e '$(1)' \
	  || $(PY) -m pip install --quiet -e '$(1)'
endef

$(PY):
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(PY)
	$(call install,.)
	touch $@

$(DEV_STAMP): pyproject.toml | $(PY)
	$(call install,.[dev])
	touch $@ $(RUN_STAMP)

setup: $(DEV_STAMP) native

migrate: $(RUN_STAMP) catalogues native
	$(PY) manage.py migrate --noinput

# The matching engine's exact search calls LEMON's blossom algorithm through a small C++
# shim (matching/lemon_matching.py), which also prices the priced blossom's edges. Build
# output, like the .mo files; LEMON's headers are vendored (matching/native/third_party),
# so a C++ compiler is all it needs. Without one the engine uses rustworkx instead.
CXX ?= g++
NATIVE_SRC := $(wildcard matching/native/*.cpp)
NATIVE_LIB := matching/native/liblemon_matching.so
LEMON_HEADERS := $(shell find matching/native/third_party -name '*.h')

ifeq ($(shell command -v $(CXX) >/dev/null && echo yes),yes)
native: $(NATIVE_LIB)
else
native:
	@echo "note: $(CXX) not found (apt-get install g++): the matching engine's search uses rustworkx, slower on large adversarial instances"
endif

$(NATIVE_LIB): $(NATIVE_SRC) $(LEMON_HEADERS)
	$(CXX) -O2 -std=c++17 -pthread -shared -fPIC -isystem matching/native/third_party -o $@ $(NATIVE_SRC)

# .po files are the source (in git); .mo files are build output, compiled in pure Python
# (no GNU gettext needed) and only when a .po is newer than its .mo.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po locale_allauth/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

catalogues: $(MO_FILES)

$(MO_FILES): %.mo: %.po | $(RUN_STAMP)
	$(PY) manage.py compile_catalogues $<

## Maintainers: gather the marked strings into the fr/de/ja catalogues (needs GNU gettext).
# templates/admin/edit_inline holds Django's own templates, changed a little: their
# messages are Django's, in its catalogues.
MAKEMESSAGES_IGNORE := --ignore=.venv --ignore=tests --ignore=benchmarks --ignore=var --ignore=node_modules --ignore=templates/admin/edit_inline
messages: setup
	flock /tmp/jumelage-po.lock $(PY) manage.py makemessages -l fr -l de -l ja --no-obsolete --no-wrap $(MAKEMESSAGES_IGNORE)
	flock /tmp/jumelage-po.lock $(PY) manage.py makemessages -d djangojs -l fr -l de -l ja --no-obsolete --no-wrap $(MAKEMESSAGES_IGNORE) --ignore=static/vendor

## Set up, migrate, load the twinnings, serve everything on $(PORT), and seed the demo
## in the background once the server answers.
run:
	@# -j2: the shim compiles while the packages install.
	$(MAKE) --no-print-directory -j2 migrate
	$(PY) manage.py load_twinnings
	JUMELAGE_SITE_URL='$(RUN_SITE_URL)' $(PY) manage.py serve_platform --port $(PORT) --demo 300

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
	rm -rf $(VENV) var $(NATIVE_LIB)
