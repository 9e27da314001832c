"""Benchmark 1: the overhead of ``fit()`` over a hand-written PyTorch loop doing the same training.

Workload (the nonlinear-regression chapter): ``wiggly_curve()`` (5000 points), 80/20 split with seed 42,
``mlp([1, 50, 1])`` with ReLU, Adam, batch 100, 30 epochs, one-cycle schedule, validation loss every epoch.
The hand loop uses the same initial weights, the same optimizer settings and the same batch order (the same
seeded permutation per epoch), so both runs must end with the same validation loss: the script checks it.

Goal: fit() per-step time ≤ 1.05 × the hand loop's.
"""

from __future__ import annotations

import torch
from _common import header, interleaved, report, verdict
from torch import nn

import nnbook
from nnbook.data import train_valid_split, wiggly_curve
from nnbook.models import mlp
from nnbook.training import fit

EPOCHS, BATCH, LR, SHUFFLE_SEED = 30, 100, 0.01, 0

split = train_valid_split(*wiggly_curve(), valid_fraction=0.2, seed=42)
x, y = split.train
xv, yv = split.valid
n = len(x)
steps = EPOCHS * -(-n // BATCH)


def new_model() -> nn.Module:
    nnbook.set_seed(0)
    return mlp([1, 50, 1], activation="relu")


def with_fit() -> float:
    history = fit(
        new_model(),
        split,
        epochs=EPOCHS,
        lr=LR,
        optimizer="adam",
        batch_size=BATCH,
        schedule="one_cycle",
        progress=False,
    )
    return history.last["valid_loss"]


def by_hand(fused: bool | None = True) -> float:
    """The loop a reader writes from chapter 1: forward, loss, zero_grad, backward, step; plus the schedule
    and one validation pass per epoch, as fit does."""
    model = new_model()
    opt = torch.optim.Adam(model.parameters(), lr=LR, fused=fused)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=LR, total_steps=steps, pct_start=0.25)
    loss_fn = nn.MSELoss()
    g = torch.Generator().manual_seed(SHUFFLE_SEED)
    for _ in range(EPOCHS):
        order = torch.randperm(n, generator=g)
        total = torch.zeros(())
        for start in range(0, n, BATCH):
            idx = order[start : start + BATCH]
            loss = loss_fn(model(x[idx]), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            total += loss.detach() * len(idx)
        train_loss = float(total / n)  # noqa: F841 - the same bookkeeping fit does
        with torch.no_grad():
            valid_loss = float(loss_fn(model(xv), yv))
    return valid_loss


def main() -> None:
    # fit() trains with NNBOOK_THREADS CPU threads (default 1) and restores the setting afterwards;
    # importing nnbook changes nothing. The hand loop gets the same single thread, set here.
    torch.set_num_threads(1)
    header("1. fit() overhead on the nonlinear-regression workload")
    a, b = with_fit(), by_hand()
    print(f"final valid MSE: fit {a:.6f}, hand loop {b:.6f} (the same training: {abs(a - b) < 1e-5})")
    print(f"{steps} optimizer steps per run; median of 5 interleaved runs")
    times = interleaved({"fit": with_fit, "hand loop": by_hand, "hand loop, default Adam": lambda: by_hand(None)}, 5)
    report(times, "hand loop", steps)
    cpu = times["fit"].cpu_median / times["hand loop"].cpu_median
    wall = times["fit"].wall_median / times["hand loop"].wall_median
    print(
        f"RESULT fit / hand loop per step: {cpu:.3f}× CPU, {wall:.3f}× wall ({verdict(cpu, 1.05, 'lower')} on CPU time)"
    )


if __name__ == "__main__":
    main()
