"""Markup that a reader would see raw: MyST that did not render on the built pages."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from bookutils import ROOT, chapters

CHAPTERS = chapters()
IDS = [p.stem for p in CHAPTERS]
# A line that starts with an HTML comment is an HTML block in CommonMark: the rest of that line is passed
# through as raw HTML, so its roles ({glue:text}, {py:func}) and `code` are never rendered.
COMMENT_THEN_TEXT = re.compile(r"^\s*(?:[-*+]\s+|\d+\.\s+)?<!--.*?-->\s*\S")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_no_line_starts_with_a_comment_followed_by_text(chapter):
    bad = [
        f"{chapter.name}:{i}: {line.strip()[:80]}"
        for i, line in enumerate(chapter.read_text().splitlines(), 1)
        if COMMENT_THEN_TEXT.match(line)
    ]
    assert not bad, "put the comment at the end of the line, after the text it marks:\n" + "\n".join(bad)


def test_the_check_finds_a_comment_that_starts_a_line():
    assert COMMENT_THEN_TEXT.match("<!-- claim: x --> Of the {glue:text}`n` units")
    assert not COMMENT_THEN_TEXT.match("Of the {glue:text}`n` units <!-- claim: x -->")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_no_raw_markup_on_the_page(built_book, chapter):
    """The page's prose holds no MyST role or backtick left unrendered (code and outputs are left out)."""
    page = built_book / "html" / chapter.relative_to(ROOT).with_suffix(".html")
    article = BeautifulSoup(page.read_text(), "html.parser").select_one("article")
    for element in article.select("pre, code, script, style, .cell_output, .output, .math, .highlight"):
        element.decompose()
    text = article.get_text(" ")
    raw = sorted(set(re.findall(r".{0,30}(?:\{[\w:.-]+\}`|`).{0,30}", text)))
    assert not raw, f"{chapter.stem}: markup left raw on the page:\n" + "\n".join(raw)
