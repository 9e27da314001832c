"""The PDF edition: the book's single-page HTML build, printed by Chromium (``make pdf``).

1. ``jupyter-book build --builder singlehtml`` writes the whole book as one page (``_build/singlehtml``),
   with the executed outputs from the same execution cache as the HTML site (no chapter runs twice).
2. Debian's Chromium, driven by Playwright (never Playwright's downloaded browser), opens that page from a
   local server with every other request refused, unfolds what the site folds (solutions, hidden cells),
   leaves each animation on its first frame, waits for MathJax to typeset every formula and for every image
   to load, and prints it with the print styles of ``book/_static/nnbook.css`` to ``_build/pdf/nnbook.pdf``.

Usage: ``python tools/pdf.py [--no-build] [--out PATH]``; ``--no-build`` prints an existing singlehtml build.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
SINGLEHTML = ROOT / "_build" / "singlehtml"
PDF = ROOT / "_build" / "pdf" / "nnbook.pdf"
CHROMIUM = os.environ.get("NNBOOK_CHROMIUM") or "/usr/bin/chromium"  # Debian's (make pdf CHROMIUM=... for another)
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# What the site folds or animates, made plain for paper: every fold open, each animation on its first frame
# (its controls hidden by the print styles), then wait for the formulas and the images.
PREPARE = """async () => {
    document.querySelectorAll('details').forEach(d => { d.open = true; });
    document.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
    document.querySelectorAll('.toggle-details__container, .toggle-content').forEach(e => { e.hidden = false; });
    if (window.MathJax && MathJax.startup) {
        await MathJax.startup.promise;
        if (MathJax.typesetPromise) await MathJax.typesetPromise();
    }
    await Promise.all(Array.from(document.images).map(img => img.complete ? null :
        new Promise(done => { img.onload = img.onerror = done; })));
    return {
        images: document.querySelectorAll('article img').length,
        formulas: document.querySelectorAll('mjx-container').length,
    };
}"""


def build_singlehtml() -> None:
    """The single-page build, with execution from the cache (the chapters run only if they changed)."""
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # the kernel must draw inline figures
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    subprocess.run([str(jupyter_book), "build", str(ROOT), "--builder", "singlehtml"], cwd=ROOT, env=env, check=True)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature is the standard library's
        pass


def _root_page(site: Path) -> Path:
    """The whole book's page, copied to the top of ``site``.

    Sphinx's single-page builder writes the book to ``<root document>.html`` (``book/intro.html``) but links
    its styles, scripts and images as if that page stood at the top of the build, so a copy there
    (``nnbook.html``) finds them all.
    """
    import yaml

    root = yaml.safe_load((ROOT / "_toc.yml").read_text())["root"]
    built = site / f"{root}.html"
    if not built.exists():
        raise FileNotFoundError(f"{built} is missing: build it first (python tools/pdf.py without --no-build).")
    page = site / "nnbook.html"
    page.write_bytes(built.read_bytes())
    return page


def print_pdf(site: Path = SINGLEHTML, out: Path = PDF) -> dict:
    """Print ``site/index.html`` to ``out`` with Chromium; returns what was printed (images, formulas, pages)."""
    from playwright.sync_api import sync_playwright

    page = _root_page(site)
    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(f"{CHROMIUM} is missing: run `make browser-deps` (apt-get install chromium).")
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
            tab = browser.new_page(viewport={"width": 1000, "height": 1400})
            outside: list[str] = []

            def route(r):
                if urlparse(r.request.url).hostname in ("127.0.0.1", None):
                    r.continue_()
                else:
                    outside.append(r.request.url)
                    r.abort()

            tab.route("**/*", route)
            tab.goto(f"http://127.0.0.1:{server.server_address[1]}/{page.name}", wait_until="networkidle")
            tab.emulate_media(media="print", color_scheme="light")
            found = tab.evaluate(PREPARE)
            tab.pdf(
                path=str(out),
                format="A4",
                margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
                print_background=True,
                outline=True,
                tagged=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=(
                    '<div style="font-size:8px;width:100%;text-align:center;color:#666">'
                    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
                ),
            )
            browser.close()
    finally:
        server.shutdown()
    if outside:
        print(f"refused {len(outside)} requests to other machines: {outside[:5]}", file=sys.stderr)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="print the existing _build/singlehtml")
    parser.add_argument(
        "--out", type=Path, default=PDF, help=f"where to write the PDF (default {PDF.relative_to(ROOT)})"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if not args.no_build:
        build_singlehtml()
    built = time.perf_counter()
    found = print_pdf(out=args.out)
    done = time.perf_counter()
    size = args.out.stat().st_size / 1e6
    print(
        f"wrote {args.out} ({size:.1f} MB, {found['images']} images, {found['formulas']} formulas): "
        f"singlehtml build {built - start:.0f} s, printing {done - built:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
