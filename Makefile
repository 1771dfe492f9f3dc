# Two commands do everything on a fresh machine: `make serve` and `make test`.
SHELL := /bin/bash
PY := .venv/bin/python
PORT ?= 8000
SITE ?= site
export PATH := $(CURDIR)/.venv/bin:$(PATH)
export NO_MKDOCS_2_WARNING := 1
export MPLBACKEND := Agg

.PHONY: help setup serve build test outputs outputs-check test-pythons lock lint bench train-detr clean

help:
	@echo "make serve    set up, build both languages, serve at http://127.0.0.1:$(PORT); pages reload"
	@echo "              when a source changes (ONLY=zh or ONLY=en rebuilds one language)"
	@echo "make test     set up, then run every test (snippets, site, browser)"
	@echo "make build    the static site into $(SITE)/ (Chinese at /, English at /en/)"
	@echo "make outputs  regenerate every printed output, figure and notebook from the code"
	@echo "make outputs-check  check the committed outputs under other CPUs' kernels and thread counts"
	@echo "make test-pythons  the standard-library tests on Python 3.11, 3.12 and 3.13"
	@echo "make bench    print speed and size figures (BENCH_ARGS=--skip-setup --skip-lighthouse --runs N)"

# The virtualenv is rebuilt when pyproject.toml or the lock changes.
.venv/.stamp: pyproject.toml requirements.lock tools/setup.sh
	bash tools/setup.sh
	touch $@

setup: .venv/.stamp

build: setup
	$(PY) -m tools.build $(SITE)

serve: export SITE_URL = http://127.0.0.1:$(PORT)/
serve: export SITE_URL_EN = http://127.0.0.1:$(PORT)/en/
serve: build
	$(PY) -m tools.serve --watch $(if $(ONLY),--only $(ONLY)) --port $(PORT) $(SITE)

outputs: setup
	$(PY) -m tools.outputs --measure $(SLUG)

# Regenerates every output under other CPUs' kernel choices and compares with the committed files.
outputs-check: setup
	$(PY) -m tools.portability $(SLUG)

# The tests that need only the standard library, on each supported Python found here
# (pytest alone in .cache/pythons/3.X); OUTPUTS=1 first regenerates their printed outputs there.
test-pythons: setup
	$(PY) -m tools.pythons $(if $(OUTPUTS),--outputs)

# requirements.lock from pyproject.toml: every package pinned with hashes (uv, from the dev extra).
lock: setup
	$(PY) -m tools.lock

# Trains the small DETR whose checkpoint is committed (minutes on a 2-core CPU).
train-detr: setup
	$(PY) -m snippets.detr.train

lint: setup
	$(PY) -m ruff check .
	.venv/bin/actionlint
	.venv/bin/zizmor --offline --quiet .github/workflows

# -n auto: one worker per core (pytest-xdist); loadgroup keeps tests/ddp's launches in one worker.
# `make test SLUG=spp`: that article's tests and its page's checks (outputs fresh, copies run,
# languages in step, shell blocks, its pages in the browser), without lint.
PKG = $(subst -,_,$(SLUG))
ifdef SLUG
test: setup
	PYML_TEST_SLUG=$(SLUG) $(PY) -m pytest -n auto --dist loadgroup tests/$(PKG) tests/site \
	  -k "$(PKG) or $(SLUG) or load_cleanly" $(TEST_ARGS)
else
test: setup lint
	$(PY) -m pytest -n auto --dist loadgroup tests $(TEST_ARGS)
endif

bench: setup
	$(PY) -m tools.bench $(BENCH_ARGS)

clean:
	rm -rf $(SITE) .venv .cache .pytest_cache
