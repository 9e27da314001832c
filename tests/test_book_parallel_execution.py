"""Chapters missing from the execution cache run side by side, and myst-nb then takes them from the cache.

The book's ``chapter_execution`` extension runs them with jupyter-cache's ``local-parallel`` executor before
Sphinx reads the pages. It only helps if jupyter-cache reads each chapter as myst-nb does: otherwise myst-nb
misses the cache and runs every chapter a second time. These tests build a small book of two chapters.
"""

from __future__ import annotations

from bookutils import write_probe_book

MODULES = {"__init__.py": 'VALUE = "hello"\n', "a.py": ""}


def _chapters(failing: bool = False) -> dict[str, str]:
    chapters = {name: f'import probe\n\nprint("chapter {name} says", probe.VALUE)' for name in ("one", "two")}
    if failing:
        chapters["two"] += '\nraise RuntimeError("chapter two is broken")'
    return chapters


def test_chapters_run_side_by_side_and_myst_nb_uses_the_results(tmp_path, probe_book):
    write_probe_book(tmp_path, MODULES, _chapters())
    proc = probe_book()
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    assert "executing 2 chapters side by side" in log
    assert log.count("Using cached notebook") == 2, log[-3000:]  # myst-nb found both results
    assert "Executing notebook using" not in log  # and ran neither again
    for name in ("one", "two"):
        assert f"chapter {name} says hello" in (tmp_path / "_build" / "html" / f"{name}.html").read_text()


def test_one_job_leaves_execution_to_myst_nb(tmp_path, probe_book):
    write_probe_book(tmp_path, MODULES, _chapters())
    proc = probe_book(NNBOOK_BUILD_JOBS="1")
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    assert "side by side" not in log
    assert log.count("Executing notebook using") == 2


def test_a_failing_chapter_still_fails_the_build_with_its_error(tmp_path, probe_book):
    write_probe_book(tmp_path, MODULES, _chapters(failing=True))
    proc = probe_book()
    log = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "failed when run side by side" in log
    assert "chapter two is broken" in log
