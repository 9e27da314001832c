"""Which files are the book's pages and chapters: the one definition the build, the tools, the tests and the
Makefile share, with the small facts about chapters that the tests share too.

A page is a document of the table of contents (``_toc.yml``, read by sphinx-external-toc's own parser); a
chapter is a page whose MyST markdown source has a code cell. Run as a script, this prints the chapters'
paths, one per line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sphinx_external_toc.parsing import parse_toc_yaml

# Glued names that measure time: they differ between runs by nature, so determinism checks skip them.
TIMING_SUFFIXES = ("_seconds", "_speedup", "_time")
# Two executions of the same seeded chapter on one machine agree to rounding, not always to the last bit.
FLOAT_RTOL, FLOAT_ATOL = 1e-6, 1e-9


def pages(toc: Path) -> list[str]:
    """The docnames of ``toc`` (a ``_toc.yml``), in book order."""
    return list(parse_toc_yaml(str(toc)))


def is_chapter(path: Path) -> bool:
    """True for a page with code to run: a MyST markdown file with a code cell."""
    return path.suffix == ".md" and path.is_file() and "```{code-cell}" in path.read_text(encoding="utf-8")


def chapters(toc: Path, root: Path | None = None) -> list[Path]:
    """The chapter sources, in book order, of ``toc`` (a ``_toc.yml`` naming files of ``root``, by default its folder)."""
    root = Path(root or Path(toc).parent).resolve()
    return [path for path in (root / f"{docname}.md" for docname in pages(toc)) if is_chapter(path)]


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    print(*(path.relative_to(root).as_posix() for path in chapters(root / "_toc.yml")), sep="\n")
