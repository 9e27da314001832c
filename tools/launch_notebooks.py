"""Write the launch notebooks: each chapter as a plain Jupyter notebook that Colab and Binder can show.

The chapters are MyST markdown. Jupyter, Colab and Binder render plain Markdown and LaTeX only, so a
chapter opened as it is shows its roles and directives as raw text. This script writes, for every chapter
of ``_toc.yml``, ``notebooks/<page>.ipynb`` (for example ``notebooks/book/01-foundations/01-line-by-hand.ipynb``),
the path the book's launch buttons open (``repository.path_to_book: notebooks`` in ``_config.yml``):

- glued numbers (``{glue:text}`name:.3f```) become the numbers, formatted as on the book's page, taken
  from the build's executed notebook (``_build/jupyter_execute``) when it ran the chapter's current code,
  else from the launch notebook written before when it has every name, else from running the chapter's
  script; the values used are kept in the notebook's metadata (``nnbook.glue``);
- cross-references (``{py:func}``, ``{doc}``, ``{ref}``, ``{cite}``, ...) become links to the book's site;
- collapsed solutions and dropdowns become HTML ``<details>``; other admonitions become block quotes;
- every other role or directive becomes plain Markdown (its text, a fenced code block, an image, ...);
- code cells are kept as they are; the ``raises-exception`` tag is dropped (Colab ignores tags, so a
  cell that raises stops "Run all" there, and the tests that execute these notebooks must see it too).

Never edit the launch notebooks by hand: ``make sync`` runs this script, and a test checks that they are
in step with the chapters (``--check``) and contain no MyST markup.

    .venv/bin/python tools/launch_notebooks.py           # write notebooks/
    .venv/bin/python tools/launch_notebooks.py --check   # exit 1 if any launch notebook is out of step
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import math
import os
import posixpath
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import jupytext
import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import chapter_files  # noqa: E402 - the one definition of which files are chapters

OUT = ROOT / "notebooks"
EXECUTED = ROOT / "_build" / "jupyter_execute"

ADMONITIONS = {
    "admonition", "note", "tip", "hint", "important", "warning", "caution", "attention", "danger", "error",
    "seealso", "margin", "sidebar", "topic", "epigraph", "pull-quote", "exercise", "card", "prf:definition",
}  # fmt: skip
COLLAPSED = {"solution", "dropdown", "toggle", "details"}
CODE = {"code-block", "code", "sourcecode", "literalinclude"}
DROPPED = {"tableofcontents", "bibliography", "glossary", "only", "index", "contents"}
FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
ROLE = re.compile(r"\{(?P<name>[\w:.+-]+)\}`(?P<content>[^`]*)`")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
TITLED = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
LINK = re.compile(r"(?P<bang>!?)\[(?P<text>[^\]]*)\]\((?P<url>[^)\s]+)(?P<rest>[^)]*)\)")


def _config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text())


def chapters() -> list[Path]:
    """The chapter sources of _toc.yml (the .md files that hold code cells), in book order."""
    return chapter_files.chapters(ROOT / "_toc.yml", ROOT)


def launch_path(chapter: Path) -> Path:
    """Where the launch notebook of ``chapter`` lives: the path the launch buttons open."""
    return OUT / chapter.relative_to(ROOT).with_suffix(".ipynb")


@dataclass
class Site:
    """What links point to: the published book, and the repository for files that are not pages."""

    url: str
    raw: str
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)  # label -> (page, title)
    titles: dict[str, str] = field(default_factory=dict)  # page -> title

    @classmethod
    def from_config(cls) -> Site:
        config = _config()
        repo = config["repository"]["url"].rstrip("/")
        owner_name = repo.split("github.com/")[-1]
        site = cls(
            url=config["html"]["baseurl"].rstrip("/") + "/",
            raw=f"https://raw.githubusercontent.com/{owner_name}/{config['repository'].get('branch', 'main')}/",
        )
        for md in sorted(ROOT.glob("book/**/*.md")):
            page = md.relative_to(ROOT).with_suffix("").as_posix()
            lines = md.read_text().splitlines()
            title = next((ln[2:].strip() for ln in lines if ln.startswith("# ")), page)
            site.titles[page] = title
            for i, line in enumerate(lines):
                match = re.fullmatch(r"\((?P<label>[^()]+)\)=\s*", line)
                if match:
                    heading = next((ln.lstrip("#").strip() for ln in lines[i + 1 :] if ln.startswith("#")), title)
                    site.labels[match["label"]] = (page, heading)
        return site

    def page(self, page: str, anchor: str = "") -> str:
        return f"{self.url}{page}.html" + (f"#{anchor}" if anchor else "")

    def api(self, target: str) -> str:
        """The reference page of a package name: book/reference/<module>.md, anchored at the full name."""
        parts = target.split(".")
        module = parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in self._modules()) else "nnbook"
        page = f"book/reference/{module}"
        if page not in self.titles:
            page = "book/reference/nnbook" if "book/reference/nnbook" in self.titles else "book/reference/index"
        return self.page(page, target if target.startswith("nnbook") else "")

    def _modules(self) -> set[str]:
        return {p.rsplit("/", 1)[-1] for p in self.titles if p.startswith("book/reference/")}


class Converter:
    """MyST markdown of one chapter → plain Markdown that Jupyter and Colab render."""

    def __init__(self, chapter: Path, site: Site, glue: dict[str, str]):
        self.page = chapter.relative_to(ROOT).with_suffix("").as_posix()
        self.folder = posixpath.dirname(self.page)
        self.site = site
        self.glue = glue
        self.missing: set[str] = set()

    # -- inline ---------------------------------------------------------------------------------------
    def inline(self, text: str) -> str:
        """Roles and local links of one line, left to right; inline code stays as it is."""
        out, plain, pos = [], [], 0
        while pos < len(text):
            role = ROLE.match(text, pos) if text[pos] == "{" else None
            code = INLINE_CODE.match(text, pos) if text[pos] == "`" else None
            if role or code:
                out.append(self._inline_plain("".join(plain)))
                plain = []
                out.append(self._role(role) if role else code.group())
                pos = (role or code).end()
            else:
                plain.append(text[pos])
                pos += 1
        out.append(self._inline_plain("".join(plain)))
        return "".join(out)

    def _inline_plain(self, text: str) -> str:
        return LINK.sub(self._link, text)

    def _link(self, match: re.Match) -> str:
        url = match["url"]
        if re.match(r"^[a-z][a-z0-9+.-]*:", url) or url.startswith("#"):
            return match.group()
        path, _, anchor = url.partition("#")
        target = posixpath.normpath(path[1:] if path.startswith("/") else posixpath.join(self.folder, path))
        if match["bang"]:
            return f"![{match['text']}]({self.site.raw}{target}{match['rest']})"
        if target.endswith((".md", ".ipynb")):
            return f"[{match['text']}]({self.site.page(target.rsplit('.', 1)[0], anchor)}{match['rest']})"
        return f"[{match['text']}]({self.site.raw}{target}{match['rest']})"

    def _role(self, match: re.Match) -> str:
        name, content = match["name"], match["content"]
        titled = TITLED.match(content)
        title, target = (titled["title"], titled["target"]) if titled else ("", content)
        if name.startswith("glue") or name == "glue":
            key, _, spec = target.partition(":")
            return self._glued(key.strip(), spec)
        domain, _, kind = name.rpartition(":")
        if domain in ("py", "") and kind in {"func", "meth", "class", "mod", "obj", "attr", "data", "exc", "const"}:
            full = target.lstrip("~!")
            shown = title or (full.rsplit(".", 1)[-1] if target.startswith("~") else full)
            if kind in ("func", "meth") and not title:
                shown += "()"
            if not full.startswith("nnbook"):  # another project's name (PyTorch, NumPy, ...): shown, not linked
                return f"`{shown}`"
            return f"[`{shown}`]({self.site.api(full)})"
        if name == "doc":
            page = posixpath.normpath(posixpath.join(self.folder, target)) if not target.startswith("/") else target[1:]
            return f"[{title or self.site.titles.get(page, page)}]({self.site.page(page)})"
        if name in ("ref", "numref", "any"):
            page, heading = self.site.labels.get(target, (self.page, target))
            return f"[{title or heading}]({self.site.page(page, target)})"
        if name in ("eq", "math:numref"):
            return f"[({target})]({self.site.page(self.page, 'equation-' + target)})"
        if name.startswith("cite"):
            keys = ", ".join(k.strip() for k in target.split(","))
            return f"[[{keys}]]({self.site.page(self.page)})"
        if name == "math":
            return f"${content}$"
        if name in ("sub", "sup", "kbd"):
            return f"<{name}>{content}</{name}>"
        if name == "abbr":
            return re.sub(r"\s*\(.*\)$", "", content)
        if name == "download":
            path = posixpath.normpath(posixpath.join(self.folder, target))
            return f"[{title or posixpath.basename(target)}]({self.site.raw}{path})"
        if name in ("guilabel", "menuselection", "term", "dfn", "samp", "file", "command", "program"):
            return f"*{title or target}*"
        return title or target

    def _glued(self, key: str, spec: str) -> str:
        """The value as myst-nb's ``glue:text`` shows it: the ``text/plain`` output read back as a Python
        literal, converted for the format's type letter, then formatted."""
        if key not in self.glue:
            self.missing.add(key)
            return f"`{key}`"
        try:
            value = ast.literal_eval(self.glue[key])
        except (SyntaxError, ValueError):
            value = self.glue[key]
        spec = spec.strip()
        if not spec:
            return str(value)
        kind = spec[-1]
        if kind == "s":
            value = str(value)
        elif kind in "bcdoxX":
            value = int(value)
        elif kind in "eEfFgGn%":
            value = float(value)
        return format(value, spec)

    # -- blocks ---------------------------------------------------------------------------------------
    def markdown(self, text: str) -> str:
        """A markdown cell's MyST → plain Markdown."""
        lines = text.splitlines()
        out: list[str] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            fence = FENCE.match(line)
            if fence:
                end = self._closing(lines, i, fence["fence"])
                info = fence["info"].strip()
                body = lines[i + 1 : end]
                directive = re.match(r"^\{(?P<name>[^}]+)\}\s*(?P<arg>.*)$", info)
                if directive:
                    out.extend(self.directive(directive["name"].strip(), directive["arg"].strip(), body))
                elif fence["fence"][0] == ":":
                    out.extend(self.markdown("\n".join(body)).splitlines())
                else:
                    out.extend(lines[i : end + 1])
                i = end + 1
                continue
            if re.fullmatch(r"\([^()]+\)=\s*", line) or re.match(r"^%", line) or line.strip() == "+++":
                i += 1  # a MyST target, comment or block break
                continue
            definition = re.match(r"^:\s+(.*)$", line)  # a definition list: "Term" then ": definition"
            if definition and out and out[-1].strip() and not out[-1].startswith(("**", "-", "*", ">")):
                out[-1] = f"**{out[-1].strip()}**  "
                line = definition.group(1)
            out.append(self.inline(line))
            i += 1
        return "\n".join(out).strip("\n")

    @staticmethod
    def _closing(lines: list[str], start: int, fence: str) -> int:
        for j in range(start + 1, len(lines)):
            stripped = lines[j].strip()
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
                return j
        return len(lines)

    @staticmethod
    def _options(body: list[str]) -> tuple[dict[str, str], list[str]]:
        options: dict[str, str] = {}
        if body and body[0].strip() == "---":
            end = next((k for k in range(1, len(body)) if body[k].strip() == "---"), 0)
            if end:
                options = {str(k): str(v) for k, v in (yaml.safe_load("\n".join(body[1:end])) or {}).items()}
                return options, body[end + 1 :]
        k = 0
        while k < len(body) and re.match(r"^:[\w-]+:", body[k]):
            key, _, value = body[k][1:].partition(":")
            options[key.strip()] = value.strip()
            k += 1
        return options, body[k:]

    def directive(self, name: str, arg: str, body: list[str]) -> list[str]:
        options, body = self._options(body)
        inner = self.markdown("\n".join(body))
        base = name.split(":")[-1] if name.startswith(("prf:", "glue:")) else name
        if name.startswith("glue") or name == "glue":
            return [f"*This figure is on the [book's page]({self.site.page(self.page)}).*"]
        if name == "code-cell":
            return ["```python", *body, "```"]
        if base in CODE:
            return [f"```{arg or options.get('language', '')}", *body, "```"]
        if base == "math":
            return ["$$", *body, "$$"]
        if base in ("figure", "image"):
            image = self._link(LINK.match(f"![{options.get('alt', '')}]({arg})"))
            return [image, "", f"*{inner}*" if inner else ""]
        if base in DROPPED:
            return []
        if base == "raw":
            return body if arg.strip() == "html" else []
        if base in ("solution-start", "exercise-start"):
            return ["", f"> **{self._title(base.split('-')[0], arg, options)}**", ""]
        if base in ("solution-end", "exercise-end"):
            return []
        title = self._title(base, arg, options)
        if base in COLLAPSED or "dropdown" in options.get("class", "").split():
            return ["<details>", f"<summary>{title}</summary>", "", inner, "", "</details>"]
        quoted = ([f"> **{title}**", ">"] if title else []) + [f"> {ln}" if ln else ">" for ln in inner.splitlines()]
        return ["", *(ln.rstrip() for ln in quoted), ""]

    def _title(self, base: str, arg: str, options: dict[str, str]) -> str:
        arg = self.inline(arg)
        if base in ("admonition", "dropdown", "toggle", "details", "card", "topic", "sidebar"):
            return arg or base.capitalize()
        if base == "solution":
            return "Solution"
        if base in ("margin", "epigraph", "pull-quote"):
            return arg
        if base == "seealso":
            return "See also"
        label = base.replace("prf:", "").replace("-", " ").capitalize()
        return f"{label}: {arg}" if arg else label


