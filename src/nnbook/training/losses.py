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
from typing import Any

import torch
from torch.nn import functional as F

from nnbook._arrays import check_finite, is_integer_dtype

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
    if callable(spec) and not isinstance(spec, type):
        return
    if isinstance(spec, type):
        raise TypeError(
            f"loss is the class {spec.__name__}, not a loss: use a name such as loss='mse', or an object, "
            f"loss={spec.__name__}()."
        )
    if spec not in LOSSES:
        raise ValueError(
            f"unknown loss {spec!r}. Choose one of {sorted(LOSSES)}, or pass a function (pred, y) -> tensor "
            "that returns one number."
        )


def loss_function(spec: str | LossFn) -> LossFn:
    """The loss named ``spec`` (already checked), or ``spec`` itself if it is a function."""
    return spec if callable(spec) else LOSSES[spec]  # type: ignore[return-value]


def make_loss(spec: str | LossFn) -> LossFn:
    """The loss function ``(pred, y) -> 0-d tensor`` named ``spec``, or ``spec`` itself if it is a function.

    "bce" and "cross_entropy" expect logits (raw scores), not probabilities.

    >>> float(make_loss("mse")(torch.tensor([1.0]), torch.tensor([3.0])))
    4.0
    """
    check_loss_name(spec)
    return loss_function(spec)


def check_targets(y: torch.Tensor, loss: Any, name: str, *, all_labels: bool = False) -> torch.Tensor:
    """Check targets for ``loss``: class indices for cross-entropy, 0/1 for BCE, finite floats otherwise.

    Returns the targets as the loss takes them (float32, or 1-D long labels for cross-entropy).
    ``all_labels``: ``y`` holds every example (not one batch), so labels that do not start at 0 are refused.

    >>> check_targets(torch.tensor([[0.0], [1.0]]), "bce", "train").dtype
    torch.float32
    """
    if loss == "cross_entropy":
        if y.dim() == 2 and y.shape[1] != 1:
            one_hot = y.is_floating_point() and bool(((y == 0) | (y == 1)).all()) and bool((y.sum(dim=1) == 1).all())
            what = "one-hot rows" if one_hot else f"shape {tuple(y.shape)}"
            raise ValueError(
                f"the {name} targets are {what}, but cross-entropy needs one class index per row, shape (n,) or (n, 1) "
                "of torch.long. Turn them into class indices with y.argmax(dim=1)."
            )
        if not is_integer_dtype(y):
            whole = y.is_floating_point() and bool(torch.isfinite(y).all() and (y == y.round()).all())
            fix = "Convert them with y.long() (they are whole numbers)." if whole else "Use the class numbers 0, 1, 2 …"
            raise TypeError(
                f"the {name} targets have dtype {y.dtype}, but cross-entropy needs class indices (torch.long). {fix}"
            )
        check_label_range(int(y.min()), int(y.max()), None, name, all_labels=all_labels)
        return y.reshape(-1).long()
    if isinstance(loss, str) and not y.is_floating_point():
        hint = " (labels 0/1 for 'bce' must be 0.0/1.0)" if loss == "bce" else ""
        raise TypeError(
            f"the {name} targets have dtype {y.dtype}, but the {loss!r} loss needs float targets{hint}. "
            "Convert them with y.float()."
        )
    if y.is_floating_point():
        check_finite(y, f"{name} targets")
    if loss == "bce":
        values = torch.unique(y)
        if not bool(((values == 0) | (values == 1)).all()):
            shown = [round(v, 4) for v in values[:6].tolist()]
            raise ValueError(
                f"the {name} targets hold the values {shown}{' …' if len(values) > 6 else ''}, but 'bce' "
                "(binary cross-entropy) needs labels 0.0 and 1.0. With more than two classes use "
                "loss='cross_entropy' with one output per class and labels 0 … classes − 1 (torch.long)."
            )
    return y.float() if y.is_floating_point() and y.dtype != torch.float32 else y


def check_label_range(low: int, high: int, classes: int | None, name: str, *, all_labels: bool = False) -> None:
    """Refuse cross-entropy labels from ``low`` to ``high`` outside 0 … ``classes`` − 1 (None: any number of classes).

    ``all_labels``: the labels are every example's, so ones that do not start at 0 are refused too.
    The tensor path checks all labels with it once; a Dataset's labels are checked batch by batch.

    >>> check_label_range(0, 7, 2, "train")
    Traceback (most recent call last):
    ValueError: the train labels run from 0 to 7, but the model gives 2 output(s) per row. Cross-entropy needs one output per class and labels 0 … classes − 1 (here 0 … 1): make the last width of the layout 8, or fix the labels that are out of range.
    """
    if low < 0 or (all_labels and low > 0):
        raise ValueError(
            f"the {name} labels run from {low} to {high}, but class indices start at 0 "
            "(0 … classes − 1). Renumber them from 0, for example y = torch.unique(y, return_inverse=True)[1]."
        )
    if classes is not None and (classes < 2 or high >= classes):
        here = f" (here 0 … {classes - 1})" if classes >= 2 else ""
        raise ValueError(
            f"the {name} labels run from {low} to {high}, but the model gives {classes} output(s) per row. "
            f"Cross-entropy needs one output per class and labels 0 … classes − 1{here}: "
            f"make the last width of the layout {max(high + 1, 2)}, or fix the labels that are out of range."
        )


def check_loss_value(value: object, loss_name: str) -> None:
    """A loss function must return one number (a 0-d tensor), else ``backward()`` cannot start from it.

    >>> check_loss_value(torch.tensor(0.5), "my_loss")
    """
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"the loss function {loss_name} returned {type(value).__name__}; it must return a tensor.")
    if value.dim() != 0:
        raise ValueError(
            f"the loss function {loss_name} returned a tensor of shape {tuple(value.shape)}, but training needs one "
            "number per batch. Reduce it inside the function, for example return ((pred - y) ** 2).mean()."
        )


def per_model_loss(spec: str | LossFn) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    """The loss of every model of a stack: ``(pred of shape (N, n, …), y) -> (N,)``.

    A function of one's own is applied to each model's prediction in turn.

    >>> per_model_loss("cross_entropy")(torch.zeros(3, 4, 2), torch.tensor([0, 1, 1, 0])).shape
    torch.Size([3])
    """
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
