"""What a chapter's outputs depend on in the package, read from the code without importing anything.

A chapter runs the package modules its code imports, the modules those import, and so on, with the
parent packages of each (``from nnbook.training import fit`` runs ``nnbook/__init__.py`` too). Its
fingerprint hashes the syntax tree of each of those modules, docstrings removed (comments never reach
the tree), and each package folder's data files. When in doubt it takes more, never less: an import by
name at run time (``importlib.import_module``) or unparsable code brings in the whole package, and a
chapter that reads docstrings (``help(...)``, ``__doc__``) keeps them.
"""

from __future__ import annotations

import ast
import hashlib
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


def _without_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body:
            if isinstance(body[0], ast.Expr) and isinstance(getattr(body[0].value, "value", None), str):
                node.body = body[1:] or [ast.Pass()]
    return tree


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

    @cache  # noqa: B019
    def module_imports(self, module: str) -> set[str]:
        return self.imports(self.tree(module), module)

    def imports(self, tree: ast.AST, current: str = "") -> set[str]:
        """The package's modules that ``tree`` (the code of module ``current``) imports, with their parents."""
        is_package, found = current in self.modules and self.modules[current].name == "__init__.py", set()
        for node in ast.walk(tree):
            if getattr(node, "id", getattr(node, "attr", None)) in ("import_module", "__import__"):
                return set(self.modules)
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = imported_from(node, current, is_package)
                names = [base] + [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            for parts in (name.split(".") for name in names):
                found.update(m for m in (".".join(parts[:i]) for i in range(1, len(parts) + 1)) if m in self.modules)
        return found

    def closure(self, modules: set[str]) -> set[str]:
        """``modules`` and every package module they import, directly or not."""
        todo, seen = list(modules), set(modules)
        while todo:
            new = self.module_imports(todo.pop()) - seen
            seen, todo = seen | new, todo + list(new)
        return seen

    @cache  # noqa: B019
    def _dump(self, module: str, keep_docstrings: bool) -> str:
        tree = ast.parse(self.modules[module].read_bytes())
        return ast.dump(tree if keep_docstrings else _without_docstrings(tree))

    def fingerprint(self, code: str) -> str:
        """A hash of the package code that ``code`` (a chapter's code cells) runs."""
        try:
            modules = self.closure(self.imports(ast.parse(code)))
        except SyntaxError:
            modules = set(self.modules)
        digest = hashlib.sha256()
        for module in sorted(modules):
            digest.update(f"{module}\n{self._dump(module, '__doc__' in code or 'help(' in code)}\n".encode())
            if (path := self.modules[module]).name == "__init__.py":  # the package folder's data files
                for data in sorted(p for p in path.parent.iterdir() if p.is_file() and p.suffix != ".py"):
                    digest.update(data.name.encode() + data.read_bytes())
        return digest.hexdigest()[:16]
