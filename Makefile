# nnbook: two commands on a fresh machine.
#   make book   create .venv, install the pinned tools and nnbook, build the HTML book
#   make test   the same set-up, a strict build of the book, then the whole test suite on that build
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CONSTRAINTS := requirements/constraints.txt
# matplotlib reads its settings and font cache from the project, not the home folder: a personal
# matplotlibrc cannot restyle the book, and a stale font cache cannot print findfont warnings on pages.
export MPLCONFIGDIR := $(CURDIR)/.cache/matplotlib
# The kernel must not inherit a non-interactive matplotlib backend: it would drop every inline figure.
JB := env -u MPLBACKEND $(BIN)/jupyter-book

.PHONY: setup book strict clean test test-fast check bench sync browser-deps

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

# The browser tests drive Debian's Chromium (never `playwright install`, which downloads a browser).
CHROMIUM := /usr/bin/chromium
browser-deps:
	@test -x $(CHROMIUM) || { \
	  echo "Installing Debian's chromium for the browser tests (needs root or sudo)"; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update && $$SUDO apt-get install -y chromium; }

# The strict build once, then the whole suite on it, side by side on every core (pytest-xdist).
test: strict browser-deps
	NNBOOK_BUILT_BOOK=$(CURDIR)/_build $(BIN)/python -m pytest -n auto; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure, not a pass." >&2; fi; \
	exit $$rc

# Everything that needs no book build: the package's tests and doctests, scanners, config checks, chapter scripts.
test-fast: setup
	$(BIN)/python -m pytest -m "not book and not browser"

# Pair every chapter of _toc.yml with its .py script and outputs-free .ipynb, then bring the pairs in sync.
sync: setup
	@for f in $$($(BIN)/python book/_ext/chapter_files.py); do \
	  $(BIN)/jupytext --quiet --sync $$f || exit 1; \
	  grep -q '^  formats: md:myst,py:percent,ipynb$$' $$f || \
	    $(BIN)/jupytext --quiet --set-formats md:myst,py:percent,ipynb $$f || exit 1; \
	done

# The pre-commit hooks of .pre-commit-config.yaml, run one by one, for those without pre-commit.
check: setup
	@export PATH="$(abspath $(BIN)):$$PATH"; \
	$(BIN)/python -c 'import yaml; [print(h["id"], h["entry"], sep="\t") for r in yaml.safe_load(open(".pre-commit-config.yaml"))["repos"] for h in r["hooks"]]' | \
	while IFS="$$(printf '\t')" read -r id entry; do \
	  echo "== $$id: $$entry"; sh -c "$$entry" || exit 1; \
	done

bench: setup
	for f in bench/bench_*.py; do MPLBACKEND=Agg $(BIN)/python $$f || exit 1; done
