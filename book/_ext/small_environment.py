"""Sphinx extension: the pickled build environment holds no page's doctree.

Sphinx loads ``environment.pickle`` at the start of every build, a no-op included. sphinx-exercise keeps each
exercise and solution node in its registry (``env.sphinx_exercise_registry``) still tied to its page: a
solution is the page's own node, an exercise a copy that keeps the page's ``document``, so pickling either
pickles the whole page, outputs and all (9 MB, 1.2 s to load; no report of it found in sphinx-exercise's
tracker). Before the environment is pickled, each is replaced by a copy tied to nothing: what sphinx-exercise
reads of it later (attributes, title, children) is the same.
"""

from __future__ import annotations

from docutils import nodes


def detached(node: nodes.Element) -> nodes.Element:
    """A deep copy of ``node`` that belongs to no document and has no parent."""
    copy = node.deepcopy()
    for part in copy.findall():
        part.document = None
    return copy


def _detach_exercise_nodes(app, env) -> None:
    for entry in getattr(env, "sphinx_exercise_registry", {}).values():
        entry["node"] = detached(entry["node"])


def setup(app):
    app.connect("env-updated", _detach_exercise_nodes)  # after every page is read, before the pickling
    return {"version": "1.0", "parallel_read_safe": True}
