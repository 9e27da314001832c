"""Choosing an optimizer, a loss and a learning-rate schedule by name.

>>> import torch
>>> params = [torch.nn.Parameter(torch.zeros(3))]
>>> make_optimizer("adam", params, lr=0.01)  # doctest: +ELLIPSIS
Adam (...
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch
from torch import nn

from nnbook._checks import check_learning_rate

OPTIMIZERS = ("sgd", "adam", "adamw")
SCHEDULES = ("constant", "one_cycle")
LOSSES: dict[str, Callable[[], nn.Module]] = {
    "mse": nn.MSELoss,
    "mae": nn.L1Loss,
    "bce": nn.BCEWithLogitsLoss,
    "cross_entropy": nn.CrossEntropyLoss,
}

OptimizerSpec = str | torch.optim.Optimizer | Callable[[Iterable[torch.Tensor]], torch.optim.Optimizer]


def make_optimizer(
    spec: OptimizerSpec, params: Iterable[torch.Tensor], lr: float, weight_decay: float = 0.0, momentum: float = 0.0
) -> torch.optim.Optimizer:
    """Build the optimizer named ``spec`` ("sgd", "adam" or "adamw"), or accept a ready one.

    ``spec`` may also be a function ``params -> optimizer``. Adam and AdamW use PyTorch's fused
    implementation, the fastest on a CPU for small models.

    >>> opt = make_optimizer("sgd", [torch.nn.Parameter(torch.zeros(1))], lr=0.1, momentum=0.9)
    >>> opt.param_groups[0]["momentum"]
    0.9
    """
    if isinstance(spec, torch.optim.Optimizer):
        return spec
    params = list(params)
    if callable(spec):
        return spec(params)
    check_learning_rate(lr)
    if not isinstance(weight_decay, (int, float)) or weight_decay < 0:
        raise ValueError(f"weight_decay must be a number ≥ 0, got {weight_decay!r}. Typical values: 0, 1e-4, 0.1.")
    name = spec.lower() if isinstance(spec, str) else spec
    fused = all(p.is_floating_point() and p.device.type in ("cpu", "cuda") for p in params) or None
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=momentum, weight_decay=weight_decay)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay, fused=fused)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay, fused=fused)
    raise ValueError(
        f"unknown optimizer {spec!r}. Choose one of {list(OPTIMIZERS)}, or pass a torch.optim optimizer object."
    )


def make_schedule(
    spec: str, optimizer: torch.optim.Optimizer, lr: float, total_steps: int
) -> torch.optim.lr_scheduler.LRScheduler | None:
    """Return the scheduler for ``spec``: None for "constant", ``OneCycleLR`` for "one_cycle".

    One-cycle warms the learning rate up to ``lr`` over the first 25 % of the steps, then anneals
    it to almost zero: big steps while far from a minimum, small ones to settle into it.

    >>> opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    >>> type(make_schedule("one_cycle", opt, lr=0.1, total_steps=100)).__name__
    'OneCycleLR'
    """
    if spec == "constant":
        return None
    if spec == "one_cycle":
        return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=total_steps, pct_start=0.25)
    raise ValueError(f"unknown schedule {spec!r}. Choose one of {list(SCHEDULES)}.")


def make_loss(
    spec: str | Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    """Return the loss function named ``spec`` ("mse", "mae", "bce", "cross_entropy"), or ``spec`` itself.

    "bce" expects logits (raw scores), not probabilities: ``BCEWithLogitsLoss`` applies the
    sigmoid inside, in a form that cannot overflow.

    >>> float(make_loss("mse")(torch.tensor([1.0]), torch.tensor([3.0])))
    4.0
    """
    if callable(spec):
        return spec
    if spec not in LOSSES:
        raise ValueError(
            f"unknown loss {spec!r}. Choose one of {sorted(LOSSES)}, or pass a function (pred, y) -> tensor."
        )
    return LOSSES[spec]()
