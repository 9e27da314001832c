"""A network's last layer predicts a weighted sum of the units of its last hidden layer:

    prediction(x) = w₁·h₁(x) + w₂·h₂(x) + … + b

Each hidden unit ``hᵢ(x)`` is a learned feature (for ReLU, a hinge), and the last layer's weights
say how much of each goes into the output. The features with the largest ``|wᵢ|`` usually carry
most of the prediction; this module finds them and measures how much they explain.

It works for any MLP built as an ``nn.Sequential`` of ``Linear`` layers and activations (any number
of inputs, hidden layers and outputs), and for such an MLP wrapped in
:class:`~nnbook.models.Rescaled`. The decomposition is always evaluated on real rows: the rows of
the data you pass, or a slice along one chosen input with the others held fixed (``along=``).

>>> import torch
>>> from nnbook.models import mlp
>>> _ = torch.manual_seed(0)
>>> d = feature_decomposition(mlp([3, 20, 1]), torch.rand(50, 3), k=5)
>>> d.features.shape, d.weights.shape
(torch.Size([50, 5]), torch.Size([5]))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure
from torch import nn

from nnbook._checks import as_tensor, check_positive_int
from nnbook.models.rescaled import Rescaled
from nnbook.plots.basic import input_name, model_output, slice_grid


@dataclass
class _Network:
    """An MLP taken apart: its layers, where each hidden layer ends, and the output layer."""

    layers: list[nn.Module]
    ends: list[int]  # ends[i]: index after the last module of hidden layer i + 1 (its activation)
    last: nn.Linear
    rescaled: Rescaled | None

    @property
    def inputs(self) -> int:
        return self.layers[0].in_features

    @property
    def width(self) -> int:
        return self.last.in_features


def _network(model: nn.Module) -> _Network:
    rescaled = model if isinstance(model, Rescaled) else None
    inner = model.model if rescaled is not None else model
    layers = list(inner.children()) if isinstance(inner, nn.Sequential) else []
    shape = " → ".join(type(m).__name__ for m in layers) or type(inner).__name__
    linear_at = [i for i, m in enumerate(layers) if isinstance(m, nn.Linear)]
    if len(linear_at) < 2 or linear_at[0] != 0 or linear_at[-1] != len(layers) - 1:
        raise ValueError(
            f"feature analysis needs at least one hidden layer, an nn.Sequential Linear → activation → … → Linear "
            f"such as mlp([1, 50, 1]); this model is {shape}. "
            "A model without a hidden layer has no learned features to look at."
        )
    for m in layers:
        if not isinstance(m, nn.Linear) and any(isinstance(s, nn.Linear) for s in m.modules()):
            raise ValueError(
                f"feature analysis reads the layers of a flat nn.Sequential, but this model nests one ({shape}). "
                "Build it with mlp([...]) or as a flat nn.Sequential."
            )
    return _Network(layers, linear_at[1:], layers[-1], rescaled)


def _hidden_layer(net: _Network, layer: int | None) -> int:
    """The 1-based number of a hidden layer (``None``: the last one)."""
    count = len(net.ends)
    if layer is None:
        return count
    if isinstance(layer, bool) or not isinstance(layer, int) or not 1 <= layer <= count:
        raise ValueError(
            f"layer={layer!r}: this model has {count} hidden layer(s); choose layer between 1 and {count}."
        )
    return layer


def _check_decomposition(d: object, name: str) -> None:
    if not isinstance(d, FeatureDecomposition):
        raise TypeError(
            f"{name} draws what feature_decomposition returns, got {type(d).__name__}. "
            f"Decompose first: d = feature_decomposition(model, x, k=8), then {name}(d)."
        )


def _check_x(net: _Network, x: object, name: str = "x") -> torch.Tensor:
    if isinstance(x, (np.ndarray, list)):
        x = as_tensor(x, name)  # a NumPy array or list of rows, as fit() and predict() take
    if not isinstance(x, torch.Tensor) or x.dim() != 2 or x.shape[1] != net.inputs:
        shape = tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__
        raise ValueError(
            f"{name} must be a tensor of shape (n, {net.inputs}), one row per point, got {shape}. "
            "A 1-D x needs x[:, None] or x.view(-1, 1)."
        )
    if x.shape[0] < 2:
        raise ValueError(f"{name} has {x.shape[0]} row(s); the analysis needs at least 2 rows of data.")
    x = x.detach().float().cpu()
    if not torch.isfinite(x).all():
        raise ValueError(f"{name} contains NaN or infinite values; remove those rows first.")
    return x


def _run_hidden(net: _Network, x: torch.Tensor, layer: int) -> torch.Tensor:
    if net.rescaled is not None:
        x = (x - net.rescaled.x_mean.cpu()) / net.rescaled.x_std.cpu()
    return model_output(nn.Sequential(*net.layers[: net.ends[layer - 1]]), x)


def hidden_features(model: nn.Module, x: torch.Tensor, layer: int | None = None) -> torch.Tensor:
    """The outputs (after the activation) of the units of one hidden layer for every row of ``x``: (n, width).

    ``layer`` counts hidden layers from 1; the default is the last one, whose units the output adds up.

    >>> from nnbook.models import mlp
    >>> hidden_features(mlp([2, 7, 3, 1]), torch.rand(4, 2), layer=1).shape
    torch.Size([4, 7])
    """
    net = _network(model)
    return _run_hidden(net, _check_x(net, x), _hidden_layer(net, layer))


def _output_row(net: _Network, output: int) -> int:
    n_out = net.last.out_features
    if isinstance(output, bool) or not isinstance(output, int) or not -n_out <= output < n_out:
        raise ValueError(
            f"output={output!r}, but the model has {n_out} output(s): choose output between 0 and {n_out - 1}."
        )
    return output % n_out


def _check_layer_is_last(net: _Network, layer: int | None) -> None:
    if layer is not None and _hidden_layer(net, layer) != len(net.ends):
        raise ValueError(
            f"the output is a weighted sum of the units of the last hidden layer (layer={len(net.ends)}) only; "
            f"the units of hidden layer {layer} pass through later layers first, so no weight tells their share. "
            f"Look at that layer's units with hidden_features(model, x, layer={layer})."
        )


def top_features(
    model: nn.Module, k: int = 10, output: int = 0, layer: int | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """The ``k`` units of the last hidden layer with the largest weights into ``output``: ``(indices, weights)``.

    The weights are in the units of the output (for a :class:`~nnbook.models.Rescaled` model, the data's).

    >>> from nnbook.models import mlp
    >>> idx, w = top_features(mlp([1, 7, 1]), k=3)
    >>> len(idx), bool(w.abs()[0] >= w.abs()[-1])
    (3, True)
    """
    net = _network(model)
    _check_layer_is_last(net, layer)
    k = check_positive_int(k, "k")
    if k > net.width:
        raise ValueError(f"k={k} is larger than the hidden layer, which has {net.width} units; choose k ≤ {net.width}.")
    row = _output_row(net, output)
    weights = net.last.weight.detach().cpu()[row]
    if net.rescaled is not None:
        y_std = net.rescaled.y_std.detach().cpu().reshape(-1)
        weights = weights * y_std[row if y_std.numel() > 1 else 0]
    idx = weights.abs().argsort(descending=True)[:k]
    return idx, weights[idx]


@dataclass
class FeatureDecomposition:
    """A model's prediction on rows ``x`` split into its top-k weighted features.

    ``reconstruction = features @ weights + bias``; ``explained`` is the fraction of the
    prediction's variance it reproduces, ``1 − var(prediction − reconstruction) / var(prediction)``.
    ``x`` holds the rows the model was evaluated on: the data's own rows (for one input, sorted by
    it), or a slice along input ``along`` with the others held at ``held``. ``contributions`` are
    the weighted features ``wᵢ·hᵢ(x)``, one column per unit.

    >>> from nnbook.models import mlp
    >>> d = feature_decomposition(mlp([1, 8, 1]), torch.rand(40, 1), k=8)  # all 8 units: exact
    >>> d.features.shape, round(d.explained, 4)
    (torch.Size([40, 8]), 1.0)
    """

    x: torch.Tensor
    indices: torch.Tensor
    weights: torch.Tensor
    features: torch.Tensor
    bias: float
    prediction: torch.Tensor
    reconstruction: torch.Tensor
    along: int | None = None
    held: torch.Tensor | None = None
    output: int = 0
    names: tuple[str, ...] | None = None

    @property
    def explained(self) -> float:
        """Fraction of the prediction's variance that the top-k features reconstruct."""
        var = self.prediction.var()
        if var == 0:
            raise ValueError(
                "the prediction is the same on every row, so there is no variance to explain. "
                "Pass rows where the model's output varies (or a trained model)."
            )
        return float(1 - (self.prediction - self.reconstruction).var() / var)

    @property
    def contributions(self) -> torch.Tensor:
        """Each top unit's share of the prediction on every row, ``wᵢ·hᵢ(x)``: shape (n, k)."""
        return self.features * self.weights

    def axis(self) -> tuple[torch.Tensor, str]:
        """The input to draw along and its axis label; only for one input or a slice (``along=``).

        >>> from nnbook.models import mlp
        >>> x = torch.tensor([[0.0, 1.0], [1.0, 2.0], [2.0, 3.0]])
        >>> d = feature_decomposition(mlp([2, 4, 1]), x, k=2, along=1, names=["age", "dose"])
        >>> d.axis()[1]
        'dose (age = 1)'
        """
        if self.along is None and self.x.shape[1] > 1:
            raise ValueError(
                f"this decomposition is over {self.x.shape[0]} data rows of a {self.x.shape[1]}-input model, which "
                "no single axis can show. Plot along one input with the others held fixed: "
                "feature_decomposition(model, x, k, along=0), or compare the units with plot_contributions(d)."
            )
        along = 0 if self.along is None else self.along
        label = input_name(along, self.x.shape[1], self.names)
        if self.held is not None and self.x.shape[1] > 1:
            others = [
                f"{input_name(j, self.x.shape[1], self.names)} = {float(self.held[j]):.3g}"
                for j in range(self.x.shape[1])
                if j != along
            ]
            label += f" ({', '.join(others)})"
        return self.x[:, along], label


