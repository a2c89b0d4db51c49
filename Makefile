# orq-images: every command sets up what it needs. On a fresh machine only python3 and make are required.
#
#   make generate         regenerate generated/orq_images from openapi/ + overlays/ + generator/
#   make test             drift check + lint + mypy --strict + the whole pytest suite (what CI runs)
#   make build            sdist + wheel into dist/, checked with twine
#   make publish          upload dist/ to PyPI (REPOSITORY=testpypi for TestPyPI), after every check passes
#   make bench            benchmarks against raw httpx and the official SDK
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
.PHONY: help setup generate check-generated lint typecheck pytest test build publish record bench clean

help:
	@sed -n '1,10p' Makefile | sed 's/^# \{0,1\}//'

$(UV):
	$(PYTHON) -m venv $(TOOLS)
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
	$(RUN) ruff check generator tests bench
	$(RUN) ruff format --check generator tests bench

typecheck: setup
	$(RUN) mypy --strict generated/orq_images generator

pytest: setup
	$(RUN) pytest

test: check-generated lint typecheck pytest

build: setup
	rm -rf dist
	$(UV) build --quiet --out-dir dist
	$(UV) tool run --quiet --from twine==6.2.0 twine check --strict dist/*

publish: test build
	@git diff --quiet HEAD && test -z "$$(git status --porcelain)" || { echo "refusing to publish: the work tree is dirty" >&2; exit 1; }
	$(UV) tool run --quiet --from twine==6.2.0 twine upload --non-interactive --repository $(REPOSITORY) dist/*

record: setup
	$(RUN) python -m tests.contract.record $(RECORD_ARGS)

bench: setup
	$(RUN) python -m bench

clean:
	rm -rf $(VENV) $(TOOLS) dist build .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
