# Signpost: `make run` serves the site locally, `make test` runs the whole test suite.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/signpost_ci
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run admin test test-fast test-postgres lint format venv system data messages clean

run: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py import_directory --only-new  # never overwrites curators' edits
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# An admin user for the local site that `make run` serves (asks for a name and a password).
admin: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py createsuperuser

# The whole suite, in three tiers (see tests/conftest.py): the fast tier first (seconds), then the slow
# tier (servers, processes, the whole shipped directory, fuzzing), then the browser tier. It needs
# Chromium, PostgreSQL's server, Redis and fonts: installed first (as root), or `make test` stops at
# once with the exact command to run.
test: system $(STAMP)
	$(BIN)/pytest -m "not slow and not browser"
	$(BIN)/pytest -m "slow and not browser"
	$(BIN)/pytest -m browser

# The fast tier alone, while working.
test-fast: $(STAMP)
	$(BIN)/pytest -m "not slow and not browser"

system:
	@tools/system-packages

# The fast and slow tiers against PostgreSQL (pytest-django creates and drops a throwaway test
# database). Not run twice: the browser tier (what a browser does does not depend on the database;
# its pages are the same HTTP answers the other tiers check on PostgreSQL) and the outage test (it
# always starts its own PostgreSQL).
test-postgres: system $(STAMP)
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest --create-db -m "not browser" --ignore=tests/test_outage.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the translation catalogues of the public side (the admin stays in English), then compile them.
LOCALES := de fr es it nl pl pt pt_BR ro uk ru tr id hi sw zh_Hans cs sk bg hr sl hu el da sv fi et lv lt ar
messages: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages --no-obsolete --no-location $(foreach l,$(LOCALES),-l $(l)) \
		--ignore '.venv/*' --ignore 'directory/[a-km-z]*' --ignore 'directory/linkcheck.py' --ignore 'config/*' --ignore 'tests/*' --ignore 'tools/*' --ignore 'bench/*'
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages --ignore '.venv/*'

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || "$$(tools/find-python)" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
