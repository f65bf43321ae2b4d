# Two commands on a fresh Linux machine (README): `make run` and `make test`.
# Each creates .venv from the pinned requirements when it is missing or out of date.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint pytest bench demo build clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(PY) main.py $(ARGS)

test: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m mypy
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.dev
	QT_QPA_PLATFORM=offscreen $(PY) -m bench $(ARGS)

build: $(VENV)/.dev
	$(PY) -m PyInstaller --noconfirm pyinstaller.spec

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
