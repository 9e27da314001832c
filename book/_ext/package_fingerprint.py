"""What a chapter's outputs depend on in the package, read from the code without importing anything.

A chapter depends on the package modules its code imports, on the modules those import, and so on,
with the parent packages each import runs (``from nnbook.training import fit`` runs
``nnbook/__init__.py`` and ``nnbook/training/__init__.py``). Its fingerprint hashes the syntax tree
of each of those modules with the docstrings removed (comments never reach the tree), and the data
files of each package folder, so an edit to a docstring or a comment changes no fingerprint.
When in doubt the fingerprint takes more, never less: a module that imports by name at run time
(``importlib.import_module``) brings in the whole package, and a chapter that reads docstrings
(``help(...)``, ``__doc__``) keeps them in its fingerprint.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
from functools import cache
from pathlib import Path

from jupyter_cache.readers import get_reader

MYST_READER = {"name": "myst_nb_md", "type": "plugin"}  # myst-nb's reader for MyST notebooks in jupyter-cache
DYNAMIC_IMPORTS = {"import_module", "__import__"}


def chapter_code(path: Path) -> str:
    """The code cells of a MyST chapter, read as myst-nb reads them, IPython magics and shell lines blanked."""
    notebook = get_reader(MYST_READER)(str(path))
    cells = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    lines = [line for source in cells for line in source.splitlines()]
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in lines)


def imported_from(node: ast.ImportFrom, current: str = "", is_package: bool = False) -> str:
    """The absolute module name of ``from <module> import ...`` in module ``current`` (relative imports too)."""
    if not node.level:
        return node.module or ""
    parts = current.split(".") if is_package else current.split(".")[:-1]
    return ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))


def _without_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body:
            first = body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                node.body = body[1:] or [ast.Pass()]
    return tree


class Package:
    """The modules of an installed package (found, not imported) and the imports between them."""

    def __init__(self, name: str):
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            raise ValueError(f"{name} is not an installed package: install it (pip install -e .) before building.")
        self.root = Path(next(iter(spec.submodule_search_locations)))
        self.modules: dict[str, Path] = {}
        for path in sorted(self.root.rglob("*.py")):
            parts = path.relative_to(self.root.parent).with_suffix("").parts
            self.modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path

    def imports(self, tree: ast.AST, current: str = "", is_package: bool = False) -> set[str]:
        """The package's modules that ``tree`` imports (code of module ``current``), with their parents."""
        found: set[str] = set()
        for node in ast.walk(tree):
            if getattr(node, "id", None) in DYNAMIC_IMPORTS or getattr(node, "attr", None) in DYNAMIC_IMPORTS:
                return set(self.modules)
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = imported_from(node, current, is_package)
                names = [base] + [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                found.update(m for m in (".".join(parts[:i]) for i in range(1, len(parts) + 1)) if m in self.modules)
        return found

    @cache  # noqa: B019 - one Package per build
    def tree(self, module: str) -> ast.AST:
        return ast.parse(self.modules[module].read_bytes())

    @cache  # noqa: B019
    def _dump(self, module: str, keep_docstrings: bool) -> str:
        tree = ast.parse(self.modules[module].read_bytes())
        return ast.dump(tree if keep_docstrings else _without_docstrings(tree))

    def closure(self, modules: set[str]) -> set[str]:
        """``modules`` and every package module they import, directly or not."""
        todo, seen = list(modules), set(modules)
        while todo:
            module = todo.pop()
            new = self.imports(self.tree(module), module, self.modules[module].name == "__init__.py") - seen
            seen |= new
            todo += new
        return seen

    def fingerprint(self, code: str) -> str:
        """A hash of the package code that ``code`` (a chapter's code cells) runs."""
        keep_docstrings = "__doc__" in code or "help(" in code
        try:
            modules = self.closure(self.imports(ast.parse(code)))
        except SyntaxError:
            modules = set(self.modules)
        digest = hashlib.sha256()
        for module in sorted(modules):
            digest.update(f"{module}\n{self._dump(module, keep_docstrings)}\n".encode())
            if self.modules[module].name == "__init__.py":  # the package folder's data files
                for data in sorted(
                    p for p in self.modules[module].parent.iterdir() if p.is_file() and p.suffix != ".py"
                ):
                    digest.update(data.name.encode() + data.read_bytes())
        return digest.hexdigest()[:16]
