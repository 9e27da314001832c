"""Benchmarks 4 and 5: how long the book takes to build, and which chapter costs the most.

Everything happens in a private copy of the repository (a temporary folder), so the ``_build`` folder of
the working tree is never touched. The copy's build runs with ``PYTHONPATH`` pointing at the copy's own
``src``, so that its kernels import the copy's package: an edit there must reach the chapters.

4. Build times: a cold build (no cache), a no-op rebuild, a rebuild after a one-line edit in one chapter's
   code, and a rebuild after a one-line edit in ``src/nnbook``.
   Goals: cold ≤ 120 s, no-op ≤ 5 s, one chapter ≈ that chapter's execution time + 5 s.
5. Per-chapter execution time, read from the copy's jupyter-cache, sorted, slowest named. Goal: each ≤ 30 s.
   A normal build runs the chapters side by side (book/_ext/parallel_execution.py), where they share the
   machine; so this part makes a second cold build with ``NNBOOK_BUILD_JOBS=1``, one chapter at a time,
   which also gives the cold build time without the side-by-side execution.

Usage: ``python bench/bench_build.py [--keep DIR]`` (``--keep`` builds in DIR and leaves it there).
"""

from __future__ import annotations

import os
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
    """The chapters the build executed (not taken from the cache), from its log."""
    return [
        line.split(": Executed")[0].rsplit("/", 1)[-1]
        for line in (proc.stdout + proc.stderr).splitlines()
        if ": Executed notebook" in line
    ]


def chapter_times(repo: Path) -> dict[str, float]:
    """Each chapter's latest execution time, as myst-nb stored it in the jupyter-cache."""
    from jupyter_cache import get_cache

    latest: dict[str, tuple] = {}
    for record in get_cache(repo / "_build" / ".jupyter_cache").list_cache_records():
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


def main() -> None:
    keep = sys.argv[sys.argv.index("--keep") + 1] if "--keep" in sys.argv else None
    tmp = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="nnbook-bench-build-"))
    repo = tmp / "repo"
    if repo.exists():
        shutil.rmtree(repo)
    copy_repo(repo)
    print("\n=== 4. build times (a private copy of the repository) ===")
    print(f"copy: {repo}")
    rows = []
    wall, cpu, proc = build(repo)
    rows.append(("cold build (no cache)", wall, cpu, executed(proc)))
    times = chapter_times(repo)
    wall, cpu, proc = build(repo)
    rows.append(("no-op rebuild", wall, cpu, executed(proc)))
    chapter = first_code_chapter(repo, times)
    edit_code_cell(chapter)
    wall, cpu, proc = build(repo)
    rows.append((f"one-line edit in {chapter.name}", wall, cpu, executed(proc)))
    own = chapter_times(repo).get(chapter.relative_to(repo).as_posix(), float("nan"))  # its re-execution
    with open(repo / "src" / "nnbook" / "_checks.py", "a", encoding="utf-8") as f:
        f.write("# edited by the build benchmark\n")
    wall, cpu, proc = build(repo)
    rows.append(("one-line edit in src/nnbook", wall, cpu, executed(proc)))
    for name, wall, cpu, ran in rows:
        print(f"  {name:45s} wall {wall:7.1f} s   CPU {cpu:7.1f} s   chapters executed: {len(ran)}")
    cold, noop, one = rows[0][1], rows[1][1], rows[2][1]
    print(
        f"RESULT cold build {cold:.1f} s (goal ≤ 120 s: {'met' if cold <= 120 else 'MISSED'}); "
        f"no-op {noop:.1f} s (goal ≤ 5 s: {'met' if noop <= 5 else 'MISSED'}); "
        f"one chapter {one:.1f} s against its execution {own:.1f} s + 5 s = {own + 5:.1f} s "
        f"({'met' if one <= own + 5 else 'MISSED'}; build overhead {one - own:.1f} s)"
    )

    print("\n=== 5. per-chapter execution time (a cold build, one chapter at a time, from the jupyter-cache) ===")
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
        f"over {len(times)} chapters"
    )
    if not keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
