# Two entry points, both from a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install clean bench

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "fedkit needs Python >= 3.11")'
	@echo "make: creating the virtual environment $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	@echo "make: upgrading pip in $(VENV)"
	$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "make: installing fedkit with the sandbox and test tools into $(VENV) (.[dev,sandbox]; a first install downloads them from PyPI: a few minutes)"
	$(BIN)/python -m pip install --quiet -e '.[dev,sandbox]'
	@echo "make: installed; $(BIN)/fedkit is ready"
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/fedkit demo

# Two workers (a CI runner has two cores), a test file at a time: a module's fixtures (sample gold, parity runs) are
# built once. Every worker starts its own servers and FEDKIT_HOME (tests/conftest.py). TEST_WORKERS=0: one process.
TEST_WORKERS ?= 2
test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	-$(BIN)/fedkit sandbox down 2>/dev/null
	rm -rf $(VENV) .fedkit build *.egg-info
