"""A package edit re-runs exactly the chapters whose code runs it, and no cached page shows an older package's output.

jupyter-cache keys a notebook on its own code only. The book's ``chapter_execution`` extension keeps, for each
cached chapter, a fingerprint of the package modules the chapter imports (followed from module to module), taken
from their syntax trees without docstrings. This test builds a small book of two chapters around a package of two
modules, ``probe.a`` (used by chapter one) and ``probe.b`` (chapter two), and a reference page of ``probe.a``:

- a docstring and comment edit re-runs no chapter, and the reference page shows the new docstring;
- a code edit in ``probe.a`` re-runs chapter one only, which then shows the new output.

The same book without the extension keeps the stale output, which shows the check can fail.
"""

from __future__ import annotations

from bookutils import executed_chapters, write_probe_book

A = '"""Module a."""\n\n\ndef value():\n    """Say which version of a this is."""\n    return "a-first"\n'
B = '"""Module b."""\n\n\ndef value():\n    """Say which version of b this is."""\n    return "b-first"\n'
CHAPTERS = {
    "one": 'from probe.a import value\n\nprint("one says", value())',
    "two": 'from probe.b import value\n\nprint("two says", value())',
}


def _build(probe_book, root) -> tuple[list[str], dict[str, str]]:
    proc = probe_book()
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    pages = {name: (root / "_build" / "html" / f"{name}.html").read_text() for name in ("one", "two", "ref")}
    return executed_chapters(log), pages


def test_a_package_edit_reruns_exactly_the_chapters_it_touches(tmp_path, probe_book):
    write_probe_book(tmp_path, {"__init__.py": "", "a.py": A, "b.py": B}, CHAPTERS)
    ran, pages = _build(probe_book, tmp_path)
    assert ran == ["one", "two"] and "one says a-first" in pages["one"] and "two says b-first" in pages["two"]

    module = tmp_path / "pkg" / "probe" / "a.py"
    module.write_text(A.replace("Say which version", "Tell which version").replace("\ndef", "\n# a comment\ndef"))
    ran, pages = _build(probe_book, tmp_path)
    assert ran == [], "a docstring and comment edit re-ran chapters"
    assert "Tell which version of a" in pages["ref"], "the reference page kept the old docstring"

    module.write_text(A.replace('"a-first"', '"a-" + "second"'))
    ran, pages = _build(probe_book, tmp_path)
    assert ran == ["one"], f"an edit of probe.a re-ran {ran}, not exactly chapter one"
    assert "one says a-second" in pages["one"], "the page kept the output of the old package"
    assert "two says b-first" in pages["two"]
    download = (tmp_path / "_build" / "jupyter_execute" / "one.ipynb").read_text()  # what the download offers
    assert "a-second" in download and "fingerprint" not in download


def test_plain_jupyter_cache_serves_stale_outputs(tmp_path, probe_book):
    """The problem the extension solves: without it, the edited package's chapter keeps its old output."""
    write_probe_book(tmp_path, {"__init__.py": "", "a.py": A, "b.py": B}, CHAPTERS, extensions=False)
    _build(probe_book, tmp_path)
    (tmp_path / "pkg" / "probe" / "a.py").write_text(A.replace('"a-first"', '"a-second"'))
    ran, pages = _build(probe_book, tmp_path)
    assert ran == [] and "one says a-first" in pages["one"]
