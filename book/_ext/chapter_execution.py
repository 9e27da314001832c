"""Sphinx extension: a chapter runs again exactly when its code or the package code it runs changed,
and the chapters that must run, run side by side before Sphinx reads them.

jupyter-cache, through myst-nb, keys an executed chapter on the chapter's own code only, so an edit
to the package alone would leave cached pages with the old package's outputs. This extension keeps,
next to the cache, the package fingerprint (see ``package_fingerprint.py``) each cached chapter was
executed with. Before Sphinx reads the pages, a cached chapter whose fingerprint differs, or is not
known, is removed from the cache and its page marked outdated, so myst-nb executes it again: when
in doubt, the chapter runs. Nothing is added to the chapters themselves, so the notebooks readers
download and launch are exactly the chapters.

The chapters to execute then run side by side, one per core, with jupyter-cache's ``local-parallel``
executor on its project API; myst-nb finds them in the cache as it reads them. A chapter that fails
there is not cached, so myst-nb runs it again and reports its error as usual.
``NNBOOK_BUILD_JOBS=1`` leaves all execution to myst-nb, one chapter after the other.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from chapter_files import chapters
from jupyter_cache import get_cache
from jupyter_cache.executors import load_executor
from package_fingerprint import MYST_READER, Package, chapter_code
from sphinx.util import logging as sphinx_logging

LOGGER = sphinx_logging.getLogger(__name__)
RECORD = "package-fingerprints.json"  # cached notebook's hash → package fingerprint it ran with


def book_chapters(app, env) -> dict[str, Path]:
    """Docname → source of each chapter in this build (the table of contents Sphinx was given)."""
    root = Path(app.srcdir).resolve()
    toc = root / (app.config["external_toc_path"] if "external_toc_path" in app.config else "_toc.yml")
    found = {path.relative_to(root).with_suffix("").as_posix(): path for path in chapters(toc, root)}
    return {docname: path for docname, path in found.items() if docname in env.found_docs}


def execution_cache(app):
    """myst-nb's execution cache (by default ``<build folder>/.jupyter_cache``), or None when it has none."""
    if app.config.nb_execution_mode != "cache":
        return None
    return get_cache(app.config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")


def _outdated(app, env, added, changed, removed) -> list[str]:
    cache = execution_cache(app)
    if cache is None:
        return []
    package = Package(app.config.nnbook_package)
    record = Path(cache.path) / RECORD
    known = json.loads(record.read_text()) if record.exists() else {}
    app.nnbook_chapters, stale = {}, []
    for docname, path in book_chapters(app, env).items():
        project = cache.add_nb_to_project(str(path), read_data=MYST_READER)
        notebook = cache.get_project_notebook(project.pk).nb
        fingerprint = package.fingerprint(chapter_code(path))
        app.nnbook_chapters[docname] = (project.pk, notebook, fingerprint)
        try:
            cached = cache.match_cache_notebook(notebook)
        except KeyError:
            cached = None
        if cached is not None and known.get(cached.hashkey) != fingerprint:
            LOGGER.info(f"{docname}: the package code it runs changed since it was cached; it runs again")
            cache.remove_cache(cached.pk)
            cached = None
        if cached is None and docname not in added | changed:
            stale.append(docname)
    return stale


def _execute_side_by_side(app, env, docnames) -> None:
    cache = execution_cache(app)
    chapters_ = getattr(app, "nnbook_chapters", {})
    if cache is None or os.environ.get("NNBOOK_BUILD_JOBS") == "1" or (os.cpu_count() or 1) < 2:
        return
    pending = cache.list_unexecuted(filter_pks=[chapters_[d][0] for d in docnames if d in chapters_])
    if len(pending) < 2:
        return  # nothing to overlap: myst-nb runs it while reading, as usual
    LOGGER.info(f"executing {len(pending)} chapters side by side (jupyter-cache local-parallel)")
    logger = logging.getLogger("nnbook.execution")
    logger.setLevel(logging.INFO)
    result = load_executor("local-parallel", cache=cache, logger=logger).run_and_cache(
        filter_pks=[record.pk for record in pending],
        timeout=app.config.nb_execution_timeout,
        allow_errors=app.config.nb_execution_allow_errors,
    )
    for uri in result.excepted + result.errored:
        LOGGER.info(f"{uri}: failed when run side by side; it runs again while being read")


def _remember(app, env) -> None:
    """Note the fingerprint each chapter in the cache ran with (those that ran in this build are new)."""
    cache = execution_cache(app)
    if cache is None or not getattr(app, "nnbook_chapters", None):
        return
    record = Path(cache.path) / RECORD
    live = {cached.hashkey for cached in cache.list_cache_records()}
    known = (
        {key: value for key, value in json.loads(record.read_text()).items() if key in live} if record.exists() else {}
    )
    for _, notebook, fingerprint in app.nnbook_chapters.values():
        try:
            known[cache.match_cache_notebook(notebook).hashkey] = fingerprint
        except KeyError:  # it failed: nothing cached
            pass
    record.write_text(json.dumps(known, indent=0, sort_keys=True))


def setup(app):
    app.add_config_value("nnbook_package", "nnbook", "env")
    app.connect("env-get-outdated", _outdated)
    app.connect("env-before-read-docs", _execute_side_by_side, priority=900)
    app.connect("env-updated", _remember)
    return {"version": "2.0", "parallel_read_safe": True}
