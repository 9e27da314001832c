"""Benchmarks 4 and 5: how long the book takes to build, and which chapter costs the most.

Everything happens in a private copy of the repository (a temporary folder), so the ``_build`` folder of
the working tree is never touched. The copy's build runs with ``PYTHONPATH`` pointing at the copy's own
``src``, so that its kernels import the copy's package: an edit there must reach the chapters.

4. Build times, each with the chapters it executed:
   - a cold build (no cache; chapters run side by side, book/_ext/chapter_execution.py);
   - a no-op rebuild;
   - a one-line edit in one chapter's code (the cheapest chapter): that chapter only;
   - a docstring edit in ``src/nnbook/__init__.py`` (every chapter imports it): no chapter, and the
     reference page shows the new docstring;
   - a one-line code edit in a package module: every chapter (they all import the package).
   Goals: cold ≤ 75 s, no-op ≤ 3 s, one chapter ≤ its execution time + 3 s, docstring edit ≤ 10 s.
5. Per-chapter execution time, read from the copy's jupyter-cache, sorted, slowest named. Goal: each ≤ 30 s.
   With ``--serial``, a second cold build runs the chapters one at a time (``NNBOOK_BUILD_JOBS=1``): its
   per-chapter times are not inflated by sharing the machine, and it shows what running side by side saves.

Usage: ``python bench/bench_build.py [--serial] [--keep DIR]`` (``--keep`` builds in DIR and leaves it there).
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = str(Path(sys.executable).with_name("jupyter-book"))
SKIP = {".venv", "_build", ".git", ".cache", ".pytest_cache", ".ruff_cache", "nnbook-figures", "__pycache__"}
CHAPTER_LIMIT_SECONDS = 30


def copy_repo(dest: Path) -> None:
    shutil.copytree(ROOT, dest, ignore=lambda folder, names: [n for n in names if n in SKIP or n.endswith(".egg-info")])


def build(repo: Path, **extra_env: str) -> tuple[float, float, subprocess.CompletedProcess]:
    """Build the copy as `make book` does; return (wall seconds, CPU seconds of the build and its kernels, process)."""
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # the kernel must keep its inline figures
    env.update(extra_env)
    env["PYTHONPATH"] = os.pathsep.join([str(repo / "src"), *filter(None, [env.get("PYTHONPATH")])])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([JUPYTER_BOOK, "build", str(repo)], cwd=repo, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        print(proc.stdout[-3000:], proc.stderr[-3000:], sep="\n")
        raise SystemExit(f"the build failed (exit {proc.returncode})")
    return wall, cpu, proc


def executed(proc: subprocess.CompletedProcess) -> list[str]:
    """The chapters the build executed (not taken from the cache), from its log: by myst-nb or side by side."""
    log = proc.stdout + proc.stderr
    found = re.findall(r"([^/\s]+\.md): Executed notebook in", log)
    return sorted(found + re.findall(r"Execution Successful: \S*/([^/\s]+\.md)", log))


def chapter_times(repo: Path) -> dict[str, float]:
    """Each chapter's latest execution time, as myst-nb stored it in the jupyter-cache."""
    from jupyter_cache import get_cache

    latest: dict[str, tuple] = {}
    caches = (repo / "_build" / ".jupyter_cache").glob("*/global.db")  # one folder per package hash
    for record in (r for db in caches for r in get_cache(db.parent).list_cache_records()):
        uri = Path(record.uri).relative_to(repo).as_posix()
        if uri not in latest or record.created > latest[uri][0]:
            latest[uri] = (record.created, record.data.get("execution_seconds", float("nan")))
    return {uri: seconds for uri, (_, seconds) in latest.items()}


def first_code_chapter(repo: Path, times: dict[str, float]) -> Path:
    """The cheapest executed chapter: the one-chapter rebuild then measures the build's own overhead best."""
    return repo / min(times, key=times.get)


