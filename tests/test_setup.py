"""The ways in besides the site: a fresh machine (`make setup`), Binder, and the pins both use.

- ``make setup`` stops with one line when the Python is older than 3.11, or when venv/ensurepip is
  missing (naming ``python3-venv``), and rebuilds a broken ``.venv`` instead of skipping it;
- the pins are split by purpose and match the tested environment (``tools/pins.py --check``);
- Binder's requirements pin torch's CPU build from PyTorch's index and hold no local reference, so
  repo2docker installs them in a layer it can reuse; ``binder/postBuild`` installs the package.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bookutils import ROOT


def fake_python(tmp_path: Path, version: str, venv_works: bool) -> Path:
    """A stand-in interpreter: reports ``version``; ``-m venv`` fails as it does without python3-venv."""
    major, minor = (int(v) for v in version.split(".")[:2])
    script = tmp_path / "python-fake"
    script.write_text(
        "#!/bin/sh\n"
        'case "$*" in\n'
        f"  *version_info*) exit {0 if (major, minor) >= (3, 11) else 1};;\n"
        f'  -V) echo "Python {version}";;\n'
        '  "-m venv"*) mkdir -p "$3/bin";'
        + (" exit 0;;\n" if venv_works else ' echo "ensurepip is not available" >&2; exit 1;;\n')
        + "esac\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def make_setup(tmp_path: Path, python: Path, venv: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "setup", f"PYTHON={python}", f"VENV={venv}"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


def test_old_python_stops_with_one_line(tmp_path):
    proc = make_setup(tmp_path, fake_python(tmp_path, "3.10.12", venv_works=True), tmp_path / ".venv")
    assert proc.returncode != 0
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip() and not ln.startswith("make")]
    assert len(lines) == 1 and "3.11" in lines[0] and "3.10.12" in lines[0], proc.stderr
    assert not (tmp_path / ".venv").exists()


def test_missing_venv_names_python3_venv(tmp_path):
    proc = make_setup(tmp_path, fake_python(tmp_path, "3.11.2", venv_works=False), tmp_path / ".venv")
    assert proc.returncode != 0
    assert "python3-venv" in proc.stderr, proc.stderr
    assert not (tmp_path / ".venv").exists(), "a half-made .venv (no pip) must not be left for the next make."


def test_broken_venv_is_rebuilt_not_skipped(tmp_path):
    venv = tmp_path / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(tmp_path / "gone")  # an interpreter that has been removed
    (venv / ".installed").touch()
    proc = make_setup(tmp_path, fake_python(tmp_path, "3.11.2", venv_works=False), venv)
    assert "is broken" in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    assert "python3-venv" in proc.stderr  # it tried to create it again (and the stand-in has no venv)


def test_pins_match_the_environment():
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "pins.py"), "--check"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def _pins(path: Path) -> dict[str, str]:
    lines = [ln.split("#")[0].strip() for ln in path.read_text().splitlines()]
    return dict(ln.split("==", 1) for ln in lines if "==" in ln)


def test_pins_are_split_by_purpose():
    runtime, dev = _pins(ROOT / "requirements/runtime.txt"), _pins(ROOT / "requirements/dev.txt")
    assert runtime["torch"] == "2.13.0+cpu", "torch is pinned to PyTorch's CPU build."
    assert {"numpy", "matplotlib", "ipython", "ipywidgets", "tqdm"} <= set(runtime)
    assert {"jupyter-book", "pytest", "ruff", "playwright"} <= set(dev)
    assert not set(runtime) & set(dev), "a package is pinned twice"
    text = (ROOT / "requirements/constraints.txt").read_text()
    assert "Editable" not in text and "nnbook" not in _pins(ROOT / "requirements/constraints.txt")


def test_binder_installs_cpu_torch_in_a_cached_layer():
    lines = [ln.strip() for ln in (ROOT / "binder/requirements.txt").read_text().splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in lines
    pins = _pins(ROOT / "binder/requirements.txt")
    assert pins["torch"].endswith("+cpu"), "without +cpu a failing CPU index falls back to the CUDA build."
    runtime = _pins(ROOT / "requirements/runtime.txt")
    assert all(runtime.get(name, version) == version for name, version in pins.items())
    # repo2docker installs requirements.txt before copying the repository only without local references
    local = [ln for ln in lines if ln.startswith(("-r", "-c", "-e", ".", "/", "file:")) or ln in (".", "..")]
    assert not local, f"local references make repo2docker reinstall torch on every build: {local}"
    post = (ROOT / "binder/postBuild").read_text()
    assert "pip install" in post and "--no-deps ." in post, "postBuild installs the book's package."
    assert os.access(ROOT / "binder/postBuild", os.X_OK)


@pytest.mark.parametrize("name", ["README.md"])
def test_docs_say_what_a_fresh_machine_needs(name):
    text = (ROOT / name).read_text()
    assert "3.11" in text and "python3-venv" in text
