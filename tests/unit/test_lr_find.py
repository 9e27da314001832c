"""The learning-rate range test (nnbook.training.lr_find)."""

from __future__ import annotations

import pytest
import torch
from workloads import regression3

import nnbook
from nnbook.data import train_valid_split, wiggly_curve
from nnbook.models import mlp
from nnbook.training import (
    LRFinder,
    fit,
    fit_seeds,
    lr_find,
)


def test_lr_find_suggests_a_rate_that_trains_and_leaves_the_model_alone():
    x, y = regression3()
    nnbook.set_seed(0)
    model = mlp([3, 16, 1])
    before = [p.clone() for p in model.parameters()]
    finder = lr_find(model, (x, y), batch_size=50)
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))
    assert 1e-5 < finder.suggestion < 1
    assert finder.lrs == sorted(finder.lrs)
    h = fit(model, (x, y), epochs=30, lr=finder.suggestion, batch_size=50, progress=False)
    assert h.last["train_loss"] < 0.2 * float(y.var())
    import matplotlib

    matplotlib.use("Agg")
    ax = finder.plot()
    assert ax.get_xscale() == "log" and ax.lines
    import matplotlib.pyplot as plt

    plt.close(ax.figure)


def test_lr_find_ignores_a_lucky_first_batch():
    """On minibatches the first smoothed loss is one batch's loss; a low one must not make the suggestion start_lr/10."""

    split = train_valid_split(*wiggly_curve(), valid_fraction=0.2, seed=42)
    suggestions = []
    for seed in range(3):
        nnbook.set_seed(seed)
        finder = lr_find(mlp([1, 50, 1]), split.train, optimizer="adam", batch_size=100, seed=seed)
        suggestions.append(finder.suggestion)
    assert all(s > 1e-4 for s in suggestions), f"suggestions {suggestions}: one sits at the start of the range"


def test_lr_find_refuses_frozen_weights():
    x, y = regression3()
    model = mlp([3, 8, 1])
    model.requires_grad_(False)
    with pytest.raises(ValueError, match=r"frozen \(requires_grad=False\)") as info:
        lr_find(model, (x, y), steps=10)
    assert "model.requires_grad_(True)" in str(info.value)
    run = fit_seeds(lambda: mlp([3, 4, 1]), range(2), (x, y), epochs=1, lr=0.01)
    with pytest.raises(ValueError, match="run.model"):
        lr_find(run.stack, (x, y), steps=10)


def test_plot_refuses_what_is_not_axes():
    with pytest.raises(TypeError, match="ax must be matplotlib axes .* got str"):
        LRFinder([1e-3, 1e-2, 1e-1], [1.0, 0.5, 2.0], 1e-3).plot(ax="foo")
