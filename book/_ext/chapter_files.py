"""Which files are the book's chapters: the one definition the build, the tests and the Makefile share.

A chapter is a page listed in ``_toc.yml`` (at any depth: parts, chapters, sections) whose MyST
markdown source contains a code cell. Run as a script, this prints their paths, one per line.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def _files(entry) -> list[str]:
    """Every ``file:`` of a table-of-contents entry and of the entries below it, in order."""
    if isinstance(entry, list):
        return [f for item in entry for f in _files(item)]
    if not isinstance(entry, dict):
        return []
    found = [entry["file"]] if "file" in entry else []
    return found + [f for key in ("parts", "chapters", "sections") for f in _files(entry.get(key, []))]


def chapters(toc: Path, root: Path | None = None) -> list[Path]:
    """The chapter sources listed in ``toc`` (a ``_toc.yml`` naming files of ``root``, by default its folder)."""
    toc = Path(toc).resolve()
    root = Path(root or toc.parent).resolve()
    tree = yaml.safe_load(toc.read_text(encoding="utf-8"))
    names = [tree.get("root", ""), *_files(tree)]
    paths = [root / (name if name.endswith(".md") else f"{name}.md") for name in names if name]
    return [p for p in dict.fromkeys(paths) if p.is_file() and "```{code-cell}" in p.read_text(encoding="utf-8")]


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    for path in chapters(root / "_toc.yml"):
        print(path.relative_to(root.resolve()).as_posix())
