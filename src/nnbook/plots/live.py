"""A live view of training: the data with the model's current curve, next to the loss curves.

In Jupyter the figure redraws after every epoch. The saved page keeps the final state. In a
script the figure is drawn once, at the end.

>>> live = LivePlot(*__import__("nnbook").data.wiggly_curve(n=100))
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import torch

from nnbook.display import in_notebook, show
from nnbook.plots.basic import plot_data, plot_losses, plot_model
from nnbook.training.callbacks import Callback

if TYPE_CHECKING:  # pragma: no cover
    from nnbook.training.learner import Learner


class LivePlot(Callback):
    """Redraw "data + current model" and "train/valid loss" every ``every`` epochs.

    >>> LivePlot(torch.rand(5, 1), torch.rand(5, 1), every=5).every
    5
    """

    def __init__(self, x: torch.Tensor, y: torch.Tensor, every: int = 1, title: str = "") -> None:
        self.x, self.y, self.every, self.title = x, y, every, title
        self._handle = None

    def before_fit(self, learner: Learner) -> None:
        self.fig, (self.ax_fit, self.ax_loss) = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
        if in_notebook():
            from IPython.display import display

            self._handle = display(self.fig, display_id=True)

    def draw(self, learner: Learner) -> None:
        """Draw the current state on the two panels."""
        self.ax_fit.clear()
        self.ax_loss.clear()
        plot_data(self.x, self.y, ax=self.ax_fit)
        learner.model.eval()
        plot_model(learner.model, self.x, ax=self.ax_fit)
        learner.model.train()
        self.ax_fit.set_title(f"{self.title} epoch {learner.epoch}".strip())
        if len(learner.history):
            plot_losses(learner.history, ax=self.ax_loss)

    def after_epoch(self, learner: Learner) -> None:
        if self._handle is not None and (learner.epoch % self.every == 0 or learner.epoch == learner.epochs):
            self.draw(learner)
            self._handle.update(self.fig)

    def after_fit(self, learner: Learner) -> None:
        self.draw(learner)
        if self._handle is not None:
            self._handle.update(self.fig)
            plt.close(self.fig)
        else:
            show(self.fig)
