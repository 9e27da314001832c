"""Seeds trained at once (nnbook.training.seeds): the same numbers as one fit per seed, every option."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn
from workloads import regression3, small_split, three_classes

import nnbook
from nnbook.data import train_valid_split
from nnbook.models import mlp
from nnbook.training import (
    Callback,
    fit,
    fit_seeds,
)


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


def test_ten_seeds_of_a_classifier_with_metrics_and_a_split():
    x, labels = three_classes()
    run = fit_seeds(
        lambda: mlp([3, 8, 3]),
        range(10),
        (x[:240], labels[:240]),
        (x[240:], labels[240:]),
        epochs=40,
        lr=0.02,
        loss="cross_entropy",
        metrics=["accuracy"],
        weight_decay=1e-4,
        schedule="cosine",
        batch_size=60,
    )
    assert run.train_loss.shape == (40, 10) and run.valid_loss.shape == (40, 10)
    assert run.metrics["accuracy"].shape == (40, 10)
    assert (run.metrics["accuracy"][-1] > 0.7).all()
    assert not run.diverged.any()
    # the stacked seed i is the model fit would train from seed i (same batches, same steps)
    nnbook.set_seed(3)
    alone = mlp([3, 8, 3])
    h = fit(
        alone,
        (x[:240], labels[:240]),
        (x[240:], labels[240:]),
        epochs=40,
        lr=0.02,
        loss="cross_entropy",
        weight_decay=1e-4,
        schedule="cosine",
        batch_size=60,
        progress=False,
    )
    assert run.final_valid_loss[3].item() == pytest.approx(h.last["valid_loss"], rel=1e-4)


def test_fit_seeds_takes_a_split_callbacks_and_progress(capsys):
    x, y = regression3()

    split = train_valid_split(x, y, seed=0)
    events = []

    class Count(Callback):
        def after_epoch(self, state):
            events.append(state.n_models)

    run = fit_seeds(lambda: mlp([3, 8, 1]), range(4), split, epochs=3, lr=0.01, callbacks=[Count()], progress=True)
    assert events == [4, 4, 4] and run.valid_loss.shape == (3, 4)


def test_fit_seeds_trains_dropout_models():
    x, y = regression3()
    run = fit_seeds(
        lambda: nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Dropout(0.1), nn.Linear(16, 1)),
        range(3),
        (x, y),
        epochs=20,
        lr=0.01,
    )
    assert torch.isfinite(run.final_train_loss).all()
    assert run.final_train_loss.mean() < run.train_loss[0].mean()
    first = run.predict(x[:5])
    assert torch.equal(first, run.predict(x[:5])), "predictions run in evaluation mode: no dropout"


def test_numpy_integers_index_and_count_seeds():
    x, y = regression3()
    run = fit_seeds(lambda: mlp([3, 4, 1]), np.arange(3), (x, y), epochs=np.int64(2), lr=0.01)
    assert run.seeds == [0, 1, 2] and isinstance(run.model(np.int64(2)), nn.Sequential)
