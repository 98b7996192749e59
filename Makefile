# Yingji: `make run` sets up and starts the platform; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install dev run test lint typecheck messages clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

dev: $(VENV)/.dev-installed

$(VENV)/.dev-installed: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: install
	$(BIN)/yingji run

lint: dev
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench
	$(BIN)/mypy

typecheck: dev
	$(BIN)/mypy

test: lint
	./scripts/test-deps.sh
	$(BIN)/pytest

# Each domain app keeps its own catalogue (src/yingji/<app>/locale); the project's holds core and the templates.
APP_CATALOGUES := routing resources plans monitoring warnings risk forest training incidents relief portal analytics

messages: dev
	cd src/yingji && ../../$(BIN)/django-admin makemessages -l zh_Hans -l en --no-obsolete \
		--ignore 'static/vendor/*' --ignore conftest.py --ignore 'demo/*' $(foreach app,$(APP_CATALOGUES),--ignore '$(app)/*')
	for app in $(APP_CATALOGUES); do \
		(cd src/yingji/$$app && ../../../$(BIN)/django-admin makemessages -l zh_Hans -l en --no-obsolete) || exit 1; \
	done
	cd src/yingji && ../../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache
