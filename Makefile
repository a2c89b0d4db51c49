# orq-images: every command sets up what it needs. On a fresh machine only python3 and make are required.
#
#   make generate         regenerate generated/orq_images from openapi/ + overlays/ + generator/
#   make test             drift check + lint + mypy --strict + the whole pytest suite (what CI runs)
#   make build            sdist + wheel into dist/, checked with twine
#   make publish          upload dist/ to PyPI (REPOSITORY=testpypi for TestPyPI), after every check passes
#   make bench            benchmarks against raw httpx and the official SDK (BENCH_ARGS=--quick for a smoke run)
#   make docs             the documentation site into site/ (mkdocs --strict, offline)
#
# The toolchain is pinned by uv.lock. uv itself is pinned below and installed into .tools/ (a private
# virtual environment, so a system Python that refuses pip installs, PEP 668, is no obstacle).

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
RUN := UV_PYTHON_DOWNLOADS=never $(UV) run --frozen --no-sync
REPOSITORY ?= pypi

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.DEFAULT_GOAL := help
.PHONY: help setup generate check-generated lint typecheck pytest test build publish record bench docs docs-deps clean

help:
	@sed -n '1,11p' Makefile | sed 's/^# \{0,1\}//'

$(UV):
	$(PYTHON) -m venv $(TOOLS) || { echo "'$(PYTHON) -m venv' failed: on Debian/Ubuntu install python3-venv" >&2; exit 1; }
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --no-install-project --python $(PYTHON) --quiet
	@touch $@

setup: $(VENV)/.synced

generate: setup
	$(RUN) python -m generator generate

check-generated: setup
	$(RUN) python -m generator check

lint: setup
	$(RUN) ruff check generator tests bench examples
	$(RUN) ruff format --check generator tests bench examples
	$(RUN) actionlint .github/workflows/*.yml
	$(RUN) check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(RUN) shellcheck scripts/*.sh examples/*.sh

typecheck: setup
	$(RUN) mypy --strict generated/orq_images generator

pytest: setup
	$(RUN) pytest --cov --cov-report=term-missing:skip-covered

test: check-generated lint typecheck pytest

# twine is pinned by uv.lock: the dependency group "release" is added to .venv when needed (`uv run --group` would
# also install the project itself, which the tools never need).
TWINE := $(UV) sync --frozen --no-install-project --inexact --only-group release --quiet && $(RUN) twine

build: setup
	rm -rf dist
	$(UV) build --quiet --out-dir dist
	$(TWINE) check --strict dist/*

# scripts/publish.sh refuses a dirty tree (first, and again after the build), a missing TWINE_PASSWORD, a drifting
# generated/ and failing tests, in that order, before uploading. Each step is a variable, so the refusals can be
# tested without an upload (e.g. `make publish TEST_CMD=false UPLOAD_CMD=...`).
CHECK_GENERATED_CMD = $(MAKE) --no-print-directory check-generated
TEST_CMD = $(MAKE) --no-print-directory test
BUILD_CMD = $(MAKE) --no-print-directory build
UPLOAD_CMD = $(TWINE) upload --non-interactive dist/*
.PHONY: guard-clean

guard-clean:
	@sh scripts/publish.sh guard-clean

publish:
	@PUBLISH_REPOSITORY='$(REPOSITORY)' CHECK_GENERATED_CMD='$(CHECK_GENERATED_CMD)' TEST_CMD='$(TEST_CMD)' \
		BUILD_CMD='$(BUILD_CMD)' UPLOAD_CMD='$(UPLOAD_CMD)' sh scripts/publish.sh

record: setup
	PYTHONPATH=generated $(RUN) python -m tests.contract.record $(RECORD_ARGS)

# The dependency group "bench" (the official SDK as a baseline, pyinstrument) is added to .venv only here.
bench: setup
	$(UV) sync --frozen --no-install-project --inexact --only-group bench --quiet
	$(RUN) python -m bench $(BENCH_ARGS)

# The dependency group "docs" (mkdocs-material, mkdocstrings) is added to .venv only here (tests/docs/ asks for it
# through docs-deps). NO_MKDOCS_2_WARNING: mkdocs-material prints a notice about its successor on every build.
docs-deps: setup
	$(UV) sync --frozen --no-install-project --inexact --only-group docs --quiet

docs: docs-deps
	NO_MKDOCS_2_WARNING=1 $(RUN) mkdocs build --strict --quiet

clean:
	rm -rf $(VENV) $(TOOLS) dist build site .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
