"""Metrics: numbers that describe predictions, computed on the validation set after every epoch.

Each takes ``(prediction, target)`` and returns a 0-d tensor. ``mse`` and ``mae`` need tensors
of the same shape; ``accuracy`` compares classes (see its definition).

>>> import torch
>>> float(mae(torch.tensor([[1.0], [3.0]]), torch.tensor([[2.0], [2.0]])))
1.0
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from nnbook._checks import as_tensor, check_list
from nnbook.training.losses import LOSSES

Metric = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
ACCURACY_KINDS = ("logits", "probabilities", "labels")


def _same_shape(pred: object, target: object, name: str) -> tuple[torch.Tensor, torch.Tensor]:
    pred, target = as_tensor(pred, f"{name} pred"), as_tensor(target, f"{name} target")
    if pred.shape != target.shape:
        raise ValueError(
            f"{name} needs prediction and target of the same shape, got {tuple(pred.shape)} and "
            f"{tuple(target.shape)} (PyTorch would broadcast them and average the wrong pairs). "
            "Give both one row per example, for example shape (n, 1): y[:, None] turns (n,) into (n, 1)."
        )
    return pred.float(), target.float()


def mse(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean squared error: the average of ``(pred − target)²``; the same function as the loss "mse".

    >>> float(mse(torch.tensor([1.0, 3.0]), torch.tensor([2.0, 2.0])))
    1.0
    """
    return LOSSES["mse"](*_same_shape(pred, target, "mse"))


