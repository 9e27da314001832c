"""Divergence detection (nnbook.training.divergence): a NaN loss stops the run, or masks one seed."""

from __future__ import annotations

import warnings

import pytest
import torch
from torch import nn
from workloads import regression3

from nnbook.training import (
    DivergenceWarning,
    fit,
    fit_seeds,
)


def test_divergence_stops_and_keeps_history():
    x = torch.linspace(-3, 3, 50)[:, None]

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = fit(torch.nn.Linear(1, 1), (x, 3 * x), epochs=500, lr=10.0, optimizer="sgd", progress=False)
    assert history.diverged and len(history) < 500
    assert "with learning rate lr=10." in history.message, "the message names the rate that diverged"
    assert "such as lr=1." in history.message, "and a ten times smaller one to try"
    assert any("smaller learning rate" in str(w.message) for w in caught)


def test_one_diverging_seed_is_masked_and_the_others_kept():
    x, y = regression3()

    def make():
        model = nn.Linear(3, 1)
        if torch.initial_seed() == 1:
            with torch.no_grad():
                model.weight.fill_(1e38)  # this seed's loss overflows at once
        return model

    with pytest.warns(DivergenceWarning, match=r"seed\(s\) \[1\]"):
        run = fit_seeds(make, [0, 1, 2], (x, y), epochs=30, lr=0.05)
    assert run.diverged.tolist() == [False, True, False]
    assert torch.isnan(run.final_train_loss[1])
    assert (run.final_train_loss[[0, 2]] < 0.5 * float(y.var())).all()
    assert not run.history.diverged and len(run.history) == 30
