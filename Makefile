# wildcrawl: `make demo` and `make test` do all set-up themselves.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test setup browser eval bench lint clean

demo: setup
	$(PY) -m crawler.cli demo

test: setup
	$(PY) -m pytest -q

setup: $(STAMP) browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

# A Chromium for Playwright: Playwright's own where installable, else Debian's package.
browser: $(STAMP)
	@$(PY) -m crawler.setup_browser

# Accuracy on the labelled and real-world corpora (prints; never part of `make test`).
eval: setup
	$(PY) -m crawler.evaluate_matcher
	$(PY) -m crawler.evaluate_prices
	$(PY) -m crawler.evaluate_generic

bench: setup
	$(PY) -m crawler.bench

lint: setup
	$(VENV)/bin/ruff check crawler spiders tests

clean:
	rm -rf $(VENV) output/*.db output/*.db-* .pytest_cache