def glue_from_build(chapter: Path) -> dict[str, str] | None:
    """Glued values (``text/plain`` as myst-nb shows them) of the build's executed notebook of ``chapter``,
    when that notebook ran exactly the chapter's current code; else None."""
    executed = EXECUTED / chapter.relative_to(ROOT).with_suffix(".ipynb")
    if not executed.exists():
        return None
    nb = json.loads(executed.read_text())
    sources = [c.source for c in jupytext.read(chapter).cells if c.cell_type == "code"]
    ran = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    if [s for s in ran if s in set(sources)] != sources:
        return None
    values = {}
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            text = next((v for k, v in out.get("data", {}).items() if k.endswith("text/plain")), None)
            if name and text is not None:
                values[name] = "".join(text) if isinstance(text, list) else text
    return values


def glue_from_launch_notebook(chapter: Path) -> dict[str, str]:
    path = launch_path(chapter)
    if not path.exists():
        return {}
    return dict(json.loads(path.read_text()).get("metadata", {}).get("nnbook", {}).get("glue", {}))


def glue_from_script(chapter: Path) -> dict[str, str]:
    """Run the chapter's paired script headless and collect what it glues (slow: the chapter's run time)."""
    with tempfile.TemporaryDirectory() as tmp:
        record = Path(tmp) / "glue.jsonl"
        env = {**os.environ, "MPLBACKEND": "Agg", "NNBOOK_GLUE_JSON": str(record), "NNBOOK_FIGURES": tmp}
        proc = subprocess.run(
            [sys.executable, str(chapter.with_suffix(".py"))], cwd=tmp, env=env, capture_output=True, text=True
        )
        if proc.returncode != 0:
            raise SystemExit(
                f"{chapter.name}: its script failed, so its glued values are unknown:\n{proc.stderr[-3000:]}"
            )
        values = {}
        for line in record.read_text().splitlines() if record.exists() else []:
            item = json.loads(line)
            values[item["name"]] = repr(item["value"])
        return values


