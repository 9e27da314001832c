"""Callbacks (nnbook._callbacks, nnbook.training.callbacks): the events, the state, early stopping, clipping."""

from __future__ import annotations

import pytest
import torch
from workloads import regression3, small_split, three_classes

import nnbook
from nnbook.models import mlp
from nnbook.training import (
    Callback,
    EarlyStopping,
    GradientClipping,
    fit,
    fit_seeds,
)


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


def test_reused_early_stopping_starts_fresh():
    x, y = regression3()
    train, valid = (x[:240], y[:240]), (x[240:], y[240:])
    stopper = EarlyStopping(patience=3)
    nnbook.set_seed(0)
    first = mlp([3, 64, 1])
    fit(first, train, valid, epochs=300, lr=0.01, callbacks=[stopper], progress=False)
    assert stopper.stopped_epoch > 0
    nnbook.set_seed(1)
    second = mlp([3, 64, 1])
    h = fit(second, train, valid, epochs=300, lr=0.01, callbacks=[stopper], progress=False)
    assert not torch.equal(first[0].weight, second[0].weight), "the second model kept its own weights"
    assert stopper.best == pytest.approx(min(h["valid_loss"]))
    assert stopper.best_epoch == 1 + h["valid_loss"].index(min(h["valid_loss"]))


def test_early_stopping_on_a_metric_with_min_delta():
    x, labels = three_classes()
    stopper = EarlyStopping(monitor="accuracy", min_delta=0.01, patience=2, restore_best=False)
    assert stopper.mode == "max"
    h = fit(
        mlp([3, 8, 3]),
        (x, labels),
        epochs=200,
        lr=0.05,
        loss="cross_entropy",
        metrics=["accuracy"],
        callbacks=[stopper],
        progress=False,
    )
    assert len(h) < 200 and stopper.stopped_epoch == len(h)


def test_callbacks_see_the_events_and_add_a_column():
    x, y = regression3()
    events = []

    class Watch(Callback):
        def before_fit(self, state):
            events.append("before_fit")

        def after_backward(self, state):
            events.append("after_backward")
            assert all(p.grad is not None for p in state.model.parameters())

        def after_epoch(self, state):
            state.log("twice_loss", 2 * state.history.last["train_loss"])

    h = fit(
        mlp([3, 8, 1]),
        (x, y),
        epochs=2,
        lr=0.01,
        batch_size=100,
        callbacks=[Watch(), GradientClipping(0.5)],
        progress=False,
    )
    assert events == ["before_fit"] + ["after_backward"] * 6
    assert h["twice_loss"] == [2 * v for v in h["train_loss"]]
    assert all(v >= 0 for v in h["grad_norm"])


def test_gradient_clipping_clips_each_seed_by_its_own_norm():
    x, y = regression3()
    clip = GradientClipping(max_norm=0.1)
    run = fit_seeds(lambda: mlp([3, 8, 1]), range(3), (x, y), epochs=3, lr=0.01, callbacks=[clip])
    assert run.history["grad_norm"][0] > 0.1 and torch.isfinite(run.final_train_loss).all()
    stack = run.stack.requires_grad_(True)
    stack.zero_grad()
    (stack(x) - y).pow(2).mean(dim=(1, 2)).sum().backward()
    from nnbook.training import TrainState

    clip.after_backward(TrainState(model=stack, stacked=True))
    per_seed = torch.stack([p.grad.reshape(3, -1).pow(2).sum(1) for p in stack.parameters()]).sum(0).sqrt()
    assert torch.allclose(per_seed, torch.full((3,), 0.1), rtol=1e-3)


def r2(pred: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """A reader's own metric where higher is better: the coefficient of determination."""
    return 1 - ((pred - y) ** 2).sum() / ((y - y.mean()) ** 2).sum()


def test_early_stopping_asks_which_way_is_better_for_a_metric_of_ones_own():
    with pytest.raises(ValueError, match="cannot tell whether higher or lower 'r2' is better: pass mode='max'"):
        EarlyStopping(monitor="r2", patience=3)
    with pytest.raises(ValueError, match=r"mode must be one of \['min', 'max'\], got 'maximum'. Did you mean 'max'"):
        EarlyStopping(monitor="r2", mode="maximum")
    guessed = {name: EarlyStopping(monitor=name).mode for name in ("valid_loss", "train_loss", "mae", "accuracy")}
    assert guessed == {"valid_loss": "min", "train_loss": "min", "mae": "min", "accuracy": "max"}
    assert EarlyStopping(monitor="valid_loss", mode="max").mode == "max"


def test_early_stopping_with_mode_max_keeps_the_best_r2():
    nnbook.set_seed(0)
    stopper = EarlyStopping(monitor="r2", patience=3, mode="max")
    assert stopper.best == -float("inf")
    h = fit(mlp([1, 16, 1]), small_split(), epochs=40, lr=0.01, metrics=[r2], callbacks=[stopper], progress=False)
    assert stopper.best == pytest.approx(max(h["r2"]))
    assert stopper.best_epoch == 1 + h["r2"].index(max(h["r2"]))
    assert stopper.best > h["r2"][0], "r2 rises while the model learns; a 'min' stopper would keep epoch 1"
