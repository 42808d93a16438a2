# nnedu: two commands from a clean clone; nothing installed by hand but Python ≥ 3.10 and make.
#   make lecture   create .venv from the lock file, install nnedu, execute every lecture notebook
#   make test      create .venv the same way, then lint, unit tests and nbval on the notebooks
#   make test-browser  JupyterLab in headless Chromium: the playground and the graph pictures
# (Windows without make: see the README's "On Windows" lines, which do the same.)
PYTHON     ?= python3
VENV       ?= .venv
BIN        := $(VENV)/bin
UV_VERSION := 0.13.9
UV         := $(BIN)/uv
LOCK       := .ci/dev.lock
LAB_LOCK   := .ci/lab.lock
STAMP      := $(VENV)/.installed-dev
LAB_STAMP  := $(VENV)/.installed-lab
# The OpenBLAS kernels the notebooks must validate under (those this CPU cannot run are skipped).
KERNELS    ?= Nehalem Sandybridge Haswell SkylakeX
LOWEST     := .venv-lowest

.PHONY: venv lecture test test-browser lint notebooks test-kernels test-lowest lock lab bench clean

venv: $(STAMP)

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# Exact versions from the lock, so the committed notebook outputs are reproduced by the same
# numpy, matplotlib and scikit-learn that made them.
$(STAMP): pyproject.toml $(LOCK) | $(UV)
	$(UV) pip install --quiet --python $(BIN)/python -r $(LOCK)
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

$(LAB_STAMP): $(STAMP) $(LAB_LOCK)
	$(UV) pip install --quiet --python $(BIN)/python -r $(LAB_LOCK)
	touch $(LAB_STAMP)

lecture: venv
	$(BIN)/nnedu lecture

test: venv lint
	$(BIN)/python -m pytest

# JupyterLab in Debian's Chromium (apt; Playwright's own browser download is not needed).
test-browser: $(LAB_STAMP)
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	$(BIN)/python -m pytest tests/browser -m browser

lint: venv
	$(BIN)/ruff check .

# Regenerate the committed outputs and every figure (how a developer updates them).
notebooks: venv
	NNEDU_REWRITE_FIGURES=1 $(BIN)/nnedu lecture --in-place

# Validate the notebooks under each OpenBLAS kernel in KERNELS that this CPU can run.
test-kernels: venv
	@for k in $(KERNELS); do \
	  if ! $(BIN)/python .ci/blas_kernel_runs.py $$k; then \
	    echo "== $$k: skipped, this CPU lacks its instructions"; continue; fi; \
	  echo "== notebooks under OPENBLAS_CORETYPE=$$k"; \
	  OPENBLAS_CORETYPE=$$k $(BIN)/python -m pytest notebooks -q || exit 1; \
	done

# The unit tests with the lowest versions pyproject.toml allows (its lower bounds are tested).
test-lowest:
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(LOWEST)/bin/uv pip install --quiet --python $(LOWEST)/bin/python \
	  --resolution lowest-direct -e ".[dev]"
	$(LOWEST)/bin/python -m pytest tests -q -m "not browser and not lecture_notebooks"

# Refresh the lock files from pyproject.toml (every Python from 3.10, every OS).
lock: | $(UV)
	$(UV) pip compile pyproject.toml --extra dev --universal --python-version 3.10 \
	  --quiet -o $(LOCK)
	$(UV) pip compile pyproject.toml --extra dev --extra lab --extra browser --universal \
	  --python-version 3.10 \
	  --quiet -o $(LAB_LOCK)

# JupyterLab with the widgets; the notebooks are trusted, so their SVG graphs show too.
lab: $(LAB_STAMP)
	$(BIN)/jupyter trust notebooks/*.ipynb
	$(BIN)/jupyter lab notebooks/

bench: venv
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[bench]"
	$(BIN)/nnedu bench

clean:
	rm -rf $(VENV) $(LOWEST) build dist *.egg-info
