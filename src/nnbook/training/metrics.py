"""Metrics: numbers that describe predictions, computed on the validation set after every epoch.

All take ``(prediction, target)`` tensors of the same shape and return a 0-d tensor.

>>> import torch
>>> float(mae(torch.tensor([1.0, 3.0]), torch.tensor([2.0, 2.0])))
1.0
"""

from __future__ import annotations

from collections.abc import Callable

import torch

Metric = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def mse(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean squared error: the average of ``(pred − target)²``.

    >>> float(mse(torch.tensor([1.0, 3.0]), torch.tensor([2.0, 2.0])))
    1.0
    """
    return ((pred - target) ** 2).mean()


def mae(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean absolute error: the average of ``|pred − target|``.

    >>> float(mae(torch.tensor([0.0]), torch.tensor([-2.0])))
    2.0
    """
    return (pred - target).abs().mean()


def accuracy(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """The fraction of correct classes.

    With one output column, a logit above 0 (probability above ½) means class 1 and ``target``
    holds 0.0 or 1.0. With several columns, the largest logit wins and ``target`` holds class indices.

    >>> float(accuracy(torch.tensor([[2.0], [-1.0]]), torch.tensor([[1.0], [1.0]])))
    0.5
    """
    if logits.dim() == 2 and logits.shape[1] > 1:
        return (logits.argmax(dim=1) == target.view(-1)).float().mean()
    return ((logits > 0).float() == target).float().mean()


METRICS: dict[str, Metric] = {"mse": mse, "mae": mae, "accuracy": accuracy}


def get_metric(metric: str | Metric) -> tuple[str, Metric]:
    """Look up a metric by name, or accept a function; returns ``(name, function)``.

    >>> get_metric("mae")[0]
    'mae'
    """
    if callable(metric):
        return getattr(metric, "__name__", "metric"), metric
    if metric not in METRICS:
        raise ValueError(
            f"unknown metric {metric!r}. Choose one of {sorted(METRICS)}, or pass a function (pred, y) -> tensor."
        )
    return metric, METRICS[metric]
