"""Links: no broken internal link or anchor in the built site, and the API reference wired both ways.

The internal check reads every built HTML page: each local ``href``/``src`` must name a file of the
site and each ``#anchor`` an ``id`` on the target page. External links are not fetched (no network);
they are listed in ``_build/external-links.txt``.

The reference checks: every public name of the package is documented with an example, has a page
entry, and the chapters link to the reference for the package functions they use.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import jupytext
import pytest
from bs4 import BeautifulSoup

from bookutils import ROOT, chapters, public_names

REFERENCE = "book/reference/"


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


class _PageLinks(HTMLParser):
    """One pass over a page: the ``id``s (and ``<a name>``s) it defines, and the ``href``/``src`` it points to."""

    REFERS = {"a": "href", "link": "href", "img": "src", "script": "src"}

    def __init__(self, text: str):
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for key, value in attrs if value and (key == "id" or (key, tag) == ("name", "a")))
        self.refs += [(tag, value) for key, value in attrs if key == self.REFERS.get(tag) and value is not None]


@cache
def links_of(page: Path) -> _PageLinks:
    return _PageLinks(page.read_text(errors="replace"))


def test_no_broken_internal_links(built_book, pdf_edition):  # the download menu links to the PDF edition
    site = (built_book / "html").resolve()
    broken, external = [], set()
    for page in html_pages(site):
        refs = links_of(page).refs
        for tag, ref in refs:
            if not ref or ref.startswith(("mailto:", "javascript:", "data:")):
                continue
            url = urlparse(urljoin(page.as_uri(), ref))
            if url.scheme in ("http", "https"):
                external.add(ref)
                continue
            target = Path(unquote(url.path))
            where = f"{page.relative_to(site)}: {tag} {ref}"
            if not target.exists():
                broken.append(f"{where} (no such file)")
            elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in links_of(target).ids:
                broken.append(f"{where} (no anchor #{url.fragment})")
    (built_book / "external-links.txt").write_text("\n".join(sorted(external)) + "\n")
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:50])


def data_comment(name: str) -> list[str]:
    """The ``#:`` doc comment of a public constant, in whichever package module assigns it."""
    from sphinx.pycode import ModuleAnalyzer

    attr = name.rpartition(".")[2]
    for module in sorted({m.__name__ for m in sys.modules.values() if m and m.__name__.startswith("nnbook")}):
        try:
            docs = ModuleAnalyzer.for_module(module).find_attr_docs()
        except Exception:  # a module without source: nothing to find
            continue
        if ("", attr) in docs:
            return list(docs[("", attr)])
    return []


def test_every_public_name_has_an_example():
    """Each public function and class has a docstring with a ``>>>`` example; each constant a ``#:`` comment."""
    missing = []
    for name, obj in public_names().items():
        if callable(obj):
            if ">>>" not in (inspect.getdoc(obj) or ""):
                missing.append(f"{name}: docstring without a >>> example")
        elif not data_comment(name):
            missing.append(f"{name}: constant without a #: comment above its assignment")
    assert not missing, "\n".join(missing)


def test_every_public_module_has_a_reference_page():
    text = "\n".join(p.read_text() for p in (ROOT / "book" / "reference").glob("*.md"))
    for module in sorted({name.rpartition(".")[0] for name in public_names()}):
        assert f".. automodule:: {module}\n" in text, (
            f"{module} has no reference page: add book/reference/<name>.md with an ``automodule:: {module}`` "
            "(in an eval-rst block) and list it in _toc.yml."
        )


def test_reference_documents_every_public_name(built_book):
    from sphinx.util.inventory import InventoryFile

    with open(built_book / "html" / "objects.inv", "rb") as f:
        inventory = InventoryFile.load(f, "", lambda *parts: "/".join(parts))
    documented = {name for kind, entries in inventory.items() if kind.startswith("py:") for name in entries}
    missing = sorted(set(public_names()) - documented)
    assert not missing, f"public names missing from the API reference: {missing}"


def used_names(code: str, package: str = "nnbook") -> set[str]:
    r"""The dotted names of ``package`` that the code imports, or uses through an imported module.

    >>> sorted(used_names("from nnbook.training import fit\nimport nnbook\nnnbook.show(fit)"))
    ['nnbook.show', 'nnbook.training.fit']
    """
    tree, names, modules = ast.parse(code), set(), {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == package:
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
            modules |= {alias.asname or alias.name: f"{node.module}.{alias.name}" for alias in node.names}
        for alias in node.names if isinstance(node, ast.Import) else []:  # import nnbook, import x.y as y
            if alias.name.split(".")[0] == package:
                modules[alias.asname or package] = alias.name if alias.asname else package
    for node in ast.walk(tree):
        parts = []
        while isinstance(node, ast.Attribute):
            parts, node = [node.attr, *parts], node.value
        if parts and isinstance(node, ast.Name) and node.id in modules:
            names.add(".".join([modules[node.id], *parts]))
    return names


def chapter_code(chapter: Path) -> str:
    """The chapter's code cells, IPython magics and shell lines left out."""
    lines = "\n".join(c.source for c in jupytext.read(chapter).cells if c.cell_type == "code").splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith(("%", "!")))


def resolve(name: str):
    """The object a dotted name of the package stands for, or None."""
    module, _, attr = name.rpartition(".")
    try:
        return getattr(importlib.import_module(module), attr, None)
    except ImportError:
        return None


def _links_to_reference(page: Path) -> set[str]:
    """The public names a built chapter page links to in the reference (their anchors)."""
    soup = BeautifulSoup(page.read_text(), "html.parser")
    names = set()
    for a in soup.select("article a[href]"):
        href = a["href"]
        if "reference/" in href and "#" in href:
            names.add(href.split("#", 1)[1])
    return names


@pytest.mark.parametrize("chapter", chapters(), ids=[p.stem for p in chapters()])
def test_chapter_links_to_the_reference(built_book, chapter):
    """A chapter links to the reference entry of each package function or class its code uses."""
    page = built_book / "html" / chapter.relative_to(ROOT).with_suffix(".html")
    names = public_names()
    used = sorted(n for n in used_names(chapter_code(chapter), "nnbook") if callable(names.get(n)))
    linked = _links_to_reference(page)
    missing = [n for n in used if n not in linked]
    assert not missing, (
        f"{chapter.name} uses {missing} without linking to the reference: the code cells link each name they "
        "import (sphinx-codeautolink), so check the import, or write a role such as {py:func}`~nnbook.training.fit`."
    )


def test_reference_links_back_to_the_chapters(built_book):
    """Each public name a chapter uses lists that chapter among its examples (codeautolink's autodoc injection)."""
    canonical = {id(obj): name for name, obj in public_names().items()}
    used: dict[str, set[str]] = {}
    for chapter in chapters():
        for name in used_names(chapter_code(chapter)):
            if callable(obj := resolve(name)) and id(obj) in canonical:
                used.setdefault(canonical[id(obj)], set()).add(chapter.stem)
    assert used, "no chapter uses the package: nothing to check"
    text = [p.read_text() for p in (built_book / "html" / "book" / "reference").glob("*.html")]
    for name, stems in sorted(used.items()):
        page = next((t for t in text if f'id="{name}"' in t), None)
        assert page is not None, f"{name} has no reference entry."
        entry = page.split(f'id="{name}"', 1)[1].split('<dl class="py', 1)[0]
        missing = sorted(stem for stem in stems if f"{stem}.html" not in entry)
        assert not missing, f"the reference entry of {name} does not link back to {missing}."
