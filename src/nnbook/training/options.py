"""The training options, declared once: ``fit``, ``fit_seeds``, ``lr_find`` and ``Learner`` all take them.

:class:`TrainOptions` lists every option with its default. :func:`takes_training_options` gives a
function that takes ``**options`` the full signature (so its help and the reference list every
option), refuses unknown names with the closest match, and fills in the defaults.

>>> import inspect
>>> @takes_training_options()
... def train(model, *, epochs, **options):
...     return options["lr"], options["loss"]
>>> train(None, epochs=1, lr=0.1)
(0.1, 'mse')
>>> "weight_decay" in inspect.signature(train).parameters
True
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import MISSING, dataclass, fields
from typing import Any

import torch

from nnbook._options import check_options


@dataclass(frozen=True)
class TrainOptions:
    """Every option of the training loop, with its default (see :func:`~nnbook.training.fit` for each meaning).

    >>> TrainOptions().optimizer
    'adam'
    """

    lr: float | None = None
    loss: Any = "mse"
    optimizer: Any = "adam"
    schedule: Any = "constant"
    weight_decay: float = 0.0
    momentum: float = 0.0
    batch_size: int | None = None
    metrics: Sequence[Any] = ()
    callbacks: Sequence[Any] = ()
    progress: bool = True
    device: str | torch.device | None = None
    seed: int = 0


def option_names() -> list[str]:
    """The names of the training options, in order.

    >>> option_names()[:3]
    ['lr', 'loss', 'optimizer']
    """
    return [f.name for f in fields(TrainOptions)]


def takes_training_options(*, without: Iterable[str] = (), **defaults: Any) -> Callable[[Callable], Callable]:
    """Decorate ``func(..., **options)`` so that it takes the training options by name (all but ``without``).

    ``defaults`` overrides a default (``fit_seeds`` is quiet: ``progress=False``). The function
    receives every option in ``options``, the given ones and the defaults.
    """
    without = set(without)

    def decorate(func: Callable) -> Callable:
        signature = inspect.signature(func)
        own = [p for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]
        extra = []
        for f in fields(TrainOptions):
            if f.name in without:
                continue
            default = defaults.get(f.name, f.default if f.default is not MISSING else inspect.Parameter.empty)
            extra.append(inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=f.type))
        func.__signature__ = signature.replace(parameters=own + extra)  # type: ignore[attr-defined]
        wanted = {p.name: p.default for p in extra}

        def with_defaults(*args: Any, **kwargs: Any) -> Any:
            given = {k: kwargs.pop(k) for k in list(kwargs) if k in wanted}
            return func(*args, **kwargs, **{**wanted, **given})

        with_defaults.__signature__ = func.__signature__  # type: ignore[attr-defined]
        with_defaults.__name__, with_defaults.__qualname__ = func.__name__, func.__qualname__
        with_defaults.__doc__, with_defaults.__module__ = func.__doc__, func.__module__
        with_defaults.__wrapped__ = func  # type: ignore[attr-defined]
        return check_options(with_defaults)

    return decorate
