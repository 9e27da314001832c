"""Links: no broken internal link or anchor in the built site, and the API reference wired both ways.

The internal check reads every built HTML page: each local ``href``/``src`` must name a file of the
site and each ``#anchor`` an ``id`` on the target page. External links are not fetched (no network);
they are listed in ``_build/external-links.txt``.

The reference checks: every public name of the package is documented with an example, has a page
entry, and the chapters link to the reference for the package functions they use.
"""

from __future__ import annotations

import inspect
import sys
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from api_reference import usage, used_names  # book/_ext, on pytest's path (pyproject.toml)
from bs4 import BeautifulSoup
from package_fingerprint import chapter_code

from bookutils import ROOT, chapters, public_names

REFERENCE = "book/reference/"


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


@cache
def ids_of(page: Path) -> frozenset[str]:
    soup = BeautifulSoup(page.read_text(errors="replace"), "html.parser")
    return frozenset(el["id"] for el in soup.select("[id]")) | frozenset(el["name"] for el in soup.select("a[name]"))


def test_no_broken_internal_links(built_book, pdf_edition):  # the download menu links to the PDF edition
    site = (built_book / "html").resolve()
    broken, external = [], set()
    for page in html_pages(site):
        soup = BeautifulSoup(page.read_text(errors="replace"), "html.parser")
        refs = [(el.name, el.get("href")) for el in soup.select("a[href], link[href]")]
        refs += [(el.name, el.get("src")) for el in soup.select("img[src], script[src]")]
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
            elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in ids_of(target):
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
    names = public_names()
    used = usage({p.relative_to(ROOT).with_suffix("").as_posix(): p for p in chapters()}, "nnbook")
    assert used, "no chapter uses the package: nothing to check"
    site = built_book / "html"
    text = {p.stem: p.read_text() for p in (site / "book" / "reference").glob("*.html")}
    for name, docnames in used.items():
        if name not in names:  # a module, or a method reached through one
            continue
        page = next((t for t in text.values() if f'id="{name}"' in t), None)
        assert page is not None, f"{name} has no reference entry."
        entry = page.split(f'id="{name}"', 1)[1].split('<dl class="py', 1)[0]
        for docname in docnames:
            assert f"{Path(docname).name}.html" in entry, (
                f"the reference entry of {name} does not link back to {docname}."
            )
