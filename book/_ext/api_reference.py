"""Sphinx extension: what the API reference needs beyond autodoc (``automodule`` honours ``__all__``) and
sphinx-codeautolink (the chapters' code links to it). The package defines its public names in private
modules (``nnbook.training.learner.fit``) and exports them from public ones (``nnbook.training.fit``):

- a reference to where a name is defined (type hints give those) goes to its public entry; codeautolink
  gets the same map; an exported constant (``autodata``) gets its ``#:`` comment;
- each entry gets "Used in": the chapters whose code imports the name (re-read when that changes).
"""

from __future__ import annotations

import ast
from pathlib import Path

from chapter_execution import book_chapters
from docutils import nodes
from package_fingerprint import Package, chapter_code, imported_from
from sphinx.pycode import ModuleAnalyzer


def public_aliases(package: Package) -> dict[str, str]:
    """Where each exported name is defined → the public name of its reference entry."""
    aliases: dict[str, str] = {}
    for module, path in package.modules.items():
        tree = package.tree(module)
        assigns = (n for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "__all__")
        exported = next((ast.literal_eval(n.value) for n in assigns), [])
        for node in (n for n in tree.body if isinstance(n, ast.ImportFrom)):
            base = imported_from(node, module, path.name == "__init__.py")
            for alias in (a for a in node.names if (a.asname or a.name) in exported):
                public, private = f"{module}.{alias.asname or alias.name}", f"{base}.{alias.name}"
                if len(public) < len(aliases.get(private, private)):
                    aliases[private] = public
    for private, public in aliases.items():  # follow re-exports of re-exports to the end
        while public in aliases:
            public = aliases[public]
        aliases[private] = public
    return aliases


def used_names(code: str, package: str) -> set[str]:
    """The dotted names of ``package`` that the code imports, or uses through an imported module."""
    try:
        tree, names, modules = ast.parse(code), set(), {}
    except SyntaxError:  # the build reports it when it runs the chapter
        return set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == package:
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
            modules |= {alias.asname or alias.name: f"{node.module}.{alias.name}" for alias in node.names}
        for alias in node.names if isinstance(node, ast.Import) else []:  # import nnbook, import x.y as y
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


def _aliases(app, config) -> None:
    app.nnbook_aliases = public_aliases(Package(config.nnbook_package))
    if "codeautolink_inventory_map" in config:
        config.codeautolink_inventory_map = {**app.nnbook_aliases, **config.codeautolink_inventory_map}


def _missing_reference(app, env, node, contnode):
    target = node.get("reftarget", "")
    for private, public in app.nnbook_aliases.items() if node.get("refdomain") == "py" else []:
        if target == private or target.startswith(f"{private}."):  # the name, or a method of it
            new = public + target[len(private) :]
            return env.get_domain("py").resolve_xref(
                env, node["refdoc"], app.builder, node["reftype"], new, node, contnode
            )
    return None


def _outdated(app, env, added, changed, removed) -> list[str]:
    previous, env.nnbook_usage = (
        getattr(env, "nnbook_usage", None),
        usage(book_chapters(app, env), app.config.nnbook_package),
    )
    changed_usage = previous is not None and previous != env.nnbook_usage
    return sorted(getattr(env, "nnbook_api_docs", set()) & env.found_docs) if changed_usage else []


def _docstring(app, what, name, obj, options, lines) -> None:
    app.env.nnbook_api_docs = getattr(app.env, "nnbook_api_docs", set()) | {app.env.docname}
    if what == "data":  # the constant's ``#:`` comment, from the module that assigns it
        module, _, attr = next((p for p, public in app.nnbook_aliases.items() if public == name), name).rpartition(".")
        lines[:] = ModuleAnalyzer.for_module(module).find_attr_docs().get(("", attr), lines)
    if (chapters := getattr(app.env, "nnbook_usage", {}).get(name)) and what != "module":
        lines += ["", ":Used in: " + ", ".join(f":doc:`/{docname}`" for docname in chapters)]


# sphinx-exercise puts each exercise's and solution's body in a section without a title, and
# sphinx-codeautolink's reader pops one title per section: give those sections an empty title while it reads.
def _title_untitled_sections(app, doctree) -> None:
    for section in doctree.findall(nodes.section):
        if not section.children or not isinstance(section[0], nodes.title):
            section.insert(0, nodes.title("", "", classes=["nnbook-untitled"]))


def _remove_placeholder_titles(app, doctree) -> None:
    for title in list(doctree.findall(nodes.title)):
        if "nnbook-untitled" in title["classes"]:
            title.parent.remove(title)


def setup(app):
    app.setup_extension("chapter_execution")  # the nnbook_package setting, the chapters of the book
    app.connect("config-inited", _aliases)
    app.connect("missing-reference", _missing_reference)
    app.connect("env-get-outdated", _outdated)
    app.connect("autodoc-process-docstring", _docstring)
    app.connect("doctree-read", _title_untitled_sections, priority=480)  # codeautolink reads at 490
    app.connect("doctree-read", _remove_placeholder_titles, priority=495)
    app.connect("env-purge-doc", lambda app, env, docname: getattr(env, "nnbook_api_docs", set()).discard(docname))
    return {"version": "2.0", "parallel_read_safe": False, "env_version": 2}
