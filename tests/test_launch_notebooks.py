"""The launch notebooks (notebooks/, what the Colab and Binder buttons open) are readable and in step.

- written by tools/launch_notebooks.py from the chapters (``make sync``), never by hand: regenerating
  them from the values they hold gives the same files;
- no MyST left in any markdown cell: every cell is parsed with myst-parser's own markdown-it setup, and a
  role, directive, target, comment or block break is an error (Colab and Jupyter show them as raw text);
- the same code as the chapter, starting with the install cell, which is identical in every chapter;
- (with the built book) the numbers they quote are the build's, their links to the site reach a page and
  anchor that exist, and no chapter cell raises (on Colab "Run all" stops at the first error).
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

import jupytext
import nbformat
import pytest
import yaml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from bookutils import ROOT, TIMING_SUFFIXES, chapters, executed_notebook

spec = importlib.util.spec_from_file_location("launch_notebooks", ROOT / "tools" / "launch_notebooks.py")
launch = importlib.util.module_from_spec(spec)
sys.modules["launch_notebooks"] = launch
spec.loader.exec_module(launch)

CHAPTERS = chapters()
IDS = [p.stem for p in CHAPTERS]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
SITE = CONFIG["html"]["baseurl"].rstrip("/") + "/"

# myst-parser configured as the book is, so that anything the book's build would read as MyST is found.
PARSER = create_md_parser(
    MdParserConfig(enable_extensions=set(CONFIG["parse"]["myst_enable_extensions"]) | {"colon_fence"}),
    RendererHTML,
)
MYST_TOKENS = {"myst_role", "myst_target", "myst_line_comment", "myst_block_break", "substitution_inline",
               "substitution_block", "dl_open"}  # fmt: skip


def myst_constructs(markdown: str) -> list[str]:
    """Every MyST-only construct of a Markdown text, as myst-parser reads it (plus a text scan for roles)."""
    found = []

    def walk(tokens: list[Token]):
        for token in tokens:
            if token.type in MYST_TOKENS:
                found.append(f"{token.type}: {token.content or token.info or token.markup}"[:80])
            if token.type in ("fence", "colon_fence") and token.info.strip().startswith("{"):
                found.append(f"directive: {token.info.strip()}"[:80])
            walk(token.children or [])

    walk(PARSER.parse(markdown))
    found += [f"role in text: {m.group()}" for m in re.finditer(r"\{[\w:.+-]+\}`[^`]*`", markdown)]
    return found


def launch_notebook(chapter: Path) -> nbformat.NotebookNode:
    path = launch.launch_path(chapter)
    assert path.exists(), f"{path.relative_to(ROOT)} is missing: run `make sync`."
    return nbformat.read(path, as_version=4)


def test_every_chapter_has_a_launch_notebook_in_step():
    assert launch.main(["--check"]) == 0, "the launch notebooks are out of step with the chapters: run `make sync`."


def test_the_check_finds_myst():
    """The scan below can fail: it finds each kind of construct the chapters use."""
    sample = "A {glue:text}`x:.2f` and {py:func}`~a.b`.\n\n```{admonition} S\n:class: dropdown\nx\n```\n\n(lab)=\n% c\n"
    kinds = " ".join(myst_constructs(sample))
    assert "myst_role" in kinds and "directive" in kinds and "myst_target" in kinds and "myst_line_comment" in kinds


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_no_myst_in_launch_notebook(chapter):
    nb = launch_notebook(chapter)
    found = [
        f"cell {i}: {construct}"
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "markdown"
        for construct in myst_constructs(cell.source)
    ]
    assert not found, f"{chapter.stem}'s launch notebook shows MyST as raw text ({len(found)}):\n" + "\n".join(found)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_launch_notebook_runs_the_chapters_code(chapter):
    nb = launch_notebook(chapter)
    ours = [c.source for c in nb.cells if c.cell_type == "code"]
    theirs = [c.source for c in jupytext.read(chapter).cells if c.cell_type == "code"]
    assert ours == theirs, f"{chapter.stem}: the launch notebook's code differs from the chapter's."
    assert not any("raises-exception" in c.metadata.get("tags", []) for c in nb.cells), "Colab ignores tags."
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), "launch notebooks carry no outputs."


def test_install_cell_is_the_same_in_every_chapter():
    first = {p.stem: next(c for c in jupytext.read(p).cells if c.cell_type == "code").source for p in CHAPTERS}
    variants = set(first.values())
    assert len(variants) == 1, "the install cells differ:\n" + "\n---\n".join(
        f"{stem}:\n{src}" for stem, src in first.items()
    )
    (cell,) = variants
    assert "pip" in cell and 'find_spec("nnbook") is None' in cell
    assert "--upgrade" not in cell and " -U " not in cell, "the install cell must never upgrade what is there."


def test_launch_buttons_open_the_launch_notebooks():
    """The theme opens <path_to_book>/<page>.ipynb; that is where the launch notebooks are."""
    assert CONFIG["repository"]["path_to_book"].strip("/") == launch.OUT.relative_to(ROOT).as_posix()
    edit = CONFIG["sphinx"]["config"]["html_context"]["edit_page_url_template"]
    assert edit.startswith(CONFIG["repository"]["url"].rstrip("/") + "/edit/" + CONFIG["repository"]["branch"] + "/")


def test_converter_output_for_each_construct():
    """Each kind of MyST markup becomes its plain-Markdown form."""
    site = launch.Site.from_config()
    chapter = CHAPTERS[0]
    convert = launch.Converter(chapter, site, {"loss": "0.123456", "name": "'adam'"})
    text = convert.markdown(
        "Loss {glue:text}`loss:.3f` with {glue:text}`name`, see {py:func}`~nnbook.training.fit` and {doc}`../intro`.\n"
        "\n```{admonition} Solution\n:class: dropdown\n\nIt is $x$.\n```\n\n```{note}\nA note.\n```\n"
        "\n(a-label)=\n% a comment\n```{math}\nx^2\n```\n\n```python\n{py:func}`kept in code`\n```\n"
    )
    assert "Loss 0.123 with adam" in text, "formatted as myst-nb does (a string shows without its quotes)"
    assert f"[`fit()`]({SITE}book/reference/training.html#nnbook.training.fit)" in text
    assert f"({SITE}book/intro.html)" in text
    assert "<details>\n<summary>Solution</summary>\n\nIt is $x$.\n\n</details>" in text
    assert "> **Note**\n>\n> A note." in text
    assert "$$\nx^2\n$$" in text and "(a-label)=" not in text and "a comment" not in text
    assert "{py:func}`kept in code`" in text, "code blocks are left as they are"
    with pytest.raises(KeyError):
        launch.build_notebook(chapter, site, {})  # a glued name without a value is an error, not a blank


# -- with the built book ------------------------------------------------------------------------------


def _close(a: str, b: str) -> bool:
    try:
        x, y = float(a), float(b)
    except ValueError:
        return a == b
    return math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-9)


@pytest.mark.book
@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_launch_numbers_are_the_builds(built_book, chapter):
    stored = launch.glue_from_launch_notebook(chapter)
    built = launch.glue_from_build(chapter)
    assert built is not None, f"the build did not run {chapter.stem}'s current code."
    needed = {name for name in launch.referenced_glue(chapter) if not name.endswith(TIMING_SUFFIXES)}  # timings vary
    differ = {k: (stored.get(k), built.get(k)) for k in needed if not _close(stored.get(k, "?"), built.get(k, "!"))}
    assert not differ, f"{chapter.stem}: the launch notebook quotes other numbers than the build: {differ}"


@pytest.mark.book
@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_launch_links_reach_the_site(built_book, chapter):
    html = built_book / "html"
    text = json.dumps(launch_notebook(chapter).cells)
    broken = []
    for url in sorted(set(re.findall(re.escape(SITE) + r"[^)\s\"\\]*", text))):
        path, _, anchor = urlparse(url).path[len(urlparse(SITE).path) :], None, urlparse(url).fragment
        page = html / (path or "index.html")
        if not page.exists():
            broken.append(f"{url}: no such page")
        elif anchor and f'id="{anchor}"' not in page.read_text():
            broken.append(f"{url}: no such anchor")
    assert not broken, f"{chapter.stem}'s launch notebook links to what the site does not have:\n" + "\n".join(broken)


@pytest.mark.book
@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_no_cell_raises(built_book, chapter):
    """On Colab, "Run all" stops at the first cell that raises (tags are ignored): no chapter cell may raise.
    A cell that shows an error on purpose must catch it (``nnbook.expect_error``), which still prints it as an
    error output: only such cells may have one."""
    nb = json.loads(executed_notebook(chapter).read_text())
    raising = [
        f"cell {i}: {out.get('ename')}: {out.get('evalue', '')[:80]}"
        for i, cell in enumerate(nb["cells"])
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error" and "expect_error(" not in "".join(cell.get("source", ""))
    ]
    assert not raising, f"{chapter.stem}: these cells raise, so Run all stops there in Colab:\n" + "\n".join(raising)


@pytest.mark.book
@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_page_has_edit_issues_and_launch_buttons(built_book, chapter):
    """The edit button opens the chapter's .md; the issues button opens a new issue; the launch buttons the
    launch notebook."""
    html = (built_book / "html" / chapter.relative_to(ROOT).with_suffix(".html")).read_text()
    repo = CONFIG["repository"]["url"].rstrip("/")
    branch = CONFIG["repository"]["branch"]
    rel = chapter.relative_to(ROOT).as_posix()
    assert f'href="{repo}/edit/{branch}/{rel}"' in html, "no edit-this-page button for the chapter's .md"
    assert f'href="{repo}/issues/new?' in html, "no issues button"
    launch_rel = launch.launch_path(chapter).relative_to(ROOT).as_posix()
    assert f"colab.research.google.com/github/{repo.split('github.com/')[1]}/blob/{branch}/{launch_rel}" in html
    assert f"urlpath=lab/tree/{launch_rel}" in html


def test_converter_leaves_no_myst_for_other_constructs():
    """Markup the chapters may take up (sphinx-exercise, citations, margins, figures, colon fences, definition
    lists, ...) also comes out as plain Markdown."""
    convert = launch.Converter(CHAPTERS[0], launch.Site.from_config(), {"a": "1.5"})
    sample = (
        "```{exercise} Predict\n:label: ex-1\n\nGuess {glue:text}`a:.1f`; see {cite:p}`he2015` and {numref}`fig-x`.\n```\n\n"
        "```{solution} ex-1\n:class: dropdown\n\nIt is {math}`x^2`, see {ref}`sec-a` and {eq}`eq-1`.\n```\n\n"
        "```{margin}\nA note on {term}`epoch`.\n```\n\n:::{note} A title\n{abbr}`MSE (mean squared error)`.\n:::\n\n"
        "```{solution-start} ex-1\n:class: dropdown\n```\n\n```{figure} ../x.png\n:alt: x\n\nCaption.\n```\n\n"
        "````{tip}\n```python\nprint(1)\n```\n````\n\nTerm\n: definition\n\n{sub}`i` {kbd}`Ctrl` {unknownrole}`text`\n\n"
        "```{bibliography}\n```\n\n```{some-new-directive} arg\n:opt: 1\n\nBody {glue:text}`a`.\n```\n"
    )
    out = convert.markdown(sample)
    assert not myst_constructs(out), myst_constructs(out)
    assert "Guess 1.5" in out and "<details>" in out and "$x^2$" in out and "Body 1.5" in out


def test_solution_code_cells_are_collapsed(tmp_path, monkeypatch):
    """Code cells between sphinx-exercise's solution-start and solution-end are collapsed (source hidden)."""
    chapter = tmp_path / "book" / "99-x.md"
    chapter.parent.mkdir(parents=True)
    chapter.write_text(
        "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\nkernelspec:\n  name: python3\n"
        "  display_name: Python 3\n  language: python\n---\n# T\n\n```{code-cell} ipython3\nx = 1\n```\n\n"
        "```{solution-start} ex-1\n:class: dropdown\n```\n\n```{code-cell} ipython3\ny = 2\n```\n\n"
        "```{solution-end}\n```\n\n```{code-cell} ipython3\nz = 3\n```\n"
    )
    site = launch.Site.from_config()
    (tmp_path / "_config.yml").write_text((ROOT / "_config.yml").read_text())
    monkeypatch.setattr(launch, "ROOT", tmp_path)
    nb = launch.build_notebook(chapter, site, {})
    hidden = {
        c.source: c.metadata.get("jupyter", {}).get("source_hidden", False) for c in nb.cells if c.cell_type == "code"
    }
    assert hidden == {"x = 1": False, "y = 2": True, "z = 3": False}


def test_a_rebuild_with_the_same_numbers_keeps_the_launch_notebook():
    """Float noise in the last digits and new timings do not rewrite a launch notebook; a changed number does."""
    old = {"mse": "0.03194388834813866", "fit_seconds": "0.48", "acc": "0.86"}
    new = {"mse": "0.03194388834813867", "fit_seconds": "0.52", "acc": "0.87"}
    assert launch.settled(new, old) == {"mse": old["mse"], "fit_seconds": "0.48", "acc": "0.87"}
