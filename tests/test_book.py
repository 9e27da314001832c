"""Checks every chapter listed in _toc.yml: executed with figures, runnable as a script, deterministic.

(The .md/.py pairs are checked in test_pairs.py.)
"""

from __future__ import annotations

import json
import math
import os
import pickle

import pytest

from bookutils import FLOAT_ATOL, FLOAT_RTOL, TIMING_SUFFIXES, chapters, executed_notebook, glued_values, images

CHAPTERS = chapters()
IDS = [p.stem for p in CHAPTERS]
# The chapters also run as headless scripts (python book/<part>/<chapter>.py): the first one by default, whose
# script path (animation, expected errors, glue) every chapter shares; a comma-separated list of names, or "all".
SCRIPTS = os.environ.get("NNBOOK_SCRIPT_CHAPTERS", CHAPTERS[0].stem)
SCRIPT_CHAPTERS = [p for p in CHAPTERS if SCRIPTS == "all" or p.stem in SCRIPTS.split(",")]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_executed_with_figures(built_book, chapter):
    """The build executed the chapter and kept its figures (a kernel with MPLBACKEND=Agg would lose them)."""
    notebook = executed_notebook(chapter)
    assert notebook.exists(), f"{notebook} is missing: the chapter was not executed."
    assert len(images(notebook)) >= 2, f"{chapter.name} produced {len(images(notebook))} figures in the build."
    assert glued_values(notebook), f"{chapter.name} glued no numbers."


def same(a, b) -> bool:
    """Equal, floats up to rounding: two runs of the same seeded code may differ in the last bits of a float.

    >>> same(0.1 + 0.2, 0.3), same([1.0, "x"], [1.0 + 1e-12, "x"]), same(0.3, 0.31), same(float("nan"), float("nan"))
    (True, True, False, True)
    """
    if isinstance(a, float | int) and isinstance(b, float | int) and not isinstance(a, bool):
        return math.isclose(a, b, rel_tol=FLOAT_RTOL, abs_tol=FLOAT_ATOL) or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return str(a) == str(b)


@pytest.mark.parametrize("chapter", SCRIPT_CHAPTERS, ids=[p.stem for p in SCRIPT_CHAPTERS])
def test_script_runs_and_reproduces_the_build(built_book, script_runs, chapter):
    """`python chapter.py` runs headless, and its glued numbers equal the build's: two separate executions agree."""
    proc, script_values = script_runs(chapter.stem)
    assert proc.returncode == 0, f"{chapter.name} failed as a script:\n{proc.stderr[-4000:]}"
    book_values = glued_values(executed_notebook(chapter))
    assert set(script_values) == set(book_values)
    differ = {
        name: (value, script_values[name])
        for name, value in book_values.items()
        if not name.endswith(TIMING_SUFFIXES) and not same(value, script_values[name])
    }
    assert not differ, f"{chapter.name}: build and script glued different values (build, script): {differ}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_no_warnings_printed_on_the_page(built_book, chapter):
    """A chapter page shows no stray warnings (stderr outputs): each one is a loose end in the chapter's code."""
    nb = json.loads(executed_notebook(chapter).read_text())
    stderr = [
        "".join(out.get("text", ""))[:300]
        for cell in nb["cells"]
        for out in cell.get("outputs", [])
        if out.get("output_type") == "stream" and out.get("name") == "stderr"
    ]
    assert not stderr, f"{chapter.name} prints to stderr: {stderr}"


def test_the_pickled_environment_holds_no_page(built_book):
    """Every build loads environment.pickle: sphinx-exercise's registry keeps its nodes there, tied to no page
    (book/_ext/small_environment.py), so the file does not carry the chapters' doctrees with their outputs."""
    path = built_book / ".doctrees" / "environment.pickle"
    assert path.exists(), f"{path} is missing: the build kept no environment."
    with path.open("rb") as file:
        registry = pickle.load(file).sphinx_exercise_registry
    assert len(registry) >= 10, f"only {len(registry)} exercises and solutions registered: is sphinx-exercise on?"
    tied = [label for label, entry in registry.items() if any(n.document for n in entry["node"].findall())]
    assert not tied, f"{len(tied)} registry nodes still belong to their page's document, e.g. {tied[:3]}"
    assert all(entry["node"].parent is None for entry in registry.values())
