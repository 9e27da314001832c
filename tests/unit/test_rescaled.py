"""Tests for Rescaled: a model trained on standardized data, used in the original units."""

from __future__ import annotations

import pytest
import torch

from nnbook.data import standardize
from nnbook.models import Rescaled


def test_rescaled_undoes_the_standardization():
    """Inputs are standardized on the way in and outputs unstandardized on the way out, in that order."""
    x = torch.linspace(-5, 5, 11)[:, None]
    xs, mx, sx = standardize(x)
    _, my, sy = standardize(x**2 + 40)
    inner = torch.nn.Linear(1, 1)
    with torch.no_grad():
        inner.weight.fill_(0.5)
        inner.bias.fill_(-2.0)
    model = Rescaled(inner, mx, sx, my, sy)
    expected = (0.5 * (x - mx) / sx - 2.0) * sy + my  # written out by hand
    assert torch.allclose(model(x), expected, atol=1e-4)
    assert not torch.allclose(model(x), inner(x), atol=1e-2)  # the wrapper really changes the units


def test_rescaled_of_a_model_trained_on_standardized_data_fits_the_original_units():
    x = torch.linspace(-5, 5, 11)[:, None]
    y = 3 * x + 40
    xs, mx, sx = standardize(x)
    ys, my, sy = standardize(y)
    slope = float((xs * ys).sum() / (xs * xs).sum())  # least squares on the standardized data
    inner = torch.nn.Linear(1, 1, bias=False)
    with torch.no_grad():
        inner.weight.fill_(slope)
    assert torch.allclose(Rescaled(inner, mx, sx, my, sy)(x), y, atol=1e-3)


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
