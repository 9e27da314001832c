"""Divergence detection, a callback every ``fit`` runs: a NaN or infinite loss stops training (or, for
``fit_seeds``, that seed), a loss grown a million-fold warns, and both say which learning rate to try.
NaN or infinite values in the data itself are refused before training uses them (a ``ValueError``
naming the rows or the Dataset items), so a NaN loss here comes from training.

>>> import warnings, torch
>>> from torch import nn
>>> from nnbook.training import fit
>>> x = torch.linspace(-3, 3, 20)[:, None]
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     h = fit(nn.Linear(1, 1), (x, 3 * x), epochs=100, lr=10.0, optimizer="sgd", progress=False)
>>> h.diverged, caught[0].category.__name__
(True, 'DivergenceWarning')
"""

from __future__ import annotations

import math
import warnings

import torch

from nnbook._callbacks import Callback, TrainState

#: A finite loss this many times the first epoch's loss counts as running away (it warns).
RUNAWAY_FACTOR = 1e6


class DivergenceWarning(RuntimeWarning):
    """Training diverged: the loss became NaN or infinite (training stops), or grew a million-fold (a warning).

    The message names the learning rate and a smaller one to try.

    >>> issubclass(DivergenceWarning, RuntimeWarning)
    True
    """


def _lr(state: TrainState) -> float:
    group = state.optimizer.param_groups[0]  # one-cycle's peak rate, or the rate a schedule started from
    return group.get("max_lr", group.get("initial_lr", group["lr"]))


class DivergenceCheck(Callback):
    """Watch the loss: stop at a NaN or infinite one (per seed for ``fit_seeds``) and warn at a runaway one.

    ``fit`` adds it to every run and hands it each epoch's losses (:meth:`check`) before the row is
    recorded; it marks ``state.diverged`` and writes ``history.diverged`` and ``history.message``.
    """

    def before_fit(self, state: TrainState) -> None:
        self.first: list[float] | None = None
        self.warned = [False] * state.n_models

    def _who(self, state: TrainState, mask: list[bool]) -> str:
        seeds = getattr(state.model, "seeds", list(range(state.n_models)))
        return f" of seed(s) {[s for s, m in zip(seeds, mask, strict=True) if m]}" if state.stacked else ""

    def check(self, state: TrainState, losses: dict[str, list[float]]) -> bool:
        """Vet one epoch's loss columns (one number per model) before its row is recorded.

        Marks the models whose loss is no longer finite in ``state.diverged`` (their numbers stay out
        of the row's means) and warns; returns False when no model is left, so that training stops
        and the row is not recorded. ``fit`` calls it once per epoch, so no optimizer step waits for it.
        """
        finite = [all(math.isfinite(column[i]) for column in losses.values()) for i in range(state.n_models)]
        newly = [not f and not d for f, d in zip(finite, state.diverged.tolist(), strict=True)]
        if any(newly):
            state.diverged.logical_or_(torch.tensor(newly))
            value = next(
                column[newly.index(True)] for column in losses.values() if not math.isfinite(column[newly.index(True)])
            )
            self._stopped(state, newly, value)
        return not bool(state.diverged.all())

    def _stopped(self, state: TrainState, newly: list[bool], value: float) -> None:
        lr, everyone = _lr(state), bool(state.diverged.all())
        what = f"the loss{self._who(state, newly)} became {value}"
        history = state.history
        kept = (
            f"The history of the {len(history)} finished epochs is kept."
            if everyone
            else "Their losses read NaN from here on (see the run's diverged mask); the other seeds train on."
        )
        first = f"Training stopped at epoch {state.epoch}" if everyone else f"At epoch {state.epoch}"
        history.message = (
            f"{first}: {what} with learning rate lr={lr:g}. The steps overshoot and "
            f"grow instead of shrinking. Try a smaller learning rate, such as lr={lr / 10:g}. {kept}"
        )
        if everyone:
            history.diverged = True
        warnings.warn(history.message, DivergenceWarning, stacklevel=7)

    def after_epoch(self, state: TrainState) -> None:
        history = state.history
        per_model = history.per_model.get("train_loss")
        loss = per_model[-1].tolist() if state.stacked and per_model else [history.last["train_loss"]]
        if self.first is None:
            self.first = loss
        runaway = [
            f > 0 and v > RUNAWAY_FACTOR * f and not d and not w
            for f, v, d, w in zip(self.first, loss, state.diverged.tolist(), self.warned, strict=True)
        ]
        if any(runaway):
            self.warned = [w or r for w, r in zip(self.warned, runaway, strict=True)]
            i = runaway.index(True)
            warnings.warn(
                f"the training loss{self._who(state, runaway)} grew from {self.first[i]:.3g} in the first epoch to "
                f"{loss[i]:.3g} in epoch {state.epoch}, a factor over {RUNAWAY_FACTOR:.0e}, while staying finite: "
                f"training is diverging. The steps overshoot and grow instead of shrinking: try a smaller learning "
                f"rate, such as lr={_lr(state) / 10:g}.",
                DivergenceWarning,
                stacklevel=6,
            )
