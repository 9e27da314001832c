"""Losses (nnbook.training.losses): each defined once, per batch and per seed, and the targets each needs."""

from __future__ import annotations

import pytest
import torch

from nnbook.training.losses import LOSSES, check_targets, make_loss, per_model_loss


@pytest.mark.parametrize("name", ["mse", "mae", "bce"])
def test_the_loss_of_each_seed_is_the_loss_of_its_own_prediction(name):
    g = torch.Generator().manual_seed(0)
    pred = torch.randn(3, 10, 1, generator=g)
    y = (torch.rand(10, 1, generator=g) > 0.5).float()
    per_seed = per_model_loss(name)(pred, y)
    assert torch.allclose(per_seed, torch.stack([make_loss(name)(p, y) for p in pred]))


def test_cross_entropy_per_seed_matches_each_seed():
    g = torch.Generator().manual_seed(1)
    pred, y = torch.randn(4, 12, 3, generator=g), torch.randint(0, 3, (12,), generator=g)
    assert torch.allclose(
        per_model_loss("cross_entropy")(pred, y), torch.stack([LOSSES["cross_entropy"](p, y) for p in pred])
    )


def test_targets_come_back_as_each_loss_takes_them():
    assert check_targets(torch.tensor([[0], [2]]), "cross_entropy", "train").shape == (2,)
    assert check_targets(torch.tensor([[1.0]], dtype=torch.float64), "mse", "train").dtype == torch.float32
    with pytest.raises(ValueError, match="Renumber them from 0"):
        check_targets(torch.tensor([1, 2, 3]), "cross_entropy", "train", all_labels=True)
    assert check_targets(torch.tensor([1, 2]), "cross_entropy", "a batch").tolist() == [1, 2]  # a batch may lack 0
