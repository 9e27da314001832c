"""Benchmark 5: the course's long SGD recipes of the capacity chapter, run in full, against the chapter's Adam runs.

The chapter trains its two big networks with Adam (2000 and 1000 epochs) and only estimates what the
course notebook's plain-SGD recipes (learning rate 0.01, 50,000 and 30,000 full-batch epochs) would cost.
This script runs them, from seed 0, and prints where they end and when SGD first reaches the training loss
that Adam has after 1000 epochs (the mean over five seeds, as in the chapter). A figure of one run on one
machine: long runs like these are chaotic, so another CPU ends elsewhere.

Workload: regression ``mlp([1, 30, 30, 30, 30, 30, 30, 1], "tanh")`` on ``sine_line_points(100, seed=42)``,
held out ``sine_line_points(200, seed=1)``; classification ``mlp([2, 50, 50, 50, 50, 50, 50, 1], "tanh")``
with BCE on ``circle_classes(200, seed=42)``, held out ``circle_classes(200, seed=1)``, accuracy on
``circle_classes(5000, seed=2)``.
"""

from __future__ import annotations

import time

import torch
from _common import header

import nnbook
from nnbook.data import circle_classes, circle_rule, sine_line_points
from nnbook.models import mlp
from nnbook.training import accuracy, fit, fit_seeds


def first_epoch_below(losses: list[float], level: float) -> int | None:
    """The first epoch (counted from 1) whose loss is below ``level``, or None."""
    return next((i + 1 for i, v in enumerate(losses) if v < level), None)


def run(name: str, layout: list[int], train, valid, sgd_epochs: int, adam_lr: float, loss: str) -> tuple:
    adam = fit_seeds(lambda: mlp(layout, "tanh"), range(5), train, valid, epochs=1000, lr=adam_lr, loss=loss)
    adam_level = adam.history.last["train_loss"]
    nnbook.set_seed(0)
    model = mlp(layout, "tanh")
    start = time.perf_counter()
    h = fit(model, train, valid, epochs=sgd_epochs, lr=0.01, optimizer="sgd", loss=loss, progress=False)
    seconds = time.perf_counter() - start
    reached = first_epoch_below(h["train_loss"], adam_level)
    print(f"{name}: SGD lr 0.01, {sgd_epochs} epochs, seed 0 ({seconds:.0f} s)")
    for e in sorted({1000, 2000, 5000, 10_000, 20_000, sgd_epochs}):
        best = min(h["valid_loss"][:e])
        print(
            f"  epoch {e:6d}: train {h['train_loss'][e - 1]:.4f}  held-out {h['valid_loss'][e - 1]:.4f} (best so far {best:.4f})"
        )
    print(
        f"  Adam after 1000 epochs (mean of 5 seeds): train {adam_level:.4f}, held-out {adam.history.last['valid_loss']:.4f}"
    )
    print(f"  SGD first below Adam's 1000-epoch training loss at epoch {reached}")
    return model, h


def main() -> None:
    header("5. The course's SGD recipes in full (capacity chapter)")
    reg = (sine_line_points(n=100, seed=42), sine_line_points(n=200, seed=1))
    run("regression 6 × 30 Tanh", [1] + [30] * 6 + [1], *reg, sgd_epochs=50_000, adam_lr=0.003, loss="mse")
    x, y = circle_classes(n=200, seed=42)
    x_test, y_test = circle_classes(n=5000, seed=2)
    model, _ = run(
        "classification 6 × 50 Tanh", [2] + [50] * 6 + [1], (x, y), circle_classes(n=200, seed=1), 30_000, 0.001, "bce"
    )
    with torch.no_grad():
        train_acc, test_acc = accuracy(model(x), y).item(), accuracy(model(x_test), y_test).item()
    rule = (circle_rule(x).float() == y).float().mean().item()
    print(f"  accuracy: training {train_acc:.3f} (circle rule {rule:.3f} on these points), fresh points {test_acc:.3f}")


if __name__ == "__main__":
    main()