def mae(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean absolute error: the average of ``|pred − target|``; the same function as the loss "mae".

    >>> float(mae(torch.tensor([0.0]), torch.tensor([-2.0])))
    2.0
    """
    return LOSSES["mae"](*_same_shape(pred, target, "mae"))


def predicted_classes(pred: torch.Tensor, kind: str = "logits") -> torch.Tensor:
    """The class of every row as a 1-D long tensor, from logits, probabilities or labels.

    One column (two classes): class 1 where the logit is above 0, or the probability above ½.
    Several columns (one per class): the largest logit or probability wins. ``kind="labels"``:
    ``pred`` holds the classes already.

    >>> predicted_classes(torch.tensor([[2.0, 0.1, -1.0], [0.0, 0.5, 3.0]])).tolist()
    [0, 2]
    """
    if kind not in ACCURACY_KINDS:
        raise ValueError(f"kind must be one of {list(ACCURACY_KINDS)}, got {kind!r}.")
    pred = as_tensor(pred, "pred")
    if kind == "labels":
        if pred.dim() == 2 and pred.shape[1] > 1:
            raise ValueError(
                f"kind='labels' needs one label per row, shape (n,) or (n, 1), got {tuple(pred.shape)}. "
                "For one score per class use kind='logits' or kind='probabilities'."
            )
        return pred.reshape(-1).long()
    if pred.dim() == 2 and pred.shape[1] > 1:
        if kind == "probabilities" and not bool(((pred >= 0) & (pred <= 1)).all()):
            raise ValueError("kind='probabilities', but some values lie outside [0, 1]: are they logits?")
        return pred.argmax(dim=1)
    if pred.dim() > 2:
        raise ValueError(f"pred has shape {tuple(pred.shape)}; one row per example is needed, shape (n, classes).")
    pred = pred.reshape(-1)
    if kind == "probabilities":
        if not bool(((pred >= 0) & (pred <= 1)).all()):
            raise ValueError(
                "kind='probabilities', but some values lie outside [0, 1]: they look like logits, "
                "so use kind='logits' (the default)."
            )
        return (pred > 0.5).long()
    return (pred > 0).long()


def accuracy(pred: torch.Tensor, target: torch.Tensor, kind: str = "logits") -> torch.Tensor:
    """The fraction of rows whose predicted class equals the target class.

    ``pred`` holds, per ``kind``:

    - ``"logits"`` (the default; what the book's classifiers output): one column for two classes,
      class 1 where the logit is above 0 (probability above ½); or one column per class, the
      largest wins.
    - ``"probabilities"``: the same with probabilities: above ½, or the largest.
    - ``"labels"``: the predicted classes themselves.

    ``target`` holds class labels, shape (n,) or (n, 1): 0.0/1.0 or 0/1 for two classes, 0 …
    classes − 1 for several.

    >>> float(accuracy(torch.tensor([[2.0], [-1.0]]), torch.tensor([[1.0], [1.0]])))
    0.5
    >>> float(accuracy(torch.tensor([[0.1, 0.7, 0.2]]), torch.tensor([1]), kind="probabilities"))
    1.0
    """
    classes = predicted_classes(pred, kind)
    target = as_tensor(target, "target")
    if target.dim() == 2 and target.shape[1] > 1:
        raise ValueError(
            f"target has shape {tuple(target.shape)}, but accuracy needs one class label per row, shape (n,) or "
            "(n, 1). For one-hot rows use target.argmax(dim=1)."
        )
    target = target.reshape(-1)
    if len(target) != len(classes):
        raise ValueError(f"pred has {len(classes)} rows but target has {len(target)}: one label per row is needed.")
    if target.is_floating_point() and not bool((target == target.round()).all()):
        raise ValueError("target holds fractions, but accuracy compares class labels such as 0, 1, 2.")
    one_column = kind != "labels" and (as_tensor(pred, "pred").dim() < 2 or as_tensor(pred, "pred").shape[1] == 1)
    if one_column and len(target) and not bool(((target == 0) | (target == 1)).all()):
        raise ValueError(
            f"pred has one column (two classes), but target holds the labels {torch.unique(target)[:6].tolist()}. "
            "With more classes the model needs one output per class: mlp([inputs, hidden, classes])."
        )
    columns = as_tensor(pred, "pred").shape[-1]
    if not one_column and kind != "labels" and len(target) and not bool(((target >= 0) & (target < columns)).all()):
        raise ValueError(
            f"pred has {columns} columns (one per class, labels 0 … {columns - 1}), but target holds the labels "
            f"{torch.unique(target)[:6].tolist()}. Renumber the labels from 0, or give the model one output per class."
        )
    return (classes == target.long()).float().mean()


def bce(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy of logits against labels 0/1: the loss "bce", as a score on held-out rows.

    >>> round(float(bce(torch.tensor([[0.0]]), torch.tensor([[1.0]]))), 4)  # log 2: a logit of 0 is p = ½
    0.6931
    """
    return LOSSES["bce"](*_same_shape(pred, target, "bce"))


def cross_entropy(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Cross-entropy of logits (one column per class) against labels 0 … K − 1: the loss "cross_entropy".

    >>> round(float(cross_entropy(torch.zeros(2, 4), torch.tensor([0, 3]))), 4)  # log 4: all classes equally likely
    1.3863
    """
    pred, target = as_tensor(pred, "cross_entropy pred"), as_tensor(target, "cross_entropy target")
    if pred.dim() != 2 or target.reshape(-1).shape[0] != pred.shape[0]:
        raise ValueError(
            f"cross_entropy needs logits of shape (n, classes) and one label per row, got {tuple(pred.shape)} and "
            f"{tuple(target.shape)}."
        )
    return LOSSES["cross_entropy"](pred.float(), target.reshape(-1).long())


METRICS: dict[str, Metric] = {
    "mse": mse,
    "mae": mae,
    "accuracy": accuracy,
    "bce": bce,
    "cross_entropy": cross_entropy,
}


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
    return metric, METRICS[metric]  # type: ignore[index]


def get_metrics(metrics: object) -> list[tuple[str, Metric]]:
    """Look up a list of metrics; a bare name instead of a list gets a message with the brackets.

    >>> [name for name, _ in get_metrics(["mae", "mse"])]
    ['mae', 'mse']
    """
    if callable(metrics):
        metrics = [metrics]
    return [get_metric(m) for m in check_list(metrics, "metrics", "'accuracy'" if metrics == "accuracy" else "'mae'")]
