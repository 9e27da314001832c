"""Sphinx extension: when the chapters execute, and what the build keeps of it.

- A chapter runs again when its code or the package's code changes. myst-nb's jupyter-cache keys a chapter
  on its own code only, so the execution cache lives in a folder named by a hash of the package's source
  (its syntax trees without docstrings, so comments and docstrings do not count, and its data files; the
  modules of ``nnbook_shown_source``, whose source a chapter prints, count with their whole text):
  ``<build>/.jupyter_cache/<hash>``. A new hash is an empty cache and, being a changed setting, makes Sphinx
  read every page again; the caches of other hashes are removed.
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
import json
import logging
import os
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import nbformat
from chapter_files import is_chapter
from jupyter_cache import get_cache
from jupyter_cache.executors import load_executor
from sphinx.util import logging as sphinx_logging

LOGGER = sphinx_logging.getLogger(__name__)
MYST_READER = {"name": "myst_nb_md", "type": "plugin"}  # how myst-nb registers a MyST chapter in jupyter-cache


def package_code(name: str, memo: Path | None = None, shown: Sequence[str] = ()) -> str:
    """A hash of the installed package's code: each module's syntax tree without docstrings, and its data files.

    The modules in ``shown`` (paths in the package, such as ``models/linear.py``) count with their whole
    text: a chapter prints their source, docstrings and comments included. Parsing the package takes
    ~0.4 s, reading its bytes a few ms: with ``memo`` (a JSON file), the hash is computed only when the
    bytes changed since the last call, and read from ``memo`` otherwise.

    >>> len(package_code("nnbook"))
    16
    """
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(f"{name} is not an installed package: install it (pip install -e .) before building.")
    root = Path(next(iter(spec.submodule_search_locations)))
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if _is_code(p)}
    if missing := sorted(set(shown) - set(files)):
        raise ValueError(
            f"nnbook_shown_source names {missing}, which {name} does not have: fix the list in _config.yml."
        )
    raw = hashlib.sha256(repr((sorted(files.items()), sorted(shown))).encode()).hexdigest()
    try:
        remembered = json.loads(memo.read_text()) if memo else {}
    except (OSError, ValueError):  # none yet, or unreadable: compute it
        remembered = {}
    if raw in remembered:
        return remembered[raw]
    digest = hashlib.sha256()
    for relative, data in files.items():
        if relative.endswith(".py") and relative not in shown:
            tree = ast.parse(data)
            for node in ast.walk(tree):
                body = getattr(node, "body", None)
                if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body:
                    if isinstance(body[0], ast.Expr) and isinstance(getattr(body[0].value, "value", None), str):
                        node.body = body[1:] or [ast.Pass()]
            data = ast.dump(tree).encode()
        digest.update(f"{relative}\n".encode() + data)
    if memo:
        memo.parent.mkdir(parents=True, exist_ok=True)
        memo.write_text(json.dumps({raw: digest.hexdigest()[:16]}))
    return digest.hexdigest()[:16]


def _is_code(path: Path) -> bool:
    return path.is_file() and "__pycache__" not in path.parts


def execution_cache(app):
    """myst-nb's execution cache of this package code, or None when the build does not cache."""
    return get_cache(app.config.nb_execution_cache_path) if app.config.nb_execution_mode == "cache" else None


def _cache_per_package_code(app, config) -> None:
    if config.nb_execution_mode != "cache":
        return
    base = Path(config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    code = package_code(config.nnbook_package, base / "package_code.json", config.nnbook_shown_source)
    others = (p for p in base.glob("*") if p.is_dir() and p.name != code)
    for old in (p for p in others if re.fullmatch(f"[0-9a-f]{{{len(code)}}}", p.name)):  # caches of other code
        LOGGER.info(f"the package code changed since {old} was cached: every chapter runs again")
        shutil.rmtree(old)
    config.nb_execution_cache_path = str(base / code)


def _execute_side_by_side(app, env, docnames) -> None:
    cache, sources = execution_cache(app), (Path(env.doc2path(docname)) for docname in docnames)
    if cache is None or os.environ.get("NNBOOK_BUILD_JOBS") == "1" or (os.cpu_count() or 1) < 2:
        return
    pks = [cache.add_nb_to_project(str(path), read_data=MYST_READER).pk for path in sources if is_chapter(path)]
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
    app.add_config_value("nnbook_shown_source", [], "env")  # modules whose source a chapter prints
    app.connect("config-inited", _cache_per_package_code)
    app.connect("env-before-read-docs", _execute_side_by_side, priority=900)
    app.connect("doctree-read", _restore_outputs)
    return {"version": "3.0", "parallel_read_safe": True}
