# 行政审批标准化门户 — common tasks. `make run` and `make test` are all a new machine needs.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= auto

.PHONY: help install run serve migrate seed test lint format bench clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)  ## Create .venv and install the project with its development tools

migrate: $(STAMP)  ## Apply database migrations
	$(BIN)/python manage.py migrate --noinput

seed: migrate  ## Load divisions and demo data (idempotent)
	$(BIN)/python manage.py seed_demo

run: $(STAMP)  ## Install, migrate, load demo data and serve on http://127.0.0.1:8000
	@$(BIN)/python manage.py migrate --noinput --verbosity 0
	@$(BIN)/python manage.py seed_demo --verbosity 0
	@echo "门户地址：http://$(HOST):$(PORT)/"
	@DJANGO_RUNSERVER_HIDE_WARNING=true $(BIN)/python manage.py runserver --skip-checks $(HOST):$(PORT)

test: $(STAMP)  ## Run the whole test suite (PostgreSQL when DATABASE_URL is set)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(STAMP)  ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)  ## Format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)  ## Province-scale benchmarks (needs DATABASE_URL pointing at PostgreSQL)
	$(BIN)/python -m bench

clean:  ## Remove the virtualenv, the SQLite database and caches
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* .pytest_cache .pytest_media staticfiles
