"""The package and the book work offline: nothing they run asks the network for anything.

Each check runs Python in a subprocess whose ``sitecustomize`` (put first on ``PYTHONPATH``, so every
Python process started below it loads it too, Jupyter kernels included) replaces the socket functions
that reach other machines. Every attempt is written to a log and refused; the test then requires an
exit code of 0 and an empty log. A first check proves the guard itself catches a real request.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from bookutils import JUPYTER_BOOK, ROOT, chapters

GUARD = '''
"""Test-only network guard: record and refuse every attempt to reach another machine."""
import json
import os
import socket

_LOG = os.environ["NNBOOK_NET_LOG"]
_LOOPBACK_OK = os.environ.get("NNBOOK_NET_ALLOW_LOOPBACK") == "1"  # a Jupyter kernel talks to its client locally


def _refuse(kind, target):
    with open(_LOG, "a", encoding="utf-8") as f:
        f.write(json.dumps({"pid": os.getpid(), "kind": kind, "target": repr(target)}) + "\\n")
    raise OSError(f"network access is blocked in this test ({kind} {target!r})")


def _local(address):
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, bytes):
        host = host.decode()
    return host is None or (isinstance(host, str) and (host in ("localhost", "::1", "") or host.startswith("127.")))


def _allowed(sock, address):
    return sock.family == getattr(socket, "AF_UNIX", None) or (_LOOPBACK_OK and _local(address))


_connect, _connect_ex, _sendto = socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto
_getaddrinfo, _gethostbyname = socket.getaddrinfo, socket.gethostbyname


def connect(self, address):
    return _connect(self, address) if _allowed(self, address) else _refuse("connect", address)


def connect_ex(self, address):
    return _connect_ex(self, address) if _allowed(self, address) else _refuse("connect_ex", address)


def sendto(self, data, *args):
    address = args[-1]
    return _sendto(self, data, *args) if _allowed(self, address) else _refuse("sendto", address)


def getaddrinfo(host, *args, **kwargs):
    if host is None or (_LOOPBACK_OK and _local(host)):
        return _getaddrinfo(host, *args, **kwargs)
    return _refuse("getaddrinfo", host)


def gethostbyname(host):
    return _gethostbyname(host) if _LOOPBACK_OK and _local(host) else _refuse("gethostbyname", host)


socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto = connect, connect_ex, sendto
socket.getaddrinfo, socket.gethostbyname = getaddrinfo, gethostbyname
'''

# The package end to end: data → models → training (one run and a seed ensemble) → plots → animation → analysis.
END_TO_END = """
import torch

import nnbook
from nnbook.analysis import feature_decomposition
from nnbook.plots import plot_decomposition
from nnbook.animation import Snapshots, curve_animation, show_animation
from nnbook.data import temperature_data, train_valid_split, wiggly_curve
from nnbook.models import mlp
from nnbook.training import fit, fit_seeds

