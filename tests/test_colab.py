"""Colab's runtime is left alone, and a chapter runs there.

A virtual environment stands in for Colab's runtime: Colab's versions of IPython (7.34.0, pinned by
``google-colab``), ipykernel (6.17.1), NumPy (2.1), pandas (2.2), matplotlib (3.10), ipywidgets (7.7.1) and tqdm, with
torch 2.13.0+cpu standing in for Colab's own torch. It is built once and kept in ``.cache/colab-venv``
(rebuilt when the list below changes or the environment is broken).

1. The install cell of a launch notebook, pointed at a local clone of this checkout instead of GitHub, runs
   with that environment's Python. ``pip freeze`` before and after must be identical except for nnbook
   itself and packages that were absent: not one preinstalled package upgraded, downgraded or replaced.
2. A launch notebook (what the Colab button opens) then executes from top to bottom in a kernel of that
   environment, as "Run all" does on Colab: cell tags are ignored there, so any cell that raises fails.

Afterwards the environment is put back as it was (nnbook and what it added are uninstalled).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from bookutils import BUILD, ROOT, chapters

pytestmark = pytest.mark.colab

# Colab's versions (Python 3.12 there; the tests' Python 3.11 stands in).
COLAB_PACKAGES = [
    "ipython==7.34.0",
    "ipykernel==6.17.1",
    "numpy==2.1.*",
    "pandas==2.2.*",
    "matplotlib==3.10.*",
    "ipywidgets==7.7.1",
    "tqdm",
    "torch==2.13.0+cpu",  # stands in for Colab's CUDA torch 2.9-2.11 (only this wheel is available here)
]
VENV = ROOT / ".cache" / "colab-venv"
# The chapters whose launch notebooks run in the Colab-like kernel (a few seconds to half a minute each): by
# default the first chapter (the one a reader opens first) and the last (a table read with pandas, a model saved
# and loaded in another process); a comma-separated list of chapter names, or "all".
FIRST, LAST = chapters()[0].stem, chapters()[-1].stem
CHAPTERS = os.environ.get("NNBOOK_COLAB_CHAPTERS", f"{FIRST},{LAST}")


def _python() -> str:
    """The interpreter for the stand-in: this one (3.11; Colab runs 3.12, for which no torch wheel is here)."""
    return sys.executable


def _run(*args: str, drop: tuple[str, ...] = (), **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PIP_CONSTRAINT", "VIRTUAL_ENV", "MPLBACKEND", *drop)}
    return subprocess.run(args, capture_output=True, text=True, env=env, **kwargs)


def freeze(python: Path) -> dict[str, str]:
    """name → version (or direct URL) of every package installed in the environment of ``python``."""
    out = _run(str(python), "-m", "pip", "freeze", "--all").stdout
    pins = {}
    for line in out.splitlines():
        name, sep, version = line.partition("==") if "==" in line else line.partition(" @ ")
        if sep:
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    return pins


def colab_venv() -> Path:
    """The Colab-like environment's python, built on first use and reused while its spec is unchanged."""
    spec = json.dumps({"python": Path(_python()).name, "packages": COLAB_PACKAGES})
    stamp = VENV / "colab-spec.json"
    python = VENV / "bin" / "python"
    base = VENV / "base-freeze.json"
    if stamp.exists() and stamp.read_text() == spec and python.exists() and base.exists():
        if freeze(python) == json.loads(base.read_text()):
            return python
    shutil.rmtree(VENV, ignore_errors=True)
    made = _run(_python(), "-m", "venv", str(VENV))
    assert made.returncode == 0, f"could not create {VENV}: {made.stderr}"
    # pip would byte-compile every module of torch (most of the set-up's time); instead only what a kernel
    # imports is compiled, by importing it once.
    installed = _run(str(python), "-m", "pip", "install", "--quiet", "--no-compile", *COLAB_PACKAGES, timeout=1800)
    assert installed.returncode == 0, f"could not install Colab's versions:\n{installed.stderr[-4000:]}"
    warm = (
        "import ipykernel.kernelapp, ipywidgets, matplotlib.animation, matplotlib.pyplot, pandas, torch.func, tqdm.auto"
    )
    warmed = _run(str(python), "-c", warm, drop=("PYTHONDONTWRITEBYTECODE",))
    assert warmed.returncode == 0, f"Colab's versions do not import:\n{warmed.stderr[-4000:]}"
    base.write_text(json.dumps(freeze(python), indent=1, sort_keys=True))
    stamp.write_text(spec)
    return python


def local_clone(tmp: Path) -> Path:
    """A git repository with this checkout's files as they are now (committed or not)."""
    clone = tmp / "nnbook"
    files = _run("git", "ls-files", "-co", "--exclude-standard", cwd=ROOT).stdout.split("\n")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, clone / name)
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]):
        assert _run("git", *args, cwd=clone).returncode == 0
    return clone


