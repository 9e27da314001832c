"""Sphinx extension: the single-page build (``--builder singlehtml``, the PDF edition's source) renders
every node the HTML site renders.

Sphinx looks a node's HTML rendering up under the builder's name and, only when no extension registered
any for that name, under its format ("html"). sphinx-exercise registers its nodes for "singlehtml" by
name, which hides the renderings other extensions (myst-nb's hidden cells, for one) registered for
"html"; this adds those to "singlehtml" where it has none of its own.
"""

from __future__ import annotations


def _inherit_html_handlers(app) -> None:
    if app.builder.name != "singlehtml":
        return
    handlers = app.registry.translation_handlers
    single = handlers.setdefault("singlehtml", {})
    for name, pair in handlers.get("html", {}).items():
        single.setdefault(name, pair)


def setup(app):
    app.connect("builder-inited", _inherit_html_handlers)
    return {"version": "1.0", "parallel_read_safe": True}
