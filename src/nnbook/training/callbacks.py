"""The package's own callbacks: gradient clipping and early stopping (the base class: ``nnbook.training.Callback``).

>>> GradientClipping(1.0).max_norm
1.0
"""

from __future__ import annotations

import copy
import math

import torch
from torch import nn  # noqa: F401 - for the examples

from nnbook._callbacks import Callback, TrainState
from nnbook._options import Choice, Flag, Number, Whole
from nnbook.training.losses import LOSSES

__all__ = ["Callback", "EarlyStopping", "GradientClipping", "TrainState"]

MODE = Choice(
    ("min", "max"), hint="'min' when lower is better (a loss, an error), 'max' when higher is (accuracy, R²)."
)


def guess_mode(monitor: str) -> str | None:
    """Whether lower ("min") or higher ("max") is better for the history column ``monitor``; None if unknown.

    Losses and errors (names ending in "loss", and the loss names such as "mse") are "min";
    accuracy-like names (containing "acc") are "max". A metric of one's own gets None.

    >>> guess_mode("valid_loss"), guess_mode("accuracy"), guess_mode("r2")
    ('min', 'max', None)
    """
    if "acc" in monitor:
        return "max"
    if monitor.endswith("loss") or monitor in LOSSES:
        return "min"
    return None


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
        self.max_norm = Number(0, open_low=True, hint="Typical values: 0.5 to 5.")(max_norm, "max_norm")

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

    ``monitor`` is a history column: "valid_loss" (the default), "train_loss", or a metric such as
    "accuracy" or "mae" (a metric function of one's own is named after the function). ``mode`` says
    which way is better: "min" (lower) or "max" (higher). Left out, it is "max" for names containing
    "acc" and "min" for losses and errors ("…loss", "mse", "mae", "bce", "cross_entropy"); for any other
    column, such as your own ``r2``, give it: ``EarlyStopping(monitor="r2", mode="max")``.
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
        self,
        monitor: str = "valid_loss",
        min_delta: float = 0.0,
        patience: int = 10,
        restore_best: bool = True,
        mode: str | None = None,
    ) -> None:
        if not isinstance(monitor, str):
            raise TypeError(f"monitor must be the name of a history column such as 'valid_loss', got {monitor!r}.")
        self.monitor = monitor
        self.min_delta = Number(0, hint="Typical values: 0 or 1e-4.")(min_delta, "min_delta")
        self.patience = Whole(1, hint="It counts epochs without improvement; try 10.")(patience, "patience")
        self.restore_best = Flag()(restore_best, "restore_best")
        self.mode = MODE(mode, "mode") if mode is not None else guess_mode(monitor)
        if self.mode is None:
            raise ValueError(
                f"EarlyStopping cannot tell whether higher or lower {monitor!r} is better: pass mode='max' (higher is "
                f"better, like accuracy or R²) or mode='min' (lower is better, like a loss), for example "
                f"EarlyStopping(monitor={monitor!r}, mode='max')."
            )
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
