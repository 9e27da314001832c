"""Benchmark 3: eight seeds in one vectorised run (``fit_seeds``) against eight ``fit()`` runs, and against one.

Workload (the nonlinear-regression chapter): ``wiggly_curve()``, 80/20 split with seed 42,
``mlp([1, 50, 1])`` with ReLU, Adam, batch 100, 30 epochs, one-cycle schedule. The check that the
vectorised seeds train the same models as separate runs lives in the unit tests; here only time counts.

Goal: 8 seeds in ≤ 2× the time of one.
"""

from __future__ import annotations

from _common import header, interleaved, report, verdict

import nnbook
from nnbook.data import train_valid_split, wiggly_curve
from nnbook.models import mlp
from nnbook.training import fit, fit_seeds

N, EPOCHS, BATCH, LR = 8, 30, 100, 0.01
split = train_valid_split(*wiggly_curve(), valid_fraction=0.2, seed=42)
OPTIONS = {"epochs": EPOCHS, "lr": LR, "batch_size": BATCH, "schedule": "one_cycle"}


def one_fit(seed: int = 0, epochs: int = EPOCHS) -> float:
    nnbook.set_seed(seed)
    return fit(mlp([1, 50, 1]), split, **{**OPTIONS, "epochs": epochs}, progress=False).last["valid_loss"]


def sequential() -> list[float]:
    return [one_fit(seed) for seed in range(N)]


def vectorised(n: int = N, epochs: int = EPOCHS) -> list[float]:
    run = fit_seeds(lambda: mlp([1, 50, 1]), range(n), split.train, split.valid, **{**OPTIONS, "epochs": epochs})
    return run.final_valid_loss.tolist()


def main() -> None:
    header(f"3. {N} seeds: one vectorised run against {N} fit() runs and against one")
    one_fit(epochs=1), vectorised(epochs=1), vectorised(1, epochs=1)  # warm-up
    candidates = {
        "fit(), 1 seed": one_fit,
        f"fit_seeds, {N} seeds": vectorised,
        "fit_seeds, 1 seed": lambda: vectorised(1),
    }
    candidates[f"{N} × fit(), sequential"] = sequential
    times = interleaved(candidates, repeats=3, warmup=False)
    report(times, "fit(), 1 seed")
    one = times["fit(), 1 seed"]
    eight = times[f"fit_seeds, {N} seeds"]
    seq = times[f"{N} × fit(), sequential"]
    r_cpu, r_wall = eight.cpu_median / one.cpu_median, eight.wall_median / one.wall_median
    print(f"RESULT {N} seeds vectorised / 1 seed: {r_cpu:.2f}× CPU, {r_wall:.2f}× wall  ({verdict(r_cpu, 2, 'lower')})")
    print(
        f"RESULT {N} sequential fit() / vectorised: {seq.cpu_median / eight.cpu_median:.2f}× CPU, {seq.wall_median / eight.wall_median:.2f}× wall"
    )


if __name__ == "__main__":
    main()
