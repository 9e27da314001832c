"""Sphinx extension: what the API reference needs beyond autodoc and sphinx-codeautolink.

The reference pages are Sphinx's autodoc (``automodule``, which documents a module's ``__all__``),
and sphinx-codeautolink links the names in the chapters' code cells to them. The package defines
its public names in private modules (``nnbook.training.learner.fit``) and exports them from public
ones (``nnbook.training.fit``), so this extension, reading the package's ``__init__`` files:

- resolves a reference to where a name is defined (type hints give those) to its public entry, and
  gives sphinx-codeautolink the same map;
- adds a "Used in" line to each entry, linking the chapters whose code imports the name; a change in
  which chapter uses what re-reads the reference pages.
"""

from __future__ import annotations

import ast
from pathlib import Path

from chapter_execution import book_chapters
from package_fingerprint import Package, chapter_code, imported_from
from sphinx.pycode import ModuleAnalyzer


def _exported(tree: ast.Module) -> list[str]:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return [ast.literal_eval(item) for item in node.value.elts]
    return []


def public_aliases(package: Package) -> dict[str, str]:
    """Where each exported name is defined → the public name its reference entry has."""
    aliases: dict[str, str] = {}
    for module, path in package.modules.items():
        tree = package.tree(module)
        exported = _exported(tree)
        for node in tree.body:
            if isinstance(node, ast.ImportFrom):
                base = imported_from(node, module, path.name == "__init__.py")
                for alias in node.names:
                    public = f"{module}.{alias.asname or alias.name}"
                    private = f"{base}.{alias.name}"
                    if (alias.asname or alias.name) in exported and len(public) < len(aliases.get(private, private)):
                        aliases[private] = public
    for private, public in aliases.items():  # follow re-exports of re-exports to the end
        while public in aliases:
            public = aliases[public]
        aliases[private] = public
    return aliases


def used_names(code: str, package: str) -> set[str]:
    """The dotted names of ``package`` that the code imports or uses through an imported module."""
    tree, names, modules = ast.parse(code), set(), {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == package:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
            modules.update({alias.asname or alias.name: f"{node.module}.{alias.name}" for alias in node.names})
        elif isinstance(node, ast.Import):  # import nnbook, import nnbook.training as training
            for alias in node.names:
                if alias.name.split(".")[0] == package:
                    modules[alias.asname or package] = alias.name if alias.asname else package
    for node in ast.walk(tree):
        parts = []
        while isinstance(node, ast.Attribute):
            parts, node = [node.attr, *parts], node.value
        if parts and isinstance(node, ast.Name) and node.id in modules:
            names.add(".".join([modules[node.id], *parts]))
    return names


def usage(chapters: dict[str, Path], package: str) -> dict[str, list[str]]:
    """Name → the chapters (docnames, in book order) whose code uses it."""
    found: dict[str, list[str]] = {}
    for docname, path in chapters.items():
        for name in used_names(chapter_code(path), package):
            found.setdefault(name, []).append(docname)
    return found


def _inventory_map(app, config) -> None:
    app.nnbook_aliases = public_aliases(Package(config.nnbook_package))
    if "codeautolink_inventory_map" in config:
        config.codeautolink_inventory_map = {**app.nnbook_aliases, **config.codeautolink_inventory_map}


def _missing_reference(app, env, node, contnode):
    target = node.get("reftarget", "")
    if node.get("refdomain") != "py" or not target.startswith(f"{app.config.nnbook_package}."):
        return None
    for private, public in app.nnbook_aliases.items():
        if target == private or target.startswith(f"{private}."):
            public += target[len(private) :]  # a method or attribute of the class
            domain = env.get_domain("py")
            return domain.resolve_xref(env, node["refdoc"], app.builder, node["reftype"], public, node, contnode)
    return None


def _outdated(app, env, added, changed, removed) -> list[str]:
    previous = getattr(env, "nnbook_usage", None)
    env.nnbook_usage = usage(book_chapters(app, env), app.config.nnbook_package)
    if previous is None or previous == env.nnbook_usage:
        return []
    return sorted(getattr(env, "nnbook_api_docs", set()) & env.found_docs)


def _keep_constants(app, what, name, obj, skip, options):
    """An exported constant's ``#:`` comment is where it is assigned, so autodoc takes it as undocumented."""
    if skip and what == "module" and any(public.endswith(f".{name}") for public in app.nnbook_aliases.values()):
        return False
    return None


def _used_in(app, what, name, obj, options, lines) -> None:
    app.env.nnbook_api_docs = getattr(app.env, "nnbook_api_docs", set()) | {app.env.docname}
    if what == "data":  # the constant's ``#:`` comment, from the module that assigns it
        module, _, attr = next((p for p, public in app.nnbook_aliases.items() if public == name), name).rpartition(".")
        lines[:] = ModuleAnalyzer.for_module(module).find_attr_docs().get(("", attr), lines)
    chapters = getattr(app.env, "nnbook_usage", {}).get(name)
    if chapters and what != "module":
        lines += ["", ":Used in: " + ", ".join(f":doc:`/{docname}`" for docname in chapters)]


def _purge(app, env, docname) -> None:
    getattr(env, "nnbook_api_docs", set()).discard(docname)


def setup(app):
    app.setup_extension("chapter_execution")  # the nnbook_package setting and the chapters of the book
    app.connect("config-inited", _inventory_map)
    app.connect("missing-reference", _missing_reference)
    app.connect("env-get-outdated", _outdated)
    app.connect("autodoc-skip-member", _keep_constants)
    app.connect("autodoc-process-docstring", _used_in)
    app.connect("env-purge-doc", _purge)
    return {"version": "2.0", "parallel_read_safe": False, "env_version": 2}
