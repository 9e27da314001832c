"""No page shows the output of an older package, and a docstring or comment edit re-runs nothing.

jupyter-cache keys a notebook on its own code only. The book's ``chapter_execution`` extension hashes the
package's code (syntax trees without docstrings, and data files) into the build's settings: a new hash
empties the execution cache and makes Sphinx read every page again. This test builds a small book of two
chapters around a package ``probe`` and a reference page of ``probe.a``:

- a docstring and comment edit re-runs no chapter, and the reference page shows the new docstring;
- a code edit re-runs every chapter that imports the package, and each page shows the new output, the
  download too.
"""

from __future__ import annotations

from bookutils import executed_chapters, write_probe_book

A = '"""Module a."""\n\n\ndef value():\n    """Say which version of a this is."""\n    return "a-first"\n'
CHAPTERS = {
    "one": 'from probe.a import value\n\nprint("one says", value())',
    "two": 'import probe.a\n\nprint("two says", probe.a.value())',
}


def _build(probe_book, root) -> tuple[list[str], dict[str, str]]:
    proc = probe_book()
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    pages = {name: (root / "_build" / "html" / f"{name}.html").read_text() for name in ("one", "two", "ref")}
    return executed_chapters(log), pages


def test_a_package_edit_reruns_the_chapters_and_a_docstring_edit_nothing(tmp_path, probe_book):
    write_probe_book(tmp_path, {"__init__.py": "", "a.py": A}, CHAPTERS)
    ran, pages = _build(probe_book, tmp_path)
    assert ran == ["one", "two"] and "one says a-first" in pages["one"] and "two says a-first" in pages["two"]

    module = tmp_path / "pkg" / "probe" / "a.py"
    module.write_text(A.replace("Say which version", "Tell which version").replace("\ndef", "\n# a comment\ndef"))
    ran, pages = _build(probe_book, tmp_path)
    assert ran == [], "a docstring and comment edit re-ran chapters"
    assert "Tell which version of a" in pages["ref"], "the reference page kept the old docstring"

    module.write_text(A.replace('"a-first"', '"a-" + "second"'))
    ran, pages = _build(probe_book, tmp_path)
    assert ran == ["one", "two"], f"a code edit of the package re-ran {ran}, not both chapters"
    assert "one says a-second" in pages["one"] and "two says a-second" in pages["two"], "a page kept the old output"
    download = (tmp_path / "_build" / "jupyter_execute" / "one.ipynb").read_text()  # what the download offers
    assert "a-second" in download
