"""Sphinx extension: write the launch notebooks, each chapter as a plain notebook that Colab and Binder show.

Jupyter, Colab and Binder render plain Markdown and LaTeX only, so a MyST chapter opened as it is shows its
roles and directives as raw text. At the end of every HTML build this writes, for every chapter of the
book, ``<build folder>/notebooks/<page>.ipynb`` (``_build/notebooks/book/01-foundations/01-line-by-hand.ipynb``)
from the chapter's source and *this build's* results, so a launch notebook quotes the numbers of the site
built beside it. The publishing workflow pushes them, with the commit they were built from, to the branch
the launch buttons open (``repository.branch`` and ``path_to_book: notebooks`` in ``_config.yml``).

- glued numbers (``{glue:text}`name:.3f```) become the numbers, formatted as on the page, read from this
  build's executed notebook (``_build/jupyter_execute``); the values are kept in the metadata (``nnbook.glue``);
- cross-references (``{py:func}``, ``{doc}``, ``{ref}``, ``{cite}``) become links to the page and anchor the
  build gave them on the site (``html.baseurl``);
- solutions become HTML ``<details>`` (their code cells start collapsed); other directives block quotes;
- code cells are kept as they are; tags are dropped (Colab ignores them, so a cell that raises stops
  "Run all" there, and the tests that run these notebooks see the same).

Markup the chapters do not use (figures, glued figures, equations, ...) becomes a block quote or its text, and
the tests fail on any MyST left in a launch notebook: a chapter that takes it up adds its case here.
(sphinx-tojupyter 0.6, a Sphinx builder of notebooks, was tried on chapter 1: it shows the solutions unfolded,
drops a sentence's end after a link, sends exercise references to the site's home page and prints citations
as ``[]``; and it reads every page a second time.)
"""

from __future__ import annotations

import ast
import hashlib
import json
import posixpath
import re
from pathlib import Path

import jupytext
import nbformat

FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
ROLE = re.compile(r"\{(?P<name>[\w:.+-]+)\}`(?P<content>[^`]*)`")
INLINE_CODE = re.compile(r"(?P<ticks>`+)(?:(?!(?P=ticks)).)+?(?P=ticks)")
TOKEN = re.compile(f"{ROLE.pattern}|{INLINE_CODE.pattern}")  # a role, or inline code (left as it is)
SOLUTION = re.compile(r"(<!-- solution-(?:start|end) -->)")  # sphinx-exercise's gated solution, for build_notebook
TITLED = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
LINK = re.compile(r"(?P<bang>!?)\[(?P<text>[^\]]*)\]\((?P<url>[^)\s]+)(?P<rest>[^)]*)\)")
COLLAPSED = {"solution", "dropdown", "toggle"}
PY_ROLES = {"func", "meth", "class", "mod", "obj", "attr", "data", "exc", "const"}


class Site:
    """Where the build put each page, label and API entry, as URLs of the published site."""

    def __init__(self, app):
        self.env, self.url = app.env, app.config.html_baseurl.rstrip("/") + "/"
        repository = app.config.html_theme_options.get("repository_url", "").rstrip("/")
        branch = app.config.html_theme_options.get("repository_branch", "main")
        self.raw = repository.replace("https://github.com/", "https://raw.githubusercontent.com/") + f"/{branch}/"

    def page(self, docname: str, anchor: str = "") -> str:
        return f"{self.url}{docname}.html" + (f"#{anchor}" if anchor else "")

    def title(self, docname: str) -> str:
        return self.env.titles[docname].astext() if docname in self.env.titles else docname

    def label(self, label: str) -> tuple[str, str, str] | None:
        """(page, anchor, title) of a ``(label)=`` target."""
        return self.env.get_domain("std").labels.get(label)

    def api(self, name: str) -> str | None:
        entry = self.env.get_domain("py").objects.get(name)
        return self.page(entry.docname, entry.node_id) if entry else None


