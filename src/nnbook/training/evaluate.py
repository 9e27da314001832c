"""After training: scores on a data set. (Predictions on new data: :func:`nnbook.models.running.predict`.)

>>> import torch
>>> from nnbook.models import mlp
>>> x = torch.rand(20, 3)
>>> sorted(evaluate(mlp([3, 8, 1]), (x, x.sum(dim=1, keepdim=True)), ["mse", "mae"]))
['mae', 'mse']
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

from nnbook._arrays import check_array, check_batch
from nnbook._options import check_list
from nnbook.data.split import Split
from nnbook.models.running import KIND, check_model, output_kind, run_model
from nnbook.training.metrics import Metric, accuracy, get_metrics
from nnbook.training.stacked import StackedModels


def _pairs(data: Any) -> list[tuple[torch.Tensor, torch.Tensor]]:
    if isinstance(data, Split):
        raise TypeError("data is a Split: evaluate one part of it, data=split.valid or data=split.train.")
    if isinstance(data, (Dataset, DataLoader)):
        loader = data if isinstance(data, DataLoader) else DataLoader(data, batch_size=1024)
        out = [check_batch(batch, "data") for batch in loader]
        if not out:
            raise ValueError("the Dataset is empty: there is nothing to score. Check how it was built.")
        return [(check_array(x, "x"), check_array(y, "y", shape="any", dtype="number")) for x, y in out]
    if not (isinstance(data, (tuple, list)) and len(data) == 2):
        raise TypeError(
            f"data must be a pair (x, y), a Dataset or a DataLoader; got {type(data).__name__}. "
            "For predictions without targets use predict(model, x)."
        )
    x, y = check_array(data[0], "x"), check_array(data[1], "y", shape="any", dtype="number")
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} rows but y has {len(y)}: every example needs exactly one target.")
    return [(x, y)]


def evaluate(model: nn.Module, data: Any, metrics: Sequence[str | Metric], kind: str | None = None) -> dict[str, float]:
    """Score ``model`` on ``data`` (a pair ``(x, y)``, a ``Dataset`` or a ``DataLoader``) with ``metrics``.

    ``metrics`` is a list of names ("mse", "mae", "accuracy") or functions ``(pred, y) -> tensor``;
    the result maps each name to its value. The model runs as in :func:`predict`. For "accuracy",
    ``kind`` says what the model outputs ("logits" or "probabilities"); by default a model ending
    in ``nn.Sigmoid`` or ``nn.Softmax`` gives probabilities and any other logits.

    >>> from nnbook.models import mlp
    >>> x = torch.rand(20, 2)
    >>> list(evaluate(mlp([2, 8, 1]), (x, (x[:, :1] > 0.5).float()), ["accuracy"]))
    ['accuracy']
    """
    model = check_model(model)
    if isinstance(model, StackedModels):
        raise TypeError(
            "evaluate scores one model, but this is the stack of seeds from fit_seeds. Score every seed with "
            "run.evaluate(metric, x, y), or one seed with evaluate(run.model(i), data, metrics)."
        )
    kind = KIND(kind, "kind") if kind is not None else output_kind(model) or "logits"
    named = get_metrics(check_list(metrics, "metrics", "'mse'") if isinstance(metrics, str) else metrics)
    if not named:
        raise ValueError("metrics is empty: name at least one, for example metrics=['mse'] or ['accuracy'].")
    named = [(name, functools.partial(accuracy, kind=kind) if fn is accuracy else fn) for name, fn in named]
    pairs = _pairs(data)
    pred = torch.cat([run_model(model, x) for x, _ in pairs])
    y = torch.cat([t for _, t in pairs])
    return {name: float(fn(pred, y)) for name, fn in named}
