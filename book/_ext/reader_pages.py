"""Sphinx extension: what a reader of a chapter page gets besides the text.

- The download menu offers the chapter's paired ``.py`` script (copied to ``_sources/``) next to the
  ``.ipynb`` and ``.md``, and on every page the whole book as a PDF (``nnbook.pdf``, written by ``make pdf``).
- Every image has alt text: a figure whose cell sets none (cell metadata ``mystnb: image: alt:``) is
  described by a title set in its cell (``title="..."``), or the cell's first comment line.
- Every figure of a cell's output links to its full-size image: on a phone the figure is scaled to the
  column's width, and a tap opens it at full size.
- sphinx-thebe registers its settings script twice; the second ``const THEBE_JS_URL`` throws in the
  browser console, so repeated inline scripts are dropped (no report of it found in sphinx-thebe's tracker).
"""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.osutil import relative_uri

GENERIC_ALT = "Figure drawn by the code cell above"
TITLE = re.compile(r"""(?:title|suptitle)\s*[=(]\s*f?["']([^"'{}]{8,})["']""")


def _cell_description(image: nodes.image) -> str | None:
    """A title set in the code cell whose output holds ``image``, or the cell's first comment."""
    cell = image.parent
    while cell is not None and "cell" not in cell.get("classes", []):
        cell = cell.parent
    code = next(cell.findall(nodes.literal_block), None) if cell is not None else None
    if code is None:
        return None
    comments = [line.strip()[2:].rstrip(".") for line in code.astext().splitlines() if line.strip()[:2] == "# "]
    return "; ".join(dict.fromkeys(TITLE.findall(code.astext()))) or next(iter(comments), None)


class ImageAltText(SphinxPostTransform):
    default_priority = 300  # after myst-nb turned the outputs into images (priority 4)

    def run(self, **kwargs) -> None:
        for image in (i for i in self.document.findall(nodes.image) if not i.get("alt")):
            image["alt"] = f"Figure: {description}" if (description := _cell_description(image)) else GENERIC_ALT


class FullSizeImageLink(SphinxPostTransform):
    default_priority = 310  # after the alt text; before the builder links scaled images (which skips linked ones)
    formats = ("html",)

    def run(self, **kwargs) -> None:
        builder, images = self.app.builder, self.env.images
        folder = relative_uri(builder.get_target_uri(self.env.docname), builder.imagedir)
        for image in list(self.document.findall(nodes.image)):
            in_output = any("cell_output" in a.get("classes", []) for a in _ancestors(image))
            if not in_output or isinstance(image.parent, nodes.reference) or image["uri"] not in images:
                continue
            link = nodes.reference("", "", internal=True, classes=["nnbook-full-size"])
            link["refuri"] = posixpath.join(folder, images[image["uri"]][1])
            link["reftitle"] = "Open the full-size image"
            image.replace_self(link)
            link.append(image)


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def _add_downloads(app, pagename, templatename, context, doctree) -> None:
    """The chapter's script (after the theme's ``.md``) and, on the site, the PDF edition in the download menu."""
    script, buttons = Path(app.env.doc2path(pagename)).with_suffix(".py"), []
    if doctree is not None and context.get("page_source_suffix") and script.exists():
        (Path(app.outdir) / "_sources" / pagename).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(script, Path(app.outdir) / "_sources" / f"{pagename}.py")
        buttons.append(
            (f"_sources/{pagename}.py", "script", ".py", "Download the chapter as a Python script", "file-code")
        )
    if app.builder.name == "html":  # made by `make pdf`, from the single-page build
        buttons.append(("nnbook.pdf", "book-pdf", "book .pdf", "Download the whole book as a PDF", "book"))
    for group in (g for g in context.get("header_buttons", []) if g.get("label") == "download-buttons"):
        labels = [b.get("label") for b in group["buttons"]]
        where = labels.index("download-source-button") + 1 if "download-source-button" in labels else len(labels)
        for n, (url, name, text, tip, icon) in enumerate(buttons):
            button = {"type": "link", "url": context["pathto"](url, 1), "text": text, "tooltip": tip}
            group["buttons"].insert(where + n, {**button, "icon": f"fas fa-{icon}", "label": f"download-{name}-button"})


def _dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    seen, kept = set(), []
    for script in context.get("script_files", []):  # the same inline script comes with filename None and ""
        key = (str(getattr(script, "filename", script) or ""), repr(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def setup(app):
    app.add_post_transform(ImageAltText)
    app.add_post_transform(FullSizeImageLink)
    app.connect("html-page-context", _add_downloads, priority=502)  # after the theme's download menu (501)
    app.connect("html-page-context", _dedupe_scripts, priority=900)  # after every extension added its scripts
    return {"version": "1.0", "parallel_read_safe": True}
