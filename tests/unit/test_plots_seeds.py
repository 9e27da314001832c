"""The many-runs plots and fit_sequential: shapes, agreement with fit_seeds, and clear errors."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

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
