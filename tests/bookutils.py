"""Helpers the tests share: where the chapters are, and how to read what they glued."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
EXECUTED = BUILD / "jupyter_execute"
PYTHON = sys.executable
JUPYTER_BOOK = str(Path(PYTHON).with_name("jupyter-book"))

# Glued names that measure time: they differ between runs by nature, so determinism checks skip them.
TIMING_SUFFIXES = ("_seconds", "_speedup", "_time")


def chapters() -> list[Path]:
    """The chapter sources listed in _toc.yml (the .md files that contain code), in book order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])]
    paths = [ROOT / f"{f}.md" for f in files]
    return [p for p in paths if p.exists() and "```{code-cell}" in p.read_text()]


def chapter_id(path: Path) -> str:
    return path.stem


def executed_notebook(path: Path) -> Path:
    """Where the book build leaves the executed notebook of a chapter."""
    return EXECUTED / path.relative_to(ROOT).with_suffix(".ipynb")


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


def build_probe_book(root: Path, **env: str) -> subprocess.CompletedProcess:
    """Build a small test book at ``root`` whose chapters import the package in ``root/pkg``."""
    full_env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # keep inline figures
    full_env.update(PYTHONPATH=str(root / "pkg"), **env)
    return subprocess.run([JUPYTER_BOOK, "build", str(root)], env=full_env, capture_output=True, text=True)
