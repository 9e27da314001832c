"""A stack of models (nnbook.training.stacked): each seed comes back as an ordinary model."""

from __future__ import annotations

import torch

from nnbook.models import mlp
from nnbook.training import (
    StackedModels,
)


def test_stacked_models_give_back_each_seed():
    models = [mlp([2, 4, 1], "prelu") for _ in range(3)]
    stack = StackedModels(models)
    x = torch.rand(5, 2)
    with torch.no_grad():
        out = stack(x)
        for i, m in enumerate(models):
            assert torch.allclose(out[i], m(x), atol=1e-6)
            assert torch.allclose(stack.model(i)(x), m(x), atol=1e-6)
