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
from bs4 import BeautifulSoup

from bookutils import ROOT, chapters

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import api_links  # noqa: E402

REFERENCE = "book/reference/"


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


@cache
def ids_of(page: Path) -> frozenset[str]:
    soup = BeautifulSoup(page.read_text(errors="replace"), "html.parser")
    return frozenset(el["id"] for el in soup.select("[id]")) | frozenset(el["name"] for el in soup.select("a[name]"))


@pytest.mark.book
def test_no_broken_internal_links(built_book):
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


def test_every_public_name_has_an_example():
    """Each public function and class has a docstring with a ``>>>`` example; each constant a ``#:`` comment."""
    missing = []
    for name, obj in api_links.public_names().items():
        if callable(obj):
            doc = inspect.getdoc(obj) or ""
            if ">>>" not in doc:
                missing.append(f"{name}: docstring without a >>> example")
        elif not api_links.data_comment(name):
            missing.append(f"{name}: constant without a #: comment above its assignment")
    assert not missing, "\n".join(missing)


def test_every_public_module_has_a_reference_page():
    pages = {p.read_text() for p in (ROOT / "book" / "reference").glob("*.md")}
    text = "\n".join(pages)
    for module in api_links.public_modules():
        assert f"{{nnbook-api}} {module}\n```" in text, (
            f"{module} has no reference page: add book/reference/<name>.md with ```{{nnbook-api}} {module}``` "
            "and list it in _toc.yml."
        )


@pytest.mark.book
def test_reference_documents_every_public_name(built_book):
    from sphinx.util.inventory import InventoryFile

    with open(built_book / "html" / "objects.inv", "rb") as f:
        inventory = InventoryFile.load(f, "", lambda *parts: "/".join(parts))
    documented = {name for kind, entries in inventory.items() if kind.startswith("py:") for name in entries}
    missing = sorted(set(api_links.public_names()) - documented)
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


@pytest.mark.book
@pytest.mark.parametrize("chapter", chapters(), ids=[p.stem for p in chapters()])
def test_chapter_links_to_the_reference(built_book, chapter):
    """A chapter links to the reference entry of each package function or class its code uses."""
    page = built_book / "html" / chapter.relative_to(ROOT).with_suffix(".html")
    used = [n for n in api_links.used_names(api_links.code_of(chapter)) if callable(api_links.resolve(n))]
    linked = _links_to_reference(page)
    missing = [n for n in used if n not in linked]
    assert not missing, (
        f"{chapter.name} uses {missing} without linking to the reference: where the text first mentions "
        "each, write it as a role, e.g. {py:func}`~nnbook.training.fit` or {py:class}`~nnbook.training.Learner`."
    )


@pytest.mark.book
def test_reference_links_back_to_the_chapters(built_book):
    usage = api_links.chapter_usage({p.relative_to(ROOT).with_suffix("").as_posix(): p for p in chapters()})
    site = built_book / "html"
    text = {p.stem: p.read_text() for p in (site / "book" / "reference").glob("*.html")}
    for name, docnames in usage.items():
        page = next((t for t in text.values() if f'id="{name}"' in t), None)
        assert page is not None, f"{name} has no reference entry."
        entry = page.split(f'id="{name}"', 1)[1].split('<dl class="py', 1)[0]
        for docname in docnames:
            assert f"{Path(docname).name}.html" in entry, (
                f"the reference entry of {name} does not link back to {docname}."
            )
