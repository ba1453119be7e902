# Every target sets itself up: a fresh clone with Python 3.11+ needs nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: demo test eval bench lint clean install browser fuzz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the project's dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@mkdir -p demo-output
	$(BIN)/communique extract examples/ -o demo-output/examples.jsonl --errors demo-output/errors.jsonl
	$(BIN)/communique show demo-output/examples.jsonl --limit 3

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy src
	$(BIN)/python -m pytest -q

# The full fuzz run of issue 19 (21 families x 500 inputs, each between good documents; a sample runs
# in `make test`): tracebacks, good documents lost, time and peak memory per family. Exits 1 on any.
fuzz: $(STAMP)
	$(BIN)/python tests/fuzz.py --per-family 500 --analyse 5 --json fuzz-report.json

eval: $(STAMP)
	$(BIN)/communique eval all --data $(SHARED)/data

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_pipeline.py
	$(BIN)/python benchmarks/bench_store.py
	$(BIN)/python benchmarks/bench_dask.py
	$(BIN)/python benchmarks/bench_web.py

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
# Without it the browser tests skip with a message.
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium) \
		|| echo "chromium could not be installed: the browser tests will be skipped"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy src

clean:
	rm -rf $(VENV) demo-output fuzz-report.json .pytest_cache .ruff_cache .mypy_cache
