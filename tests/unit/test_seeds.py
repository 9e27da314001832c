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
    fit_sequential,
    mse,
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


def test_a_factory_returning_one_module_is_refused():
    x, y = regression3()
    shared = mlp([3, 8, 1])
    with pytest.raises(TypeError, match="make_model returned the same module for two seeds") as info:
        fit_seeds(lambda: shared, range(4), (x, y), (x, y), epochs=2, lr=0.01)
    assert "lambda: mlp([" in str(info.value)
    with pytest.raises(TypeError, match="same module for two seeds"):
        fit_sequential(lambda: shared, [0, 1], (x, y), (x, y), epochs=1, lr=0.01)
    layer = nn.Linear(3, 1)  # new containers around one shared layer train one model too
    with pytest.raises(TypeError, match="same module for two seeds"):
        fit_seeds(lambda: nn.Sequential(layer), range(2), (x, y), epochs=1, lr=0.01)


@pytest.mark.parametrize(
    ("make_model", "fix"),
    [
        (lambda n: mlp([3, 4, 1]), "lambda: mlp([1, 50, 1])"),
        (mlp, "partial(mlp, [1, 50, 1])"),
        (nn.Linear, "make_model=lambda: nn.Linear(1, 1)"),
    ],
    ids=["lambda-with-argument", "mlp", "module-class"],
)
def test_a_factory_that_needs_arguments_is_refused(make_model, fix):
    x, y = regression3()
    for train in (fit_seeds, fit_sequential):
        with pytest.raises(TypeError, match="make_model must be a function of no arguments") as info:
            train(make_model, range(2), (x, y), (x, y), epochs=1, lr=0.01)
        assert fix in str(info.value) and "missing 1 required positional" not in str(info.value)


def test_fit_sequential_checks_its_inputs_like_fit_seeds():
    x, y = regression3()
    data = (x, y)
    with pytest.raises(TypeError, match="make_model must be a function that builds a fresh model, got Sequential"):
        fit_sequential(mlp([3, 4, 2]), [0], data, data, epochs=1, lr=0.01)
    with pytest.raises(TypeError, match="seeds must be a list of whole numbers such as range"):
        fit_sequential(lambda: mlp([3, 4, 1]), 3, data, data, epochs=1, lr=0.01)
    with pytest.raises(ValueError, match="distinct seeds"):
        fit_sequential(lambda: mlp([3, 4, 1]), [1, 1], data, data, epochs=1, lr=0.01)
    with pytest.raises(TypeError, match=r"make_model\(\) must return a torch.nn.Module, got str"):
        fit_sequential(lambda: "model", [0], data, data, epochs=1, lr=0.01)


def test_fit_sequential_takes_the_valid_part_of_a_split():
    x, y = regression3()
    split = train_valid_split(x, y, seed=0)
    runs = fit_sequential(lambda: mlp([3, 4, 1]), [0, 1], split, epochs=2, lr=0.01)
    same = fit_sequential(lambda: mlp([3, 4, 1]), [0, 1], split.train, split.valid, epochs=2, lr=0.01)
    assert torch.equal(runs.final_valid_loss, same.final_valid_loss)
    together = fit_seeds(lambda: mlp([3, 4, 1]), [0, 1], split, epochs=2, lr=0.01)
    assert torch.allclose(runs.final_valid_loss, together.final_valid_loss, atol=1e-5)


def test_evaluate_takes_the_metric_names_of_fit():
    x, y = regression3()
    run = fit_seeds(lambda: mlp([3, 4, 1]), range(2), (x, y), epochs=2, lr=0.01, metrics=["mse", "mae"])
    for name in ("mse", "mae"):
        assert torch.allclose(run.evaluate(name, x, y), run.metrics[name][-1], atol=1e-5)
    assert torch.equal(run.evaluate("mse", x, y), run.evaluate(mse, x, y))
    with pytest.raises(ValueError, match="unknown metric 'msee'"):
        run.evaluate("msee", x, y)


def test_evaluate_accuracy_by_name_as_fit_computes_it():
    x, labels = three_classes()
    run = fit_seeds(
        lambda: mlp([3, 8, 3]), range(2), (x, labels), epochs=3, lr=0.02, loss="cross_entropy", metrics=["accuracy"]
    )
    assert torch.allclose(run.evaluate("accuracy", x, labels), run.metrics["accuracy"][-1])
