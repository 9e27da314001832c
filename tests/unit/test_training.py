"""The training loop, the seed ensemble and the callbacks do what they promise."""

from __future__ import annotations

import torch
from torch.utils.data import DataLoader, TensorDataset

import nnbook
from nnbook.data import train_valid_split, wiggly_curve
from nnbook.models import collapse_linear, mlp
from nnbook.training import Callback, EarlyStopping, fit, fit_seeds


def small_split():
    return train_valid_split(*wiggly_curve(n=400), seed=42)


def curve_split():
    return train_valid_split(*wiggly_curve(n=2000), seed=42)


def test_fit_learns_a_curve_and_records_history():
    split = curve_split()
    nnbook.set_seed(0)
    history = fit(
        mlp([1, 50, 1]),
        split,
        epochs=10,
        lr=0.03,
        batch_size=100,
        schedule="one_cycle",
        metrics=["mae"],
        progress=False,
    )
    assert history.columns == ["epoch", "train_loss", "valid_loss", "mae", "lr", "time"]
    assert len(history) == 10
    assert history["valid_loss"][-1] < 0.5  # the best straight line only reaches about 0.76


def test_fit_is_reproducible():
    split = small_split()
    runs = []
    for _ in range(2):
        nnbook.set_seed(3)
        runs.append(fit(mlp([1, 10, 1]), split, epochs=3, lr=0.01, batch_size=32, progress=False)["valid_loss"])
    assert runs[0] == runs[1]


def test_one_cycle_schedule_records_every_step():
    split = small_split()
    history = fit(mlp([1, 5, 1]), split, epochs=4, lr=0.1, batch_size=80, schedule="one_cycle", progress=False)
    steps = 4 * 4  # 320 training rows in batches of 80
    assert len(history.lrs) == steps
    peak = max(history.lrs)
    assert abs(peak - 0.1) < 0.01 and history.lrs[0] < peak / 10 and history.lrs[-1] < peak / 100


def test_fit_accepts_a_dataloader():
    split = curve_split()
    loader = DataLoader(
        TensorDataset(*split.train), batch_size=100, shuffle=True, generator=torch.Generator().manual_seed(0)
    )
    nnbook.set_seed(0)
    history = fit(mlp([1, 50, 1]), loader, split.valid, epochs=10, lr=0.03, schedule="one_cycle", progress=False)
    assert history["valid_loss"][-1] < 0.5


def test_callbacks_see_every_event_in_order():
    events = []

    class Spy(Callback):
        def before_fit(self, learner):
            events.append("before_fit")

        def after_batch(self, learner):
            events.append("batch")

        def after_epoch(self, learner):
            events.append(f"epoch {learner.epoch}")

        def after_fit(self, learner):
            events.append("after_fit")

    x = torch.rand(8, 1)
    fit(torch.nn.Linear(1, 1), (x, x), epochs=2, lr=0.1, batch_size=4, callbacks=[Spy()], progress=False)
    assert events == ["before_fit", "batch", "batch", "epoch 1", "batch", "batch", "epoch 2", "after_fit"]


def test_early_stopping_stops_and_restores_the_best_weights():
    split = small_split()
    nnbook.set_seed(0)
    model = mlp([1, 20, 1])
    stopper = EarlyStopping(patience=2)
    history = fit(model, split, epochs=200, lr=0.5, optimizer="sgd", callbacks=[stopper], progress=False)
    assert len(history) < 200
    with torch.no_grad():
        best = float(torch.nn.functional.mse_loss(model(split.x_valid), split.y_valid))
    assert abs(best - min(history["valid_loss"])) < 1e-6


def test_divergence_stops_and_keeps_history():
    x = torch.linspace(-3, 3, 50)[:, None]
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = fit(torch.nn.Linear(1, 1), (x, 3 * x), epochs=500, lr=10.0, optimizer="sgd", progress=False)
    assert history.diverged and len(history) < 500
    assert "lr=10" in history.message and "lr=1" in history.message
    assert any("smaller learning rate" in str(w.message) for w in caught)


def test_seed_ensemble_matches_sequential_training():
    split = small_split()
    run = fit_seeds(lambda: mlp([1, 8, 1]), [0, 1, 2], split.train, split.valid, epochs=3, lr=0.01, batch_size=64)
    for i, seed in enumerate(run.seeds):
        nnbook.set_seed(seed)
        model = mlp([1, 8, 1])
        history = fit(model, split.train, split.valid, epochs=3, lr=0.01, batch_size=64, progress=False)
        assert abs(history["valid_loss"][-1] - float(run.valid_loss[-1, i])) < 1e-5
        ensemble_model = run.model(i)
        assert torch.allclose(ensemble_model(split.x_valid), model(split.x_valid), atol=1e-5)


def test_collapse_matches_two_linear_layers():
    nnbook.set_seed(0)
    deep = mlp([1, 500, 1], activation=None)
    x = torch.rand(100, 1)
    assert (deep(x) - collapse_linear(deep)(x)).abs().max() < 1e-5
