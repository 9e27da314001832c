"""Sphinx extension: what the API reference needs beyond autodoc and sphinx-codeautolink.

The package defines its public names in private modules (``nnbook.training.learner.fit``) and exports them
from public ones (``nnbook.training.fit``, the public module's ``__all__``):

- each exported class and function gets, in the build's process, the ``__module__`` of the shortest public
  module that exports it, so autodoc documents it there, type hints link there, and codeautolink resolves
  the chapters' code to it; codeautolink's autodoc injection (``codeautolink_autodoc_inject``) adds each
  entry's examples: the chapters' code that uses the name ("used in"; filled in when the page is written, so
  an incremental build that leaves the API pages alone leaves their lists too: a full build refreshes them);
- an exported constant (``autodata``) gets the ``#:`` comment of the module that assigns it (autodoc reads it
  from the exporting module only: sphinx-doc/sphinx#12706).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from docutils import nodes
from sphinx.pycode import ModuleAnalyzer


def public_modules(package: str) -> list[str]:
    """The package and its public submodules (no leading ``_``), shortest first."""
    root = importlib.import_module(package)
    found = [f"{package}.{m.name}" for m in pkgutil.iter_modules(root.__path__) if m.name[0] != "_"]
    return [package, *sorted(found, key=lambda name: (len(name), name))]


def _export(app, env, docnames) -> None:
    """Give each exported class and function the public module that exports it (the shortest one): before any
    page is read, and only then (a build that reads none need not import the package and torch)."""
    done = set()
    for name in public_modules(app.config.nnbook_package) if docnames else []:
        module = importlib.import_module(name)
        for obj in (getattr(module, attr) for attr in getattr(module, "__all__", [])):
            if (inspect.isclass(obj) or inspect.isfunction(obj)) and id(obj) not in done:
                obj.__module__ = name
                done.add(id(obj))


def _constant_comment(app, what, name, obj, options, lines) -> None:
    """A constant's ``#:`` comment, from the package module that assigns it (sphinx-doc/sphinx#12706)."""
    package, attr = app.config.nnbook_package, name.rpartition(".")[2]
    for info in (
        pkgutil.walk_packages(importlib.import_module(package).__path__, f"{package}.") if what == "data" else []
    ):
        if comment := ModuleAnalyzer.for_module(info.name).find_attr_docs().get(("", attr)):
            lines[:] = comment
            return


# sphinx-exercise puts each exercise's and solution's body in a section without a title, and sphinx-codeautolink's
# reader pops one title per section (depart_section; not reported upstream yet): give those sections an empty
# title while it reads.
def _title_untitled_sections(app, doctree) -> None:
    for section in doctree.findall(nodes.section):
        if not section.children or not isinstance(section[0], nodes.title):
            section.insert(0, nodes.title("", "", classes=["nnbook-untitled"]))


def _remove_placeholder_titles(app, doctree) -> None:
    for title in list(doctree.findall(nodes.title)):
        if "nnbook-untitled" in title["classes"]:
            title.parent.remove(title)


def _own_document(app, doctree) -> None:
    """The API pages' autodoc nodes come from a document of their own, whose settings hold the build environment:
    pickled with them, it made every API page's doctree 8 MB, read back on every build. They join their page's."""
    for node in doctree.findall(include_self=False):
        node.document = doctree


def setup(app):
    app.setup_extension("chapter_execution")  # the nnbook_package setting
    app.connect("env-before-read-docs", _export)
    app.connect("autodoc-process-docstring", _constant_comment)
    app.connect("doctree-read", _title_untitled_sections, priority=480)  # codeautolink reads at 490
    app.connect("doctree-read", _remove_placeholder_titles, priority=495)
    app.connect("doctree-read", _own_document, priority=900)
    return {"version": "3.0", "parallel_read_safe": True}
