"""Plots: data, a model's curve, loss curves, learning rates, decision regions, and a live view.

>>> from nnbook.plots import plot_data, plot_model, plot_losses
"""

from nnbook.plots.basic import (
    plot_data,
    plot_decision_regions,
    plot_losses,
    plot_lrs,
    plot_model,
    predict_grid,
)
from nnbook.plots.live import LivePlot

__all__ = ["LivePlot", "plot_data", "plot_decision_regions", "plot_losses", "plot_lrs", "plot_model", "predict_grid"]
