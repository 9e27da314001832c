"""Collapsing linear layers (nnbook.models.collapse)."""

from __future__ import annotations

import torch

import nnbook
from nnbook.models import collapse_linear, mlp


def test_collapse_matches_two_linear_layers():
    nnbook.set_seed(0)
    deep = mlp([1, 500, 1], activation=None)
    x = torch.rand(100, 1)
    assert (deep(x) - collapse_linear(deep)(x)).abs().max() < 1e-5
