"""Plots: data, a model's curve, loss curves, learning rates, decision regions, features, and a live view.

Plots only draw: a model is run through ``nnbook.models.running.run_model``, and nothing here
imports the training code when it runs.

>>> from nnbook.plots import plot_data, plot_model, plot_losses
"""

from nnbook.plots.basic import plot_data, plot_loss_curves, plot_losses, plot_lrs, plot_model, slice_grid
from nnbook.plots.classes import plot_decision_regions, plot_output_map, plot_output_maps, predict_grid
from nnbook.plots.features import plot_contributions, plot_decomposition, plot_top_features
from nnbook.plots.live import LivePlot
from nnbook.plots.seeds import plot_curve_frames, plot_seed_band, plot_seed_curves, plot_sweep

__all__ = [
    "LivePlot",
    "plot_contributions",
    "plot_curve_frames",
    "plot_data",
    "plot_decision_regions",
    "plot_decomposition",
    "plot_loss_curves",
    "plot_losses",
    "plot_lrs",
    "plot_model",
    "plot_output_map",
    "plot_output_maps",
    "plot_seed_band",
    "plot_seed_curves",
    "plot_sweep",
    "plot_top_features",
    "predict_grid",
    "slice_grid",
]
