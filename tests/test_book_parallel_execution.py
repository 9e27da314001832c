"""Chapters missing from the execution cache run side by side, and myst-nb then takes them from the cache.

The book's `parallel_execution` extension executes the chapters before Sphinx reads them. It only helps
if it reads each chapter exactly as myst-nb does (the package fingerprint cell included): otherwise
myst-nb misses the cache and runs every chapter a second time. These tests build a small book of two
chapters around a tiny package and read the build's log.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from bookutils import JUPYTER_BOOK, ROOT

CHAPTER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# Chapter {name}

```{{code-cell}} ipython3
import probe

print("chapter {name} says", probe.VALUE)
{extra}
```
"""


def _make_book(root: Path, failing: bool = False) -> None:
    (root / "pkg" / "probe").mkdir(parents=True)
    (root / "pkg" / "probe" / "__init__.py").write_text('VALUE = "hello"\n')
    (root / "index.md").write_text("# Probe book\n")
    (root / "one.md").write_text(CHAPTER.format(name="one", extra=""))
    extra = 'raise RuntimeError("chapter two is broken")' if failing else ""
    (root / "two.md").write_text(CHAPTER.format(name="two", extra=extra))
    (root / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n- file: one\n- file: two\n")
    shutil.copytree(ROOT / "book" / "_ext", root / "_ext")
    (root / "_config.yml").write_text(
        "title: probe\nexecute:\n  execute_notebooks: cache\n"
        "sphinx:\n  local_extensions:\n    package_fingerprint: _ext\n    parallel_execution: _ext\n"
        f"  config:\n    nb_execution_raise_on_error: true\n"
        f"    fingerprint_package_dir: {root / 'pkg' / 'probe'}\n    fingerprint_package_name: probe\n"
    )


def _build(root: Path, jobs: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env.update(PYTHONPATH=str(root / "pkg"), NNBOOK_BUILD_JOBS=jobs)
    return subprocess.run([JUPYTER_BOOK, "build", str(root)], env=env, capture_output=True, text=True)


def test_chapters_run_side_by_side_and_myst_nb_uses_the_results(tmp_path):
    _make_book(tmp_path)
    proc = _build(tmp_path, jobs="2")
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    assert "executing 2 chapters, 2 at a time" in log
    assert log.count("Using cached notebook") == 2, log[-3000:]  # myst-nb found both results
    assert "Executing notebook using" not in log  # and ran neither again
    for name in ("one", "two"):
        assert f"chapter {name} says hello" in (tmp_path / "_build" / "html" / f"{name}.html").read_text()


def test_one_job_leaves_execution_to_myst_nb(tmp_path):
    _make_book(tmp_path)
    proc = _build(tmp_path, jobs="1")
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    assert "at a time" not in log
    assert log.count("Executing notebook using") == 2


def test_a_failing_chapter_still_fails_the_build_with_its_error(tmp_path):
    _make_book(tmp_path, failing=True)
    proc = _build(tmp_path, jobs="2")
    log = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "failed when run in parallel" in log
    assert "chapter two is broken" in log
