"""The launch notebooks (``_build/notebooks``, what the Colab and Binder buttons open) are readable and quote
the build they come from.

- every chapter has one, written by the build (tools/launch_notebooks.py) with its numbers;
- no MyST left in any markdown cell: every cell is parsed with myst-parser's own markdown-it setup, and a
  role, directive, target, comment or block break is an error (Colab and Jupyter show them as raw text);
- the same code as the chapter, starting with the install cell, which is identical in every chapter;
- their links to the site reach a page and anchor that exist, and no chapter cell raises (on Colab
  "Run all" stops at the first error);
- the launch buttons open them on the branch the publishing workflow pushes them to.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlparse

import jupytext
import launch_notebooks as launch  # tools/, on pytest's path (pyproject.toml)
import nbformat
import pytest
import yaml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from bookutils import ROOT, chapters, executed_notebook

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


def docname(chapter: Path) -> str:
    return chapter.relative_to(ROOT).with_suffix("").as_posix()


@pytest.fixture(scope="session")
def launch_notebook(built_book):
    def read(chapter: Path) -> nbformat.NotebookNode:
        path = built_book / "notebooks" / f"{docname(chapter)}.ipynb"
        assert path.exists(), f"the build wrote no launch notebook {path}."
        return nbformat.read(path, as_version=4)

    return read


# A stand-in for what the build knows (pages, labels, API entries), for the converter's own tests.
STUB = SimpleNamespace(
    url=SITE,
    raw="https://raw.example/",
    page=lambda page, anchor="": f"{SITE}{page}.html" + (f"#{anchor}" if anchor else ""),
    title=lambda page: f"Title of {page}",
    label=lambda label: ("book/intro", label, "A section") if label.startswith("sec") else None,
    api=lambda name: f"{SITE}book/reference/training.html#{name}" if name.startswith("nnbook") else None,
)


def test_the_check_finds_myst():
    """The scan below can fail: it finds each kind of construct the chapters use."""
    sample = "A {glue:text}`x:.2f` and {py:func}`~a.b`.\n\n```{admonition} S\n:class: dropdown\nx\n```\n\n(lab)=\n% c\n"
    kinds = " ".join(myst_constructs(sample))
    assert "myst_role" in kinds and "directive" in kinds and "myst_target" in kinds and "myst_line_comment" in kinds


def test_converter_output_for_each_construct():
    """Each kind of MyST markup the chapters use becomes its plain-Markdown form, with no MyST left."""
    convert = launch.Converter("book/01-foundations/x", STUB, {"loss": "0.123456", "name": "'adam'", "a": "1.5"})
    text = convert.markdown(
        "Loss {glue:text}`loss:.3f` with {glue:text}`name`, see {py:func}`~nnbook.training.fit` and {doc}`../intro`.\n"
        "\n```{admonition} Solution\n:class: dropdown\n\nIt is $x$.\n```\n\n```{note}\nA note.\n```\n"
        "\n(a-label)=\n% a comment\n$$\nx^2\n$$\n\n```python\n{py:func}`kept in code`\n```\n\n"
        "```{exercise}\n:label: ex-1\n\nGuess {glue:text}`a:.1f`; see {cite:p}`he2015` and {ref}`sec-a`.\n```\n\n"
        ":::{solution} ex-1\n:class: dropdown\n\nUse {py:class}`torch.nn.Linear`, `{not a role}`.\n:::\n"
    )
    assert "Loss 0.123 with adam" in text, "formatted as myst-nb does (a string shows without its quotes)"
    assert f"[`fit()`]({SITE}book/reference/training.html#nnbook.training.fit)" in text
    assert (
        f"[Title of book/intro]({SITE}book/intro.html)" in text and f"[A section]({SITE}book/intro.html#sec-a)" in text
    )
    assert "<details>\n<summary>Solution</summary>\n\nIt is $x$.\n\n</details>" in text
    assert "> **Note**\n>\n> A note." in text and "> **Exercise**" in text and "Guess 1.5" in text
    assert "$$\nx^2\n$$" in text and "(a-label)=" not in text and "a comment" not in text
    assert "{py:func}`kept in code`" in text and "`{not a role}`" in text, "code is left as it is"
    assert "`Linear`" not in text and "`torch.nn.Linear`" in text, "another project's name is shown, not linked"
    assert not myst_constructs(text.replace("{py:func}`kept in code`", "")), myst_constructs(text)


def test_a_glued_name_without_a_value_is_an_error():
    with pytest.raises(KeyError, match="no glued value"):
        launch.build_notebook(CHAPTERS[0], docname(CHAPTERS[0]), STUB, {})


def test_solutions_are_collapsed(tmp_path):
    """Prose and code cells between sphinx-exercise's solution-start and solution-end start collapsed."""
    chapter = tmp_path / "x.md"
    chapter.write_text(
        "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\nkernelspec:\n  name: python3\n"
        "  display_name: Python 3\n  language: python\n---\n# T\n\n```{code-cell} ipython3\nx = 1\n```\n\n"
        "```{solution-start} ex-1\n```\n\nThe answer.\n\n```{code-cell} ipython3\ny = 2\n```\n\nMore.\n\n"
        "```{solution-end}\n```\n\nAfter.\n\n```{code-cell} ipython3\nz = 3\n```\n"
    )
    nb = launch.build_notebook(chapter, "x", STUB, {})
    hidden = {c.source: c.metadata.get("jupyter", {}).get("source_hidden", False) for c in nb.cells}
    assert {k: v for k, v in hidden.items() if "=" in k} == {"x = 1": False, "y = 2": True, "z = 3": False}
    prose = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert "<details>\n<summary>Solution</summary>\n\nThe answer.\n\n</details>" in prose
    assert prose[-1] == "<details>\n<summary>Solution</summary>\n\nMore.\n\n</details>\n\nAfter.", prose[-1]