class Converter:
    """MyST markdown of one chapter → plain Markdown that Jupyter and Colab render."""

    def __init__(self, docname: str, site: Site, glue: dict[str, str]):
        self.docname, self.folder, self.site, self.glue = docname, posixpath.dirname(docname), site, glue
        self.missing: set[str] = set()

    def inline(self, text: str) -> str:
        """Roles and local links of one line; inline code stays as it is."""
        out, pos = [], 0
        for match in TOKEN.finditer(text):
            out += [LINK.sub(self._link, text[pos : match.start()]), self._role(match) if match["name"] else match[0]]
            pos = match.end()
        return "".join(out) + LINK.sub(self._link, text[pos:])

    def _link(self, match: re.Match) -> str:
        url = match["url"]
        if re.match(r"^[a-z][a-z0-9+.-]*:", url) or url.startswith("#"):
            return match.group()
        path, _, anchor = url.partition("#")
        target = posixpath.normpath(path[1:] if path.startswith("/") else posixpath.join(self.folder, path))
        if not match["bang"] and target.endswith((".md", ".ipynb")):
            return f"[{match['text']}]({self.site.page(target.rsplit('.', 1)[0], anchor)}{match['rest']})"
        return f"{match['bang']}[{match['text']}]({self.site.raw}{target}{match['rest']})"

    def _role(self, match: re.Match) -> str:
        name, content = match["name"], match["content"]
        titled = TITLED.match(content)
        title, target = (titled["title"], titled["target"]) if titled else ("", content)
        domain, _, kind = name.rpartition(":")
        if name.startswith("glue"):
            key, _, spec = target.partition(":")
            return self._glued(key.strip(), spec.strip())
        if domain in ("py", "") and kind in PY_ROLES:
            full = target.lstrip("~!")
            shown = title or (full.rsplit(".", 1)[-1] if target.startswith("~") else full)
            shown += "()" if kind in ("func", "meth") and not title else ""
            url = self.site.api(full)  # another project's name (PyTorch, NumPy, ...) is shown, not linked
            return f"[`{shown}`]({url})" if url else f"`{shown}`"
        if name == "doc":
            page = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(self.folder, target))
            return f"[{title or self.site.title(page)}]({self.site.page(page)})"
        if name in ("ref", "numref") and (found := self.site.label(target)):
            return f"[{title or found[2]}]({self.site.page(found[0], found[1])})"
        if name.startswith("cite"):
            keys = ", ".join(k.strip() for k in target.split(","))
            return f"[[{keys}]]({self.site.page(self.docname)})"
        return f"${content}$" if name == "math" else title or target

    def _glued(self, key: str, spec: str) -> str:
        """The value as myst-nb's ``glue:text`` shows it: its ``text/plain`` read back as a Python literal,
        converted for the format's type letter, then formatted."""
        if key not in self.glue:
            self.missing.add(key)
            return f"`{key}`"
        try:
            value = ast.literal_eval(self.glue[key])
        except (SyntaxError, ValueError):
            value = self.glue[key]
        if not spec:
            return str(value)
        convert = {**dict.fromkeys("s", str), **dict.fromkeys("bcdoxX", int), **dict.fromkeys("eEfFgGn%", float)}
        return format(convert.get(spec[-1], lambda v: v)(value), spec)

    def markdown(self, text: str) -> str:
        """A markdown cell's MyST → plain Markdown."""
        lines, out, i = text.splitlines(), [], 0
        while i < len(lines):
            line = lines[i]
            if fence := FENCE.match(line):
                end = next((j for j in range(i + 1, len(lines)) if _closes(lines[j], fence["fence"])), len(lines))
                directive = re.match(r"^\{(?P<name>[^}]+)\}\s*(?P<arg>.*)$", fence["info"].strip())
                if directive:
                    out += self.directive(directive["name"].strip(), directive["arg"].strip(), lines[i + 1 : end])
                elif fence["fence"][0] == ":":
                    out += self.markdown("\n".join(lines[i + 1 : end])).splitlines()
                else:
                    out += lines[i : end + 1]
                i = end + 1
            else:  # a MyST target, comment or block break is dropped
                if not (re.fullmatch(r"\([^()]+\)=\s*", line) or line.startswith("%") or line.strip() == "+++"):
                    out.append(self.inline(line))
                i += 1
        return "\n".join(out).strip("\n")

    def directive(self, name: str, arg: str, body: list[str]) -> list[str]:
        options, k = {}, 0
        while k < len(body) and (option := re.match(r"^:([\w-]+):\s*(.*)$", body[k])):
            options[option[1]], k = option[2], k + 1
        inner, base = self.markdown("\n".join(body[k:])), name.split(":")[-1]
        if base in ("solution-start", "solution-end"):
            return ["", f"<!-- {base} -->", ""]
        title = (
            self.inline(arg) if base in ("admonition", "dropdown") else base.capitalize() + (f": {arg}" if arg else "")
        )
        if base in COLLAPSED or "dropdown" in options.get("class", "").split():
            return [
                "<details>",
                f"<summary>{'Solution' if base == 'solution' else title}</summary>",
                "",
                inner,
                "",
                "</details>",
            ]
        quoted = [f"> **{title}**", ">"] + [f"> {ln}".rstrip() for ln in inner.splitlines()]
        return ["", *quoted, ""]


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and set(stripped) == {fence[0]} and len(stripped) >= len(fence)


