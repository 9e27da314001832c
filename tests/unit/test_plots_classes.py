"""Plots of classifiers (nnbook.plots.classes): decision regions and grids for one output (logit or probability)
or K outputs with any labels, and output maps of 2-input models."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from nnbook.data import xor  # noqa: E402
from nnbook.plots import plot_decision_regions, plot_model, plot_output_map, plot_output_maps, predict_grid  # noqa: E402


class Nearest(nn.Module):
    """A fixed K-class classifier: the logit of class k is minus the squared distance to centre k."""

    def __init__(self, centres: torch.Tensor, probabilities: bool = False) -> None:
        super().__init__()
        self.centres, self.probabilities = centres, probabilities

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        logits = -(torch.cdist(x, self.centres) ** 2)
        return torch.softmax(logits, dim=1) if self.probabilities else logits


CENTRES = torch.tensor([[0.0, 0.0], [4.0, 0.0], [0.0, 4.0]])
X = torch.cat([CENTRES + 0.3 * torch.randn(3, 2, generator=torch.Generator().manual_seed(i)) for i in range(10)])
LABELS = torch.arange(3).repeat(10)


@pytest.mark.parametrize("probabilities", [False, True])
def test_three_classes_shade_each_nearest_centre(probabilities):
    model = Nearest(CENTRES, probabilities)
    kind = "probabilities" if probabilities else "logits"
    xx, yy, p = predict_grid(model, X, steps=40, kind=kind)
    assert p.shape == (40, 40, 3)
    assert torch.allclose(p.sum(dim=2), torch.ones(40, 40), atol=1e-5)
    predicted = p.argmax(dim=2)
    nearest = torch.cdist(torch.stack([xx, yy], dim=2).reshape(-1, 2), CENTRES).argmin(dim=1).reshape(40, 40)
    assert torch.equal(predicted, nearest)
    ax = plot_decision_regions(model, X, LABELS, steps=40, kind=kind)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1", "class 2"]
    assert [len(c.get_offsets()) for c in ax.collections if hasattr(c, "get_offsets") and len(c.get_offsets())][
        -3:
    ] == [10, 10, 10]


def points_per_class(ax) -> list[list[list[float]]]:
    """The points each class's scatter draws, in legend order."""
    return [c.get_offsets().tolist() for c in ax.collections if hasattr(c, "get_offsets") and len(c.get_offsets())]


def test_labels_may_be_long_a_column_or_one_hot():
    """The three ways of writing the same labels draw the same points in the same class colours."""
    model = Nearest(CENTRES)
    drawn = [
        points_per_class(plot_decision_regions(model, X, labels, steps=10))[-3:]
        for labels in (LABELS, LABELS[:, None].float(), nn.functional.one_hot(LABELS, 3))
    ]
    assert drawn[0] == drawn[1] == drawn[2]
    assert drawn[0][1] == X[LABELS == 1].tolist()


def test_one_output_is_a_binary_classifier_on_logits_or_probabilities():
    lin = nn.Linear(2, 1)
    with torch.no_grad():
        lin.weight.copy_(torch.tensor([[1.0, 0.0]]))
        lin.bias.fill_(-2.0)
    _, _, p = predict_grid(lin, X, steps=20)
    assert p.shape == (20, 20)
    xx, _, p_prob = predict_grid(nn.Sequential(lin, nn.Sigmoid()), X, steps=20)  # a final Sigmoid is detected
    assert torch.allclose(p, p_prob, atol=1e-6)
    assert torch.equal(p >= 0.5, xx >= 2.0)


def test_wrong_labels_and_outputs_get_clear_errors():
    with pytest.raises(ValueError, match="binary classifier"):
        plot_decision_regions(nn.Linear(2, 1), X, LABELS)
    with pytest.raises(ValueError, match="look like logits"):
        predict_grid(Nearest(CENTRES), X, kind="probabilities")
    with pytest.raises(ValueError, match="one label per point"):
        plot_decision_regions(Nearest(CENTRES), X, LABELS[:5])
    with pytest.raises(ValueError, match="fractions"):
        plot_decision_regions(nn.Linear(2, 1), X, torch.full((30, 1), 0.5))
    with pytest.raises(ValueError, match="'logits'"):
        predict_grid(nn.Linear(2, 1), X, kind="scores")


def test_plots_restore_the_training_mode():
    model = nn.Sequential(nn.Linear(2, 3), nn.Dropout(0.5))
    model.train()
    _, _, p1 = predict_grid(model, X, steps=10)
    _, _, p2 = predict_grid(model, X, steps=10)
    assert torch.equal(p1, p2), "dropout must be off while drawing"
    assert model.training


def test_plot_model_runs_along_one_named_input():
    model = nn.Linear(3, 1)
    x = torch.randn(50, 3)
    ax = plot_model(model, x, along=2)
    line = ax.get_lines()[0]
    assert line.get_xdata().min() == pytest.approx(float(x[:, 2].min()))
    with pytest.raises(ValueError, match="along=3"):
        plot_model(model, x, along=3)


def test_seed_plots_and_analysis_work_for_a_classifier():
    from nnbook.analysis import feature_decomposition
    from nnbook.models import mlp
    from nnbook.plots import plot_seed_band, plot_seed_curves
    from nnbook.training import fit_seeds

    data = (X, LABELS)
    run = fit_seeds(lambda: mlp([2, 8, 3]), range(3), data, data, epochs=3, lr=0.05, loss="cross_entropy")
    assert "3 seeds" in plot_seed_band(run).get_legend_handles_labels()[1][0]
    ax = plot_seed_curves(run, X, LABELS[:, None].float(), along=1, output=2)
    assert len(ax.get_lines()) == 3 and ax.get_xlabel() == "x2"
    plot_decision_regions(run.model(0), X, LABELS, steps=10)
    d = feature_decomposition(run.model(1), X, k=8, output=2)  # the logit of class 2, exactly
    assert torch.allclose(d.reconstruction, run.model(1)(X).detach()[:, 2], atol=1e-5)


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


@pytest.mark.parametrize(
    ("lim", "error"),
    [(1, TypeError), (("a", "b"), TypeError), ((0.0, 1.0, 2.0), TypeError), ((0.0, float("nan")), ValueError)],
)
def test_map_needs_lim_as_a_pair_of_finite_numbers(lim, error):
    with pytest.raises(error, match=r"lim must be a pair \(low, high\) of finite numbers .*lim=\(-0.1, 1.1\)"):
        plot_output_map(Xor(), lim=lim, steps=5)
    assert not plt.get_fignums(), "a refused map must not leave an empty figure behind"
    with pytest.raises(error, match="lim must be a pair"):
        plot_output_maps([Xor()], lim=lim, steps=5)
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
