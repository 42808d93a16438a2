# nnedu: two commands from a clean clone, nothing installed by hand.
#   make lecture   create .venv, install, execute every lecture notebook and write figures/
#   make test      create .venv, install, lint, run unit tests and validate the notebooks (nbval)
#   make test-browser  JupyterLab in headless Chromium: the playground and the graph pictures
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev

.PHONY: venv lecture test test-browser lint notebooks lab bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

lecture: venv
	$(BIN)/nnedu lecture

test: venv lint
	$(BIN)/python -m pytest

test-browser: venv
	$(BIN)/python -m pip install --quiet -e ".[dev,browser]"
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	$(BIN)/python -m pytest tests/browser -m browser

lint: venv
	$(BIN)/ruff check .

notebooks: venv
	$(BIN)/nnedu lecture --in-place

lab: venv
	$(BIN)/python -m pip install --quiet -e ".[dev,lab]"
	$(BIN)/jupyter lab notebooks/

bench: venv
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/nnedu bench

clean:
	rm -rf $(VENV) build dist *.egg-info
