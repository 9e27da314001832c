"""Helpers the tests share: where the chapters are, and how to read what they glued."""

from __future__ import annotations

import ast
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import chapter_files  # book/_ext, on pytest's path (pyproject.toml): the one definition of the chapters
from api_reference import public_modules
from chapter_files import FLOAT_ATOL, FLOAT_RTOL, TIMING_SUFFIXES  # noqa: F401 - shared facts, for the tests

ROOT = Path(__file__).resolve().parents[1]

BUILD = ROOT / "_build"
EXECUTED = BUILD / "jupyter_execute"
PYTHON = sys.executable
JUPYTER_BOOK = str(Path(PYTHON).with_name("jupyter-book"))


def chapters() -> list[Path]:
    """The chapter sources listed in _toc.yml (the .md files that contain code), in book order."""
    return chapter_files.chapters(ROOT / "_toc.yml")


def public_names(package: str = "nnbook") -> dict[str, object]:
    """Every public name → its object: each public module's ``__all__`` (or what it defines, without one); an
    object exported twice under the shorter name, the one its reference entry has (book/_ext/api_reference.py)."""
    names: dict[str, object] = {}
    for modname in public_modules(package):
        module = importlib.import_module(modname)
        exported = getattr(module, "__all__", None) or [
            n for n, o in vars(module).items() if getattr(o, "__module__", None) == modname and callable(o)
        ]
        for name in exported:
            obj = getattr(module, name)
            if not name.startswith("_") and not any(o is obj and callable(o) for o in names.values()):
                names[f"{modname}.{name}"] = obj
    return names


def chapter_id(path: Path) -> str:
    return path.stem


def executed_notebook(path: Path, build: Path = BUILD) -> Path:
    """Where the book build in ``build`` (by default ``_build``) leaves the executed notebook of a chapter."""
    return build / "jupyter_execute" / path.relative_to(ROOT).with_suffix(".ipynb")


def build_book(strict: bool = True, full: bool = True) -> subprocess.CompletedProcess:
    """Build the book (cached execution). Full and strict by default, so no stale page or warning hides."""
    args = [JUPYTER_BOOK, "build", str(ROOT)]
    args += ["--all"] if full else []
    args += ["-W", "--keep-going"] if strict else []
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)


def _value(text: str):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def glued_values(notebook: Path) -> dict:
    """Name → value of every myst-nb ``glue`` in an executed notebook."""
    nb = json.loads(notebook.read_text())
    values = {}
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("scrapbook")
            if meta:
                data = out["data"]
                text = next((v for k, v in data.items() if k.endswith("text/plain")), None)
                if text is not None:
                    values[meta["name"]] = _value("".join(text) if isinstance(text, list) else text)
    return values


def images(notebook: Path) -> list[str]:
    """The PNG images among a notebook's outputs."""
    nb = json.loads(notebook.read_text())
    return [
        out["data"]["image/png"]
        for cell in nb["cells"]
        for out in cell.get("outputs", [])
        if "image/png" in out.get("data", {})
    ]


def run_script(path: Path, workdir: Path, timeout: int = 600) -> tuple[subprocess.CompletedProcess, dict]:
    """Run a chapter's paired .py script headless from ``workdir``; return the process and its glued values."""
    script = path.with_suffix(".py")
    record = workdir / f"{path.stem}.glue.jsonl"
    record.unlink(missing_ok=True)
    env = {
        **os.environ,
        "MPLBACKEND": "Agg",
        "NNBOOK_GLUE_JSON": str(record),
        "NNBOOK_FIGURES": str(workdir / "figures"),
    }
    proc = subprocess.run([PYTHON, str(script)], cwd=workdir, env=env, capture_output=True, text=True, timeout=timeout)
    values = {}
    if record.exists():
        for line in record.read_text().splitlines():
            item = json.loads(line)
            values[item["name"]] = item["value"]
    return proc, values


def probe_chapter(title: str, code: str) -> str:
    """A MyST chapter (jupytext front matter, one code cell) for the small books some tests build."""
    return (
        "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
        "kernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n---\n\n"
        f"# {title}\n\n```{{code-cell}} ipython3\n{code}\n```\n"
    )


def write_probe_book(root: Path, modules: dict[str, str], chapters: dict[str, str], extensions: bool = True) -> None:
    """A small book at ``root``: package ``probe`` (``modules``: file name → source) in ``root/pkg``, one
    chapter per ``chapters`` item (name → code), a reference page of ``probe.a``, and the book's own
    build extensions (or none: plain myst-nb and jupyter-cache)."""
    (root / "pkg" / "probe").mkdir(parents=True)
    for name, source in modules.items():
        (root / "pkg" / "probe" / name).write_text(source)
    (root / "index.md").write_text("# Probe book\n")
    (root / "ref.md").write_text("# Reference\n\n```{eval-rst}\n.. automodule:: probe.a\n   :members:\n```\n")
    for name, code in chapters.items():
        (root / f"{name}.md").write_text(probe_chapter(f"Chapter {name}", code))
    files = "".join(f"- file: {name}\n" for name in [*chapters, "ref"])
    (root / "_toc.yml").write_text(f"format: jb-book\nroot: index\nchapters:\n{files}")
    config = "title: probe\nexecute:\n  execute_notebooks: cache\nsphinx:\n  extra_extensions: [sphinx.ext.autodoc]\n"
    if extensions:
        shutil.copytree(ROOT / "book" / "_ext", root / "_ext")
        config += "  local_extensions:\n" + "".join(
            f"    {ext}: _ext\n" for ext in ("chapter_execution", "api_reference")
        )
        config += "  config:\n    nnbook_package: probe\n    nb_execution_raise_on_error: true\n"
    (root / "_config.yml").write_text(config)


def build_probe_book(root: Path, **env: str) -> subprocess.CompletedProcess:
    """Build a small test book at ``root`` whose chapters import the package in ``root/pkg``."""
    full_env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # keep inline figures
    full_env.update(PYTHONPATH=str(root / "pkg"), **env)
    return subprocess.run([JUPYTER_BOOK, "build", str(root)], env=full_env, capture_output=True, text=True)


def executed_chapters(log: str) -> list[str]:
    """The chapters (file stems) a build's log says were executed, by myst-nb or side by side."""
    found = re.findall(r"([^/\s]+)\.md: Executed notebook in", log)
    return sorted(found + re.findall(r"Execution Successful: \S*/([^/\s]+)\.md", log))