def feature_decomposition(
    model: nn.Module,
    x: torch.Tensor,
    k: int = 10,
    *,
    output: int = 0,
    layer: int | None = None,
    along: int | None = None,
    at: torch.Tensor | Sequence[float] | None = None,
    steps: int = 200,
    names: Sequence[str] | None = None,
) -> FeatureDecomposition:
    """Decompose ``model``'s prediction for ``output`` into its top-``k`` features of the last hidden layer.

    By default the rows are the rows of ``x`` (the data), sorted by the input when there is one.
    With ``along=j`` the rows are a slice: input ``j`` runs over its range in ``x`` in ``steps``
    steps while the other inputs stay at ``at`` (default: the median of each column of ``x``), so
    the features can be drawn as curves over input ``j``. ``names`` labels the inputs on plots.

    >>> from nnbook.models import mlp
    >>> d = feature_decomposition(mlp([1, 5, 1]), torch.rand(30, 1), k=5)
    >>> round(d.explained, 4)  # all 5 of 5 features: the reconstruction is exact
    1.0
    """
    net = _network(model)
    _check_layer_is_last(net, layer)
    idx, weights = top_features(model, k, output=output)
    x = _check_x(net, x)
    if names is not None and len(names) != net.inputs:
        raise ValueError(f"got {len(names)} names for {net.inputs} input(s); give one name per input column.")
    held = None
    if along is not None:
        rows = slice_grid(x, along=along, at=at, steps=steps)
        held = rows[0].clone()
        held[along] = float("nan")
    elif at is not None:
        raise ValueError("at= holds the other inputs fixed along one input, so it needs along=, e.g. along=0.")
    else:
        rows = x[x[:, 0].argsort()] if net.inputs == 1 else x
    h = _run_hidden(net, rows, len(net.ends))
    row = _output_row(net, output)
    prediction = model_output(model, rows)[:, row]
    bias = float(net.last.bias.detach().cpu()[row]) if net.last.bias is not None else 0.0
    if net.rescaled is not None:
        y_std = net.rescaled.y_std.detach().cpu().reshape(-1)
        y_mean = net.rescaled.y_mean.detach().cpu().reshape(-1)
        pick = row if y_std.numel() > 1 else 0
        bias = bias * float(y_std[pick]) + float(y_mean[row if y_mean.numel() > 1 else 0])
    features = h[:, idx]
    names = tuple(names) if names is not None else None
    return FeatureDecomposition(
        rows, idx, weights, features, bias, prediction, features @ weights + bias, along, held, row, names
    )


