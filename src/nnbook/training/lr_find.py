"""The learning-rate range test (Smith 2015; fastai's ``lr_find``): which learning rates make progress?

Train a copy of the model for a few hundred steps while the learning rate grows exponentially
from tiny to huge, and record the loss at every step. Too small a rate barely moves the loss;
a good one makes it fall fast; too large a one makes it shoot up. The suggested rate is a tenth
of the rate with the lowest (smoothed) loss: safely on the falling side of the curve. The first tenth
of the steps is left out of that search: there the running mean still rests on one or two batches,
and a lucky first batch would otherwise "win" at the smallest rate.

>>> import torch
>>> from nnbook.models import mlp
>>> x = torch.linspace(-1, 1, 200)[:, None]
>>> finder = lr_find(mlp([1, 20, 1]), (x, x ** 2), steps=50)
>>> 1e-7 < finder.suggestion < 10
True
"""

from __future__ import annotations

import copy
import math
import warnings
from dataclasses import dataclass
from typing import Any

from torch import nn
from torch.optim.lr_scheduler import LambdaLR

from nnbook._callbacks import Callback, TrainState
from nnbook._options import Number, Whole
from nnbook.models.running import check_model
from nnbook.training.divergence import DivergenceWarning
from nnbook.training.learner import Learner
from nnbook.training.optimizers import LR
from nnbook.training.options import takes_training_options

STEPS = Whole(5, hint="The test needs some steps for a curve; typically steps=100.")
STOP_FACTOR = Number(1, open_low=True, hint="Typical value: 4.")


class LRRangeWarning(UserWarning):
    """The loss of a learning-rate range test was still falling at the end of the range: the suggestion is a guess.

    >>> import warnings, torch
    >>> from nnbook.models import mlp
    >>> x = torch.linspace(0, 1, 100)[:, None]
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = lr_find(mlp([1, 8, 1]), (x, 2 * x + 1), start_lr=1e-6, end_lr=1e-3, steps=30)
    >>> any(w.category is LRRangeWarning for w in caught)
    True
    """


@dataclass
class LRFinder:
    """The result of :func:`lr_find`: the learning rates tried, the smoothed loss at each, and a suggestion.

    >>> finder = LRFinder(lrs=[1e-3, 1e-2, 1e-1], losses=[1.0, 0.5, 2.0], suggestion=1e-3)
    >>> finder.min_loss_lr
    0.01
    """

    lrs: list[float]
    losses: list[float]
    suggestion: float

    @property
    def min_loss_lr(self) -> float:
        """The learning rate at which the smoothed loss was lowest, after the first tenth of the steps."""
        return self.lrs[_lowest(self.losses)]

    def plot(self, ax: Any = None) -> Any:
        """Draw the loss against the learning rate (log scale) with the suggestion marked; returns the Axes.

        >>> import matplotlib; matplotlib.use("Agg")
        >>> ax = LRFinder([1e-3, 1e-2, 1e-1], [1.0, 0.5, 2.0], 1e-3).plot()
        >>> ax.get_xscale()
        'log'
        """
        import matplotlib.pyplot as plt
        from matplotlib.axes import Axes

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
        elif not isinstance(ax, Axes):
            raise TypeError(f"ax must be matplotlib axes (for example from plt.subplots()), got {type(ax).__name__}.")
        ax.plot(self.lrs, self.losses, color="#1f77b4")
        ax.axvline(self.suggestion, color="#d62728", ls="--", lw=1, label=f"suggested lr = {self.suggestion:.2g}")
        ax.set(
            xscale="log",
            xlabel="learning rate (log scale)",
            ylabel="training loss (smoothed)",
            title="learning-rate range test",
        )
        ax.legend()
        return ax


def _lowest(losses: list[float]) -> int:
    """Index of the lowest loss, leaving out the first tenth of the steps (running mean not settled yet)."""
    first = len(losses) // 10
    return min(range(first, len(losses)), key=losses.__getitem__)