def referenced_glue(chapter: Path) -> set[str]:
    text = chapter.read_text()
    names = {m["content"].partition(":")[0].strip() for m in ROLE.finditer(text) if m["name"].startswith("glue")}
    return names | {m.group(1) for m in re.finditer(r"^```\{glue(?::\w+)?\}\s*(\S+)", text, re.M)}


def build_notebook(chapter: Path, site: Site, glue: dict[str, str]) -> nbformat.NotebookNode:
    """The launch notebook of ``chapter``, with ``glue`` (name → text/plain) for its glued references."""
    source = jupytext.read(chapter)
    page = chapter.relative_to(ROOT).with_suffix("").as_posix()
    convert = Converter(chapter, site, glue)
    cells = []
    in_solution = False  # between sphinx-exercise's solution-start and solution-end: code cells are collapsed
    for cell in source.cells:
        if cell.cell_type == "markdown":
            starts = re.findall(r"^(?:`{3,}|:{3,})\{solution-(start|end)\}", cell.source, re.M)
            in_solution = starts[-1] == "start" if starts else in_solution
            text = convert.markdown(cell.source)
            if text.strip():
                cells.append(nbformat.v4.new_markdown_cell(text))
        elif cell.cell_type == "code":
            tags = set(cell.metadata.get("tags", []))
            code = nbformat.v4.new_code_cell(cell.source)
            if in_solution or tags & {"hide-input", "hide-cell", "remove-input", "remove-cell"}:
                code.metadata["jupyter"] = {"source_hidden": True}
            if tags & {"hide-output", "remove-output"}:
                code.metadata.setdefault("jupyter", {})["outputs_hidden"] = True
            cells.append(code)
        elif cell.cell_type == "raw":
            cells.append(nbformat.v4.new_raw_cell(cell.source))
    if convert.missing:
        raise KeyError(sorted(convert.missing))
    banner = (
        f"*This notebook is a chapter of the book [{_config()['title']}]({site.url}), written from "
        f"`{chapter.relative_to(ROOT).as_posix()}`. The [book's page]({site.page(page)}) shows it with every "
        "output. Run the cells from the top (Run all): the first one installs the book's package when it "
        "is missing.*"
    )
    first = 1 if cells and cells[0].cell_type == "markdown" and cells[0].source.startswith("# ") else 0
    cells.insert(first, nbformat.v4.new_markdown_cell(banner))
    for i, cell in enumerate(cells):
        cell["id"] = hashlib.sha1(f"{page}:{i}".encode()).hexdigest()[:8]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "nnbook": {"source": chapter.relative_to(ROOT).as_posix(), "glue": dict(sorted(glue.items()))},
    }
    return nb


