"""Callbacks: small objects that the training loop calls at named moments, and the state they see.

This module holds the base class and the state; it imports nothing from the training loop, so that
drawing callbacks (a live plot, snapshots for an animation) do not load it. The package's own
callbacks are in ``nnbook.training.callbacks``.

The loop calls, in order, ``before_fit``; then for every epoch ``before_epoch``, and for every
batch ``after_backward`` (the gradients are ready, the step not yet taken: the place to clip
them) and ``after_batch`` (after the optimizer step); then ``after_epoch`` (its row is in the
history); and finally ``after_fit``, also after an early stop, an interrupt or an error.

Each hook takes one argument, the :class:`TrainState` called ``state``: the few things a callback
may read, and the two it may change (``stop``, and new history columns through
:meth:`TrainState.log`); the model's weights and gradients and the optimizer's settings may be
changed in place. A hook returns nothing: to stop, set ``state.stop = True``. A method named like
a hook that is not one (``after_epcoh``), or a hook without the ``state`` argument, is refused when
the class is defined.

>>> class PrintEpoch(Callback):
...     def after_epoch(self, state):
...         print("finished epoch", state.epoch, "train loss", round(state.history.last["train_loss"], 3))
"""

from __future__ import annotations

import difflib
import inspect
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

from nnbook._history import History

EVENTS = ("before_fit", "before_epoch", "after_backward", "after_batch", "after_epoch", "after_fit")
#: The attributes of a TrainState that a callback may set; the others are the loop's.
WRITABLE = ("stop",)


@dataclass(eq=False)
class TrainState:
    """What a callback sees of a training run: read these attributes, write only ``stop`` and :meth:`log`.

    - ``model``: the model being trained (for ``fit_seeds``, the stack of all seeds);
      ``device``: where it trains; ``optimizer``, ``scheduler`` (None for a constant rate).
    - ``epoch``: the number of the current epoch (1-based; a second ``Learner.fit`` continues the
      count); ``first_epoch`` and ``epochs``: the first and last epoch numbers of this ``fit`` call.
    - ``batch``: the batch number within the epoch (0-based); ``xb``, ``yb``: the batch;
      ``loss``: its loss (a 0-d tensor; for ``fit_seeds``, one loss per seed).
    - ``history``: the :class:`History` so far; ``train``, ``valid``: the data (tensor pairs or loaders).
    - ``n_models``: 1, or the number of seeds trained together by ``fit_seeds``; ``stacked`` is True
      there (every parameter then has a leading seed axis).
    - ``diverged``: which models' loss became NaN or infinite, a (n_models,) bool tensor.
    - ``stop``: set it to True to end training after the current batch. It is the only attribute a
      callback may set (another one raises ``AttributeError``).

    >>> state = TrainState(model=nn.Linear(1, 1))
    >>> state.epoch, state.stop
    (0, False)
    """

    model: nn.Module
    device: torch.device = field(default_factory=lambda: torch.device("cpu"))
    optimizer: torch.optim.Optimizer | None = None
    scheduler: Any = None
    history: History = field(default_factory=History)
    train: Any = None
    valid: Any = None
    epoch: int = 0
    first_epoch: int = 1
    epochs: int = 0
    batch: int = 0
    xb: torch.Tensor | None = None
    yb: torch.Tensor | None = None
    loss: torch.Tensor | None = None
    n_models: int = 1
    stacked: bool = False
    stop: bool = False
    diverged: torch.Tensor = field(default_factory=lambda: torch.zeros(1, dtype=torch.bool))
    pending: dict[str, Any] = field(default_factory=dict, repr=False)  # columns logged before the row exists
    locked: bool = field(default=False, repr=False)  # True while callbacks run: only WRITABLE may change

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in WRITABLE and getattr(self, "locked", False):
            raise AttributeError(
                f"a callback may set state.stop and add history columns with state.log(name, value), but not "
                f"state.{name}: it belongs to the training loop. To change the learning rate or momentum, change "
                "state.optimizer.param_groups; to change weights, change state.model's parameters in place."
            )
        object.__setattr__(self, name, value)

    def update(self, **values: Any) -> None:
        """Set attributes as the training loop does (callbacks may set ``stop`` only).

        >>> state = TrainState(model=nn.Linear(1, 1)); state.update(epoch=3); state.epoch
        3
        """
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def log(self, name: str, value: Any) -> None:
        """Add the column ``name`` to this epoch's row of the history (call it in any event of the epoch).

        >>> state = TrainState(model=nn.Linear(1, 1)); state.epoch = 1
        >>> state.history.append({"epoch": 1, "train_loss": 0.5})
        >>> state.log("grad_norm", 2.0); state.history.last["grad_norm"]
        2.0
        """
        if not isinstance(name, str) or not name:
            raise TypeError(f"a history column needs a name (a non-empty str), got {name!r}.")
        if isinstance(value, torch.Tensor) and value.numel() == 1:
            value = float(value)
        rows = self.history.rows
        if rows and rows[-1].get("epoch") == self.epoch:
            rows[-1][name] = value  # after_epoch: the row is already there
        else:
            self.pending[name] = value


class Callback:
    """Base class: override only the events you need; the others do nothing.

    Every method gets the :class:`TrainState`. Subclass it for your own callback, for example one
    that logs a column with ``state.log(name, value)`` or stops with ``state.stop = True``.

    >>> class StopBelow(Callback):
    ...     def after_epoch(self, state):
    ...         if state.history.last["train_loss"] < 0.01:
    ...             state.stop = True
    >>> StopBelow().handles("after_epoch")
    True
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, member in vars(cls).items():
            if name.startswith(("before_", "after_", "on_")) and name not in EVENTS and callable(member):
                close = difflib.get_close_matches(name, EVENTS, n=1)
                guess = f" Did you mean {close[0]}?" if close else ""
                raise TypeError(
                    f"{cls.__name__}.{name} is not a hook the training loop calls, so it would never run.{guess} "
                    f"The hooks are: {', '.join(EVENTS)}."
                )
            if name in EVENTS:
                params = list(inspect.signature(member).parameters)
                if len(params) != 2:
                    raise TypeError(
                        f"{cls.__name__}.{name} takes ({', '.join(params)}), but every hook takes the training state: "
                        f"def {name}(self, state): … (read state.epoch, state.model, state.history, …)."
                    )

    def before_fit(self, state: TrainState) -> None:
        """Called once before the first epoch: check inputs here and reset what a previous fit left."""

    def before_epoch(self, state: TrainState) -> None:
        """Called at the start of every epoch."""

    def after_backward(self, state: TrainState) -> None:
        """Called after ``loss.backward()``, before the optimizer step: the gradients may be changed here."""

    def after_batch(self, state: TrainState) -> None:
        """Called after every optimizer step."""

    def after_epoch(self, state: TrainState) -> None:
        """Called after every epoch, once its row is in ``state.history``."""

    def after_fit(self, state: TrainState) -> None:
        """Called once when training ends, also after an early stop, an interrupt or an error."""

    def handles(self, event: str) -> bool:
        """Whether this callback overrides ``event`` (the loop skips the others, to stay fast).

        >>> Callback().handles("after_batch")
        False
        """
        return getattr(type(self), event) is not getattr(Callback, event)
