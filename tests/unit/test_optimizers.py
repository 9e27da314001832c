"""Optimizers and schedules (nnbook.training.optimizers): named schedules and any scheduler object."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from workloads import regression3, small_split

from nnbook.models import mlp
from nnbook.training import (
    fit,
    make_optimizer,
    make_schedule,
)


def test_one_cycle_schedule_records_every_step():
    split = small_split()
    history = fit(mlp([1, 5, 1]), split, epochs=4, lr=0.1, batch_size=80, schedule="one_cycle", progress=False)
    steps = 4 * 4  # 320 training rows in batches of 80
    assert len(history.lrs) == steps
    peak = max(history.lrs)
    assert abs(peak - 0.1) < 0.01 and history.lrs[0] < peak / 10 and history.lrs[-1] < peak / 100


def test_any_lr_scheduler_object_and_reduce_on_plateau():
    x, y = regression3()
    model = mlp([3, 8, 1])
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    h = fit(model, (x, y), epochs=4, optimizer=opt, schedule=torch.optim.lr_scheduler.StepLR(opt, 2), progress=False)
    assert h["lr"] == pytest.approx([0.05, 0.005, 0.005, 0.0005])
    plateau = fit(
        mlp([3, 8, 1]),
        (x, y),
        (x, y),
        epochs=3,
        lr=0.01,
        schedule=lambda o: torch.optim.lr_scheduler.ReduceLROnPlateau(o, patience=0),
        progress=False,
    )
    assert len(plateau) == 3


def test_cosine_schedule_falls_to_zero():
    x, y = regression3()
    h = fit(mlp([3, 8, 1]), (x, y), epochs=5, lr=0.1, schedule="cosine", batch_size=100, progress=False)
    assert h.lrs[0] == pytest.approx(0.1) and h.lrs[-1] < 0.01
    assert all(a >= b for a, b in zip(h.lrs, h.lrs[1:], strict=False))


def test_make_schedule_checks_lr_like_make_optimizer():
    opt = make_optimizer("adam", mlp([3, 8, 1]).parameters(), lr=0.1)
    with pytest.raises(ValueError, match="lr must be a finite number > 0, got -1"):
        make_schedule("cosine", opt, -1, 10)
    with pytest.raises(TypeError, match=r"lr must be a finite number > 0, got '0\.1' \(str\)"):
        make_schedule("one_cycle", opt, "0.1", 10)
    assert opt.param_groups[0]["lr"] == pytest.approx(0.1), "a refused lr leaves the optimizer alone"


def test_make_schedule_takes_numpy_integers_for_total_steps():
    opt = make_optimizer("sgd", mlp([3, 8, 1]).parameters(), lr=0.1)
    scheduler = make_schedule("cosine", opt, 0.1, np.int64(10))
    assert scheduler.T_max == 10 and type(scheduler.T_max) is int
    assert make_schedule("one_cycle", opt, np.float64(0.1), np.int32(8)).total_steps == 8
    with pytest.raises(TypeError, match="total_steps must be a whole number"):
        make_schedule("cosine", opt, 0.1, True)
    with pytest.raises(TypeError, match="total_steps must be a whole number"):
        make_schedule("cosine", opt, 0.1, 10.0)
