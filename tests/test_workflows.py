"""The GitHub Actions workflow that builds and publishes the book passes actionlint and does what the book needs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from bookutils import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    assert found, "actionlint is missing: run `make setup` (it is in the dev pins)."
    return found


def test_workflows_pass_actionlint():
    assert WORKFLOWS, "no workflow in .github/workflows"
    proc = subprocess.run([actionlint(), *map(str, WORKFLOWS)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_publish_workflow_builds_strictly_with_the_cache_and_deploys():
    flow = yaml.safe_load((ROOT / ".github/workflows/book.yml").read_text())
    steps = flow["jobs"]["build"]["steps"]
    runs = " ".join(s.get("run", "") for s in steps)
    assert "make strict" in runs and '-m "not book and not browser and not colab"' in runs
    cache = next(s for s in steps if s.get("with", {}).get("path") == "_build/.jupyter_cache")
    assert "requirements/constraints.txt" in cache["with"]["key"] and "src/nnbook" in cache["with"]["key"]
    assert any("deploy-pages" in s.get("uses", "") for s in flow["jobs"]["deploy"]["steps"])
