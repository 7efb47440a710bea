# The two front-door commands: `make demo` (the dashboard on the demo database) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DATABASE := data/demo.sqlite

.PHONY: demo test lint bench

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(DEMO_DATABASE): | $(VENV)/.installed
	$(BIN)/kpi demo-data --output $(DEMO_DATABASE)

demo: $(VENV)/.installed $(DEMO_DATABASE)
	KPI_ALLOW_OPEN_EDITS=$${KPI_ALLOW_OPEN_EDITS:-1} KPI_DATABASE_URL=$${KPI_DATABASE_URL:-sqlite:///$(DEMO_DATABASE)} $(BIN)/kpi dashboard

test: $(VENV)/.installed
	./scripts/ensure-chromium
	$(BIN)/ruff check .
	$(BIN)/python -m pytest; status=$$?; [ $$status -eq 5 ] && status=0; exit $$status

lint: $(VENV)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks.run --sizes 100000 1000000 10000000
