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

import importlib
import inspect
import re
from pathlib import Path

import yaml
from chapter_execution import package_code

import nnbook

from bookutils import ROOT, chapters, executed_chapters, public_names, write_probe_book

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


def test_every_module_a_chapter_prints_counts_with_its_whole_text():
    """A chapter that prints package source (``inspect.getsource``) shows docstrings and comments, which the
    package hash leaves out: the module must be in ``nnbook_shown_source`` (_config.yml), whose modules count
    with their whole text, or a docstring edit would leave the printed source stale."""
    shown = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["config"]["nnbook_shown_source"]
    names, root = public_names(), Path(nnbook.__file__).parent
    printed = {name for path in chapters() for name in re.findall(r"getsource\((\w+)\)", path.read_text())}
    assert printed, "no chapter prints package source: is the check still needed?"
    for name in sorted(printed):
        objects = [obj for qualified, obj in names.items() if qualified.rpartition(".")[2] == name]
        assert objects, f"a chapter prints the source of {name}, which is no public nnbook name."
        module = Path(inspect.getsourcefile(objects[0])).relative_to(root).as_posix()
        assert module in shown, f"a chapter prints {name} from {module}: add {module!r} to nnbook_shown_source."


def test_a_docstring_edit_changes_the_hash_of_a_shown_module_only(tmp_path, monkeypatch):
    package = tmp_path / "probe_shown"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in ("a", "b"):
        (package / f"{name}.py").write_text(f'"""Module {name}."""\n\nVALUE = 1  # one\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    before = package_code("probe_shown", shown=["a.py"])
    (package / "b.py").write_text('"""Module b, reworded."""\n\nVALUE = 1  # still one\n')
    assert package_code("probe_shown", shown=["a.py"]) == before, "a docstring edit of an unshown module counted"
    (package / "a.py").write_text('"""Module a, reworded."""\n\nVALUE = 1  # one\n')
    assert package_code("probe_shown", shown=["a.py"]) != before, "a docstring edit of a shown module did not count"
