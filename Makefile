# The two commands: `make run` serves the site with demo events; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app eventsite
# For local use only; production sets its own (see README).
export EVENTSITE_SECRET_KEY ?= local-development-only-not-secret
# Local runs place events at their zip code's centre instead of asking Nominatim.
export EVENTSITE_GEOCODER ?= offline

.PHONY: run test lint install

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: install
	$(FLASK) db upgrade
	$(FLASK) demo-data --if-empty
	@# The mail sender prints each queued email here, beside the server, and stops with it.
	$(FLASK) send-mail --console --loop --interval 3 & sender=$$!; \
	trap 'kill $$sender 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check eventsite tests bench wsgi.py
	$(BIN)/ruff format --check eventsite tests bench wsgi.py
