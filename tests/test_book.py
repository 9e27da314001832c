"""Checks every chapter listed in _toc.yml: executed with figures, runnable as a script, deterministic.

(The .md/.py/.ipynb pairs are checked in test_pairs.py.)
"""

from __future__ import annotations

import json
import math

import pytest

from bookutils import TIMING_SUFFIXES, chapters, executed_notebook, glued_values, images

CHAPTERS = chapters()
IDS = [p.stem for p in CHAPTERS]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_executed_with_figures(built_book, chapter):
    """The build executed the chapter and kept its figures (a kernel with MPLBACKEND=Agg would lose them)."""
    notebook = executed_notebook(chapter)
    assert notebook.exists(), f"{notebook} is missing: the chapter was not executed."
    assert len(images(notebook)) >= 2, f"{chapter.name} produced {len(images(notebook))} figures in the build."
    assert glued_values(notebook), f"{chapter.name} glued no numbers."


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_script_runs_and_reproduces_the_build(built_book, script_runs, chapter):
    """`python chapter.py` runs headless, and its glued numbers equal the build's: two separate executions agree."""
    proc, script_values = script_runs(chapter.stem)
    assert proc.returncode == 0, f"{chapter.name} failed as a script:\n{proc.stderr[-4000:]}"
    book_values = glued_values(executed_notebook(chapter))
    assert set(script_values) == set(book_values)
    for name, value in book_values.items():
        if name.endswith(TIMING_SUFFIXES):
            continue
        other = script_values[name]
        if isinstance(value, float) and isinstance(other, float):
            assert value == other or (math.isnan(value) and math.isnan(other)), (
                f"{name}: build {value!r} != script {other!r}"
            )
        else:
            assert str(value) == str(other), f"{name}: build {value!r} != script {other!r}"


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
