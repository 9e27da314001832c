"""Callbacks: small objects that the training loop calls at named moments.

The loop calls, in order, ``before_fit``, then for every epoch ``before_epoch``, ``after_batch``
(once per batch) and ``after_epoch``, and finally ``after_fit``. Each method receives the
:class:`~nnbook.training.learner.Learner`, whose attributes (``model``, ``epoch``, ``loss``,
``history`` …) describe the state of training. A callback may set ``learner.stop = True``.

>>> class PrintEpoch(Callback):
...     def after_epoch(self, learner):
...         print("finished epoch", learner.epoch)
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from nnbook.training.learner import Learner

EVENTS = ("before_fit", "before_epoch", "after_batch", "after_epoch", "after_fit")


class Callback:
    """Base class: override only the events you need; the others do nothing.

    >>> Callback().after_epoch(None) is None
    True
    """

    def before_fit(self, learner: Learner) -> None:
        """Called once before the first epoch."""

    def before_epoch(self, learner: Learner) -> None:
        """Called at the start of every epoch."""

    def after_batch(self, learner: Learner) -> None:
        """Called after every optimizer step."""

    def after_epoch(self, learner: Learner) -> None:
        """Called after every epoch, once its row is in ``learner.history``."""

    def after_fit(self, learner: Learner) -> None:
        """Called once when training ends, also after an early stop."""

    def handles(self, event: str) -> bool:
        """Whether this callback overrides ``event`` (the loop skips the others, to stay fast).

        >>> Callback().handles("after_batch")
        False
        """
        return getattr(type(self), event) is not getattr(Callback, event)


class EarlyStopping(Callback):
    """Stop when the validation loss has not improved for ``patience`` epochs, and restore the best weights.

    >>> EarlyStopping(patience=20).patience
    20
    """

    def __init__(self, patience: int = 10, restore_best: bool = True) -> None:
        self.patience = patience
        self.restore_best = restore_best
        self.best_epoch = 0
        self.best_loss = float("inf")
        self._best_state: dict | None = None

    def before_fit(self, learner: Learner) -> None:
        if learner.valid is None:
            raise ValueError("EarlyStopping watches the validation loss, so fit() needs valid=(x_valid, y_valid).")

    def after_epoch(self, learner: Learner) -> None:
        loss = learner.history.rows[-1]["valid_loss"]
        if loss < self.best_loss:
            self.best_loss, self.best_epoch = loss, learner.epoch
            if self.restore_best:
                self._best_state = copy.deepcopy(learner.model.state_dict())
        elif learner.epoch - self.best_epoch >= self.patience:
            learner.stop = True

    def after_fit(self, learner: Learner) -> None:
        if self.restore_best and self._best_state is not None:
            learner.model.load_state_dict(self._best_state)
