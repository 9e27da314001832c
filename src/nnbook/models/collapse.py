"""Collapsing stacked linear layers into one: without an activation, depth adds nothing.

Two layers compute ``(x W1 + b1) W2 + b2 = x (W1 W2) + (b1 W2 + b2)``: one linear layer.

>>> import torch
>>> from nnbook.models import mlp
>>> deep = mlp([1, 50, 1], activation=None)
>>> flat = collapse_linear(deep)
>>> x = torch.rand(10, 1)
>>> bool(torch.allclose(deep(x), flat(x), atol=1e-5))
True
"""

from __future__ import annotations

import torch
from torch import nn


def collapse_linear(model: nn.Module) -> nn.Linear:
    """Return one ``nn.Linear`` that computes exactly what a stack of linear layers computes.

    ``model`` is an ``nn.Sequential`` (or a single ``nn.Linear``) made only of linear layers.
    In PyTorch's convention ``y = x Wᵀ + b``, so the combined weight is ``W2 @ W1`` and the combined
    bias ``W2 @ b1 + b2``: the same algebra as ``W = W1 W2, b = b1 W2 + b2`` with ``x`` on the left.

    >>> flat = collapse_linear(nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1)))
    >>> flat.weight.shape, flat.bias.shape
    (torch.Size([1, 2]), torch.Size([1]))
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch nn.Linear or an nn.Sequential of them, got {type(model).__name__}.")
    layers = [model] if isinstance(model, nn.Linear) else list(model.children())
    if not layers:
        raise ValueError(
            "the model has no layers to collapse. Pass a stack of linear layers, such as mlp([1, 50, 1], activation=None)."
        )
    for layer in layers:
        if not isinstance(layer, nn.Linear):
            raise TypeError(
                f"only a stack of linear layers can be collapsed, but the model contains {layer!r}. "
                "With an activation in between the model is no longer linear, which is the point of activations."
            )
    for i, (a, b) in enumerate(zip(layers[:-1], layers[1:], strict=True)):
        if a.out_features != b.in_features:
            raise ValueError(
                f"layer {i + 1} gives {a.out_features} output(s) but layer {i + 2} takes {b.in_features} input(s): "
                "the layers do not chain, so the model cannot even run. Each layer's out_features must equal "
                "the next one's in_features."
            )
    with torch.no_grad():
        weight = layers[0].weight.clone()
        bias = layers[0].bias.clone() if layers[0].bias is not None else torch.zeros(weight.shape[0])
        for layer in layers[1:]:
            bias = layer.weight @ bias + (layer.bias if layer.bias is not None else 0)
            weight = layer.weight @ weight
        flat = nn.Linear(weight.shape[1], weight.shape[0])
        flat.weight.copy_(weight)
        flat.bias.copy_(bias)
    return flat