def render(chapter: Path, site: Site, glue: dict[str, str]) -> str:
    return nbformat.writes(build_notebook(chapter, site, glue)) + "\n"


TIMING_SUFFIXES = ("_seconds", "_speedup", "_time")  # glued run times: they differ on every run


def _same_number(a: str, b: str) -> bool:
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)  # as the determinism test
    except ValueError:
        return a == b


def settled(new: dict[str, str], old: dict[str, str]) -> dict[str, str]:
    """``new``, but the values written before where they differ only in float noise or are timings,
    so that a rebuild which changes nothing a reader would see does not rewrite the launch notebook."""
    return {
        name: old[name] if name in old and (name.endswith(TIMING_SUFFIXES) or _same_number(old[name], value)) else value
        for name, value in new.items()
    }


def resolve_glue(chapter: Path) -> tuple[dict[str, str], str]:
    """The glued values for ``chapter`` and where they came from (see the module's docstring)."""
    needed = referenced_glue(chapter)
    built = glue_from_build(chapter)
    if built is not None and needed <= set(built):
        return built, "the build's executed notebook"
    stored = glue_from_launch_notebook(chapter)
    if needed <= set(stored):
        return stored, "the launch notebook written before"
    return glue_from_script(chapter), "running the chapter's script (no up-to-date build)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report launch notebooks out of step; write nothing")
    args = parser.parse_args(argv)
    site = Site.from_config()
    problems, wanted = [], set()
    for chapter in chapters():
        path = launch_path(chapter)
        wanted.add(path)
        rel = path.relative_to(ROOT).as_posix()
        if args.check:
            try:
                text = render(chapter, site, glue_from_launch_notebook(chapter))
            except KeyError as err:
                problems.append(f"{rel}: glued values missing for {err.args[0]}")
                continue
            if not path.exists() or path.read_text() != text:
                problems.append(f"{rel} is out of step with {chapter.relative_to(ROOT)}")
            continue
        glue, origin = resolve_glue(chapter)
        text = render(chapter, site, settled(glue, glue_from_launch_notebook(chapter)))
        if not path.exists() or path.read_text() != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            print(f"wrote {rel} (glued values from {origin})")
    for extra in sorted(set(OUT.rglob("*.ipynb")) - wanted) if OUT.exists() else []:
        if args.check:
            problems.append(f"{extra.relative_to(ROOT)} belongs to no chapter of _toc.yml")
        else:
            extra.unlink()
            print(f"removed {extra.relative_to(ROOT)} (no such chapter in _toc.yml)")
    if problems:
        print("\n".join(problems) + "\nRun `make sync` to write the launch notebooks again.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
