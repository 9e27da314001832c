# nnbook: two commands on a fresh machine.
#   make book   create .venv, install the pinned tools and nnbook, build the HTML book
#   make test   the same set-up, then the whole test suite (it builds the book too)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CONSTRAINTS := requirements/constraints.txt
# The kernel must not inherit a non-interactive matplotlib backend: it would drop every inline figure.
JB := env -u MPLBACKEND $(BIN)/jupyter-book

.PHONY: setup book strict clean test test-fast check bench sync

setup: $(STAMP)

$(STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# Keep the pins for anything installed into .venv later, too (pip reads .venv/pip.conf).
	printf '[install]\nconstraint = %s\n' "$(CURDIR)/$(CONSTRAINTS)" > $(VENV)/pip.conf
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[dev]'
	touch $(STAMP)

book: setup
	$(JB) build .
	@echo "The book is at $(CURDIR)/_build/html/index.html"

# A strict build: full (every page re-read, so no earlier failure hides), warnings are errors.
strict: setup
	$(JB) build . --all -W --keep-going

clean:
	$(JB) clean . --all

test: setup
	$(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure, not a pass." >&2; fi; \
	exit $$rc

# The package's unit tests and doctests only (no book build): seconds, not minutes.
test-fast: setup
	$(BIN)/python -m pytest -m "not book and not browser" src/nnbook tests/unit

sync: setup
	$(BIN)/jupytext --sync book/*/*.md

bench: setup
	for f in bench/bench_*.py; do MPLBACKEND=Agg $(BIN)/python $$f || exit 1; done
