"""The losses by name, each defined once (PyTorch's functional form) and used two ways.

``fit`` averages a loss over the whole batch; ``fit_seeds`` needs one average per seed of a stack
of predictions of shape (seeds, n, outputs). Both come from the same function in :data:`LOSSES`.

>>> import torch
>>> pred, y = torch.tensor([[[1.0]], [[3.0]]]), torch.tensor([[2.0]])  # two seeds, one row
>>> per_model_loss("mse")(pred, y).tolist()
[1.0, 1.0]
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch.nn import functional as F

LossFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def mse_loss(pred: torch.Tensor, y: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
    """The squared error ``(pred − y)²``, averaged (``reduction="mean"``) or per number (``"none"``).

    The one definition of the mean squared error in nnbook: the loss "mse", the metric
    :func:`~nnbook.training.mse` and the per-seed losses of ``fit_seeds`` all use it.

    >>> float(mse_loss(torch.tensor([1.0, 3.0]), torch.tensor([2.0, 2.0])))
    1.0
    """
    squared = (pred - y) ** 2
    return squared.mean() if reduction == "mean" else squared


#: Each loss by name: mean squared error, mean absolute error, binary cross-entropy on logits
#: (the sigmoid is inside, in a form that cannot overflow) and cross-entropy on logits with
#: class-index labels. Each takes ``(pred, y, reduction=...)`` like ``torch.nn.functional``.
LOSSES: dict[str, Callable[..., torch.Tensor]] = {
    "mse": mse_loss,
    "mae": F.l1_loss,
    "bce": F.binary_cross_entropy_with_logits,
    "cross_entropy": F.cross_entropy,
}


def check_loss_name(spec: object) -> None:
    """Refuse anything that is neither a loss name of :data:`LOSSES` nor a function.

    >>> check_loss_name("mse")
    """
    if callable(spec):
        return
    if spec not in LOSSES:
        raise ValueError(
            f"unknown loss {spec!r}. Choose one of {sorted(LOSSES)}, or pass a function (pred, y) -> tensor "
            "that returns one number."
        )


def make_loss(spec: str | LossFn) -> LossFn:
    """The loss function ``(pred, y) -> 0-d tensor`` named ``spec``, or ``spec`` itself if it is a function.

    "bce" and "cross_entropy" expect logits (raw scores), not probabilities.

    >>> float(make_loss("mse")(torch.tensor([1.0]), torch.tensor([3.0])))
    4.0
    """
    check_loss_name(spec)
    return spec if callable(spec) else LOSSES[spec]  # type: ignore[return-value]


def per_model_loss(spec: str | LossFn) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    """The loss of every model of a stack: ``(pred of shape (N, n, …), y) -> (N,)``.

    A function of one's own is applied to each model's prediction in turn.

    >>> per_model_loss("cross_entropy")(torch.zeros(3, 4, 2), torch.tensor([0, 1, 1, 0])).shape
    torch.Size([3])
    """
    check_loss_name(spec)
    if callable(spec):
        return lambda pred, y: torch.stack([spec(p, y) for p in pred])
    fn = LOSSES[spec]
    if spec == "cross_entropy":

        def cross_entropy(pred: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
            n_models, n = pred.shape[:2]
            flat = fn(pred.reshape(n_models * n, -1), y.repeat(n_models), reduction="none")
            return flat.view(n_models, n).mean(dim=1)

        return cross_entropy
    if spec == "mse":  # broadcasting y over the seed axis, as the elementwise definition allows
        return lambda pred, y: fn(pred, y, reduction="none").mean(dim=tuple(range(1, pred.dim())))
    return lambda pred, y: fn(pred, y.expand_as(pred), reduction="none").mean(dim=tuple(range(1, pred.dim())))
