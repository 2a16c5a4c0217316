# Two commands on a fresh machine with Python 3.11 and pip: `make run`, then `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run test test-fast bench pdfs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## run the pipeline on sources/ into extracted/
run: install
	$(BIN)/frikommune run --sources sources --out extracted

## the whole test suite (slow tests included)
test: install
	$(BIN)/python -m pytest -q

## everything but the tests marked slow
test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

## throughput of the pipeline against bare spaCy tokenisation, measured in the same run
bench: install
	$(BIN)/python scripts/bench.py

## regenerate the sample PDFs in sources/ from the text in scripts/make_sample_pdfs.py
pdfs: install
	$(BIN)/python scripts/make_sample_pdfs.py

clean:
	rm -rf $(VENV) extracted/*.jsonl extracted/*.json extracted/dataset.sqlite extracted/text extracted/.cache
