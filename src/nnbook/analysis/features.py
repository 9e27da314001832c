"""A network's last layer predicts a weighted sum of the units of its last hidden layer:

    prediction(x) = w₁·h₁(x) + w₂·h₂(x) + … + b

Each hidden unit ``hᵢ(x)`` is a learned feature (for ReLU, a hinge), and the last layer's weights
say how much of each goes into the output. The features with the largest ``|wᵢ|`` usually carry
most of the prediction; this module finds them and measures how much they explain.

It works for any MLP built as an ``nn.Sequential`` of ``Linear`` layers and activations (any number
of inputs, hidden layers and outputs), for such an MLP wrapped in :class:`~nnbook.models.Rescaled`, and
for the ``net`` of a :class:`~nnbook.models.TableModel` (on encoded rows, ``encoder.pair(rows)[0]``, as
the model itself takes them). The decomposition is always evaluated on real rows: the rows of
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

import torch
from torch import nn

from nnbook._arrays import check_array
from nnbook._options import Whole
from nnbook.models.rescaled import Rescaled
from nnbook.models.running import last_layer, run_model
from nnbook.models.table import TableModel
from nnbook.plots.basic import input_name, slice_grid

K = Whole(1, hint="It is the number of hidden units to keep; try k=8.")


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
    if hasattr(model, "seeds") and (hasattr(model, "stack") or hasattr(model, "n_models")):
        raise TypeError(
            "the feature analysis looks at one network, but this holds every seed of fit_seeds. Pick one seed: "
            "run.model(i), for example feature_decomposition(run.model(0), x)."
        )
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a network such as mlp([1, 50, 1]), got {type(model).__name__}.")
    where = "model"
    if isinstance(model, TableModel):  # its inputs are already encoded rows, which go to its net unchanged
        model, where = model.net, "model.net"
    rescaled = model if isinstance(model, Rescaled) else None
    inner = model.model if rescaled is not None else model
    if isinstance(last_layer(inner), (nn.Sigmoid, nn.Softmax)):
        if rescaled is not None:
            fix = (
                f"its inner network without its last layer, on standardized inputs: "
                f"feature_decomposition({where}.model[:-1], (x - {where}.x_mean) / {where}.x_std)"
            )
        else:
            fix = f"the network without its last layer: feature_decomposition({where}[:-1], x)"
        raise ValueError(
            f"this model ends in {type(last_layer(inner)).__name__} after its last Linear layer, but the analysis "
            f"splits the last Linear layer's output (the logits) into its features. Analyse {fix}."
        )
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
    return Whole(1, count, hint=f"This model has {count} hidden layer(s), counted from 1.")(layer, "layer")


def _check_x(net: _Network, x: object, name: str = "x", min_rows: int = 2) -> torch.Tensor:
    return check_array(x, name, columns=net.inputs, min_rows=min_rows).detach().cpu()


def _run_hidden(net: _Network, x: torch.Tensor, layer: int) -> torch.Tensor:
    if net.rescaled is not None:
        x = (x - net.rescaled.x_mean.cpu()) / net.rescaled.x_std.cpu()
    return run_model(nn.Sequential(*net.layers[: net.ends[layer - 1]]), x)


def hidden_features(model: nn.Module, x: torch.Tensor, layer: int | None = None) -> torch.Tensor:
    """The outputs (after the activation) of the units of one hidden layer for every row of ``x``: (n, width).

    ``layer`` counts hidden layers from 1; the default is the last one, whose units the output adds up.

    >>> from nnbook.models import mlp
    >>> hidden_features(mlp([2, 7, 3, 1]), torch.rand(4, 2), layer=1).shape
    torch.Size([4, 7])
    """
    net = _network(model)
    return _run_hidden(net, _check_x(net, x, min_rows=1), _hidden_layer(net, layer))  # one row is fine here


def _output_row(net: _Network, output: int) -> int:
    n_out = net.last.out_features
    return Whole(-n_out, n_out - 1, hint=f"The model has {n_out} output(s), counted from 0.")(output, "output") % n_out


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
    k = K(k, "k")
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
    prediction = run_model(model, rows)[:, row]
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