def plot_top_features(d: FeatureDecomposition, ax: plt.Axes | None = None) -> plt.Axes:
    """Plot the top features over the input (or the slice's input), labelled with their last-layer weights.

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

    >>> from nnbook.models import mlp
    >>> fig = plot_decomposition(feature_decomposition(mlp([1, 5, 1]), torch.rand(30, 1), k=2))
    """
    _check_decomposition(d, "plot_decomposition")
    xs, label = d.axis()
    if (x_data is None) != (y_data is None):
        raise ValueError("pass both x_data and y_data to draw the data, or neither.")
    if x_data is not None:
        x_data, y_data = torch.as_tensor(x_data).detach().cpu(), torch.as_tensor(y_data).detach().cpu()
        if x_data.dim() != 2 or x_data.shape[1] != d.x.shape[1] or len(x_data) != len(y_data):
            raise ValueError(
                f"x_data must have shape (n, {d.x.shape[1]}) and y_data n rows; got {tuple(x_data.shape)} "
                f"and {tuple(y_data.shape)}."
            )
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


def plot_contributions(d: FeatureDecomposition, ax: plt.Axes | None = None) -> plt.Axes:
    """One bar per top unit: how much its weighted feature ``wᵢ·hᵢ(x)`` varies over the rows (its std).

    Works for any number of inputs: a unit whose contribution barely varies on the data adds
    only a constant to the prediction, whatever its weight.

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
