"""The package's modules and the chapters' code, read without importing anything (for api_reference.py)."""

from __future__ import annotations

import ast
import importlib.util
from functools import cache
from pathlib import Path

import jupytext


@cache
def _code(path: str, mtime: int) -> str:
    lines = "\n".join(c.source for c in jupytext.read(path).cells if c.cell_type == "code").splitlines()
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in lines)


def chapter_code(path: Path) -> str:
    """The code cells of a chapter, IPython magics and shell lines blanked (read once while the file is unchanged)."""
    return _code(str(path), Path(path).stat().st_mtime_ns)


def imported_from(node: ast.ImportFrom, current: str = "", is_package: bool = False) -> str:
    """The absolute name of the module in ``from <module> import ...``, written in module ``current``."""
    if not node.level:
        return node.module or ""
    parts = current.split(".")[: None if is_package else -1]
    return ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))


class Package:
    """The modules of an installed package (found, not imported) and the imports between them."""

    def __init__(self, name: str):
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            raise ValueError(f"{name} is not an installed package: install it (pip install -e .) before building.")
        root = Path(next(iter(spec.submodule_search_locations)))
        self.modules = {}
        for path in sorted(root.rglob("*.py")):
            parts = path.relative_to(root.parent).with_suffix("").parts
            self.modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path

    @cache  # noqa: B019 - one Package per build
    def tree(self, module: str) -> ast.Module:
        return ast.parse(self.modules[module].read_bytes())