class _RangeTest(Callback):
    def __init__(self, steps: int, stop_factor: float, beta: float = 0.98) -> None:
        self.steps, self.stop_factor, self.beta = steps, stop_factor, beta
        self.lrs: list[float] = []
        self.losses: list[float] = []
        self._avg = 0.0
        self._best = math.inf
        self.rose = False  # the loss rose past stop_factor × its lowest: the range reached the unstable side

    def after_batch(self, state: TrainState) -> None:
        loss = float(state.loss.detach())
        lr = state.history.lrs[-1]
        if not math.isfinite(loss):
            self.rose = True
            state.stop = True
            return
        self._avg = self.beta * self._avg + (1 - self.beta) * loss
        smooth = self._avg / (1 - self.beta ** (len(self.losses) + 1))  # bias-corrected running mean
        self.lrs.append(lr)
        self.losses.append(smooth)
        self._best = min(self._best, smooth)
        if len(self.lrs) > 5 and smooth > self.stop_factor * self._best:
            self.rose = True
        if len(self.lrs) >= self.steps or self.rose:
            state.stop = True


@takes_training_options(without=("lr", "schedule", "metrics", "callbacks", "progress"))
def lr_find(
    model: nn.Module,
    train: Any,
    *,
    start_lr: float = 1e-7,
    end_lr: float = 10.0,
    steps: int = 100,
    stop_factor: float = 4.0,
    **options: Any,
) -> LRFinder:
    """Run the learning-rate range test on a copy of ``model`` (the model itself is not changed).

    The learning rate grows exponentially from ``start_lr`` to ``end_lr`` over ``steps`` optimizer
    steps (batches of ``batch_size``, cycling through ``train`` as often as needed); the test stops
    early once the smoothed loss exceeds ``stop_factor`` times its lowest value, or becomes NaN.
    ``train``, ``loss``, ``optimizer`` (a name), ``batch_size``, ``weight_decay`` and ``momentum``
    mean what they mean in :func:`fit`: use the ones you will train with. The result holds the rates,
    the smoothed losses, ``suggestion`` (a tenth of the rate with the lowest loss) and ``plot()``.

    >>> import torch
    >>> from nnbook.models import mlp
    >>> x = torch.rand(100, 3)
    >>> finder = lr_find(mlp([3, 16, 1]), (x, x.sum(dim=1, keepdim=True)), steps=30)
    >>> len(finder.lrs) <= 30
    True
    """
    model = check_model(model)
    start_lr, end_lr = LR(start_lr, "start_lr"), LR(end_lr, "end_lr")
    if end_lr <= start_lr:
        raise ValueError(f"end_lr={end_lr:g} must be larger than start_lr={start_lr:g}; the defaults are 1e-7 and 10.")
    steps, stop_factor = STEPS(steps, "steps"), STOP_FACTOR(stop_factor, "stop_factor")
    if not isinstance(options["optimizer"], str):
        raise TypeError("lr_find sets the learning rate itself, so optimizer must be a name: 'sgd', 'adam' or 'adamw'.")
    trial = copy.deepcopy(model)
    ratio = end_lr / start_lr
    test = _RangeTest(steps, stop_factor)
    schedule = lambda opt: LambdaLR(opt, lambda i: ratio ** (min(i, steps - 1) / (steps - 1)))  # noqa: E731
    learner = Learner(trial, train, **options, lr=start_lr, schedule=schedule, callbacks=[test], progress=False)
    epochs = -(-steps // learner.steps_per_epoch())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)  # blowing up at the end is the point of the test
        learner.fit(epochs)
    if len(test.lrs) < 2:
        raise ValueError(
            f"the loss was NaN or infinite from the first steps, even at lr={start_lr:g}: check the data and the "
            "model (is the loss finite with a tiny learning rate?)."
        )
    lowest = _lowest(test.losses)
    edge = max(2, len(test.losses) // 20)
    if lowest >= len(test.losses) - edge and not test.rose:
        warnings.warn(
            f"the smoothed loss was still falling at the end of the range (lowest at lr={test.lrs[lowest]:.3g}, "
            f"the last rates tried up to end_lr={end_lr:g}): the range ended too early, so the suggestion is a guess. "
            f"Run lr_find again with a larger end_lr, such as end_lr={end_lr * 100:g}.",
            LRRangeWarning,
            stacklevel=2,
        )
    return LRFinder(test.lrs, test.losses, test.lrs[lowest] / 10)