def launch_notebook(stem: str) -> Path:
    """The launch notebook the build wrote for chapter ``stem`` (``_build/notebooks``)."""
    chapter = next(p for p in chapters() if p.stem == stem)
    path = BUILD / "notebooks" / chapter.relative_to(ROOT).with_suffix(".ipynb")
    assert path.exists(), f"the build wrote no launch notebook {path}."
    return path


def install_cell(notebook: Path, clone: Path) -> str:
    """The launch notebook's first code cell, installing from ``clone`` instead of the GitHub repository."""
    nb = nbformat.read(notebook, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    urls = re.findall(r"git\+https://github\.com/[^\s\"']+", cell.source)
    assert len(urls) == 1, f"the install cell should install from one GitHub URL, found {urls}"
    return cell.source.replace(urls[0], f"git+file://{clone}")


@pytest.fixture(scope="module")
def colab(tmp_path_factory, built_book):
    """(python, freeze before, freeze after) around running the install cell in the Colab-like environment."""
    python = colab_venv()
    before = freeze(python)
    clone = local_clone(tmp_path_factory.mktemp("clone"))
    code = install_cell(launch_notebook(FIRST), clone)
    ran = _run(str(python), "-c", code, cwd=tmp_path_factory.mktemp("content"), timeout=900)
    assert ran.returncode == 0, f"the install cell failed in the Colab-like runtime:\n{ran.stdout}\n{ran.stderr}"
    after = freeze(python)
    yield python, before, after
    added = sorted(set(after) - set(before))
    _run(str(python), "-m", "pip", "uninstall", "-y", "-q", *added)


def test_install_cell_changes_no_preinstalled_package(colab):
    python, before, after = colab
    changed = {name: (before[name], after.get(name, "removed")) for name in before if after.get(name) != before[name]}
    added = {name: after[name] for name in sorted(set(after) - set(before))}
    print("pip freeze diff (after the install cell):")
    for name, (old, new) in sorted(changed.items()):
        print(f"  ~ {name}: {old} -> {new}")
    for name, version in added.items():
        print(f"  + {name}=={version}" if "://" not in version else f"  + {name} @ {version}")
    assert not changed, f"the install cell changed packages that Colab preinstalls: {changed}"
    assert "nnbook" in added, "the install cell did not install nnbook."
    assert before.get("ipython") == "7.34.0" == after.get("ipython")


def test_install_cell_does_nothing_once_installed(colab):
    python, _, after = colab
    code = install_cell(launch_notebook(FIRST), Path("/nonexistent"))
    ran = _run(str(python), "-c", code, timeout=120)
    assert ran.returncode == 0 and freeze(python) == after, "a second run of the install cell must do nothing."


def _chapters() -> list[str]:
    if CHAPTERS == "all":
        return [p.stem for p in chapters()]
    return CHAPTERS.split(",")


def run_in_kernel(notebook: nbformat.NotebookNode, python: Path, workdir: Path, timeout: int = 600) -> None:
    """Execute ``notebook`` top to bottom in a kernel of ``python``, stopping at the first cell that raises
    whatever its tags say (Colab ignores tags)."""
    kernels = workdir / "kernels" / "colab"
    kernels.mkdir(parents=True, exist_ok=True)
    (kernels / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Colab-like",
                "language": "python",
                "env": {"MPLCONFIGDIR": str(workdir / "mpl")},
            }
        )
    )
    for cell in notebook.cells:
        cell.metadata.pop("tags", None)
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(workdir)
    mplbackend = os.environ.pop("MPLBACKEND", None)
    try:
        NotebookClient(notebook, kernel_name="colab", timeout=timeout, allow_errors=False,
                       resources={"metadata": {"path": str(workdir)}}).execute()  # fmt: skip
    finally:
        if old is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = old
        if mplbackend is not None:
            os.environ["MPLBACKEND"] = mplbackend


@pytest.mark.parametrize("stem", _chapters())
def test_launch_notebook_runs_all_in_colab(colab, stem, tmp_path):
    python, _, _ = colab
    nb = nbformat.read(launch_notebook(stem), as_version=4)
    run_in_kernel(nb, python, tmp_path)
    figures = sum("image/png" in out.get("data", {}) for c in nb.cells for out in c.get("outputs", []))
    assert figures > 0, f"{stem} ran in the Colab-like kernel but showed no figure inline."


def test_a_raising_cell_stops_run_all(colab, tmp_path):
    """The check above can fail: a cell that raises (even one tagged raises-exception) stops the run."""
    python, _, _ = colab
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0", metadata={"tags": ["raises-exception"]})])
    with pytest.raises(Exception, match="ZeroDivisionError"):
        run_in_kernel(nb, python, tmp_path, timeout=120)
