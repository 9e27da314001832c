"""An edit to the package re-executes the chapters that import it: no cached page shows an older package's output.

jupyter-cache keys a notebook on its own code only. The book's `package_fingerprint` extension adds the
package's fingerprint to every chapter that imports it. This test builds a one-page book around a tiny
package, edits the package, rebuilds incrementally, and checks that the page shows the new output. The
same book without the extension keeps the stale output, which shows the check can fail.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bookutils import ROOT, build_probe_book, probe_chapter

CHAPTER = probe_chapter("Probe", 'import probe\n\nprint("probe says", probe.VALUE)')


def _make_book(root: Path, with_extension: bool) -> None:
    (root / "pkg" / "probe").mkdir(parents=True)
    (root / "pkg" / "probe" / "__init__.py").write_text('VALUE = "first"\n')
    (root / "index.md").write_text(CHAPTER)
    (root / "_toc.yml").write_text("format: jb-book\nroot: index\n")
    config = "title: probe\nexecute:\n  execute_notebooks: cache\n"
    if with_extension:
        shutil.copytree(ROOT / "book" / "_ext", root / "_ext")
        config += (
            "sphinx:\n  local_extensions:\n    package_fingerprint: _ext\n  config:\n"
            f"    fingerprint_package_dir: {root / 'pkg' / 'probe'}\n    fingerprint_package_name: probe\n"
        )
    (root / "_config.yml").write_text(config)


def _build_and_read(root: Path) -> str:
    proc = build_probe_book(root)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return (root / "_build" / "html" / "index.html").read_text()


@pytest.mark.parametrize("with_extension", [True, False], ids=["fingerprint", "plain-cache"])
def test_package_edit_reexecutes_the_page(tmp_path, with_extension):
    _make_book(tmp_path, with_extension)
    assert "probe says first" in _build_and_read(tmp_path)
    (tmp_path / "pkg" / "probe" / "__init__.py").write_text('VALUE = "second"\n')
    page = _build_and_read(tmp_path)
    if with_extension:
        assert "probe says second" in page, "the page kept the output of the old package"
    else:  # the problem the extension solves: plain jupyter-cache serves the stale output
        assert "probe says first" in page
