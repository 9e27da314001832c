"""Every chapter's paired copies say exactly what its .md says, and launch from this one repository.

- ``X.py`` (py:percent) is what a reader runs as a script, written by jupytext from ``X.md`` (``make sync``).
  No ``.ipynb`` is kept in ``book/``: Jupyter opens the ``.md`` through jupytext, the site offers the
  executed ``.ipynb`` for download, and Colab and Binder open the launch notebooks.
- The first cell installs nnbook from the repository named in ``_config.yml`` (one URL, one place).

These checks need no build, so ``make check`` and the pre-commit hook run them too.
"""

from __future__ import annotations

import re

import jupytext
import pytest
import yaml

from bookutils import ROOT, chapters

CHAPTERS = chapters()
IDS = [p.stem for p in CHAPTERS]
FORMATS = "md:myst,py:percent"


def cells(notebook) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source.strip()) for c in notebook.cells]


def repository_url() -> str:
    return yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"].rstrip("/")


def test_there_are_chapters():
    assert CHAPTERS, "_toc.yml lists no chapter with code: nothing would be checked."


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_paired_formats(chapter):
    formats = jupytext.read(chapter).metadata.get("jupytext", {}).get("formats")
    assert formats == FORMATS, (
        f"{chapter.name} is paired as {formats!r}, not {FORMATS!r}: run `jupytext --set-formats {FORMATS} {chapter}`."
    )


@pytest.mark.parametrize("suffix", [".py"])
@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_pair_matches_markdown(chapter, suffix):
    pair = chapter.with_suffix(suffix)
    assert pair.exists(), f"{pair.relative_to(ROOT)} is missing: run `make sync`."
    assert cells(jupytext.read(chapter)) == cells(jupytext.read(pair)), (
        f"{chapter.name} and {pair.name} differ: edit one, then run `make sync` (jupytext --sync)."
    )


def test_no_notebook_copies_in_book():
    """One chapter, two files: a tracked .ipynb beside a chapter would be a third copy that drifts."""
    copies = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "book").rglob("*.ipynb"))
    assert not copies, f"remove these notebook copies (the .md is the chapter): {copies}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_first_cell_installs_from_this_repository(chapter):
    first = next(c for c in jupytext.read(chapter).cells if c.cell_type == "code")
    urls = re.findall(r"git\+(https://[^\s\"']+)", first.source)
    assert urls == [repository_url()], (
        f"{chapter.name}'s first cell installs from {urls}, but _config.yml's repository.url is {repository_url()}."
    )
    assert 'find_spec("nnbook") is None' in first.source, "the install must do nothing when nnbook is already there."
    assert "hide-cell" in first.metadata.get("tags", []), "the install cell is collapsed (tag hide-cell)."
