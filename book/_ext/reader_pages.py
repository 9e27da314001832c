"""Sphinx extension: what a reader of a chapter page gets besides the text.

- The download menu offers the chapter's paired ``.py`` script next to the ``.ipynb`` and ``.md``
  (the script is copied to ``_sources/`` beside them).
- The pages log no console errors of their own making (see ``_dedupe_scripts``).
- Every image has alt text. A figure produced by a code cell without an explicit alt text (the
  cell metadata ``mystnb: image: alt:``) is described by the cell's first comment line or,
  failing that, as the figure drawn by the code cell above it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

GENERIC_ALT = "Figure drawn by the code cell above"


def _cell_description(image: nodes.image) -> str | None:
    """A title set in the code cell whose output holds ``image`` (``title="..."``), or its first comment."""
    node = image.parent
    while node is not None and "cell" not in node.get("classes", []):
        node = node.parent
    if node is None:
        return None
    for block in node.findall(nodes.literal_block):
        titles = re.findall(r"""(?:title|suptitle)\s*[=(]\s*f?["']([^"'{}]{8,})["']""", block.astext())
        if titles:
            return "; ".join(dict.fromkeys(titles))
        for line in block.astext().splitlines():
            text = line.strip()
            if text.startswith("#") and len(text) > 2:
                return text.lstrip("# ").rstrip(".")
        break
    return None


class ImageAltText(SphinxPostTransform):
    """Give each image without alt text a description (the theme would otherwise use its file name)."""

    default_priority = 300  # after myst-nb turned the outputs into images (priority 4)

    def run(self, **kwargs) -> None:
        for image in self.document.findall(nodes.image):
            if not image.get("alt"):
                description = _cell_description(image)
                image["alt"] = f"Figure: {description}" if description else GENERIC_ALT


def _add_script_download(app, pagename, templatename, context, doctree) -> None:
    """Add ``.py`` to a chapter's download menu when the chapter has a paired script."""
    if doctree is None or not context.get("page_source_suffix"):
        return
    script = Path(app.env.doc2path(pagename)).with_suffix(".py")
    if not script.exists():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.py"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(script, target)
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            buttons = group["buttons"]
            where = next((i for i, b in enumerate(buttons) if b.get("label") == "download-source-button"), len(buttons))
            buttons.insert(
                where + 1,
                {
                    "type": "link",
                    "url": f"{context['pathto']('_sources', 1)}/{pagename}.py",
                    "text": ".py",
                    "tooltip": "Download the chapter as a Python script",
                    "icon": "fas fa-file-code",
                    "label": "download-script-button",
                },
            )


def _dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    """Drop repeated inline scripts: sphinx-thebe registers its settings twice, and the second
    ``const THEBE_JS_URL`` declaration throws "Identifier 'THEBE_JS_URL' has already been declared"."""
    seen, kept = set(), []
    for script in context.get("script_files", []):
        # the same inline script arrives once with filename None and once with "" (from the registry)
        key = (str(getattr(script, "filename", script) or ""), repr(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def setup(app):
    app.connect("html-page-context", _dedupe_scripts, priority=900)  # after every extension added its scripts
    app.add_post_transform(ImageAltText)
    # after sphinx-book-theme has built its download menu (priority 501)
    app.connect("html-page-context", _add_script_download, priority=502)
    return {"version": "1.0", "parallel_read_safe": True}
