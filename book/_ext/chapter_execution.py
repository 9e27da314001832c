"""Sphinx extension: when the chapters execute, and what the build keeps of it.

- A chapter runs again when its code or the package's code changes. myst-nb's jupyter-cache keys a chapter
  on its own code only, so this hashes the package's source (its syntax trees without docstrings, so comments
  and docstrings do not count, and its data files) into the ``nnbook_package_code`` setting: a new hash
  empties the execution cache and, being a changed setting, makes Sphinx read every page again.
- The chapters to run, run side by side before Sphinx reads them (jupyter-cache's ``local-parallel``
  executor, one per core; ``NNBOOK_BUILD_JOBS=1``: none). One that fails there is not cached, so myst-nb
  runs it again and reports the error. Kernels get ``NNBOOK_LIVE=0``: live training views draw once.
- In cache mode myst-nb 1.4 writes the *unexecuted* notebook to ``jupyter_execute/`` (the download; no
  report of it found in MyST-NB's tracker): the cached outputs are merged back into it after each page is read.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import logging
import os
from pathlib import Path

import nbformat
from chapter_files import chapters
from jupyter_cache import get_cache
from jupyter_cache.executors import load_executor
from sphinx.util import logging as sphinx_logging

LOGGER = sphinx_logging.getLogger(__name__)
MYST_READER = {"name": "myst_nb_md", "type": "plugin"}  # how myst-nb registers a MyST chapter in jupyter-cache
RECORD = "package-code.txt"  # in the cache folder: the package hash its notebooks ran with


def package_code(name: str) -> str:
    """A hash of the installed package's code: each module's syntax tree without docstrings, and its data files.

    >>> len(package_code("nnbook"))
    16
    """
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(f"{name} is not an installed package: install it (pip install -e .) before building.")
    root, digest = Path(next(iter(spec.submodule_search_locations))), hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        if path.suffix == ".py":
            tree = ast.parse(path.read_bytes())
            for node in ast.walk(tree):
                body = getattr(node, "body", None)
                if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body:
                    if isinstance(body[0], ast.Expr) and isinstance(getattr(body[0].value, "value", None), str):
                        node.body = body[1:] or [ast.Pass()]
            data = ast.dump(tree).encode()
        else:
            data = path.read_bytes()
        digest.update(f"{path.relative_to(root).as_posix()}\n".encode() + data)
    return digest.hexdigest()[:16]


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


def _hash_package(app, config) -> None:
    config.nnbook_package_code = package_code(config.nnbook_package)
    if (cache := execution_cache(app)) is not None:
        record = Path(cache.path) / RECORD
        known = record.read_text() if record.exists() else None  # None: a cache of unknown package code
        if known != config.nnbook_package_code and cache.list_cache_records():
            LOGGER.info("the package code changed since the chapters were cached: every chapter runs again")
            cache.clear_cache()
        Path(cache.path).mkdir(parents=True, exist_ok=True)
        record.write_text(config.nnbook_package_code)


def _execute_side_by_side(app, env, docnames) -> None:
    cache, chapters_read = execution_cache(app), book_chapters(app, env)
    if cache is None or os.environ.get("NNBOOK_BUILD_JOBS") == "1" or (os.cpu_count() or 1) < 2:
        return
    pks = [
        cache.add_nb_to_project(str(chapters_read[d]), read_data=MYST_READER).pk for d in docnames if d in chapters_read
    ]
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


def setup(app):
    os.environ.setdefault("NNBOOK_LIVE", "0")  # the kernels inherit it (see nnbook.display.watched)
    app.add_config_value("nnbook_package", "nnbook", "env")
    app.add_config_value("nnbook_package_code", "", "env")  # set from the package's code (a new hash: all re-read)
    app.connect("config-inited", _hash_package)
    app.connect("env-before-read-docs", _execute_side_by_side, priority=900)
    app.connect("doctree-read", _restore_outputs)
    return {"version": "3.0", "parallel_read_safe": True}
