"""After training: predictions on new data, and scores on a data set.

``predict`` switches the model to evaluation mode itself, runs it without gradients on the
model's device, returns a CPU tensor and restores the mode the model was in.

>>> import torch
>>> from nnbook.models import mlp
>>> model = mlp([3, 8, 1])
>>> predict(model, torch.rand(5, 3)).shape
torch.Size([5, 1])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

from nnbook._checks import as_float_tensor, as_tensor, check_batch, check_list, check_model, first_linear, model_device
from nnbook.data.split import Split
from nnbook.training.metrics import Metric, get_metrics, predicted_classes
from nnbook.training.stacked import StackedModels

OUTPUTS = ("values", "probabilities", "labels")


def _forward(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    first = first_linear(getattr(model, "probe", model))  # a stack of seeds checks its first seed
    if x.dim() == 1:
        raise ValueError(
            f"x is 1-D with shape {tuple(x.shape)}, but a table of shape (n, features) is needed: one row per "
            "example. Add the feature axis with x[:, None] (one input) or x[None, :] (one example)."
        )
    if first is not None and x.dim() == 2 and x.shape[1] != first.in_features:
        raise ValueError(
            f"x has {x.shape[1]} column(s) per row, shape {tuple(x.shape)}, but the model's first layer expects "
            f"{first.in_features}. Give x the same columns, in the same order, as the data it was trained on."
        )
    try:
        return model(x)
    except RuntimeError as err:
        raise ValueError(f"the model cannot take x of shape {tuple(x.shape)}. (PyTorch said: {err})") from None


def _is_pair(x: Any) -> bool:
    return isinstance(x, (tuple, list)) and len(x) == 2 and all(isinstance(t, torch.Tensor) for t in x)


def predict(model: nn.Module, x: Any, output: str = "values") -> torch.Tensor:
    """``model``'s output for ``x`` (a tensor, NumPy array or list of rows), as a CPU tensor.

    ``output`` chooses what comes back:

    - ``"values"``: the model's outputs as they are (regression values, or a classifier's logits);
    - ``"probabilities"``: for a classifier, the sigmoid of one logit (the probability of class 1)
      or the softmax over one logit per class;
    - ``"labels"``: the predicted class of every row, a 1-D long tensor (logit above 0, or the
      largest logit).

    The model runs in evaluation mode (dropout off), without gradients, on its own device; its
    previous mode is restored afterwards. For a stack of seeds the result has a leading seed axis.

    >>> from nnbook.models import mlp
    >>> classifier = mlp([2, 8, 3])
    >>> predict(classifier, torch.rand(4, 2), output="labels").shape
    torch.Size([4])
    """
    model = check_model(model)
    if output not in OUTPUTS:
        raise ValueError(f"output must be one of {list(OUTPUTS)}, got {output!r}.")
    if isinstance(x, (Dataset, DataLoader, Split)) or _is_pair(x):
        raise TypeError(
            f"predict takes the inputs x alone (a tensor, NumPy array or list of rows), got {type(x).__name__}. "
            "Pass x, not the pair (x, y): predict(model, x_valid); to score a Dataset or DataLoader against its "
            "targets use evaluate(model, data, ['mse'])."
        )
    x = as_float_tensor(x, "x")
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            out = _forward(model, x.to(model_device(model))).cpu()
    finally:
        model.train(was_training)
    if output == "values":
        return out
    if output == "probabilities":
        return torch.sigmoid(out) if out.shape[-1] == 1 else torch.softmax(out, dim=-1)
    if out.dim() == 3:  # a stack of seeds
        return torch.stack([predicted_classes(o) for o in out])
    return predicted_classes(out)


def _pairs(data: Any) -> list[tuple[torch.Tensor, torch.Tensor]]:
    if isinstance(data, Split):
        raise TypeError("data is a Split: evaluate one part of it, data=split.valid or data=split.train.")
    if isinstance(data, (Dataset, DataLoader)):
        loader = data if isinstance(data, DataLoader) else DataLoader(data, batch_size=1024)
        out = []
        for batch in loader:
            x, y = check_batch(batch, "data")
            out.append((as_float_tensor(x, "x"), as_tensor(y, "y")))
        return out
    if not (isinstance(data, (tuple, list)) and len(data) == 2):
        raise TypeError(
            f"data must be a pair (x, y), a Dataset or a DataLoader; got {type(data).__name__}. "
            "For predictions without targets use predict(model, x)."
        )
    x, y = as_float_tensor(data[0], "x"), as_tensor(data[1], "y")
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} rows but y has {len(y)}: every example needs exactly one target.")
    return [(x, y)]


def evaluate(model: nn.Module, data: Any, metrics: Sequence[str | Metric]) -> dict[str, float]:
    """Score ``model`` on ``data`` (a pair ``(x, y)``, a ``Dataset`` or a ``DataLoader``) with ``metrics``.

    ``metrics`` is a list of names ("mse", "mae", "accuracy", and the losses "bce", "cross_entropy") or functions ``(pred, y) -> tensor``;
    the result maps each name to its value. The model runs as in :func:`predict`.

    >>> from nnbook.models import mlp
    >>> x = torch.rand(20, 3)
    >>> sorted(evaluate(mlp([3, 8, 1]), (x, x.sum(dim=1, keepdim=True)), ["mse", "mae"]))
    ['mae', 'mse']
    """
    model = check_model(model)
    if isinstance(model, StackedModels):
        raise TypeError(
            "evaluate scores one model, but this is the stack of seeds from fit_seeds. Score every seed with "
            "run.evaluate(metric, x, y), or one seed with evaluate(run.model(i), data, metrics)."
        )
    named = get_metrics(check_list(metrics, "metrics", "'mse'") if isinstance(metrics, str) else metrics)
    if not named:
        raise ValueError("metrics is empty: name at least one, for example metrics=['mse'] or ['accuracy'].")
    pairs = _pairs(data)
    pred = torch.cat([predict(model, x) for x, _ in pairs])
    y = torch.cat([t for _, t in pairs])
    return {name: float(fn(pred, y)) for name, fn in named}