x, y = temperature_data()
split = train_valid_split(*wiggly_curve(n=1000), valid_fraction=0.2, seed=42)
nnbook.set_seed(0)
model = mlp([1, 20, 1])
grid = torch.linspace(0, 1, 50)[:, None]
snaps = Snapshots(grid, every=2)
history = fit(model, split, epochs=6, lr=0.02, batch_size=100, schedule="one_cycle", metrics=["mae"], callbacks=[snaps])
run = fit_seeds(lambda: mlp([1, 10, 1]), range(3), split.train, split.valid, epochs=3, lr=0.02, batch_size=100)
decomposition = feature_decomposition(model, split.x_valid, k=5)
nnbook.show(plot_decomposition(decomposition, split.x_valid, split.y_valid))
show_animation(curve_animation(split.x_train, split.y_train, grid, snaps.frames, snaps.labels), name="offline")
nnbook.glue("valid_loss", history.last["valid_loss"])
print("seeds", run.final_valid_loss.tolist())
"""


def guarded_env(tmp_path: Path, allow_loopback: bool = False) -> tuple[dict[str, str], Path]:
    """An environment whose Python processes all load the guard; returns it and the attempts log."""
    guard_dir = tmp_path / "guard"
    guard_dir.mkdir(exist_ok=True)
    (guard_dir / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = tmp_path / "network-attempts.jsonl"
    log.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_proxy", "_PROXY"))}
    env["PYTHONPATH"] = os.pathsep.join([str(guard_dir), *filter(None, [env.get("PYTHONPATH")])])
    env["NNBOOK_NET_LOG"] = str(log)
    env["NNBOOK_NET_ALLOW_LOOPBACK"] = "1" if allow_loopback else "0"
    return env, log


def attempts(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def first_chapter() -> Path | None:
    """The first chapter of the book that has its paired script (chapters land one by one)."""
    return next((path for path in chapters() if path.with_suffix(".py").exists()), None)


def run_guarded(args: list[str], tmp_path: Path, allow_loopback: bool = False, timeout: int = 900):
    env, log = guarded_env(tmp_path, allow_loopback)
    env["MPLBACKEND"] = "Agg"
    env["NNBOOK_FIGURES"] = str(tmp_path / "figures")
    proc = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=timeout)
    return proc, attempts(log)


def test_the_guard_catches_a_real_request(tmp_path):
    """Without this, an empty log could mean a guard that never ran."""
    code = textwrap.dedent("""
        import urllib.request
        try:
            urllib.request.urlopen("https://pypi.org/simple/nnbook/", timeout=5)
        except OSError as err:
            print("refused:", err)
    """)
    proc, tried = run_guarded([sys.executable, "-c", code], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert tried, f"the guard recorded nothing, so it is not active:\n{proc.stdout}\n{proc.stderr}"
    assert "pypi.org" in tried[0]["target"]


def test_the_guard_reaches_a_jupyter_kernel(tmp_path):
    """The book executes chapters in a kernel, a separate process: it must load the guard too."""
    code = textwrap.dedent("""
        import nbclient
        import nbformat
        source = "import socket\\ntry:\\n    socket.getaddrinfo('example.com', 80)\\n"
        source += "except OSError as e:\\n    print(e)"
        cell = nbformat.v4.new_code_cell(source)
        nb = nbformat.v4.new_notebook(cells=[cell])
        nbclient.NotebookClient(nb, kernel_name="python3", timeout=120).execute()
        print(nb.cells[0].outputs[0]["text"])
    """)
    env, log = guarded_env(tmp_path, allow_loopback=True)
    args = [sys.executable, "-c", code]
    proc = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "blocked" in proc.stdout
    assert [a["target"] for a in attempts(log)] == ["'example.com'"]


def test_the_package_end_to_end_makes_no_request(tmp_path):
    script = tmp_path / "end_to_end.py"
    script.write_text(END_TO_END, encoding="utf-8")
    proc, tried = run_guarded([sys.executable, str(script)], tmp_path)
    assert proc.returncode == 0, f"the script failed offline:\n{proc.stderr[-4000:]}"
    assert "valid_loss =" in proc.stdout
    assert not tried, f"network requests: {tried}"


@pytest.mark.book
def test_building_a_chapter_makes_no_request(tmp_path):
    """A real book build (Sphinx, myst-nb, a Jupyter kernel executing the chapter) of the intro and one chapter:
    the chapter's code runs offline there too, so its script needs no separate check.

    The build writes into ``tmp_path``, never into the shared ``_build``. Loopback is allowed, since the
    kernel and its client talk over 127.0.0.1; nothing else is.
    """
    chapter = first_chapter()
    if chapter is None:
        pytest.skip("no chapter exists yet")
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    docname = chapter.relative_to(ROOT).with_suffix("").as_posix()
    small_toc = {"format": toc["format"], "root": toc["root"], "chapters": [{"file": docname}]}
    toc_file = tmp_path / "_toc.yml"
    toc_file.write_text(yaml.safe_dump(small_toc))
    out = tmp_path / "out"
    args = [JUPYTER_BOOK, "build", str(ROOT), "--toc", str(toc_file), "--path-output", str(out)]
    env_proc, tried = run_guarded_build(args, tmp_path)
    assert env_proc.returncode == 0, f"the offline build failed:\n{env_proc.stdout[-3000:]}\n{env_proc.stderr[-3000:]}"
    assert (out / "_build" / "html" / f"{docname}.html").exists()
    assert not tried, f"the build made network requests: {tried}"


def run_guarded_build(args: list[str], tmp_path: Path):
    env, log = guarded_env(tmp_path, allow_loopback=True)
    env.pop("MPLBACKEND", None)  # the kernel must keep its inline backend
    proc = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    return proc, attempts(log)
