"""Sphinx extension: keep the outputs in the executed notebooks that the build writes.

With ``execute_notebooks: cache``, myst-nb 1.4 renders each page from the cached, executed
notebook, but writes the *unexecuted* notebook to ``_build/jupyter_execute/<page>.ipynb``. That
file is what the page's download button offers (the theme copies it to ``_sources/``), so readers
would download a chapter without its figures and numbers. After each page is read, this extension
replaces that file with the cached notebook merged into the page's own notebook, outputs included.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from chapter_execution import execution_cache


def _restore_outputs(app, doctree) -> None:
    path = Path(app.outdir).parent / "jupyter_execute" / f"{app.env.docname}.ipynb"
    cache = execution_cache(app)
    if cache is None or not path.exists():
        return
    notebook = nbformat.read(path, as_version=4)
    try:
        _, executed = cache.merge_match_into_notebook(notebook)
    except KeyError:  # not in the cache (for example, execution failed): leave the file as it is
        return
    nbformat.write(executed, path)


def setup(app):
    app.connect("doctree-read", _restore_outputs)
    return {"version": "1.0", "parallel_read_safe": True}
