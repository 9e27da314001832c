"""Chapters missing from the execution cache run side by side, and myst-nb then takes them from the cache.

The book's `parallel_execution` extension executes the chapters before Sphinx reads them. It only helps
if it reads each chapter exactly as myst-nb does (the package fingerprint cell included): otherwise
myst-nb misses the cache and runs every chapter a second time. These tests build a small book of two
chapters around a tiny package and read the build's log.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bookutils import ROOT, build_probe_book, probe_chapter


def _make_book(root: Path, failing: bool = False) -> None:
    (root / "pkg" / "probe").mkdir(parents=True)
    (root / "pkg" / "probe" / "__init__.py").write_text('VALUE = "hello"\n')
    (root / "index.md").write_text("# Probe book\n")
    for name in ("one", "two"):
        code = f'import probe\n\nprint("chapter {name} says", probe.VALUE)'
        if name == "two" and failing:
            code += '\nraise RuntimeError("chapter two is broken")'
        (root / f"{name}.md").write_text(probe_chapter(f"Chapter {name}", code))
    (root / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n- file: one\n- file: two\n")
    shutil.copytree(ROOT / "book" / "_ext", root / "_ext")
    (root / "_config.yml").write_text(
        "title: probe\nexecute:\n  execute_notebooks: cache\n"
        "sphinx:\n  local_extensions:\n    package_fingerprint: _ext\n    parallel_execution: _ext\n"
        f"  config:\n    nb_execution_raise_on_error: true\n"
        f"    fingerprint_package_dir: {root / 'pkg' / 'probe'}\n    fingerprint_package_name: probe\n"
    )


def test_chapters_run_side_by_side_and_myst_nb_uses_the_results(tmp_path):
    _make_book(tmp_path)
    proc = build_probe_book(tmp_path, NNBOOK_BUILD_JOBS="2")
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    assert "executing 2 chapters, 2 at a time" in log
    assert log.count("Using cached notebook") == 2, log[-3000:]  # myst-nb found both results
    assert "Executing notebook using" not in log  # and ran neither again
    for name in ("one", "two"):
        assert f"chapter {name} says hello" in (tmp_path / "_build" / "html" / f"{name}.html").read_text()


def test_one_job_leaves_execution_to_myst_nb(tmp_path):
    _make_book(tmp_path)
    proc = build_probe_book(tmp_path, NNBOOK_BUILD_JOBS="1")
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    assert "at a time" not in log
    assert log.count("Executing notebook using") == 2


def test_a_failing_chapter_still_fails_the_build_with_its_error(tmp_path):
    _make_book(tmp_path, failing=True)
    proc = build_probe_book(tmp_path, NNBOOK_BUILD_JOBS="2")
    log = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "failed when run in parallel" in log
    assert "chapter two is broken" in log
