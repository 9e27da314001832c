"""Plots of a feature decomposition (see :func:`nnbook.analysis.feature_decomposition`): the top features,
the prediction as their weighted sum, and each feature's share.

>>> import torch
>>> from nnbook.analysis import feature_decomposition
>>> from nnbook.models import mlp
>>> ax = plot_top_features(feature_decomposition(mlp([1, 5, 1]), torch.rand(30, 1), k=3))
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from nnbook._arrays import check_array

if TYPE_CHECKING:  # pragma: no cover - drawing code imports nothing from the analysis when it runs
    from nnbook.analysis.features import FeatureDecomposition


def _check_decomposition(d: object, name: str) -> None:
    if not (hasattr(d, "contributions") and hasattr(d, "axis") and hasattr(d, "indices")):
        raise TypeError(
            f"{name} draws what feature_decomposition returns, got {type(d).__name__}. "
            f"Decompose first: d = feature_decomposition(model, x, k=8), then {name}(d)."
        )


def plot_top_features(d: FeatureDecomposition, ax: Axes | None = None) -> Axes:
    """Plot the top features over the input (or the slice's input), labelled with their last-layer weights.

    >>> from nnbook.analysis import feature_decomposition
    >>> from nnbook.models import mlp
    >>> ax = plot_top_features(feature_decomposition(mlp([1, 5, 1]), torch.rand(30, 1), k=3))
    """
    _check_decomposition(d, "plot_top_features")
    xs, label = d.axis()
    ax = ax if ax is not None else plt.subplots(figsize=(6, 3.6), layout="constrained")[1]
    for j, (i, w) in enumerate(zip(d.indices.tolist(), d.weights.tolist(), strict=True)):
        ax.plot(xs.numpy(), d.features[:, j].numpy(), label=f"unit {i}: w = {w:+.2f}")
    ax.set(xlabel=label, ylabel="activation", title=f"top {len(d.indices)} hidden units")
    ax.legend(fontsize=7, ncol=2)
    return ax


def plot_decomposition(
    d: FeatureDecomposition, x_data: torch.Tensor | None = None, y_data: torch.Tensor | None = None
) -> Figure:
    """Stacked panels: each weighted feature ``wᵢ·hᵢ(x)``, then their sum beside the full prediction.

    ``x_data`` and ``y_data`` (optional) are drawn as grey points behind the bottom panel, against
    the same input as the curves.

    >>> from nnbook.analysis import feature_decomposition
    >>> from nnbook.models import mlp
    >>> fig = plot_decomposition(feature_decomposition(mlp([1, 5, 1]), torch.rand(30, 1), k=2))
    """
    _check_decomposition(d, "plot_decomposition")
    xs, label = d.axis()
    if (x_data is None) != (y_data is None):
        raise ValueError("pass both x_data and y_data to draw the data, or neither.")
    if x_data is not None:
        x_data = check_array(x_data, "x_data", columns=d.x.shape[1]).detach().cpu()
        y_data = check_array(y_data, "y_data", shape="column").detach().cpu()
        if len(x_data) != len(y_data):
            raise ValueError(f"x_data has {len(x_data)} rows but y_data {len(y_data)}: give one target per point.")
    k = len(d.indices)
    fig, axes = plt.subplots(k + 1, 1, figsize=(6, 1.1 * (k + 1) + 1), sharex=True, layout="constrained")
    for j, ax in enumerate(axes[:-1]):
        ax.plot(xs.numpy(), d.contributions[:, j].numpy(), color="C0")
        ax.set_ylabel(f"{d.weights[j]:+.2f}·h{int(d.indices[j])}", rotation=0, ha="right", va="center", fontsize=8)
        ax.axhline(0, color="0.8", lw=0.5)
    last = axes[-1]
    if x_data is not None:
        column = 0 if d.along is None else d.along
        y_col = y_data.reshape(len(y_data), -1)[:, min(d.output, y_data.reshape(len(y_data), -1).shape[1] - 1)]
        last.scatter(x_data[:, column].numpy(), y_col.numpy(), s=2, color="0.75")
    last.plot(xs.numpy(), d.prediction.numpy(), color="k", lw=2, label="full prediction")
    last.plot(
        xs.numpy(),
        d.reconstruction.numpy(),
        color="C3",
        ls="--",
        lw=2,
        label=f"top {k} + bias ({d.explained:.1%} of variance)",
    )
    last.legend(fontsize=7)
    last.set_xlabel(label)
    fig.suptitle("prediction ≈ w₁·h₁(x) + w₂·h₂(x) + … + b")
    return fig


def plot_contributions(d: FeatureDecomposition, ax: Axes | None = None) -> Axes:
    """One bar per top unit: how much its weighted feature ``wᵢ·hᵢ(x)`` varies over the rows (its std).

    Works for any number of inputs: a unit whose contribution barely varies on the data adds
    only a constant to the prediction, whatever its weight.

    >>> from nnbook.analysis import feature_decomposition
    >>> from nnbook.models import mlp
    >>> ax = plot_contributions(feature_decomposition(mlp([3, 6, 1]), torch.rand(40, 3), k=4))
    >>> len(ax.patches)
    4
    """
    _check_decomposition(d, "plot_contributions")
    ax = ax if ax is not None else plt.subplots(figsize=(6, 3.2), layout="constrained")[1]
    spread = d.contributions.std(dim=0)
    labels = [f"h{i}\n{w:+.2f}" for i, w in zip(d.indices.tolist(), d.weights.tolist(), strict=True)]
    ax.bar(range(len(spread)), spread.numpy(), color="C0")
    ax.set_xticks(range(len(spread)), labels, fontsize=7)
    where = "data rows" if d.along is None else "slice"
    ax.set(
        xlabel="hidden unit and its weight", ylabel="std of wᵢ·hᵢ(x)", title=f"contributions over {len(d.x)} {where}"
    )
    return ax
