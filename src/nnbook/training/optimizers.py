"""Choosing an optimizer and a learning-rate schedule by name, or bringing your own.

>>> import torch
>>> params = [torch.nn.Parameter(torch.zeros(3))]
>>> type(make_optimizer("adam", params, lr=0.01)).__name__
'Adam'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch
from torch.optim.lr_scheduler import LRScheduler, ReduceLROnPlateau

from nnbook._options import Number, Whole

OPTIMIZERS = ("sgd", "adam", "adamw")
#: The schedules by name, each with the fewest optimizer steps it needs in one fit (0: it plans no steps).
SCHEDULES = {"constant": 0, "one_cycle": 8, "cosine": 1}

TOTAL_STEPS = Whole(hint="It counts the optimizer steps the schedule plans over.")
LR = Number(0, open_low=True, hint="Typical values lie between 1e-4 and 1; try lr=0.01, or let lr_find suggest one.")
WEIGHT_DECAY = Number(0, hint="Typical values: 0, 1e-4, 0.1.")
MOMENTUM = Number(0, 1, open_high=True, hint="Typical value: 0.9.")

OptimizerSpec = str | torch.optim.Optimizer | Callable[[Iterable[torch.Tensor]], torch.optim.Optimizer]
ScheduleSpec = str | LRScheduler | ReduceLROnPlateau | Callable[[torch.optim.Optimizer], object]


def check_optimizer_options(
    spec: OptimizerSpec, lr: object, weight_decay: object = 0.0, momentum: object = 0.0
) -> float | None:
    """Check the options that go with ``spec`` and return the learning rate (None for a ready optimizer).

    With a named optimizer ``lr`` is required. An optimizer object (or a function that builds one)
    carries its own learning rate, weight decay and momentum, so passing them again is refused
    rather than silently ignored. ``momentum`` belongs to SGD: Adam and AdamW have their own
    (``betas``), so a momentum for them is refused.

    >>> check_optimizer_options("sgd", 0.1, momentum=0.9)
    0.1
    """
    if isinstance(spec, str):
        name = spec.lower()
        if name not in OPTIMIZERS:
            raise ValueError(
                f"unknown optimizer {spec!r}. Choose one of {list(OPTIMIZERS)}, or pass a torch.optim optimizer object."
            )
        if lr is None:
            raise TypeError(
                f"optimizer={spec!r} needs a learning rate: pass lr=, for example lr=0.01 (lr_find suggests one)."
            )
        lr = LR(lr, "lr")
        WEIGHT_DECAY(weight_decay, "weight_decay")
        momentum = MOMENTUM(momentum, "momentum")
        if momentum and name != "sgd":
            raise ValueError(
                f"momentum={momentum:g} applies to optimizer='sgd' only: {spec!r} keeps its own running averages of "
                "the gradients (its betas) and ignores it. Use optimizer='sgd', momentum=0.9, or drop momentum."
            )
        return lr
    if not (isinstance(spec, torch.optim.Optimizer) or callable(spec)):
        raise TypeError(
            f"optimizer must be one of {list(OPTIMIZERS)}, a torch.optim optimizer object, or a function params -> "
            f"optimizer; got {type(spec).__name__}."
        )
    given = [f"{k}={v!r}" for k, v in (("lr", lr), ("weight_decay", weight_decay), ("momentum", momentum)) if v]
    if (lr is not None or given) and isinstance(spec, type):
        raise TypeError(
            f"optimizer is the class {spec.__name__}, not a name or a built optimizer, and {', '.join(given)} cannot "
            f"reach it. Use a name with lr=, such as optimizer='sgd', or a function that sets them: "
            f"optimizer=lambda params: torch.optim.{spec.__name__}(params, lr=0.01)."
        )
    if lr is not None or given:
        raise TypeError(
            f"optimizer is a ready optimizer, which carries its own settings, but {', '.join(given)} was given too. "
            "Set them when you build it, e.g. torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9), "
            "and leave them out of fit."
        )
    return None


def make_optimizer(
    spec: OptimizerSpec,
    params: Iterable[torch.Tensor],
    lr: float | None = None,
    weight_decay: float = 0.0,
    momentum: float = 0.0,
) -> torch.optim.Optimizer:
    """Build the optimizer named ``spec`` ("sgd", "adam" or "adamw"), or accept a ready one.

    ``spec`` may also be an optimizer object or a function ``params -> optimizer``; then it keeps
    its own settings (see :func:`check_optimizer_options`). Adam and AdamW use PyTorch's fused
    implementation, the fastest on a CPU for small models.

    >>> opt = make_optimizer("sgd", [torch.nn.Parameter(torch.zeros(1))], lr=0.1, momentum=0.9)
    >>> opt.param_groups[0]["momentum"]
    0.9
    """
    return build_optimizer(
        spec, params, check_optimizer_options(spec, lr, weight_decay, momentum), weight_decay, momentum
    )


def build_optimizer(
    spec: OptimizerSpec, params: Iterable[torch.Tensor], lr: float | None, weight_decay: float, momentum: float
) -> torch.optim.Optimizer:
    """:func:`make_optimizer` for options already checked (``Learner`` checks them once, up front)."""
    if isinstance(params, torch.nn.Module):
        raise TypeError(
            f"params must be the model's parameters, got the model itself ({type(params).__name__}). "
            "Pass model.parameters()."
        )
    params = list(params)
    if not params and not isinstance(spec, torch.optim.Optimizer):
        raise ValueError(
            "there are no parameters to train: the model has no nn.Parameter. Build it from torch.nn layers such as "
            "nn.Linear, or wrap your own weight tensors in nn.Parameter(...) inside an nn.Module."
        )
    if isinstance(spec, torch.optim.Optimizer):
        own = {id(p) for group in spec.param_groups for p in group["params"]}
        if params and not any(id(p) in own for p in params):
            raise ValueError(
                "the optimizer was built for other parameters than this model's, so training would change nothing. "
                "Build it from the model you train: torch.optim.SGD(model.parameters(), lr=0.1). fit_seeds builds its "
                "models itself: give it a name with lr=, or a function: optimizer=lambda params: torch.optim.SGD(params, "
                "lr=0.1)."
            )
        return spec
    if not isinstance(spec, str):
        optimizer = spec(params)
        if not isinstance(optimizer, torch.optim.Optimizer):
            raise TypeError(f"the optimizer function returned {type(optimizer).__name__}, not a torch.optim optimizer.")
        return optimizer
    name = spec.lower()
    fused = all(p.is_floating_point() and p.device.type in ("cpu", "cuda") for p in params) or None
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=float(momentum), weight_decay=float(weight_decay))
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=float(weight_decay), fused=fused)
    return torch.optim.AdamW(params, lr=lr, weight_decay=float(weight_decay), fused=fused)


def check_schedule(spec: object) -> None:
    """Refuse a schedule that is neither a name of :data:`SCHEDULES`, a scheduler object, nor a function.

    >>> check_schedule("cosine")
    """
    if isinstance(spec, str):
        if spec not in SCHEDULES:
            raise ValueError(
                f"unknown schedule {spec!r}. Choose one of {list(SCHEDULES)}, pass a torch.optim.lr_scheduler "
                "object, or a function optimizer -> scheduler."
            )
    elif isinstance(spec, type):
        raise TypeError(
            f"schedule is the class {spec.__name__}, not a scheduler: it needs the optimizer and its settings. Pass a "
            f"function that builds it: schedule=lambda opt: torch.optim.lr_scheduler.{spec.__name__}(opt, …)."
        )
    elif not (isinstance(spec, (LRScheduler, ReduceLROnPlateau)) or callable(spec)):
        raise TypeError(
            f"schedule must be one of {list(SCHEDULES)}, a torch.optim.lr_scheduler object or a function "
            f"optimizer -> scheduler; got {type(spec).__name__}."
        )


def check_total_steps(spec: object, total_steps: object) -> int:
    """The number of optimizer steps a named schedule plans over, refusing a total too small for it.

    >>> check_total_steps("cosine", 0)
    Traceback (most recent call last):
    ValueError: schedule='cosine' plans the learning rate over all optimizer steps of the fit and needs at least 1, but it got total_steps=0. Train for more epochs or with smaller batches, or use schedule='constant'.
    """
    need = SCHEDULES.get(spec, 0) if isinstance(spec, str) else 0
    total_steps = TOTAL_STEPS(total_steps, "total_steps")
    if need and total_steps < need:
        raise ValueError(
            f"schedule={spec!r} plans the learning rate over all optimizer steps of the fit and needs at least {need}, "
            f"but it got total_steps={total_steps}. Train for more epochs or with smaller batches, or use "
            "schedule='constant'."
        )
    return total_steps


def make_schedule(
    spec: ScheduleSpec, optimizer: torch.optim.Optimizer, lr: float | None, total_steps: int
) -> LRScheduler | ReduceLROnPlateau | None:
    """Return the scheduler for ``spec``, stepped after every batch by ``fit`` (``ReduceLROnPlateau``: every epoch).

    - "constant": None, the learning rate stays ``lr``.
    - "one_cycle": ``OneCycleLR``: warms the rate up to ``lr`` over the first 25 % of the steps, then
      anneals it to almost zero: big steps while far from a minimum, small ones to settle into it.
    - "cosine": ``CosineAnnealingLR``: from ``lr`` down to 0 along half a cosine, over all steps.
    - a ``torch.optim.lr_scheduler`` object built on the same optimizer, or a function
      ``optimizer -> scheduler`` (use this when ``fit`` builds the optimizer from a name).

    ``total_steps`` is the number of optimizer steps of the whole fit (the named schedules plan over it).
    ``lr`` follows the rule of :func:`make_optimizer` (None: the optimizer's own rate).

    >>> opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    >>> type(make_schedule("cosine", opt, lr=0.1, total_steps=100)).__name__
    'CosineAnnealingLR'
    >>> make_schedule("cosine", opt, lr=-1, total_steps=100)
    Traceback (most recent call last):
    ValueError: lr must be a finite number > 0, got -1. Typical values lie between 1e-4 and 1; try lr=0.01, or let lr_find suggest one.
    """
    check_schedule(spec)
    total_steps = check_total_steps(spec, total_steps)
    lr = None if lr is None else LR(lr, "lr")
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(
            f"optimizer must be a built torch.optim optimizer, got {type(optimizer).__name__}. Build it first, "
            "for example make_optimizer('adam', model.parameters(), lr=0.01)."
        )
    return build_schedule(spec, optimizer, lr, total_steps)


def build_schedule(
    spec: ScheduleSpec, optimizer: torch.optim.Optimizer, lr: float | None, total_steps: int
) -> LRScheduler | ReduceLROnPlateau | None:
    """:func:`make_schedule` for a schedule and total already checked (``Learner`` checks them once)."""
    if isinstance(spec, str):
        lr = optimizer.param_groups[0].get("initial_lr", optimizer.param_groups[0]["lr"]) if lr is None else lr
        for group in optimizer.param_groups:  # a fit after a scheduled one starts again from lr
            group["lr"] = lr
            group.pop("initial_lr", None)
    if spec == "constant":
        return None
    if spec == "one_cycle":
        return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=total_steps, pct_start=0.25)
    if spec == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_steps)
    if isinstance(spec, (LRScheduler, ReduceLROnPlateau)):
        scheduler = spec
    else:
        scheduler = spec(optimizer)  # type: ignore[operator]
        if not isinstance(scheduler, (LRScheduler, ReduceLROnPlateau)):
            raise TypeError(f"the schedule function returned {type(scheduler).__name__}, not a scheduler.")
    if scheduler.optimizer is not optimizer:
        raise ValueError(
            "the scheduler was built on another optimizer than the one fit trains with. Build the optimizer "
            "first and pass both (optimizer=opt, schedule=StepLR(opt, …)), or pass a function: "
            "schedule=lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=100)."
        )
    return scheduler
