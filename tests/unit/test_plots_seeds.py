"""The many-runs plots and fit_sequential: shapes, agreement with fit_seeds, and clear errors."""

from __future__ import annotations

from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
import torch

from nnbook.models import mlp
from nnbook.plots import plot_curve_frames, plot_seed_band, plot_seed_curves, plot_sweep
from nnbook.training import fit_seeds, fit_sequential

X = torch.linspace(0, 1, 40)[:, None]
Y = torch.sin(6 * X)
DATA = (X, Y)


@pytest.fixture(scope="module")
def run():
    return fit_seeds(lambda: mlp([1, 8, 1]), range(3), DATA, DATA, epochs=4, lr=0.01, batch_size=10)


def test_sequential_runs_match_the_vectorised_ones(run):
    seq = fit_sequential(lambda: mlp([1, 8, 1]), range(3), DATA, DATA, epochs=4, lr=0.01, batch_size=10)
    assert torch.allclose(seq.final_valid_loss, run.final_valid_loss, atol=1e-5)
    for i, model in enumerate(seq.models):  # the returned models are the trained ones, one per seed
        with torch.no_grad():
            mse = float(((model(X) - Y) ** 2).mean())
        assert mse == pytest.approx(float(seq.final_valid_loss[i]), rel=1e-4)
    assert len({float(m[0].weight[0, 0].detach()) for m in seq.models}) == 3


def test_sequential_needs_seeds_and_validation():
    with pytest.raises(ValueError, match="seeds is empty"):
        fit_sequential(lambda: mlp([1, 1]), [], DATA, DATA, epochs=1, lr=0.1)
    with pytest.raises(ValueError, match="needs valid"):
        fit_sequential(lambda: mlp([1, 1]), [0], DATA, None, epochs=1, lr=0.1)


def test_seed_band_spans_the_seeds(run):
    ax = plot_seed_band(run, label="small")
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    assert band.min() == pytest.approx(float(run.valid_loss.min()), rel=1e-5)
    assert band.max() == pytest.approx(float(run.valid_loss.max()), rel=1e-5)
    with pytest.raises(ValueError, match="which must be"):
        plot_seed_band(run, which="test")


def test_seed_curves_draws_one_line_per_seed(run):
    assert len(plot_seed_curves(run, X, Y).get_lines()) == 3


def test_sweep_places_numeric_keys_on_a_log_axis():
    ax = plot_sweep({2: torch.tensor([0.8, 0.9]), 50: torch.tensor([0.2, 0.3])}, log_x=True)
    assert ax.get_xscale() == "log"
    assert list(ax.get_lines()[0].get_ydata()) == pytest.approx([0.85, 0.25])
    with pytest.raises(ValueError, match="results is empty"):
        plot_sweep({})


def test_curve_frames_refuses_no_frames():
    with pytest.raises(ValueError, match="frames is empty"):
        plot_curve_frames(X, Y, X, [])
    assert len(plot_curve_frames(X, Y, X, [X, 2 * X]).get_lines()) == 2


@pytest.fixture(scope="module")
def diverging():
    """Eight seeds at a learning rate too large for some of them: their loss turns NaN."""
    torch.manual_seed(0)
    x = torch.randn(100, 1)
    torch.manual_seed(0)
    with pytest.warns(Warning):
        run = fit_seeds(lambda: mlp([1, 16, 1]), range(8), (x, x**2), (x, x**2), epochs=30, lr=0.7, optimizer="sgd")
    assert 0 < int(run.diverged.sum()) < 8
    return run


def test_seed_band_keeps_drawing_over_the_seeds_that_survive(diverging):
    ax = plot_seed_band(diverging)
    line = ax.get_lines()[0]
    loss = diverging.valid_loss.double()
    middle = [float(row[torch.isfinite(row)].quantile(0.5)) for row in loss]  # each epoch, the seeds still training
    assert np.isfinite(line.get_ydata()).all()
    assert list(line.get_ydata()) == pytest.approx(middle)
    survivors = loss[:, ~diverging.diverged].numpy()
    assert line.get_ydata()[-1] == pytest.approx(np.median(survivors[-1]))  # a true median, even for 4 seeds
    n, gone = len(diverging.seeds), int(diverging.diverged.sum())
    assert line.get_label() == f"valid ({n - gone} of {n} seeds; {gone} diverged)"
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    assert np.isfinite(band).all() and band.max() == pytest.approx(float(loss[torch.isfinite(loss)].max()))


def test_seed_band_median_of_an_even_count_is_the_middle(run):
    even = SimpleNamespace(train_loss=torch.tensor([[1.0, 2.0, 4.0, 8.0]]), valid_loss=None, seeds=range(4))
    assert list(plot_seed_band(even, which="train").get_lines()[0].get_ydata()) == [3.0]


def test_sweep_leaves_diverged_seeds_out_of_the_mean(diverging):
    ax = plot_sweep({16: diverging.final_valid_loss, 32: torch.tensor([0.1, 0.3])})
    survivors = diverging.final_valid_loss[~diverging.diverged]
    assert list(ax.get_lines()[0].get_ydata()) == pytest.approx([float(survivors.mean()), 0.2])
    gone = int(diverging.diverged.sum())
    assert ax.get_legend_handles_labels()[1] == [f"mean over surviving seeds ({gone} of 10 diverged)"]
    with pytest.raises(ValueError, match="every seed diverged"):
        plot_sweep({2: torch.tensor([float("nan"), float("inf")])})


def test_sweep_places_numpy_number_keys_on_a_numeric_axis():
    ax = plot_sweep({w: torch.tensor([0.1, 0.2]) for w in np.array([2, 8, 128])}, log_x=True)
    assert ax.get_xscale() == "log"
    assert list(ax.get_lines()[0].get_xdata()) == [2.0, 8.0, 128.0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2", "8", "128"]
    ax = plot_sweep({w: torch.tensor([0.1]) for w in np.array([0.5, 1.5])})
    assert list(ax.get_lines()[0].get_xdata()) == [0.5, 1.5]


def test_seed_curves_scatter_the_chosen_output():
    y2 = torch.cat([Y, -3 * Y], dim=1)
    two = fit_seeds(lambda: mlp([1, 4, 2]), range(2), (X, y2), epochs=1, lr=0.01)
    for output in (0, 1, -1):
        points = plot_seed_curves(two, X, y2, output=output).collections[0].get_offsets()
        assert list(points[:, 1]) == pytest.approx(y2[:, output].tolist())
    with pytest.raises(ValueError, match=r"y has 3 columns but the models have 2 output"):
        plot_seed_curves(two, X, torch.cat([y2, Y], dim=1))
