"""Shared helpers of the benchmarks: interleaved repeated timing, medians, and printing.

The machine is shared, so wall-clock times swing with other people's work. Every figure is therefore
given twice: wall time, and this process's CPU time (``time.process_time``), which a busy neighbour
disturbs much less while torch runs on one thread. Ratios use the median of interleaved runs
(a, b, a, b, …), so that a burst of load slows every candidate alike.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch


@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def wall_median(self) -> float:
        return statistics.median(self.wall)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)


def timed(fn: Callable[[], object]) -> tuple[float, float, object]:
    """Run ``fn`` once; return (wall seconds, CPU seconds of this process, its result)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def interleaved(
    candidates: dict[str, Callable[[], object]], repeats: int = 3, warmup: bool = True
) -> dict[str, Timing]:
    """Time every candidate ``repeats`` times, taking turns; one untimed warm-up run each first."""
    if warmup:
        for fn in candidates.values():
            fn()
    times = {name: Timing() for name in candidates}
    for _ in range(repeats):
        for name, fn in candidates.items():
            wall, cpu, _ = timed(fn)
            times[name].wall.append(wall)
            times[name].cpu.append(cpu)
    return times


def report(times: dict[str, Timing], base: str, unit_count: int = 0, unit: str = "step") -> None:
    """Print each candidate's median wall and CPU time, per ``unit`` when ``unit_count`` is given, and ratio to ``base``."""
    b = times[base]
    for name, t in times.items():
        per = f" = {1e6 * t.cpu_median / unit_count:8.1f} µs CPU/{unit}" if unit_count else ""
        print(
            f"  {name:28s} wall {t.wall_median:7.3f} s  cpu {t.cpu_median:7.3f} s{per}  "
            f"ratio to {base}: wall {t.wall_median / b.wall_median:6.3f}×, cpu {t.cpu_median / b.cpu_median:6.3f}×"
            f"   (wall runs {[round(v, 2) for v in t.wall]})"
        )


def header(title: str) -> None:
    print(f"\n=== {title} ===")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} intra-op thread(s)")


def verdict(ratio: float, goal: float, better: str) -> str:
    """'met' or 'MISSED' for a ratio whose goal is ``≤ goal`` (better='lower') or ``≥ goal`` (better='higher')."""
    ok = ratio <= goal if better == "lower" else ratio >= goal
    return f"goal {'≤' if better == 'lower' else '≥'} {goal:g}×: {'met' if ok else 'MISSED'}"
