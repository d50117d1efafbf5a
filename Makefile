# wildcrawl: `make demo` and `make test` do all set-up themselves.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast setup browser axe eval bench bench-public lint clean

# Ctrl-C: the demo stops, prints one line and exits 0; 130 (a crawl interrupted and recorded
# so) is a clean stop too, not an error for make to report. The shell traps SIGINT (its child
# still gets it) so that it lives to read that status.
demo: setup
	@trap true INT; $(PY) -m crawler.cli demo || [ $$? -eq 130 ]

# Two workers (pytest-xdist), one per core of the CI machine; a test file stays on one worker,
# so its module fixtures (servers, crawls) start once. `make test PYTEST_WORKERS=0` runs serially.
PYTEST_WORKERS ?= 2
XDIST := $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile)

test: setup
	$(PY) -m pytest -q $(XDIST)

# The edit-test loop: no browser, no subprocess crawls (tests marked slow or browser).
test-fast: setup
	$(PY) -m pytest -q $(XDIST) -m "not slow and not browser"

setup: $(STAMP) browser axe

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

# A Chromium for Playwright: Playwright's own where installable, else Debian's package; and the
# fonts evidence screenshots need (Noto CJK, colour emoji, Noto core: Thai, Arabic) as root.
browser: $(STAMP)
	@$(PY) -m crawler.browser.setup

# axe-core (npm) for the accessibility tests, inside the venv: tests/axe.py finds it there and
# the tests that need it skip, saying why, when npm is missing.
AXE := $(VENV)/node/node_modules/axe-core/axe.min.js
axe: $(AXE)

$(AXE):
	@if command -v npm >/dev/null; then \
		npm install --prefix $(VENV)/node --no-audit --no-fund --silent axe-core; \
	else echo "npm not found: the accessibility (axe-core) tests will be skipped"; fi

# Accuracy on the labelled and real-world corpora (prints; never part of `make test`).
# evaluate_model: the relevance model on real labelled listings (CV, leave-one-source-out,
# learning curve, false positives on ordinary goods), beside the lexicon alone.
eval: setup
	$(PY) -m crawler.quality.evaluate_model --titles-only
	$(PY) -m crawler.quality.evaluate_matcher
	$(PY) -m crawler.quality.evaluate_prices
	$(PY) -m crawler.quality.evaluate_generic

# Benchmarks print ratios against baselines run in the same invocation; never part of `make test`.
bench: setup
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) -m bench.bench_matcher
	$(PY) bench/bench_prices.py
	$(PY) -m bench.startup
	$(PY) -m bench

# The public instance over a synthetic 1,000,000-listing release (long: ~20 minutes).
bench-public: setup
	$(PY) bench/bench_public.py --listings 1000000

lint: setup
	$(VENV)/bin/ruff check crawler spiders tests bench
	$(VENV)/bin/ruff format --check crawler spiders tests bench

clean:
	rm -rf $(VENV) output/*.db output/*.db-* .pytest_cache