def test_install_cell_is_the_same_in_every_chapter():
    first = {p.stem: next(c for c in jupytext.read(p).cells if c.cell_type == "code").source for p in CHAPTERS}
    variants = set(first.values())
    assert len(variants) == 1, "the install cells differ:\n" + "\n---\n".join(
        f"{s}:\n{src}" for s, src in first.items()
    )
    (cell,) = variants
    assert "pip" in cell and 'find_spec("nnbook") is None' in cell
    assert "--upgrade" not in cell and " -U " not in cell, "the install cell must never upgrade what is there."


def test_launch_buttons_open_the_branch_the_workflow_publishes():
    """The theme opens <branch>/<path_to_book>/<page>.ipynb: the workflow pushes the build's notebooks there."""
    repository = CONFIG["repository"]
    assert repository["path_to_book"].strip("/") == "notebooks" and repository["branch"] != "main"
    flow = (ROOT / ".github" / "workflows" / "book.yml").read_text()
    assert "_build/notebooks" in flow and f"git push --force origin HEAD:{repository['branch']}" in flow
    edit = CONFIG["sphinx"]["config"]["html_context"]["edit_page_url_template"]
    assert edit.startswith(repository["url"].rstrip("/") + "/edit/main/"), "the edit button opens main's .md"


# -- with the built book ------------------------------------------------------------------------------


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_launch_notebook_is_the_chapter_with_this_builds_numbers(launch_notebook, chapter):
    nb = launch_notebook(chapter)
    assert nb.metadata["nnbook"]["glue"] == launch.build_glue(executed_notebook(chapter)), (
        f"{chapter.stem}: the launch notebook quotes other numbers than the build that wrote it"
    )
    ours = [c.source for c in nb.cells if c.cell_type == "code"]
    assert ours == [c.source for c in jupytext.read(chapter).cells if c.cell_type == "code"], "the code differs"
    assert not any(c.metadata.get("tags") or c.get("outputs") for c in nb.cells), "Colab ignores tags; no outputs"
    found = [
        f"cell {i}: {m}" for i, c in enumerate(nb.cells) if c.cell_type == "markdown" for m in myst_constructs(c.source)
    ]
    assert not found, f"{chapter.stem}'s launch notebook shows MyST as raw text ({len(found)}):\n" + "\n".join(found)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_launch_links_reach_the_site(built_book, launch_notebook, chapter):
    html = built_book / "html"
    text = json.dumps(launch_notebook(chapter).cells)
    broken = []
    for url in sorted(set(re.findall(re.escape(SITE) + r"[^)\s\"\\]*", text))):
        path, anchor = urlparse(url).path[len(urlparse(SITE).path) :], urlparse(url).fragment
        page = html / (path or "index.html")
        if not page.exists():
            broken.append(f"{url}: no such page")
        elif anchor and f'id="{anchor}"' not in page.read_text():
            broken.append(f"{url}: no such anchor")
    assert not broken, f"{chapter.stem}'s launch notebook links to what the site does not have:\n" + "\n".join(broken)
    assert f"{SITE}book/reference/" in text, "no link to the API reference: the build's entries were not found"


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
