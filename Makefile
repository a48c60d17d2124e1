# Quick start: `make run` (serve the demo on http://127.0.0.1:8000) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
WORKER_CONCURRENCY ?= 2
PORT ?= 8000
# The Procfiles name programs, not paths, as a PaaS expects; locally they come from the venv.
RUN_ENV := PATH="$(CURDIR)/$(BIN):$$PATH" PYTHONUNBUFFERED=1

.PHONY: run test mutants lint format serve worker backup restore clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	@echo ""
	@echo "  sco-annot is serving on http://$(HOST)/"
	@echo "  Demo logins (password for all: sco-demo):"
	@echo "    instructor   owner of project 'sco'"
	@echo "    annotator1   annotator"
	@echo "    annotator2   annotator"
	@echo "    observer     observer (read-only)"
	@echo "  A background worker runs beside it; Ctrl-C stops both."
	@echo ""
	$(RUN_ENV) HOST=$(HOST) $(BIN)/honcho start -f Procfile.dev

# One task worker (exports, releases and other background jobs), for a `runserver` started by hand.
worker: $(VENV)/.installed
	$(BIN)/python manage.py run_worker

# The production shape on one machine: DEBUG off, static files collected, migrations applied,
# gunicorn (WEB_CONCURRENCY uvicorn worker processes) and WORKER_CONCURRENCY task workers.
# The production settings (SECRET_KEY, ALLOWED_HOSTS, ...) come from the environment; see docs/deploy.md.
serve: $(VENV)/.installed
	DEBUG=false $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DEBUG=false $(BIN)/python manage.py migrate --noinput
	DEBUG=false $(RUN_ENV) $(BIN)/honcho start -f Procfile -p $(PORT) -c web=1,worker=$(WORKER_CONCURRENCY)

# A backup of the database and the media files into backups/ (BACKUP_DIR); `make restore FILE=...`.
BACKUP_DIR ?= backups
backup: $(VENV)/.installed
	$(BIN)/python manage.py backup --output $(BACKUP_DIR)

restore: $(VENV)/.installed
	$(BIN)/python manage.py restore $(FILE)

test: $(VENV)/.installed
	$(BIN)/python -m pytest -n auto

# Mutation testing of the modules that compute research data or decide visibility (docs/mutation.md):
# every listed module in turn, smallest first, or one with MODULE=sources/reliability.py.
# Needs PostgreSQL (MUTANTS_DATABASE_URL); MUTANTS_TIMEOUT bounds each module's run, in seconds.
MUTANTS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/sco_annot_mutants
mutants: $(VENV)/.installed
	DATABASE_URL=$(MUTANTS_DATABASE_URL) $(BIN)/python tools/mutants.py $(MODULE)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache mutants
