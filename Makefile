# Whitehall Discourse: `make run` (the offline demo) and `make test` (the suite). Uses pip and venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PREFECT_HOME ?= $(CURDIR)/.prefect

.PHONY: run test bench install sample clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# torch first, pinned: the pin takes the local CPU wheel; unpinned it pulls several GB of CUDA.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test,scale,bench]'
	touch $(STAMP)

install: $(STAMP)

data/archive/index.sqlite: | $(STAMP)
	$(BIN)/whitehall sample data/archive

sample: data/archive/index.sqlite

# The nightly flow on the bundled (synthetic) sample archive, replayed offline; re-scanned
# from 2016 so that a second run shows every item `unchanged`. Then the quarterly report.
run: $(STAMP) sample
	$(BIN)/whitehall run nightly --transport replay --since 2016-01-01
	$(BIN)/whitehall report

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf data reports .prefect
