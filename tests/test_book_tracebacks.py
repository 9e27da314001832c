"""No page of the built book shows a failure, except cells that show an error on purpose.

myst-nb renders each code cell as ``<div class="cell tag_<tag> … container">`` holding a ``cell_input`` and a
``cell_output``; an error output is a ``<div class="output traceback …">``. Only cells tagged
``raises-exception`` may show one. Outside them, no output may contain an error: neither an error output
nor a traceback or an ``…Error:`` line printed to a stream (a failure caught and printed, a warning turned
into an error, a traceback logged by a library).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup, Tag

ALLOWED_TAG = "tag_raises-exception"
SKIPPED = {"genindex.html", "search.html", "py-modindex.html"}
ERROR_LINE = re.compile(r"^\s*(Traceback \(most recent call last\)|[A-Za-z_][\w.]*(Error|Exception): )", re.MULTILINE)


@dataclass
class Leak:
    page: str
    cell: str
    what: str

    def __str__(self) -> str:
        return f"{self.page}, {self.cell}: {self.what}"


def _classes(tag: Tag) -> list[str]:
    return tag.get("class") or []


def _cell_of(output: Tag) -> Tag | None:
    return output.find_parent(lambda t: t.name == "div" and "cell" in _classes(t))


def _describe(cell: Tag | None, cells: list[Tag]) -> str:
    if cell is None:
        return "an output outside any code cell"
    source = cell.find("div", class_="cell_input")
    first_line = source.get_text().strip().splitlines()[0] if source and source.get_text().strip() else ""
    return f"code cell {cells.index(cell) + 1} ({first_line[:80]!r})"


def find_leaks(html: str, page: str) -> list[Leak]:
    """Every error shown on ``page`` outside a cell tagged ``raises-exception``."""
    soup = BeautifulSoup(html, "html.parser")
    cells = soup.find_all("div", class_="cell")
    leaks = []
    for output in soup.find_all("div", class_="output"):
        cell = _cell_of(output)
        if cell is not None and ALLOWED_TAG in _classes(cell):
            continue
        text = output.get_text()
        if "traceback" in _classes(output):
            what = "an error output: " + (text.strip().splitlines() or [""])[-1][:200]
        elif match := ERROR_LINE.search(text):
            line = text[match.start() :].strip().splitlines()[0]
            what = f"an error printed in a {' '.join(_classes(output)[1:2]) or 'output'}: {line[:200]}"
        else:
            continue
        leaks.append(Leak(page, _describe(cell, cells), what))
    return leaks


def tagged_cells_without_error(html: str, page: str) -> list[Leak]:
    """Cells tagged ``raises-exception`` that show no error: the tag is stale, or the lesson lost its error."""
    soup = BeautifulSoup(html, "html.parser")
    cells = soup.find_all("div", class_="cell")
    return [
        Leak(page, _describe(cell, cells), "tagged raises-exception but shows no error")
        for cell in cells
        if ALLOWED_TAG in _classes(cell) and cell.find("div", class_="traceback") is None
    ]


def pages(html_dir: Path) -> list[Path]:
    return sorted(
        p
        for p in html_dir.rglob("*.html")
        if p.name not in SKIPPED and not {"_static", "_sources", "_images"} & set(p.relative_to(html_dir).parts)
    )


# ---- the scanner itself, on small pages written to show each case --------------------------------------------


def cell(tags: str, source: str, output_class: str, text: str) -> str:
    return (
        f'<div class="cell {tags} docutils container"><div class="cell_input docutils container"><pre>{source}</pre>'
        f'</div><div class="cell_output docutils container"><div class="output {output_class}"><pre>{text}</pre>'
        "</div></div></div>"
    )


TRACEBACK = "----\nRuntimeError   Traceback (most recent call last)\nCell In[5]\nRuntimeError: mat1 and mat2 shapes"


def test_scanner_allows_a_traceback_in_a_tagged_cell():
    page = cell("tag_raises-exception", "m @ x", "traceback highlight-ipythontb", TRACEBACK)
    assert find_leaks(page, "p.html") == []


def test_scanner_reports_a_traceback_in_an_untagged_cell_with_page_and_cell():
    page = cell("", "print(1)", "stream", "1") + cell("tag_hide-input", "m @ x", "traceback", TRACEBACK)
    (leak,) = find_leaks(page, "book/ch.html")
    assert leak.page == "book/ch.html" and "code cell 2" in leak.cell and "'m @ x'" in leak.cell
    assert "RuntimeError: mat1" in leak.what


def test_scanner_reports_a_printed_traceback_and_error_line():
    printed = "epoch 1\nTraceback (most recent call last):\n  File ...\nValueError: bad"
    assert len(find_leaks(cell("", "run()", "stream", printed), "p.html")) == 1
    assert len(find_leaks(cell("", "run()", "stderr", "torch.OutOfMemoryError: CUDA"), "p.html")) == 1


def test_scanner_ignores_ordinary_outputs():
    page = cell("", "print(x)", "stream", "mean squared error: 0.07\nNo error here") + cell("", "x", "text_plain", "5")
    assert find_leaks(page, "p.html") == []


def test_scanner_reports_a_tagged_cell_without_error():
    page = cell("tag_raises-exception", "m @ x.T", "stream", "fine")
    assert len(tagged_cells_without_error(page, "p.html")) == 1


# ---- the built book ------------------------------------------------------------------------------------------


def test_no_page_shows_an_error_outside_raises_exception_cells(built_book):
    html_dir = built_book / "html"
    found = pages(html_dir)
    assert found, f"no pages in {html_dir}"
    leaks = [
        leak for p in found for leak in find_leaks(p.read_text(encoding="utf-8"), p.relative_to(html_dir).as_posix())
    ]
    assert not leaks, "errors shown in the book:\n" + "\n".join(map(str, leaks))


def test_cells_tagged_raises_exception_show_their_error(built_book):
    html_dir = built_book / "html"
    stale = [
        leak
        for p in pages(html_dir)
        for leak in tagged_cells_without_error(p.read_text(encoding="utf-8"), p.relative_to(html_dir).as_posix())
    ]
    assert not stale, "\n".join(map(str, stale))
