"""A network ``Linear → activation → Linear`` predicts a weighted sum of its hidden units:

    prediction(x) = w₁·h₁(x) + w₂·h₂(x) + … + b

Each hidden unit ``hᵢ(x)`` is a learned feature (for ReLU, a hinge), and the last layer's weights
say how much of each goes into the output. The features with the largest ``|wᵢ|`` usually carry
most of the prediction; this module finds them and measures how much they explain.

>>> import torch
>>> from nnbook.models import mlp
>>> _ = torch.manual_seed(0)
>>> d = feature_decomposition(mlp([1, 20, 1]), torch.rand(50, 1), k=5)
>>> d.features.shape, d.weights.shape
(torch.Size([50, 5]), torch.Size([5]))
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from torch import nn

from nnbook._checks import check_positive_int


def _layers(model: nn.Module) -> tuple[nn.Linear, nn.Module, nn.Linear]:
    layers = list(model.children()) if isinstance(model, nn.Sequential) else []
    linears = [m for m in layers if isinstance(m, nn.Linear)]
    if (
        len(layers) != 3
        or len(linears) != 2
        or not isinstance(layers[0], nn.Linear)
        or not isinstance(layers[2], nn.Linear)
    ):
        shape = " → ".join(type(m).__name__ for m in layers) or type(model).__name__
        raise ValueError(
            f"feature analysis needs a network with one hidden layer, Linear → activation → Linear, "
            f"such as mlp([1, 50, 1]); this model is {shape}. "
            "A model without a hidden layer has no learned features to look at."
        )
    if layers[2].out_features != 1:
        raise ValueError(f"feature analysis needs one output, but the last layer has {layers[2].out_features}.")
    return layers[0], layers[1], layers[2]


def hidden_features(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """The hidden units' outputs (after the activation) for every row of ``x``: shape (n, hidden).

    >>> from nnbook.models import mlp
    >>> hidden_features(mlp([1, 7, 1]), torch.rand(4, 1)).shape
    torch.Size([4, 7])
    """
    first, act, _ = _layers(model)
    if not isinstance(x, torch.Tensor) or x.dim() != 2 or x.shape[1] != first.in_features:
        shape = tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__
        raise ValueError(
            f"x must be a tensor of shape (n, {first.in_features}), one row per point, got {shape}. "
            "A 1-D x needs x[:, None] or x.view(-1, 1)."
        )
    with torch.no_grad():
        return act(first(x))


def top_features(model: nn.Module, k: int = 10) -> tuple[torch.Tensor, torch.Tensor]:
    """The ``k`` hidden units with the largest last-layer weights by magnitude: ``(indices, weights)``.

    >>> from nnbook.models import mlp
    >>> idx, w = top_features(mlp([1, 7, 1]), k=3)
    >>> len(idx), bool(w.abs()[0] >= w.abs()[-1])
    (3, True)
    """
    _, _, last = _layers(model)
    k = check_positive_int(k, "k")
    width = last.in_features
    if k > width:
        raise ValueError(f"k={k} is larger than the hidden layer, which has {width} units; choose k ≤ {width}.")
    weights = last.weight.detach()[0]
    idx = weights.abs().argsort(descending=True)[:k]
    return idx, weights[idx]


@dataclass
class FeatureDecomposition:
    """The prediction over sorted ``x`` split into its top-k weighted features.

    ``reconstruction = features @ weights + bias``; ``explained`` is the fraction of the
    prediction's variance it reproduces, ``1 − var(prediction − reconstruction) / var(prediction)``.

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

    @property
    def explained(self) -> float:
        """Fraction of the prediction's variance that the top-k features reconstruct."""
        return float(1 - (self.prediction - self.reconstruction).var() / self.prediction.var())


def feature_decomposition(model: nn.Module, x: torch.Tensor, k: int = 10) -> FeatureDecomposition:
    """Decompose ``model``'s prediction over sorted ``x`` into its top-``k`` features.

    >>> from nnbook.models import mlp
    >>> d = feature_decomposition(mlp([1, 5, 1]), torch.rand(30, 1), k=5)
    >>> round(d.explained, 4)  # all 5 of 5 features: the reconstruction is exact
    1.0
    """
    idx, weights = top_features(model, k)
    _, _, last = _layers(model)
    xs = x.detach().sort(dim=0).values
    h = hidden_features(model, xs)
    with torch.no_grad():
        prediction = model(xs)[:, 0]
    bias = float(last.bias.detach()[0])
    features = h[:, idx]
    return FeatureDecomposition(xs[:, 0], idx, weights, features, bias, prediction, features @ weights + bias)


def plot_top_features(d: FeatureDecomposition, ax: plt.Axes | None = None) -> plt.Axes:
    """Plot the top features over x, labelled with their last-layer weights.

    >>> from nnbook.models import mlp
    >>> ax = plot_top_features(feature_decomposition(mlp([1, 5, 1]), torch.rand(30, 1), k=3))
    """
    ax = ax if ax is not None else plt.subplots(figsize=(6, 3.6), layout="constrained")[1]
    for j, (i, w) in enumerate(zip(d.indices.tolist(), d.weights.tolist(), strict=True)):
        ax.plot(d.x.numpy(), d.features[:, j].numpy(), label=f"unit {i}: w = {w:+.2f}")
    ax.set(xlabel="x", ylabel="activation", title=f"top {len(d.indices)} hidden units")
    ax.legend(fontsize=7, ncol=2)
    return ax


def plot_decomposition(
    d: FeatureDecomposition, x_data: torch.Tensor | None = None, y_data: torch.Tensor | None = None
) -> Figure:
    """Stacked panels: each weighted feature ``wᵢ·hᵢ(x)``, then their sum beside the full prediction.

    >>> from nnbook.models import mlp
    >>> fig = plot_decomposition(feature_decomposition(mlp([1, 5, 1]), torch.rand(30, 1), k=2))
    """
    k = len(d.indices)
    fig, axes = plt.subplots(k + 1, 1, figsize=(6, 1.1 * (k + 1) + 1), sharex=True, layout="constrained")
    for j, ax in enumerate(axes[:-1]):
        ax.plot(d.x.numpy(), (d.weights[j] * d.features[:, j]).numpy(), color="C0")
        ax.set_ylabel(f"{d.weights[j]:+.2f}·h{int(d.indices[j])}", rotation=0, ha="right", va="center", fontsize=8)
        ax.axhline(0, color="0.8", lw=0.5)
    last = axes[-1]
    if x_data is not None and y_data is not None:
        last.scatter(x_data[:, 0].numpy(), y_data[:, 0].numpy(), s=2, color="0.75")
    last.plot(d.x.numpy(), d.prediction.numpy(), color="k", lw=2, label="full prediction")
    last.plot(
        d.x.numpy(),
        d.reconstruction.numpy(),
        color="C3",
        ls="--",
        lw=2,
        label=f"top {k} + bias ({d.explained:.1%} of variance)",
    )
    last.legend(fontsize=7)
    last.set_xlabel("x")
    fig.suptitle("prediction ≈ w₁·h₁(x) + w₂·h₂(x) + … + b")
    return fig