def build_glue(executed: Path) -> dict[str, str]:
    """Name → ``text/plain`` of every value a build's executed notebook glued."""
    values = {}
    for cell in json.loads(executed.read_text())["cells"]:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            text = next((v for k, v in out.get("data", {}).items() if k.endswith("text/plain")), None)
            if name and text is not None:
                values[name] = "".join(text) if isinstance(text, list) else text
    return values


def build_notebook(
    chapter: Path, docname: str, site: Site, glue: dict[str, str], title: str = ""
) -> nbformat.NotebookNode:
    """The launch notebook of ``chapter`` (page ``docname``), with ``glue`` (name → text/plain) written in."""
    convert, cells, in_solution = Converter(docname, site, glue), [], False
    for cell in jupytext.read(chapter).cells:
        if cell.cell_type == "markdown":  # a solution's prose, between solution-start and -end, is collapsed
            parts = []
            for part in (p.strip("\n") for p in SOLUTION.split(convert.markdown(cell.source))):
                if SOLUTION.fullmatch(part):
                    in_solution = part.endswith("start -->")
                elif part.strip():
                    parts.append(
                        f"<details>\n<summary>Solution</summary>\n\n{part}\n\n</details>" if in_solution else part
                    )
            cells += [nbformat.v4.new_markdown_cell("\n\n".join(parts))] if parts else []
        elif cell.cell_type == "code":
            code, tags = nbformat.v4.new_code_cell(cell.source), set(cell.metadata.get("tags", []))
            if in_solution or tags & {"hide-input", "hide-cell", "remove-input", "remove-cell"}:
                code.metadata["jupyter"] = {"source_hidden": True}
            cells.append(code)
    if convert.missing:
        raise KeyError(f"{docname}: no glued value in the build for {sorted(convert.missing)}")
    banner = (
        f"*This notebook is a chapter of the book [{title}]({site.url}), written from `{docname}.md` by the "
        f"build that published the [book's page]({site.page(docname)}), which shows it with every output. "
        "Run the cells from the top (Run all): the first one installs the book's package when it is missing.*"
    )
    first = 1 if cells and cells[0].cell_type == "markdown" and cells[0].source.startswith("# ") else 0
    cells.insert(first, nbformat.v4.new_markdown_cell(banner))
    for i, cell in enumerate(cells):
        cell["id"] = hashlib.sha1(f"{docname}:{i}".encode()).hexdigest()[:8]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "nnbook": {"source": f"{docname}.md", "glue": dict(sorted(glue.items()))},
    }
    return nb


def launch_folder(app) -> Path:
    """Where a build writes its launch notebooks: ``notebooks/`` of the build folder (``_build/notebooks``)."""
    return Path(app.outdir).parent / "notebooks"


def write_launch_notebooks(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from chapter_files import is_chapter  # book/_ext: which pages are chapters

    site, executed = Site(app), Path(app.outdir).parent / "jupyter_execute"
    for docname in sorted(app.env.found_docs):
        if not is_chapter(chapter := Path(app.env.doc2path(docname))):
            continue
        source, out = executed / f"{docname}.ipynb", launch_folder(app) / f"{docname}.ipynb"
        if out.exists() and out.stat().st_mtime_ns > max(source.stat().st_mtime_ns, chapter.stat().st_mtime_ns):
            continue  # written from this chapter's current results already
        nb = build_notebook(chapter, docname, site, build_glue(source), app.config.html_title)
        out.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, out)


def _launch_the_notebooks(app, pagename, templatename, context, doctree) -> None:
    """The theme opens ``<page>.md`` unless an ``.ipynb`` lies beside it: point its launch buttons at the launch notebook."""
    for group in (g for g in context.get("header_buttons", []) if g.get("label") == "launch-buttons"):
        for button in group["buttons"]:
            button["url"] = re.sub(rf"({re.escape(pagename)})\.md$", r"\1.ipynb", button["url"])


def setup(app):
    app.setup_extension("chapter_execution")  # it puts the outputs back into jupyter_execute/, read above
    app.connect("html-page-context", _launch_the_notebooks, priority=502)  # after the theme's buttons (501)
    app.connect("build-finished", write_launch_notebooks)
    return {"version": "3.0", "parallel_read_safe": True}
