"""Chapters missing from the execution cache run side by side, and myst-nb then takes them from the cache.

The book's ``chapter_execution`` extension runs them with jupyter-cache's ``local-parallel`` executor before
Sphinx reads the pages. It only helps if jupyter-cache reads each chapter as myst-nb does: otherwise myst-nb
misses the cache and runs every chapter a second time. A chapter that fails there still fails the build with
its own error. One small book of two chapters, one of them broken, shows both.
"""

from __future__ import annotations

from bookutils import write_probe_book


def test_chapters_run_side_by_side_and_a_failure_still_fails_the_build(tmp_path, probe_book):
    chapters = {name: f'import probe\n\nprint("chapter {name} says", probe.VALUE)' for name in ("one", "two")}
    chapters["two"] += '\nraise RuntimeError("chapter two is broken")'
    write_probe_book(tmp_path, {"__init__.py": 'VALUE = "hello"\n', "a.py": ""}, chapters)
    proc = probe_book()
    log = proc.stdout + proc.stderr
    assert "executing 2 chapters side by side" in log
    assert log.count("Using cached notebook") == 1, log[-3000:]  # myst-nb found chapter one's result
    assert "failed when run side by side" in log and "chapter two is broken" in log
    assert proc.returncode != 0, "a broken chapter must fail the build"
