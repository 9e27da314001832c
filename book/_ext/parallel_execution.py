"""Sphinx extension: execute the chapters that need it side by side, just before Sphinx reads them.

myst-nb executes a chapter while Sphinx reads it, one chapter after the other, and Jupyter Book 1.x
has no option to read pages in parallel. Every chapter spends seconds starting its kernel and
importing torch, and its kernel uses one core (nnbook sets torch to one thread), so on a machine with
more cores the other cores wait. This extension closes that gap:

1. when the pages are about to be read, it reads each chapter to be read exactly as myst-nb will
   (the same ``source-read`` handlers, the same notebook reader) and asks the execution cache
   (jupyter-cache) whether that code has already run;
2. it runs the chapters that have not, ``nnbook_execution_jobs`` at a time (default: the number
   of cores), and stores each executed notebook in the cache as myst-nb would;
3. myst-nb then finds every chapter in the cache. A chapter that fails here is not stored:
   myst-nb runs it again itself and reports the error as usual.

It only acts with ``execute_notebooks: cache`` and when at least two chapters are waiting.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)


def _notebook(app, env, docname: str):
    """``(path, notebook)`` of a chapter as myst-nb will read it, or None for a page without code."""
    from myst_nb.core.read import create_nb_reader

    path = Path(env.doc2path(docname))
    if not path.is_file():
        return None
    source = [path.read_text(encoding=app.config.source_encoding)]
    app.events.emit("source-read", docname, source)  # e.g. the package fingerprint cell
    reader = create_nb_reader(str(path), env.myst_config, env.mystnb_config, source[0])
    if reader is None:
        return None
    notebook = reader.read(source[0])
    if not any(cell.cell_type == "code" for cell in notebook.cells):
        return None
    kernel = notebook.metadata.get("kernelspec", {}).get("name")
    for pattern, alias in (env.mystnb_config.kernel_rgx_aliases or {}).items():
        if kernel is not None and re.fullmatch(pattern, kernel):
            notebook.metadata["kernelspec"]["name"] = alias
            break
    return path, notebook


def _execute_missing(app, env, docnames: list[str]) -> None:
    config = getattr(env, "mystnb_config", None)
    if config is None or config.execution_mode != "cache" or config.execution_in_temp:
        return
    jobs = app.config.nnbook_execution_jobs or os.cpu_count() or 1
    if jobs < 2:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.executors.utils import single_nb_execution

    cache = get_cache(config.execution_cache_path or ".jupyter_cache")
    pending = []
    for docname in docnames:
        chapter = _notebook(app, env, docname)
        if chapter is None:
            continue
        try:
            cache.match_cache_notebook(chapter[1])
        except KeyError:
            pending.append(chapter)
    if len(pending) < 2:
        return  # nothing to overlap: myst-nb runs it while reading, as usual
    workers = min(jobs, len(pending))
    logger.info(f"executing {len(pending)} chapters, {workers} at a time")

    def execute(chapter):
        path, notebook = chapter
        result = single_nb_execution(
            notebook,
            cwd=str(path.parent),
            allow_errors=config.execution_allow_errors,
            timeout=config.execution_timeout,
            meta_override=True,
        )
        return path, notebook, result

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for path, notebook, result in pool.map(execute, pending):
            if result.err is not None:
                logger.info(f"{path}: failed when run in parallel; it runs again while being read")
                continue
            cache.cache_notebook_bundle(
                CacheBundleIn(notebook, str(path), data={"execution_seconds": result.time}),
                check_validity=False,
                overwrite=True,
            )
            logger.info(f"{path}: Executed notebook in {result.time:.2f} seconds ({workers} at a time)")


def setup(app):
    # 0 means one job per core; 1 turns the extension off (myst-nb runs the chapters one by one).
    app.add_config_value("nnbook_execution_jobs", int(os.environ.get("NNBOOK_BUILD_JOBS", "0")), "")
    # After other env-before-read-docs handlers (the status page notes which cache records are new).
    app.connect("env-before-read-docs", _execute_missing, priority=900)
    return {"version": "1.0", "parallel_read_safe": True}
