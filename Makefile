# Two commands on a fresh machine with Python 3.11 and pip: `make run`, then `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install browser postgres run test test-fast bench pdfs screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Debian's Chromium for the workbench's browser tests (Playwright's own download is not
## available here). Installed when missing and we may (root); otherwise those tests skip.
CHROMIUM ?= /usr/bin/chromium
browser:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing chromium (Debian package) for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else echo "note: $(CHROMIUM) missing and not root: browser tests will be skipped"; fi

## Debian's PostgreSQL server binaries for the registry-load tests (each test session starts a
## throwaway cluster of its own with initdb/pg_ctl: nothing runs as a system service).
PG_INITDB := $(firstword $(wildcard /usr/lib/postgresql/*/bin/initdb))
postgres:
	@if [ -n "$(PG_INITDB)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing postgresql (Debian package) for the load tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	else echo "note: PostgreSQL missing and not root: the load tests will be skipped"; fi

## run the pipeline on sources/ into extracted/
run: install
	$(BIN)/frikommune run --sources sources --out extracted

## the whole test suite (slow tests included)
test: install browser postgres
	$(BIN)/python -m pytest -q

## retake the README's workbench screenshots (docs/workbench-*.png) with the browser tests
screenshots: install browser
	FRIKOMMUNE_SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/test_workbench_e2e.py

## everything but the tests marked slow
test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

## throughput of the pipeline against bare spaCy tokenisation, measured in the same run
bench: install
	$(BIN)/python scripts/bench.py $(ARGS)

## regenerate the sample PDFs in sources/ from the text in scripts/make_sample_pdfs.py
pdfs: install
	$(BIN)/python scripts/make_sample_pdfs.py

clean:
	rm -rf $(VENV) extracted/*.jsonl extracted/*.json extracted/dataset.sqlite extracted/text extracted/.cache
