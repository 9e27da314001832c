"""The launch, edit and download buttons of every chapter page point at files that exist.

Launch links (Binder, Colab) must name the repository and branch of ``_config.yml`` and the launch notebook
the build wrote (``_build/notebooks``, which the publishing workflow pushes to that branch as ``notebooks/``);
Binder needs ``binder/``. The edit button opens the chapter's .md on main. Download links (.ipynb, .md, .py)
must point at files the built site serves, and the .md and .py must be the repository's own.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlparse

import jupytext
import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup

from bookutils import ROOT, chapters

CHAPTERS = chapters()
IDS = [p.stem for p in CHAPTERS]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())


def repository() -> tuple[str, str, str]:
    """(owner, name, branch) of the one repository the book names."""
    url = CONFIG["repository"]["url"].rstrip("/")
    match = re.fullmatch(r"https://github\.com/([^/]+)/([^/]+)", url)
    assert match, f"repository.url in _config.yml must be a GitHub repository URL, got {url!r}"
    return match.group(1), match.group(2), CONFIG["repository"].get("branch", "main")


def page_of(built_book: Path, chapter: Path) -> tuple[Path, BeautifulSoup]:
    html = built_book / "html" / chapter.relative_to(ROOT).with_suffix(".html")
    assert html.exists(), f"{html} was not built."
    return html, BeautifulSoup(html.read_text(), "html.parser")


def launched(built_book: Path, path: str) -> Path:
    """A path of the launch branch (as a launch link gives it) as a file of this checkout and its build."""
    path = Path(unquote(path)).as_posix().lstrip("./")
    return built_book / path if path.startswith("notebooks/") else ROOT / path


def test_launch_config_uses_the_repository():
    owner, name, branch = repository()
    launch = CONFIG.get("launch_buttons", {})
    assert launch.get("binderhub_url") and launch.get("colab_url"), "Binder and Colab launch buttons are configured."
    assert (ROOT / "binder" / "requirements.txt").exists(), "Binder builds its image from binder/requirements.txt."


def test_binder_requirements_match_the_tested_versions():
    """Binder installs CPU torch, the package from this checkout, jupytext, at the versions the tests pin."""
    lines = [ln.split("#")[0].strip() for ln in (ROOT / "binder" / "requirements.txt").read_text().splitlines()]
    lines = [ln for ln in lines if ln]
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in lines
    assert "--no-deps ." in (ROOT / "binder" / "postBuild").read_text(), "Binder must install this checkout's nnbook."
    pins = dict(ln.split("==") for ln in lines if "==" in ln)
    tested = dict(
        ln.split("#")[0].strip().split("==")
        for ln in (ROOT / "requirements" / "constraints.txt").read_text().splitlines()
        if "==" in ln.split("#")[0]
    )
    assert "torch" in pins and "jupytext" in pins
    for package, version in pins.items():
        assert tested.get(package) == version, f"binder pins {package}=={version}, the tests use {tested.get(package)}."


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_launch_links(built_book, chapter):
    owner, name, branch = repository()
    _, soup = page_of(built_book, chapter)
    links = {a.get_text(strip=True): a["href"] for a in soup.select(".dropdown-launch-buttons a[href]")}
    assert {"Binder", "Colab"} <= set(links), f"{chapter.stem}: launch buttons found: {sorted(links)}"

    binder = urlparse(links["Binder"])
    assert binder.netloc == "mybinder.org"
    assert binder.path == f"/v2/gh/{owner}/{name}/{branch}", f"Binder launches {binder.path}"
    urlpath = parse_qs(binder.query)["urlpath"][0]
    target = re.sub(r"^(lab/tree|tree)/", "", urlpath)
    assert launched(built_book, target).exists(), f"Binder opens {target}, which the build did not write."

    colab = urlparse(links["Colab"])
    assert colab.netloc == "colab.research.google.com"
    prefix = f"/github/{owner}/{name}/blob/{branch}/"
    assert colab.path.startswith(prefix), f"Colab opens {colab.path}, not a file of {owner}/{name}@{branch}"
    notebook = colab.path[len(prefix) :]
    assert notebook.endswith(".ipynb"), f"Colab can only open notebooks, the link gives {notebook}"
    assert launched(built_book, notebook) == (built_book / "notebooks" / chapter.relative_to(ROOT)).with_suffix(
        ".ipynb"
    )
    assert launched(built_book, notebook).exists(), f"Colab opens {notebook}, which the build did not write."
    edit = {a["href"] for a in soup.select("a[href]") if "/edit/" in a["href"]}
    assert edit == {f"https://github.com/{owner}/{name}/edit/main/{chapter.relative_to(ROOT).as_posix()}"}, edit
    assert soup.select(f'a[href^="https://github.com/{owner}/{name}/issues/new?"]'), "no issues button"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_download_links(built_book, chapter):
    html, soup = page_of(built_book, chapter)
    links = {a.get_text(strip=True): a["href"] for a in soup.select(".dropdown-download-buttons a[href]")}
    assert {".ipynb", ".md", ".py"} <= set(links), f"{chapter.stem}: downloads offered: {sorted(links)}"
    site = (built_book / "html").resolve()
    for kind in (".ipynb", ".md", ".py"):
        url = urlparse(urljoin(html.resolve().as_uri(), links[kind]))
        served = Path(unquote(url.path)).resolve()
        assert served.is_relative_to(site) and served.exists(), (
            f"{chapter.stem}: the {kind} download {links[kind]} is missing."
        )
        assert served.name == chapter.with_suffix(kind).name
        if kind in (".md", ".py"):
            assert served.read_text() == chapter.with_suffix(kind).read_text(), (
                f"the {kind} download is not the repository's file."
            )
        else:
            check_notebook_download(served, chapter)


def code_cells(notebook) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def check_notebook_download(served: Path, chapter: Path) -> None:
    """The .ipynb a reader downloads is the chapter, executed: its own code cells and nothing else, with outputs."""
    notebook = nbformat.read(served, as_version=4)
    assert code_cells(notebook) == code_cells(jupytext.read(chapter)), (
        f"the .ipynb download of {chapter.stem} does not hold exactly the chapter's code cells"
    )
    executed = [c for c in notebook.cells if c.cell_type == "code" and c.get("outputs")]
    images = [o for c in executed for o in c.outputs if "image/png" in o.get("data", {})]
    assert executed and images, f"the .ipynb download of {chapter.stem} has no outputs or no figures: not executed"
    assert "fingerprint" not in served.read_text(), "a build-only cell leaked into the download"


def test_the_download_check_can_fail(tmp_path):
    """An unexecuted notebook, or one with an extra cell, fails the download check."""
    chapter = CHAPTERS[0]
    plain = jupytext.read(chapter)
    nbformat.write(plain, tmp_path / "plain.ipynb")
    with pytest.raises(AssertionError, match="no outputs"):
        check_notebook_download(tmp_path / "plain.ipynb", chapter)
    plain.cells.append(nbformat.v4.new_code_cell("# nnbook package fingerprint: 0123"))
    nbformat.write(plain, tmp_path / "extra.ipynb")
    with pytest.raises(AssertionError, match="exactly the chapter's code cells"):
        check_notebook_download(tmp_path / "extra.ipynb", chapter)
