"""Chapter pages as a reader without a kernel sees them: chapter 2's page holds no ipywidgets output (which a
static page cannot draw), shows its small multiples at six slider settings, and the source of its linear class.

These read the built HTML; the chapters' numbers and claims (tests/chapters/) read only the executed notebooks,
so that the build under other CPU kernels (``make test-other-cpu``) need not write pages.
"""

from __future__ import annotations

import re

PAGE = "html/book/01-foundations/02-global-temperature.html"


def _page(built_book) -> str:
    path = built_book / PAGE
    assert path.exists(), f"{path} was not built."
    return path.read_text(encoding="utf-8")


def test_page_has_no_dead_widget(built_book):
    html = _page(built_book)
    for leftover in (
        "application/vnd.jupyter.widget-view+json",  # a widget output
        "application/vnd.jupyter.widget-state+json",  # widget models saved by the executed notebook
        "@jupyter-widgets/html-manager",  # the script that would try to draw them
        "interactive(children=",  # the text fallback of an interact() output
        "FloatSlider(",
    ):
        assert leftover not in html, f"the static page contains widget output: {leftover!r}"


def test_page_shows_the_small_multiples(built_book):
    html = _page(built_book)
    assert "six slider settings" in html  # the caption of the precomputed equivalent
    # data, 5 loss-beside-fit figures, hinge features, slider panels, 2023–2024 check
    assert len(re.findall(r"<img\b", html)) >= 9


def test_page_shows_the_linear_class_source(built_book):
    html = _page(built_book)
    assert "class" in html and "def forward" in re.sub(r"<[^>]+>", "", html)
