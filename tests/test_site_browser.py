"""The built site in a real browser: Debian's Chromium, headless, driven by Playwright.

Every page of the table of contents is loaded from a local web server. Each must load, show every
image (loaded, with alt text), play every animation, show its glued numbers, and log no console
error of its own. The search page must find each chapter by a word of its title. A screenshot of
every page goes to ``_build/screenshots/``.

The browser is the system's ``/usr/bin/chromium`` (``make browser-deps`` installs it with apt);
Playwright's own browser download is never used. The pages get no network: any request that
leaves 127.0.0.1 is aborted, so the test is the same offline and online.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from bookutils import ROOT, chapters, executed_notebook, glued_values

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Console errors we accept, by exact message, each with the reason. Anything else fails the test.
# Requests that leave the local server are aborted (the test runs offline), and Chromium reports each
# as "Failed to load resource: net::ERR_FAILED"; those are accepted only for the third-party URLs below.
ALLOWED_EXTERNAL = {
    # MathJax renders the formulas; Jupyter Book loads it from its CDN. Offline the formulas stay as
    # TeX source, which the reader of the published site (online) never sees.
    "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js": "MathJax from its CDN (third-party, online only)",
    # ipywidgets' HTML manager and its loader, which myst-nb adds to pages that hold widget state.
    # The page shows a precomputed static equivalent of the widget, so nothing is lost offline.
    "https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.4/require.min.js": "require.js for widget embedding (third-party)",
    "https://cdn.jsdelivr.net/npm/@jupyter-widgets/html-manager@^1.0.1/dist/embed-amd.js": "ipywidgets embed manager (third-party)",
}
ALLOWED_MESSAGES: dict[str, str] = {
    # The exact text Chromium logs for a request the test aborted; accepted only when its URL is above.
    "Failed to load resource: net::ERR_FAILED": "an aborted third-party request (its URL must be in ALLOWED_EXTERNAL)",
}


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
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                pages.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    return [p for p in pages if (ROOT / f"{p}.md").exists()]


PAGES = toc_pages()
CHAPTER_STEMS = {p.relative_to(ROOT).with_suffix("").as_posix(): p for p in chapters()}


class PageVisit:
    """A page opened in a fresh tab, with its console errors and the external requests it tried."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
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
        bad = []
        for text, where in self.errors:
            if text in ALLOWED_MESSAGES and text.startswith("Failed to load resource"):
                if where in ALLOWED_EXTERNAL:
                    continue
            elif text in ALLOWED_MESSAGES:
                continue
            bad.append((text, where))
        return bad

    def close(self):
        self.context.close()


def _screenshot(page, docname: str) -> None:
    folder = ROOT / "_build" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{docname.replace('/', '__')}.png"), full_page=True)


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
            player.locator("button[onclick*='.pause_animation()']").first.click()

        # glued numbers are visible in the text and are the chapter's numbers
        chapter = CHAPTER_STEMS.get(docname)
        if chapter is not None:
            glued = glued_values(executed_notebook(chapter))
            numbers = [float(v) for v in glued.values() if isinstance(v, (int, float)) and not isinstance(v, bool)]
            pasted = page.locator("article .pasted-text, article .pasted-inline")
            if glued:
                assert pasted.count() > 0, f"{docname} glued {len(glued)} values but shows none in its text."
            for j in range(pasted.count()):
                span = pasted.nth(j)
                text = span.inner_text().strip()
                assert text, f"{docname}: glued value {j + 1} is empty."
                assert span.is_visible(), f"{docname}: glued value {text!r} is not visible."
                if re.search(r"\d", text) and numbers:
                    assert _numbers_close(text, numbers), (
                        f"{docname}: {text!r} is not among the chapter's glued numbers."
                    )

        unexpected = sorted(set(visit.external) - set(ALLOWED_EXTERNAL))
        assert not unexpected, f"{docname} requested external resources that are not allow-listed: {unexpected}"
        errors = visit.unexpected_errors()
        assert not errors, f"{docname}: console errors of our own:\n" + "\n".join(f"{t}  ({w})" for t, w in errors)
        _screenshot(page, docname)
    finally:
        visit.close()


def _title_word(chapter: Path) -> str:
    """The longest word of a chapter's title: a word the search must find it by."""
    title = next(line for line in chapter.read_text().splitlines() if line.startswith("# "))
    words = re.findall(r"[A-Za-z]{4,}", title)
    return max(words, key=len).lower()


@pytest.mark.parametrize("chapter", chapters(), ids=[p.stem for p in chapters()])
def test_search_finds_chapter(site, browser, chapter):
    base, _ = site
    word = _title_word(chapter)
    visit = PageVisit(browser, f"{base}/search.html?q={word}")
    try:
        page = visit.page
        page.wait_for_selector("#search-results ul.search li", timeout=15000)
        links = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(a => a.href)")
        target = chapter.relative_to(ROOT).with_suffix(".html").as_posix()
        assert any(target in link for link in links), f"searching {word!r} did not find {target}: {links[:10]}"
        errors = visit.unexpected_errors()
        assert not errors, f"search page: console errors of our own: {errors}"
        _screenshot(page, f"search-{chapter.stem}")
    finally:
        visit.close()
