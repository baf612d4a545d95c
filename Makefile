# The two commands: `make run` serves the site with demo events; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app eventsite
# Where `make run` serves: make run PORT=8080 (HOST=0.0.0.0 to reach it from the network).
PORT ?= 5000
HOST ?= 127.0.0.1
# For local use only; production sets its own (see README).
export EVENTSITE_SECRET_KEY ?= local-development-only-not-secret
# Local runs place events at their zip code's centre instead of asking Nominatim.
export EVENTSITE_GEOCODER ?= offline

.PHONY: run test lint install translations

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Links in the emails `make run` prints point at this server.
run: export EVENTSITE_PUBLIC_URL ?= http://$(HOST):$(PORT)
# Texts to RSVPs by phone are printed beside the server, not sent.
run: export EVENTSITE_SMS_URL ?= console://
run: install
	$(FLASK) db upgrade
	$(FLASK) demo-data --if-empty --past-event --check-in-event --shift-events --referrals --show-up-events
	@# The mail sender prints each queued email here, beside the server, and stops with it.
	$(FLASK) send-mail --console --loop --interval 3 & sender=$$!; \
	$(FLASK) send-texts --loop --interval 3 & texter=$$!; \
	$(FLASK) send-webhooks --loop --interval 5 & hooks=$$!; \
	trap 'kill $$sender $$texter $$hooks 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check eventsite tests bench wsgi.py
	$(BIN)/ruff format --check eventsite tests bench wsgi.py

# Extract strings from the code and templates, merge them into each language's catalog,
# and compile the catalogs the app reads. Translate the new or fuzzy entries, then run again.
TRANSLATIONS := eventsite/translations
translations: install
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --sort-by-file \
		--project eventsite --msgid-bugs-address dev@eventsite.invalid \
		-o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel -q update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching
	$(BIN)/pybabel -q compile -d $(TRANSLATIONS) --statistics
