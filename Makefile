# reviewflow — two commands on a fresh machine:
#   make run    set up .venv, install, migrate, load the demo, serve on http://127.0.0.1:5000
#               (PORT=5101 to serve elsewhere; DEMO_THREADS=300 for a long review on the demo report)
#   make test   set up .venv with the test tools and run the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test lint format install install-dev translations extract-messages bench clean worker

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip "setuptools>=68" wheel

# The package itself is installed in editable mode (no dependencies: requirements.txt pins them)
# so that its entry points exist, e.g. `flask docx` found without building the app.
$(VENV)/.runtime: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	touch $@ $(VENV)/.runtime

# Message catalogs are compiled at install time (the .mo files are not committed).
translations: $(VENV)/.runtime
	$(BIN)/pybabel -q compile -d reviewflow/translations

install: $(VENV)/.runtime translations
install-dev: $(VENV)/.dev translations

DEMO_THREADS ?= 0

run: install
	$(FLASK) db upgrade
	$(FLASK) demo load --url http://$(HOST):$(PORT) --threads $(DEMO_THREADS)
	@echo "reviewflow is on http://$(HOST):$(PORT)  (Ctrl-C to stop)"
	$(FLASK) run --host $(HOST) --port $(PORT)

# The job worker (needs REVIEWFLOW_REDIS_URL; without it jobs run in-process and no worker is needed).
worker: install
	$(FLASK) jobs worker

test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# ruff (rules and line length in pyproject.toml) and the import contracts (docs/architecture.md).
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

format: install-dev
	$(BIN)/ruff check --fix .

# Refresh the catalogs after changing user-facing strings.
extract-messages: $(VENV)/.runtime
	$(BIN)/pybabel -q extract -F babel.cfg -k _l --no-location -o reviewflow/translations/messages.pot .
	$(BIN)/pybabel -q update -i reviewflow/translations/messages.pot -d reviewflow/translations

# Every benchmark in bench/, each printing its ratios against a baseline measured in the same run.
bench: install-dev
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance/reviewflow.db
