"""Callbacks: small objects that the training loop calls at named moments, and the state they see.

The loop calls, in order, ``before_fit``; then for every epoch ``before_epoch``, and for every
batch ``after_backward`` (the gradients are ready, the step not yet taken: the place to clip
them) and ``after_batch`` (after the optimizer step); then ``after_epoch`` (its row is in the
history); and finally ``after_fit``, also after an early stop, an interrupt or an error.

Each method receives the :class:`TrainState`: the few things a callback may read, and the two
it may change (``stop``, and new history columns through :meth:`TrainState.log`).

>>> class PrintEpoch(Callback):
...     def after_epoch(self, state):
...         print("finished epoch", state.epoch, "train loss", round(state.history.last["train_loss"], 3))
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

from nnbook._checks import check_flag, check_number, check_positive_int
from nnbook.training.history import History

EVENTS = ("before_fit", "before_epoch", "after_backward", "after_batch", "after_epoch", "after_fit")


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
    - ``stop``: set it to True to end training after the current batch.

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
    pending: dict[str, Any] = field(default_factory=dict, repr=False)  # columns logged before the row exists

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


class GradientClipping(Callback):
    """Scale the gradients down so that their overall norm is at most ``max_norm`` (``clip_grad_norm_``).

    The norm before clipping is logged as the history column ``grad_norm`` (the largest of the epoch).
    For seeds trained together by ``fit_seeds`` each seed's gradients are clipped by their own norm.

    >>> from nnbook.training import fit
    >>> x = torch.rand(20, 1)
    >>> h = fit(nn.Linear(1, 1), (x, x), epochs=2, lr=0.1, callbacks=[GradientClipping(1.0)], progress=False)
    >>> h.columns[-1]
    'grad_norm'
    """

    def __init__(self, max_norm: float = 1.0) -> None:
        self.max_norm = check_number(max_norm, "max_norm", "1.0", allow_low=False)

    def before_epoch(self, state: TrainState) -> None:
        self._largest = 0.0

    def after_backward(self, state: TrainState) -> None:
        if not state.stacked:
            norm = torch.nn.utils.clip_grad_norm_(state.model.parameters(), self.max_norm)
            self._largest = max(self._largest, float(norm))
            return
        grads = [p.grad for p in state.model.parameters() if p.grad is not None]
        norms = torch.stack([g.reshape(len(g), -1).pow(2).sum(dim=1) for g in grads]).sum(dim=0).sqrt()
        scale = (self.max_norm / (norms + 1e-6)).clamp(max=1.0)
        for g in grads:
            g.mul_(scale.view(-1, *[1] * (g.dim() - 1)))
        self._largest = max(self._largest, float(norms.nan_to_num(0.0).max()))

    def after_epoch(self, state: TrainState) -> None:
        state.log("grad_norm", self._largest)


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved by more than ``min_delta`` for ``patience`` epochs.

    ``monitor`` is a history column: "valid_loss" (the default), a metric such as "accuracy"
    (larger is better for names containing "acc", smaller otherwise), or "train_loss".
    With ``restore_best`` the model gets back the weights of its best epoch when training ends.
    Everything is reset in ``before_fit``, so one object can serve several fits; the attributes
    ``best``, ``best_epoch`` and ``stopped_epoch`` (0 if it did not stop) describe the last one.

    >>> from nnbook.training import fit
    >>> x = torch.linspace(0, 1, 40)[:, None]
    >>> stopper = EarlyStopping(monitor="valid_loss", patience=3)
    >>> h = fit(nn.Linear(1, 1), (x, x), (x, 0 * x), epochs=500, lr=0.1, callbacks=[stopper], progress=False)
    >>> len(h) < 500, stopper.stopped_epoch == len(h)
    (True, True)
    """

    def __init__(
        self, monitor: str = "valid_loss", min_delta: float = 0.0, patience: int = 10, restore_best: bool = True
    ) -> None:
        if not isinstance(monitor, str):
            raise TypeError(f"monitor must be the name of a history column such as 'valid_loss', got {monitor!r}.")
        self.monitor = monitor
        self.min_delta = check_number(min_delta, "min_delta", "0 or 1e-4")
        self.patience = check_positive_int(patience, "patience", " It counts epochs without improvement; try 10.")
        self.restore_best = check_flag(restore_best, "restore_best")
        self.mode = "max" if "acc" in monitor else "min"
        self._reset()

    @property
    def best_loss(self) -> float:
        """The best value of ``monitor`` so far (the best validation loss, by default); the same as ``best``."""
        return self.best

    def _reset(self) -> None:
        self.best = math.inf if self.mode == "min" else -math.inf
        self.best_epoch = 0
        self.stopped_epoch = 0
        self._best_state: dict | None = None

    def before_fit(self, state: TrainState) -> None:
        if self.monitor.startswith("valid") and state.valid is None:
            raise ValueError(
                f"EarlyStopping watches {self.monitor!r}, the validation loss, so fit() needs valid=(x_valid, y_valid)"
                " (or a Split). To watch the training loss instead use EarlyStopping(monitor='train_loss')."
            )
        self._reset()
        self._start = state.epoch

    def _improved(self, value: float) -> bool:
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def after_epoch(self, state: TrainState) -> None:
        row = state.history.last
        if self.monitor not in row:
            raise KeyError(
                f"EarlyStopping(monitor={self.monitor!r}), but the history has the columns {list(row)}. "
                "Pick one of them, or add the metric: fit(..., metrics=['accuracy'])."
            )
        value = row[self.monitor]
        if self._improved(value):
            self.best, self.best_epoch = value, state.epoch
            if self.restore_best:
                self._best_state = copy.deepcopy(state.model.state_dict())
        elif state.epoch - max(self.best_epoch, self._start) >= self.patience:
            self.stopped_epoch = state.epoch
            state.stop = True

    def after_fit(self, state: TrainState) -> None:
        if self.restore_best and self._best_state is not None:
            state.model.load_state_dict(self._best_state)
