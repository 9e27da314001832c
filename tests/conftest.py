"""Shared fixtures. The book is built once per test run (full and strict, with cached execution), or not
at all when ``NNBOOK_BUILT_BOOK`` says a strict build of this checkout has just been made (``make test``).

A test is marked ``book`` by what it uses, not by where it lives: every test that asks for the built
book (``built_book``, or a fixture built on it) or builds a small book of its own (``probe_book``).
``make test-fast`` runs the rest.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock

from bookutils import (
    BUILD,
    PYTHON,
    ROOT,
    build_book,
    build_probe_book,
    chapters,
    executed_notebook,
    glued_values,
    run_script,
)

BOOK_FIXTURES = {"built_book", "probe_book", "pdf_edition"}


@pytest.fixture(autouse=True)
def _close_figures():
    """Close the figures a test left open (pyplot keeps every figure until it is closed)."""
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


def pytest_collection_modifyitems(items):
    for item in items:
        if BOOK_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.book)


@pytest.fixture(scope="session")
def built_book() -> Path:
    """The book, built once for the whole run (all test processes): every page re-read, execution from the cache."""
    if os.environ.get("NNBOOK_BUILT_BOOK"):  # `make test` has just made the strict build
        return Path(os.environ["NNBOOK_BUILT_BOOK"])
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", f"pid-{os.getpid()}")
    BUILD.mkdir(exist_ok=True)
    stamp = BUILD / ".tests-built"
    with FileLock(str(BUILD / ".tests-build.lock")):
        if not stamp.exists() or stamp.read_text() != run:
            stamp.unlink(missing_ok=True)
            proc = build_book(strict=True, full=True)
            assert proc.returncode == 0, f"the strict book build failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-6000:]}"
            stamp.write_text(run)
    return BUILD


@pytest.fixture(scope="session")
def pdf_edition(built_book):
    """The PDF edition of this checkout (``make pdf`` makes it; else made once here), and its copy in the site."""
    pdf = built_book / "pdf" / "nnbook.pdf"
    with FileLock(str(built_book / ".tests-pdf.lock")):
        site = built_book / "html" / "index.html"
        if not pdf.exists() or pdf.stat().st_mtime < site.stat().st_mtime:
            proc = subprocess.run([PYTHON, str(ROOT / "tools" / "pdf.py")], capture_output=True, text=True)
            assert proc.returncode == 0, f"tools/pdf.py failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
        shutil.copy2(pdf, built_book / "html" / "nnbook.pdf")
    return pdf


@pytest.fixture
def probe_book(tmp_path):
    """``probe_book(**env)`` builds the small book a test wrote in ``tmp_path`` (its package in ``tmp_path/pkg``)."""
    return lambda **env: build_probe_book(tmp_path, **env)


@pytest.fixture(scope="session")
def glue_of(built_book):
    """``glue_of("03-lines-to-curves")`` → the numbers that chapter glued in the build."""
    by_stem = {p.stem: p for p in chapters()}

    def read(stem: str) -> dict:
        notebook = executed_notebook(by_stem[stem], built_book)
        assert notebook.exists(), f"{notebook} is missing: the chapter was not executed by the build."
        return glued_values(notebook)

    return read


@pytest.fixture(scope="session")
def script_runs(tmp_path_factory):
    """``script_runs(stem)`` → (process, glued values) of the chapter run as a headless script; each runs once."""
    by_stem = {p.stem: p for p in chapters()}
    cache: dict = {}
    workdir = tmp_path_factory.mktemp("scripts")

    def run(stem: str):
        if stem not in cache:
            cache[stem] = run_script(by_stem[stem], workdir)
        return cache[stem]

    return run
