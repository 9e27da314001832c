"""Which files are the book's chapters: the one definition the build, the tests and the Makefile share.

A chapter is a page of the table of contents (``_toc.yml``, read by sphinx-external-toc's own parser)
whose MyST markdown source has a code cell. Run as a script, this prints their paths, one per line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sphinx_external_toc.parsing import parse_toc_yaml


def chapters(toc: Path, root: Path | None = None) -> list[Path]:
    """The chapter sources, in book order, of ``toc`` (a ``_toc.yml`` naming files of ``root``, by default its folder)."""
    root = Path(root or Path(toc).parent).resolve()
    paths = [root / f"{docname}.md" for docname in parse_toc_yaml(str(toc))]
    return [p for p in paths if p.is_file() and "```{code-cell}" in p.read_text(encoding="utf-8")]


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    print(*(path.relative_to(root).as_posix() for path in chapters(root / "_toc.yml")), sep="\n")
