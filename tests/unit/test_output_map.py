"""Tests for the output maps of 2-input models (plot_output_map, plot_output_maps)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from nnbook.data import xor  # noqa: E402
from nnbook.plots import plot_output_map, plot_output_maps  # noqa: E402


class Xor(torch.nn.Module):
    """A hand-made XOR: 1 where exactly one input exceeds ½."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return ((x[:, :1] > 0.5) ^ (x[:, 1:] > 0.5)).float()


def test_map_colours_the_model_output_over_the_square():
    x, y = xor()
    ax = plot_output_map(Xor(), x, y, steps=20)
    values = ax.mesh.get_array()
    assert values.size == 20 * 20
    assert set(values.ravel().tolist()) == {0.0, 1.0}
    assert ax.get_xlim() == pytest.approx((-0.1, 1.1))
    plt.close("all")


def test_map_rejects_a_model_with_several_outputs():
    with pytest.raises(ValueError, match="one number"):
        plot_output_map(torch.nn.Linear(2, 3), steps=5)
    plt.close("all")


def test_map_rejects_nan_output():
    with pytest.raises(ValueError, match="NaN"):
        plot_output_map(lambda g: torch.full((g.shape[0], 1), float("nan")), steps=5)
    plt.close("all")


def test_map_rejects_an_empty_square():
    with pytest.raises(ValueError, match="low < high"):
        plot_output_map(Xor(), lim=(1.0, 0.0))
    plt.close("all")


def test_maps_make_one_panel_per_model_and_a_colour_bar():
    x, y = xor()
    fig = plot_output_maps([Xor(), Xor(), Xor()], x, y, titles=["a", "b", "c"], ncols=2, steps=10)
    titled = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titled == ["a", "b", "c"]
    assert len(fig.axes) == 5  # 2 × 2 panels (one switched off) and the colour bar
    plt.close(fig)


def test_maps_need_matching_titles_and_some_models():
    with pytest.raises(ValueError, match="one title per model"):
        plot_output_maps([Xor()], titles=["a", "b"])
    with pytest.raises(ValueError, match="empty"):
        plot_output_maps([])
