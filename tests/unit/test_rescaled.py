"""Tests for Rescaled: a model trained on standardized data, used in the original units."""

from __future__ import annotations

import pytest
import torch

from nnbook.data import standardize
from nnbook.models import Rescaled


def test_rescaled_undoes_the_standardization():
    x = torch.linspace(-5, 5, 11)[:, None]
    y = 3 * x + 40
    xs, mx, sx = standardize(x)
    ys, my, sy = standardize(y)
    assert torch.allclose(xs, ys, atol=1e-6)  # y is a rising line in x, so the standardized versions coincide
    model = Rescaled(torch.nn.Identity(), mx, sx, my, sy)
    assert torch.allclose(model(x), y, atol=1e-4)


def test_rescaled_keeps_its_statistics_as_buffers():
    model = Rescaled(torch.nn.Linear(1, 1), 0.0, 2.0, 1.0, 3.0)
    assert set(dict(model.named_buffers())) == {"x_mean", "x_std", "y_mean", "y_std"}
    assert len(list(model.parameters())) == 2  # only the wrapped model learns


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan")])
def test_rescaled_rejects_a_bad_scale(bad):
    with pytest.raises(ValueError, match="x_std"):
        Rescaled(torch.nn.Identity(), 0.0, bad, 0.0, 1.0)


def test_rescaled_needs_a_module():
    with pytest.raises(TypeError, match="nn.Module"):
        Rescaled(lambda t: t, 0.0, 1.0, 0.0, 1.0)
