"""Shared fixtures. The book is built once per test session (full and strict, with cached execution)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bookutils import ROOT, build_book, chapters, executed_notebook, glued_values, run_script


@pytest.fixture(autouse=True)
def _close_figures():
    """Close the figures a test left open (pyplot keeps every figure until it is closed)."""
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


def pytest_collection_modifyitems(items):
    for item in items:
        path = Path(str(item.fspath))
        if path.parent.name == "chapters" or path.name.startswith("test_book"):
            item.add_marker(pytest.mark.book)


@pytest.fixture(scope="session")
def built_book() -> Path:
    """Build the whole book once: every page re-read, execution from the cache when the code is unchanged."""
    proc = build_book(strict=True, full=True)
    assert proc.returncode == 0, f"the strict book build failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-6000:]}"
    return ROOT / "_build"


@pytest.fixture(scope="session")
def glue_of(built_book):
    """``glue_of("03-lines-to-curves")`` → the numbers that chapter glued in the build."""
    by_stem = {p.stem: p for p in chapters()}

    def read(stem: str) -> dict:
        notebook = executed_notebook(by_stem[stem])
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
