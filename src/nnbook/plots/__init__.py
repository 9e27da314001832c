"""Plots: data, a model's curve, loss curves, learning rates, decision regions, and a live view.

>>> from nnbook.plots import plot_data, plot_model, plot_losses
"""

from nnbook.plots.basic import (
    class_probabilities,
    model_output,
    plot_data,
    plot_decision_regions,
    plot_loss_curves,
    plot_losses,
    plot_lrs,
    plot_model,
    plot_output_map,
    plot_output_maps,
    predict_grid,
    slice_grid,
)
from nnbook.plots.live import LivePlot
from nnbook.plots.seeds import plot_curve_frames, plot_seed_band, plot_seed_curves, plot_sweep

__all__ = [
    "LivePlot",
    "class_probabilities",
    "model_output",
    "plot_curve_frames",
    "plot_data",
    "plot_decision_regions",
    "plot_loss_curves",
    "plot_losses",
    "plot_lrs",
    "plot_model",
    "plot_output_map",
    "plot_output_maps",
    "plot_seed_band",
    "plot_seed_curves",
    "plot_sweep",
    "predict_grid",
    "slice_grid",
]
