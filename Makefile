# Signpost: `make run` serves the site locally, `make test` runs the whole test suite.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/signpost_ci
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run admin test test-postgres lint format venv system data messages clean

run: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py import_directory --only-new  # never overwrites curators' edits
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# An admin user for the local site that `make run` serves (asks for a name and a password).
admin: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py createsuperuser

# The whole suite. It needs Chromium, PostgreSQL's server and fonts: installed first (as root),
# or `make test` stops at once with the exact command to run.
test: system $(STAMP)
	$(BIN)/pytest

system:
	@tools/system-packages

# The same suite against PostgreSQL (pytest-django creates and drops a throwaway test database).
test-postgres: system $(STAMP)
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest --create-db

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the translation catalogues of the public side (the admin stays in English), then compile them.
LOCALES := de fr es it nl pl pt ro uk ar
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
