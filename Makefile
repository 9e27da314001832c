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

.PHONY: setup book strict clean test test-fast test-other-cpu check bench sync browser-deps inventories pdf

# `make setup` checks the Python first, then (re)creates .venv when it is missing or broken (no working
# pip, an interpreter that has gone, or one older than 3.11), then installs the pinned tools and nnbook once per change of pins.
setup:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
	  { echo "nnbook needs Python 3.11 or newer, and '$(PYTHON)' is $$($(PYTHON) -V 2>&1 || echo missing): run make PYTHON=python3.11 (or newer)." >&2; exit 1; }
	@$(BIN)/python -c 'import pip, sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  if [ -e $(VENV) ]; then echo "$(VENV) is broken (no working python or pip, or a Python older than 3.11): creating it again."; fi; \
	  rm -rf $(VENV); \
	  $(PYTHON) -m venv $(VENV) >/dev/null 2>&1 && $(BIN)/python -c 'import pip' 2>/dev/null || \
	    { rm -rf $(VENV); echo "Cannot create $(VENV): Python's venv/ensurepip is missing. On Debian or Ubuntu: sudo apt install python3-venv" >&2; exit 1; }; }
	@$(MAKE) --no-print-directory --silent $(STAMP)

# PyTorch's CPU wheel index, for torch==2.13.0+cpu. It goes into .venv/pip.conf when it answers within a few
# seconds; without it (no network, or a machine that has the wheel locally) pip finds the pinned +cpu wheel
# in its other sources, or stops with "No matching distribution found for torch==2.13.0+cpu".
TORCH_INDEX := https://download.pytorch.org/whl/cpu

$(STAMP): pyproject.toml requirements/runtime.txt requirements/dev.txt $(CONSTRAINTS)
	@if $(BIN)/python -c 'import urllib.request as u; u.urlopen("$(TORCH_INDEX)/", timeout=5)' 2>/dev/null; \
	then index="extra-index-url = $(TORCH_INDEX)"; \
	else index=""; echo "$(TORCH_INDEX) does not answer: installing torch==2.13.0+cpu from pip's other sources."; fi; \
	printf '# Written by make setup: the pins hold for anything installed into .venv later, too.\n[install]\nconstraint = %s\n%s\n' \
	  "$(CURDIR)/$(CONSTRAINTS)" "$$index" > $(VENV)/pip.conf
	@echo "Installing the pinned tools and nnbook into $(VENV) (a few minutes the first time)"
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[dev]'
	touch $(STAMP)

book: setup
	$(JB) build .
	@echo "The book is at $(CURDIR)/_build/html/index.html, its launch notebooks in $(CURDIR)/_build/notebooks"

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

# The PDF edition, _build/pdf/nnbook.pdf: the single-page build (execution from the cache) printed by Chromium
# (tools/pdf.py). A copy goes into the HTML site, whose download menu links to it.
pdf: setup browser-deps
	env -u MPLBACKEND NNBOOK_CHROMIUM=$(CHROMIUM) $(BIN)/python tools/pdf.py
	@if [ -d _build/html ]; then cp _build/pdf/nnbook.pdf _build/html/nnbook.pdf; fi

# The strict build once, then the PDF edition, then the whole suite on both, side by side on every core (pytest-xdist).
test: strict browser-deps
	$(MAKE) --no-print-directory pdf
	NNBOOK_BUILT_BOOK=$(CURDIR)/_build $(BIN)/python -m pytest -n auto; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure, not a pass." >&2; fi; \
	exit $$rc

# The chapters' claims as another CPU computes them: floats differ in their last bits between processors,
# and a long training run can amplify that. ATEN_CPU_CAPABILITY=default makes PyTorch use its portable
# kernels instead of this CPU's vector ones; a second full build with them (its own folder and cache, under
# _build so that `make clean` removes it), then every chapter test on that build, and (after `make book` or
# `make test`) how far its numbers moved from the first build's (tests/test_other_cpu.py). The chapter tests
# read the executed notebooks only, so this build executes and reads every chapter but writes no page
# (Sphinx's dummy builder).
OTHER_CPU := $(CURDIR)/_build/other-cpu
test-other-cpu: setup
	ATEN_CPU_CAPABILITY=default $(JB) build . --all --path-output $(OTHER_CPU) --builder custom --custom-builder dummy
	ATEN_CPU_CAPABILITY=default NNBOOK_BUILT_BOOK=$(OTHER_CPU)/_build NNBOOK_FIRST_BUILD=$(CURDIR)/_build \
	  $(BIN)/python -m pytest -n auto -p no:cacheprovider tests/chapters tests/test_other_cpu.py

# Everything that needs no book build, no browser and no Colab-like venv: the package's tests and doctests,
# scanners, config checks, chapter scripts.
test-fast: setup
	$(BIN)/python -m pytest -m "not book and not browser and not colab"

# Pair every chapter of _toc.yml with its .py script (py:percent) and bring the pairs in sync. A reader who
# wants a notebook opens the .md in Jupyter (jupytext) or downloads the executed .ipynb from the site; every
# build writes the launch notebooks that Colab and Binder open (_build/notebooks, tools/launch_notebooks.py).
sync: setup
	@for f in $$($(BIN)/python book/_ext/chapter_files.py); do \
	  grep -q '^  formats: md:myst,py:percent$$' $$f || \
	    $(BIN)/jupytext --quiet --set-formats md:myst,py:percent $$f || exit 1; \
	  $(BIN)/jupytext --quiet --sync $$f || exit 1; \
	done

# The pre-commit hooks of .pre-commit-config.yaml, run one by one, for those without pre-commit. A hook that
# takes file names gets every tracked file its `files` pattern matches.
check: setup
	@export PATH="$(abspath $(BIN)):$$PATH"; \
	$(BIN)/python -c 'import yaml; [print(h["id"], h["entry"], h.get("files", "") if h.get("pass_filenames", True) else "", sep="\t") for r in yaml.safe_load(open(".pre-commit-config.yaml"))["repos"] for h in r["hooks"]]' | \
	while IFS="$$(printf '\t')" read -r id entry files; do \
	  echo "== $$id: $$entry"; \
	  if [ -n "$$files" ]; then git ls-files | grep -E "$$files" | xargs -r sh -c "$$entry \"\$$@\"" "$$id" || exit 1; \
	  else sh -c "$$entry" || exit 1; fi; \
	done

bench: setup
	for f in bench/bench_*.py; do MPLBACKEND=Agg $(BIN)/python $$f || exit 1; done

# The intersphinx inventories of book/_intersphinx/ (see the README there): Python's from Debian's python3-doc.
PYTHON_INV := /usr/share/doc/python3/html/objects.inv
inventories: setup
	@test -f $(PYTHON_INV) || { echo "$(PYTHON_INV) is missing: apt-get install python3-doc" >&2; exit 1; }
	cp $(PYTHON_INV) book/_intersphinx/python.inv
	$(BIN)/python tools/intersphinx_inventories.py
