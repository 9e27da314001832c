"""Sphinx extension: the ``{nnbook-status}`` directive, a page that says how this build was made.

It renders three tables, filled in at the end of the build, when every chapter has run:

1. each chapter's execution time, whether it ran in this build or came from the execution cache
   (jupyter-cache, through myst-nb), when it last ran, and whether it succeeded;
2. the versions this build used (Python, torch, matplotlib, jupyter-book, myst-nb, ...);
3. the tested-with table: the versions pinned in ``requirements/constraints.txt`` (what ``make
   setup`` installs and the tests run with) next to this build's, so drift shows at a glance.

The page is rebuilt on every build, so it never shows an earlier build's numbers.
"""

from __future__ import annotations

import platform
import time
from datetime import datetime
from importlib import metadata
from pathlib import Path

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

PACKAGES = ["torch", "numpy", "matplotlib", "jupyter-book", "myst-nb", "jupyter-cache", "sphinx", "jupytext", "nnbook"]
CONSTRAINTS = "requirements/constraints.txt"


class StatusNode(nodes.General, nodes.Element):
    """Placeholder for the status tables, replaced once all chapters have executed."""


class StatusDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        self.env.nnbook_status_docs = getattr(self.env, "nnbook_status_docs", set()) | {self.env.docname}
        return [StatusNode()]


def version(package: str) -> str:
    """The installed version of ``package``, or "not installed"."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def pinned_versions(path: Path) -> dict[str, str]:
    """``name==version`` lines of a constraints file → {normalised name: version}."""
    pins = {}
    for line in path.read_text().splitlines() if path.exists() else []:
        line = line.split("#")[0].strip()
        if "==" in line:
            name, _, ver = line.partition("==")
            pins[name.strip().lower().replace("_", "-")] = ver.strip()
    return pins


def _table(header: list[str], rows: list[list[nodes.Node | str]]) -> nodes.table:
    table = nodes.table(classes=["colwidths-auto", "nnbook-status"])
    group = nodes.tgroup(cols=len(header))
    table += group
    group.extend(nodes.colspec(colwidth=1) for _ in header)
    head = nodes.thead()
    group += head
    head += nodes.row("", *(nodes.entry("", nodes.paragraph(text=h)) for h in header))
    body = nodes.tbody()
    group += body
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            para = nodes.paragraph()
            para += nodes.Text(cell) if isinstance(cell, str) else cell
            row += nodes.entry("", para)
        body += row
    return table


def _doc_link(fromdoc: str, docname: str) -> nodes.Node:
    ref = pending_xref("", refdoc=fromdoc, reftarget=f"/{docname}", reftype="doc", refdomain="std", refexplicit=False)
    ref += nodes.inline(text=docname)
    return ref


def chapter_rows(app, fromdoc: str) -> list[list]:
    """One row per executed chapter: time, cache or fresh run, when it ran, outcome."""
    from myst_nb.sphinx_ import NbMetadataCollector

    started = getattr(app, "nnbook_build_started", time.time())
    fresh_paths = _executed_in_this_build(app)
    rows = []
    data = NbMetadataCollector.get_doc_data(app.env)
    order = _toc_order(app)
    for docname in sorted((d for d in data if data[d].get("exec_data")), key=lambda d: order.get(d, len(order))):
        ex = data[docname]["exec_data"]
        runtime = ex.get("runtime")
        if fresh_paths is None:  # no execution cache: judge by the time it ran
            fresh = ex.get("mtime") is not None and ex["mtime"] >= started
        else:
            fresh = str(Path(app.env.doc2path(docname)).resolve()) in fresh_paths
        rows.append(
            [
                _doc_link(fromdoc, docname),
                "-" if runtime is None else f"{runtime:.1f}",
                "executed in this build" if fresh else "from the cache",
                datetime.fromtimestamp(ex["mtime"]).strftime("%Y-%m-%d %H:%M") if ex.get("mtime") else "-",
                "ok" if ex.get("succeeded") else f"failed ({ex.get('error')})",
            ]
        )
    return rows


def _toc_order(app) -> dict[str, int]:
    site_map = getattr(app.env, "external_site_map", None)
    if site_map is None:
        return {}
    return {doc: i for i, doc in enumerate(site_map)}


class StatusTransform(SphinxPostTransform):
    default_priority = 8  # before references are resolved (10), so the chapter links resolve

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(StatusNode)):
            node.replace_self(self.tables())

    def tables(self) -> list[nodes.Node]:
        app = self.app
        chapters = chapter_rows(app, self.env.docname)
        total = sum(float(r[1]) for r in chapters if r[1] != "-")
        built = datetime.now().strftime("%Y-%m-%d %H:%M")
        out: list[nodes.Node] = [
            nodes.paragraph(text=f"Built on {built}. The chapters took {total:.1f} s of execution in all."),
            _table(["Chapter", "Execution time (s)", "Outputs", "Last executed", "Status"], chapters),
        ]
        env_rows = [["Python", platform.python_version()]] + [[p, version(p)] for p in PACKAGES]
        env_rows.append(["platform", f"{platform.system()} {platform.machine()}"])
        out += [nodes.rubric(text="Versions of this build"), _table(["Software", "Version"], env_rows)]
        pins = pinned_versions(Path(app.confdir) / CONSTRAINTS)
        tested = []
        for package in PACKAGES:
            pinned = pins.get(package, "")
            if pinned:
                mark = "same" if version(package).split("+")[0] == pinned.split("+")[0] else "differs"
                tested.append([package, pinned, version(package), mark])
        out += [
            nodes.rubric(text="Tested with"),
            nodes.paragraph(
                text=f"The versions pinned in {CONSTRAINTS}, which the test suite runs with, against this build's."
            ),
            _table(["Package", "Tested with", "This build", "Match"], tested),
        ]
        return out


def _cache(app):
    config = getattr(app.env, "mystnb_config", None)  # set by myst-nb when the builder starts
    if config is None or config.execution_mode != "cache":
        return None
    from jupyter_cache import get_cache

    return get_cache(config.execution_cache_path)


def _executed_in_this_build(app) -> set[str] | None:
    """Paths of the notebooks the cache gained records for during this build (they ran now)."""
    cache = _cache(app)
    if cache is None:
        return None
    before = getattr(app, "nnbook_cache_records", set())
    return {str(Path(r.uri).resolve()) for r in cache.list_cache_records() if r.pk not in before}


def _mark_start(app, env, docnames) -> None:
    app.nnbook_build_started = time.time()
    cache = _cache(app)
    app.nnbook_cache_records = {r.pk for r in cache.list_cache_records()} if cache else set()


def _always_rebuild(app, env, added, changed, removed) -> list[str]:
    return sorted(getattr(env, "nnbook_status_docs", set()) & env.found_docs)


def _purge(app, env, docname) -> None:
    getattr(env, "nnbook_status_docs", set()).discard(docname)


def setup(app):
    app.add_node(StatusNode)
    app.add_directive("nnbook-status", StatusDirective)
    app.add_post_transform(StatusTransform)
    app.connect("env-before-read-docs", _mark_start)
    app.connect("env-get-outdated", _always_rebuild)
    app.connect("env-purge-doc", _purge)
    return {"version": "1.0", "parallel_read_safe": False, "env_version": 1}
