"""The built site in a real browser: Debian's Chromium, headless, driven by Playwright, with no network.

Every page of the table of contents is loaded from a local web server; any request that leaves
127.0.0.1 is aborted and fails the test, so the site must read offline (a downloaded copy, a train, a
classroom without internet). Each page must load, show every image (loaded, with alt text), render its
formulas with MathJax served from the site (MathJax's output elements present, no raw ``\\(`` left), play
every animation with the player's icons drawn from the site's own font, show its glued numbers, and log
no console error at all (there is no allow-list). The search page must find each chapter by a word of its
title. Every chapter is also read at a phone's width (390 px: its page resized, which lays it out as a page
loaded at that width; one chapter loaded so in dark mode too): the page does not scroll sideways, every
figure fits the text column and opens its full-size image, and wide tables scroll in their own box. A screenshot of every page's first screen goes to ``_build/screenshots/`` (the whole
page with ``NNBOOK_FULL_SCREENSHOTS=1``: about 2 s a page instead of 0.1 s).

The browser is the system's ``/usr/bin/chromium`` (``make browser-deps`` installs it with apt);
Playwright's own browser download is never used.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from pathlib import Path
from urllib.parse import urlparse

import chapter_files  # book/_ext: the pages of _toc.yml
import pytest
from pdf import CHROMIUM_FLAGS  # tools/pdf.py: the flags Chromium runs with here, in one place

from bookutils import ROOT, chapters, executed_notebook, glued_values

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature is the standard library's
        pass


@pytest.fixture(scope="module")
def site(built_book):
    """``(base URL, html folder)`` of the built book, served on 127.0.0.1 from a thread."""
    html = built_book / "html"
    handler = functools.partial(_QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", html
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def toc_pages() -> list[str]:
    """Every page of _toc.yml (docnames), in book order."""
    return [p for p in chapter_files.pages(ROOT / "_toc.yml") if (ROOT / f"{p}.md").exists()]


PAGES = toc_pages()
CHAPTER_STEMS = {p.relative_to(ROOT).with_suffix("").as_posix(): p for p in chapters()}


class PageVisit:
    """A page opened in a fresh tab, with its console errors and the external requests it tried."""

    def __init__(self, browser, url: str, width: int = 1280, height: int = 900, color_scheme: str = "light"):
        self.context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=color_scheme)
        self.page = self.context.new_page()
        self.errors: list[tuple[str, str]] = []
        self.external: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append((f"uncaught exception: {exc}", url)))
        self.page.route("**/*", self._route)
        self.response = self.page.goto(url, wait_until="load")
        self.page.wait_for_load_state("networkidle")

    def _route(self, route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", None) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def _console(self, msg):
        if msg.type == "error":
            self.errors.append((msg.text, msg.location.get("url", "")))

    def unexpected_errors(self) -> list[tuple[str, str]]:
        """Every console error: the site must log none, online or off."""
        return list(self.errors)

    def close(self):
        self.context.close()


def _screenshot(page, docname: str) -> None:
    folder = ROOT / "_build" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    full = os.environ.get("NNBOOK_FULL_SCREENSHOTS") == "1"
    page.screenshot(path=str(folder / f"{docname.replace('/', '__')}.png"), full_page=full)


def _open_dropdowns(page) -> None:
    """Open every collapsed solution and hidden cell, so everything on the page can be checked."""
    page.evaluate(
        """() => {
        document.querySelectorAll('details').forEach(d => d.open = true);
        document.querySelectorAll('button.toggle-button').forEach(b => {
            if (b.closest('.toggle-hidden') || b.classList.contains('toggle-button-hidden')) b.click();
        });
    }"""
    )


def _numbers_close(shown: str, values: list[float]) -> bool:
    """True when the text ``shown`` (e.g. "0.123", "12.5%", "1,024") is one of ``values`` as printed."""
    text = shown.strip().replace(",", "").replace("\u2212", "-")
    percent = text.endswith("%")
    match = re.fullmatch(r"[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?", text.rstrip("%").strip())
    if not match:
        return False
    number = float(match.group())
    decimals = len(text.rstrip("%").split(".")[1]) if "." in text and "e" not in text.lower() else 0
    tolerance = 0.5 * 10 ** (-decimals) + 1e-12
    for value in values:
        for scale in (100.0, 1.0) if percent else (1.0,):
            if abs(value * scale - number) <= tolerance * max(1.0, abs(number) * 1e-9):
                return True
            # a number printed in scientific notation or with significant digits (".3g")
            if number != 0 and abs(value * scale - number) <= abs(number) * 5e-3:
                return True
    return False


@pytest.mark.parametrize("docname", PAGES)
def test_page(site, browser, docname):
    base, html = site
    url = f"{base}/{docname}.html"
    visit = PageVisit(browser, url)
    try:
        page = visit.page
        assert visit.response is not None and visit.response.ok, f"{url} did not load: {visit.response}"
        assert page.locator("article").count() == 1, f"{url} has no article: the page did not render."
        _open_dropdowns(page)

        # every image has loaded and has alt text
        images = page.evaluate(
            """() => Array.from(document.querySelectorAll('article img')).map(img => ({
                src: img.currentSrc || img.src || '', alt: img.getAttribute('alt') || '',
                complete: img.complete, width: img.naturalWidth, id: img.id}))"""
        )
        for image in images:
            label = image["src"][:80] or image["id"]
            assert image["alt"].strip(), f"{docname}: an image has no alt text: {label}"
            if image["id"].startswith("_anim_img"):
                continue  # checked below, once the animation has drawn a frame
            assert image["complete"] and image["width"] > 0, f"{docname}: an image did not load: {label}"

        # every jshtml animation plays: the frame changes after pressing play
        animations = page.locator("div.animation")
        for i in range(animations.count()):
            player = animations.nth(i)
            player.scroll_into_view_if_needed()
            frame = player.locator("img[id^=_anim_img]")
            before = frame.get_attribute("src")
            assert before, f"{docname}: animation {i + 1} shows no first frame."
            assert frame.evaluate("img => img.naturalWidth") > 0, f"{docname}: animation {i + 1}'s frame did not load."
            slider = player.locator("input[type=range]")
            start = slider.input_value()
            player.locator("button[onclick*='.play_animation()']").first.click()
            page.wait_for_function(
                "([img, src]) => img.getAttribute('src') !== src",
                arg=[frame.element_handle(), before],
                timeout=5000,
            )
            assert slider.input_value() != start, f"{docname}: animation {i + 1} played but its slider did not move."
            _check_player_icons(player, f"{docname}: animation {i + 1}")
            player.locator("button[onclick*='.pause_animation()']").first.click()

        # glued numbers are visible in the text and are the chapter's numbers
        chapter = CHAPTER_STEMS.get(docname)
        if chapter is not None:
            glued = glued_values(executed_notebook(chapter))
            numbers = [float(v) for v in glued.values() if isinstance(v, (int, float)) and not isinstance(v, bool)]
            texts = {v for v in glued.values() if isinstance(v, str)}  # glued text is shown as it is
            pasted = page.evaluate(  # visible as Playwright means it: a non-empty box, not visibility:hidden
                """() => Array.from(document.querySelectorAll('article .pasted-text, article .pasted-inline'))
                .map(el => { const r = el.getBoundingClientRect();
                    return {text: el.innerText.trim(),
                            visible: r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'}; })"""
            )
            if glued:
                assert pasted, f"{docname} glued {len(glued)} values but shows none in its text."
            for j, span in enumerate(pasted):
                text = span["text"]
                assert text, f"{docname}: glued value {j + 1} is empty."
                assert span["visible"], f"{docname}: glued value {text!r} is not visible."
                if re.search(r"\d", text) and numbers and text not in texts:
                    assert _numbers_close(text, numbers), (
                        f"{docname}: {text!r} is not among the chapter's glued numbers."
                    )

        _check_formulas(page, docname)

        assert not visit.external, (
            f"{docname} requested resources from the network (offline they fail): {visit.external}"
        )
        errors = visit.unexpected_errors()
        assert not errors, f"{docname}: console errors:\n" + "\n".join(f"{t}  ({w})" for t, w in errors)
        _screenshot(page, docname)

        if chapter is not None:  # the same page on a phone: the layout a page loaded at 390 px gets
            page.set_viewport_size(PHONE)
            _check_reads_on_a_phone(page, chapter, html)
            assert not visit.errors and not visit.external, (visit.errors, visit.external)
            _screenshot(page, f"phone-light-{chapter.stem}")
    finally:
        visit.close()


def _check_formulas(page, docname: str) -> None:
    """Formulas are typeset by MathJax (loaded from the site): output elements, and no raw TeX left."""
    has_math = page.evaluate("() => document.querySelectorAll('article .math').length") > 0
    if not has_math:
        return
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=15000)
    page.evaluate("() => MathJax.startup.promise")
    rendered = page.evaluate("() => document.querySelectorAll('article mjx-container').length")
    assert rendered > 0, f"{docname}: its formulas were not typeset (no MathJax output): is MathJax served?"
    text = page.locator("article").inner_text()
    raw = re.findall(r"\\\(|\\\[|\$\$", text)
    assert not raw, f"{docname}: {len(raw)} formulas are left as raw TeX"


# The symbols the player's buttons draw, and the font the site serves for them (book/_static/nnbook.css).
PLAYER_FONT = "nnbook player icons"
PLAYER_SYMBOLS = re.compile(r"[\u23e9-\u23fa\u25b6\u25c0]")


def _check_player_icons(player, what: str) -> None:
    """Every icon symbol of the player's buttons is drawn from the site's own icon font (no empty boxes)."""
    labels = player.locator(".anim-buttons button").all_inner_texts()
    symbols = "".join(PLAYER_SYMBOLS.findall("".join(labels)))
    assert symbols, f"{what}: the player's buttons show no icon at all: {labels}"
    faces = player.evaluate(
        """(el, [family, text]) => document.fonts.load(`16px "${family}"`, text)
               .then(faces => faces.map(f => f.family + ':' + f.status))""",
        [PLAYER_FONT, symbols],
    )
    assert faces and all(f.endswith(":loaded") for f in faces), f"{what}: the icon font did not load: {faces}"
    family = player.locator(".anim-buttons button").first.evaluate("b => getComputedStyle(b).fontFamily")
    assert PLAYER_FONT in family, f"{what}: the buttons do not use the icon font ({family})"


PHONE = {"width": 390, "height": 844}
PHONE_CHAPTER = "04-training-well"  # progress tables, multi-panel figures and an animation


def _check_reads_on_a_phone(page, chapter: Path, html: Path) -> None:
    """At 390 px: no sideways page scroll, every figure within the text column and linked to its full-size image,
    every table readable in its own box."""
    docname = chapter.relative_to(ROOT).with_suffix("").as_posix()
    width = page.evaluate("() => document.documentElement.clientWidth")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width + 1, (
        f"{docname} scrolls sideways at 390 px: some output is wider than the screen and not in its own box."
    )
    report = page.evaluate(
        """() => {
        const column = document.querySelector('article').getBoundingClientRect();
        const scroller = el => { for (let a = el.parentElement; a; a = a.parentElement) {
            const s = getComputedStyle(a).overflowX;
            if ((s === 'auto' || s === 'scroll') && a.scrollWidth > a.clientWidth) return a; } return null; };
        const tables = Array.from(document.querySelectorAll('article .cell_output table')).map(t => {
            const r = t.getBoundingClientRect(), box = scroller(t);
            return {fits: r.right <= column.right + 1,
                    scrolls: !!box && box.getBoundingClientRect().right <= column.right + 1}; });
        const shown = Array.from(document.querySelectorAll(
            'article .cell_output img, article .animation, article .nnbook-sliders'))
            .filter(el => el.tagName !== 'IMG' || (!el.closest('.animation') && el.naturalWidth > 0));
        const figures = shown.map(el => {
            const r = el.getBoundingClientRect(), link = el.closest('a');
            return {what: el.tagName === 'IMG' ? 'figure' : el.className, natural: el.naturalWidth || 0,
                    left: r.left, right: r.right, link: link ? link.getAttribute('href') : null,
                    src: el.getAttribute('src')}; });
        return {column: {left: column.left, right: column.right}, tables, figures}; }"""
    )
    column, figures = report["column"], report["figures"]
    assert figures, f"{docname} shows no figure: the check would prove nothing."
    page_dir = (html / docname).parent
    for n, fig in enumerate(figures, 1):
        assert fig["left"] >= column["left"] - 1 and fig["right"] <= column["right"] + 1, (
            f"{docname}: {fig['what']} {n} is wider than the text column at 390 px: {fig} (column {column})"
        )
        if fig["what"] == "figure":
            assert fig["link"] == fig["src"], f"{docname}: figure {n} does not open its full-size image: {fig}"
            assert (page_dir / fig["link"]).resolve().exists(), f"{docname}: figure {n}'s link is broken"
    for n, table in enumerate(report["tables"], 1):
        assert table["fits"] or table["scrolls"], f"{docname}: table {n} loses its right-hand columns: {table}"
    if chapter.stem == PHONE_CHAPTER:
        assert report["tables"], f"{PHONE_CHAPTER} shows no progress table: the check would prove nothing."
        assert any(f["natural"] > width for f in figures), "no figure wider than a phone: nothing was checked."


@pytest.mark.parametrize("chapter", [p for p in chapters() if p.stem == PHONE_CHAPTER], ids=lambda p: p.stem)
def test_chapter_reads_on_a_phone_in_dark_mode(site, browser, chapter):
    """The chapter with the most kinds of output, loaded at 390 px in dark mode (every chapter is read at 390 px
    in light mode by ``test_page``; the theme's colours change no widths)."""
    base, html = site
    docname = chapter.relative_to(ROOT).with_suffix("").as_posix()
    visit = PageVisit(browser, f"{base}/{docname}.html", **PHONE, color_scheme="dark")
    try:
        assert visit.page.evaluate("document.documentElement.dataset.theme") == "dark", "the page is not in dark mode"
        _open_dropdowns(visit.page)
        _check_reads_on_a_phone(visit.page, chapter, html)
        assert not visit.errors and not visit.external, (visit.errors, visit.external)
        _screenshot(visit.page, f"phone-dark-{chapter.stem}")
    finally:
        visit.close()


def _title_word(chapter: Path) -> str:
    """The longest word of a chapter's title: a word the search must find it by."""
    title = next(line for line in chapter.read_text().splitlines() if line.startswith("# "))
    words = re.findall(r"[A-Za-z]{4,}", title)
    return max(words, key=len).lower()


SEARCH_FINISHED = "() => /found \\d+ page/.test(document.querySelector('#search-results .search-summary')?.innerText)"


def _empty_page(route) -> None:
    route.fulfill(status=200, content_type="text/html", body="")


def test_search_finds_every_chapter(site, browser):
    """Each chapter by the longest word of its title, searched one after another in one tab (as a reader does)."""
    base, _ = site
    visit = PageVisit(browser, f"{base}/search.html")
    try:
        page = visit.page
        # Each hit's summary is fetched from its page (up to 600 kB, parsed in the browser): those fetches get
        # an empty page, which the search shows without a summary. The page tests read the pages themselves.
        page.route(re.compile(r".*/(?!search\.html)[^/?]+\.html(\?.*)?$"), _empty_page)
        for chapter in chapters():
            word = _title_word(chapter)
            page.goto(f"{base}/search.html?q={word}", wait_until="load")
            page.wait_for_function(SEARCH_FINISHED, timeout=15000)
            links = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(a => a.href)")
            target = chapter.relative_to(ROOT).with_suffix(".html").as_posix()
            assert any(target in link for link in links), f"searching {word!r} did not find {target}: {links[:10]}"
            _screenshot(page, f"search-{chapter.stem}")
        errors = visit.unexpected_errors()
        assert not errors, f"search page: console errors: {errors}"
        assert not visit.external, f"search page requested resources from the network: {visit.external}"
    finally:
        visit.close()
