"""Every documentation link the chapters ask for is in the stored intersphinx inventories.

A reference to an object missing from ``book/_intersphinx/`` renders as plain text without any
warning, so these checks stand in for the build: add the name to ``tools/intersphinx_inventories.py``
and run ``make inventories``.
"""

import importlib.util
import posixpath
import re
import zlib
from pathlib import Path

import pytest
from sphinx.util.inventory import InventoryFile

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "book" / "_intersphinx"
# {py:func}`torch.manual_seed`, {py:meth}`~torch.Tensor.backward`, {py:class}`nn.Parameter <torch.nn...>`
ROLE = re.compile(r"\{py:\w+\}`(?:[^`<]*<)?~?([\w.]+)>?`")
PROJECTS = ("numpy", "pandas", "matplotlib", "torch")


def load(project: str) -> dict[str, dict]:
    """Return ``{role: {name: entry}}`` of the stored inventory of ``project``."""
    with open(FOLDER / f"{project}.inv", "rb") as f:
        return InventoryFile.load(f, "", posixpath.join)


def names(project: str) -> set[str]:
    return {name for entries in load(project).values() for name in entries}


def chapter_references() -> set[str]:
    return {m for md in (ROOT / "book").rglob("*.md") for m in ROLE.findall(md.read_text(encoding="utf-8"))}


def generator():
    spec = importlib.util.spec_from_file_location("inventories", ROOT / "tools" / "intersphinx_inventories.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_pattern_finds_every_form_of_reference():
    text = "{py:func}`torch.manual_seed`, {py:meth}`~torch.Tensor.sub_`, {py:class}`P <torch.nn.parameter.Parameter>`"
    assert ROLE.findall(text) == ["torch.manual_seed", "torch.Tensor.sub_", "torch.nn.parameter.Parameter"]
    assert {"torch.nn.Linear", "numpy.linalg.lstsq", "matplotlib.pyplot.subplots"} <= chapter_references()


@pytest.mark.parametrize("project", [*PROJECTS, "python"])
def test_every_chapter_reference_is_in_its_inventory(project):
    if project == "python":  # what is neither the book's own package nor one of the three projects
        wanted = {r for r in chapter_references() if r.split(".")[0] not in {"nnbook", *PROJECTS}}
    else:
        wanted = {r for r in chapter_references() if r.split(".")[0] == project}
    missing = wanted - names(project)
    assert not missing, f"not in book/_intersphinx/{project}.inv: {sorted(missing)}; see its README"


@pytest.mark.parametrize("project", PROJECTS)
def test_stored_inventories_match_the_generator(project):
    stored = (FOLDER / f"{project}.inv").read_bytes().split(b"\n", 4)
    fresh = generator().inventory(project).split(b"\n", 4)
    assert zlib.decompress(stored[4]) == zlib.decompress(fresh[4]), "run `make inventories`"


def test_links_follow_each_projects_url_layout():
    uris = {name: e[2] for p in PROJECTS for entries in load(p).values() for name, e in entries.items()}
    assert uris["torch.nn.Linear"] == "generated/torch.nn.Linear.html#torch.nn.Linear"
    assert uris["torch.Tensor"] == "tensors.html#torch.Tensor"
    assert uris["torch.nn.modules.module.Module"] == "generated/torch.nn.Module.html#torch.nn.Module"  # type hints
    assert uris["numpy.linalg.lstsq"] == "reference/generated/numpy.linalg.lstsq.html#numpy.linalg.lstsq"
    assert (
        uris["matplotlib.pyplot.subplots"] == "api/_as_gen/matplotlib.pyplot.subplots.html#matplotlib.pyplot.subplots"
    )
