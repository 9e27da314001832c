"""Sphinx extension: when the chapters execute, and what the build keeps of it.

- A chapter runs again exactly when its code or the package code it runs (``package_fingerprint.py``)
  changed: beside myst-nb's jupyter-cache, which keys a chapter on its own code only, this keeps the
  package fingerprint each cached chapter ran with; one whose fingerprint differs, or is unknown, leaves
  the cache and its page is read again. The chapters themselves are left as they are.
- The chapters to run, run side by side before Sphinx reads them (jupyter-cache's ``local-parallel``
  executor, one per core; ``NNBOOK_BUILD_JOBS=1``: none). One that fails there is not cached, so myst-nb
  runs it again and reports the error. Kernels get ``NNBOOK_LIVE=0``: live training views draw once.
- In cache mode myst-nb 1.4 writes the *unexecuted* notebook to ``jupyter_execute/`` (the download);
  the cached outputs are merged back into it after each page is read.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import nbformat
from chapter_files import chapters
from jupyter_cache import get_cache
from jupyter_cache.executors import load_executor
from package_fingerprint import Package, chapter_code
from sphinx.util import logging as sphinx_logging

LOGGER = sphinx_logging.getLogger(__name__)
MYST_READER = {"name": "myst_nb_md", "type": "plugin"}  # how myst-nb registers a MyST chapter in jupyter-cache
RECORD = "package-fingerprints.json"  # in the cache folder: cached notebook's hash → fingerprint it ran with


def book_chapters(app, env) -> dict[str, Path]:
    """Docname → source of each chapter in this build (of the table of contents Sphinx was given)."""
    root = Path(app.srcdir).resolve()
    toc = root / (app.config["external_toc_path"] if "external_toc_path" in app.config else "_toc.yml")
    found = {path.relative_to(root).with_suffix("").as_posix(): path for path in chapters(toc, root)}
    return {docname: path for docname, path in found.items() if docname in env.found_docs}


def execution_cache(app):
    """myst-nb's execution cache (by default ``<build folder>/.jupyter_cache``), or None without one."""
    if app.config.nb_execution_mode != "cache":
        return None
    return get_cache(app.config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")


def _known(cache, keep=None) -> dict[str, str]:
    record = Path(cache.path) / RECORD
    return (
        {k: v for k, v in json.loads(record.read_text()).items() if keep is None or k in keep}
        if record.exists()
        else {}
    )


def _outdated(app, env, added, changed, removed) -> list[str]:
    cache, app.nnbook_chapters, app.nnbook_to_run, stale = execution_cache(app), {}, {}, []
    package, known = Package(app.config.nnbook_package), _known(cache) if cache else {}
    for docname, path in book_chapters(app, env).items() if cache else []:
        pk = cache.add_nb_to_project(str(path), read_data=MYST_READER).pk
        app.nnbook_chapters[docname] = pk, package.fingerprint(chapter_code(path))
        cached = cache.get_cached_project_nb(pk)
        if cached is not None and known.get(cached.hashkey) != app.nnbook_chapters[docname][1]:
            LOGGER.info(f"{docname}: the package code it runs changed since it was cached; it runs again")
            cache.remove_cache(cached.pk)
            cached = None
        if cached is None:  # it runs in this build: its fingerprint is noted once it is in the cache
            app.nnbook_to_run[docname] = app.nnbook_chapters[docname]
            stale += [] if docname in added | changed else [docname]
    return stale


def _execute_side_by_side(app, env, docnames) -> None:
    cache, pks = execution_cache(app), [app.nnbook_chapters[d][0] for d in docnames if d in app.nnbook_chapters]
    if cache is None or os.environ.get("NNBOOK_BUILD_JOBS") == "1" or (os.cpu_count() or 1) < 2:
        return
    pending = cache.list_unexecuted(filter_pks=pks)
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


def _restore_outputs(app, doctree) -> None:
    path, cache = Path(app.outdir).parent / "jupyter_execute" / f"{app.env.docname}.ipynb", execution_cache(app)
    if cache is not None and path.exists():
        try:
            _, executed = cache.merge_match_into_notebook(nbformat.read(path, as_version=4))
        except KeyError:  # not in the cache (execution failed): leave the file as it is
            return
        nbformat.write(executed, path)


def _remember(app, env) -> None:
    """Note the fingerprint each chapter that ran in this build ran with."""
    if (cache := execution_cache(app)) is not None and getattr(app, "nnbook_to_run", None):
        known = _known(cache, keep={cached.hashkey for cached in cache.list_cache_records()})
        for pk, fingerprint in app.nnbook_to_run.values():
            if (cached := cache.get_cached_project_nb(pk)) is not None:
                known[cached.hashkey] = fingerprint
        (Path(cache.path) / RECORD).write_text(json.dumps(known, indent=0, sort_keys=True))


def setup(app):
    os.environ.setdefault("NNBOOK_LIVE", "0")  # the kernels inherit it (see nnbook.display.watched)
    app.add_config_value("nnbook_package", "nnbook", "env")
    app.connect("env-get-outdated", _outdated)
    app.connect("env-before-read-docs", _execute_side_by_side, priority=900)
    app.connect("doctree-read", _restore_outputs)
    app.connect("env-updated", _remember)
    return {"version": "2.0", "parallel_read_safe": True}