def edit_code_cell(chapter: Path) -> None:
    """Add one line to the last code cell of the chapter (a comment: the output stays the same)."""
    text = chapter.read_text()
    marker = "```{code-cell} ipython3\n"
    at = text.rindex(marker)
    end = text.index("\n```", at + len(marker))
    chapter.write_text(text[:end] + "\n# edited by the build benchmark" + text[end:])
    script = chapter.with_suffix(".py")
    if script.exists():  # keep the pair in step, as `make sync` would
        subprocess.run([str(Path(sys.executable).with_name("jupytext")), "--sync", str(chapter)], capture_output=True)


def row(rows: list, name: str, repo: Path, expected: str) -> subprocess.CompletedProcess:
    wall, cpu, proc = build(repo)
    ran = executed(proc)
    rows.append((name, wall, cpu, ran))
    print(f"  {name:48s} wall {wall:7.1f} s   CPU {cpu:7.1f} s   executed {len(ran)} ({expected}): {', '.join(ran)}")
    return proc


def main() -> None:
    keep = sys.argv[sys.argv.index("--keep") + 1] if "--keep" in sys.argv else None
    tmp = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="nnbook-bench-build-"))
    repo = tmp / "repo"
    if repo.exists():
        shutil.rmtree(repo)
    copy_repo(repo)
    print("\n=== 4. build times (a private copy of the repository) ===")
    print(f"copy: {repo}; load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    rows: list = []
    row(rows, "cold build (no cache)", repo, "all")
    times = chapter_times(repo)
    row(rows, "no-op rebuild", repo, "expected 0")
    chapter = first_code_chapter(repo, times)
    edit_code_cell(chapter)
    row(rows, f"one-line edit in {chapter.name}", repo, "expected 1")
    own = chapter_times(repo).get(chapter.relative_to(repo).as_posix(), float("nan"))  # its re-execution
    init = repo / "src" / "nnbook" / "__init__.py"
    init.write_text(init.read_text().replace('"""Seed Python', '"""Seed (benchmark edit) Python', 1))
    row(rows, "docstring edit in src/nnbook/__init__.py", repo, "expected 0")
    page = (repo / "_build" / "html" / "book" / "reference" / "nnbook.html").read_text()
    print(f"  the reference page shows the edited docstring: {'yes' if 'Seed (benchmark edit)' in page else 'NO'}")
    with open(repo / "src" / "nnbook" / "data" / "synthetic.py", "a", encoding="utf-8") as f:
        f.write("\n_BENCHMARK_EDIT = 1\n")
    users = sorted(times)
    row(rows, "one-line code edit in nnbook.data.synthetic", repo, f"expected all {len(users)}")
    cold, noop, one, doc = (rows[i][1] for i in range(4))
    ok = len(rows[4][3]) == len(users)
    print(
        f"RESULT cold build {cold:.1f} s (goal ≤ 75 s: {'met' if cold <= 75 else 'MISSED'}); "
        f"no-op {noop:.1f} s (goal ≤ 3 s: {'met' if noop <= 3 else 'MISSED'}); "
        f"one chapter {one:.1f} s against its execution {own:.1f} s + 3 s ({'met' if one <= own + 3 else 'MISSED'}); "
        f"docstring edit {doc:.1f} s, {len(rows[3][3])} chapters run (goal 0); "
        f"package code edit {rows[4][1]:.1f} s, ran every chapter: {'yes' if ok else 'NO'}"
    )

    print("\n=== 5. per-chapter execution time (from the jupyter-cache) ===")
    if "--serial" in sys.argv:
        shutil.rmtree(repo / "_build")
        wall, cpu, proc = build(repo, NNBOOK_BUILD_JOBS="1")
        print(f"  cold build, one chapter at a time: wall {wall:.1f} s (side by side: {cold:.1f} s)")
    times = chapter_times(repo)
    for uri, seconds in sorted(times.items(), key=lambda item: -item[1]):
        flag = "  over the 30 s limit" if seconds > CHAPTER_LIMIT_SECONDS else ""
        print(f"  {seconds:6.1f} s  {uri}{flag}")
    slowest = max(times, key=times.get)
    print(
        f"RESULT slowest chapter: {slowest} at {times[slowest]:.1f} s; total execution {sum(times.values()):.1f} s "
        f"over {len(times)} chapters{'' if '--serial' in sys.argv else ' (side by side: times include sharing)'}"
    )
    if not keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
