"""A live view of training: the data with the model's current curve, next to the loss curves.

In Jupyter the figure is redrawn in place during training (about ``redraws`` times, since drawing a
figure costs a fraction of a second), and the saved page keeps its final state. In a script, and in
a book build where nobody watches (see :func:`nnbook.display.watched`), the figure is drawn once,
at the end.

>>> from nnbook.data import wiggly_curve
>>> live = LivePlot(*wiggly_curve(n=100))
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import torch

from nnbook.display import show, watched
from nnbook.plots.basic import MODEL_COLOR, plot_data
from nnbook.training.callbacks import Callback

if TYPE_CHECKING:  # pragma: no cover
    from nnbook.training.learner import Learner


class LivePlot(Callback):
    """Show "data + current model" and "train/valid loss per epoch" side by side while training.

    The figure is redrawn every ``every`` epochs; by default every ``epochs // redraws`` epochs,
    so a long run is not slowed down by drawing. Only the curve and the loss lines change
    between redraws; the data points are drawn once.

    >>> LivePlot(torch.rand(5, 1), torch.rand(5, 1), every=5).every
    5
    """

    def __init__(
        self, x: torch.Tensor, y: torch.Tensor, every: int | None = None, title: str = "", redraws: int = 6
    ) -> None:
        self.x, self.y, self.every, self.title, self.redraws = x, y, every, title, redraws
        self.grid = torch.linspace(float(x.min()), float(x.max()), 300)[:, None]
        self._handle = None

    def before_fit(self, learner: Learner) -> None:
        self._every = self.every or max(1, learner.epochs // self.redraws)
        self.fig, (self.ax_fit, self.ax_loss) = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
        plot_data(self.x, self.y, ax=self.ax_fit)
        (self.curve,) = self.ax_fit.plot([], [], color=MODEL_COLOR, lw=2, label="model")
        (self.train_line,) = self.ax_loss.plot([], [], label="train")
        (self.valid_line,) = self.ax_loss.plot([], [], label="valid")
        self.ax_loss.set(xlabel="epoch", ylabel="loss", yscale="log", xlim=(0.5, learner.epochs + 0.5))
        self.ax_loss.legend()
        if watched():
            from IPython.display import display

            self._handle = display(self.fig, display_id=True)

    def draw(self, learner: Learner) -> None:
        """Move the curve and the loss lines to the current state of training."""
        learner.model.eval()
        with torch.no_grad():
            pred = learner.model(self.grid.to(learner.device)).cpu()
        learner.model.train()
        self.curve.set_data(self.grid[:, 0].numpy(), pred[:, 0].numpy())
        self.ax_fit.set_title(f"{self.title} epoch {learner.epoch}".strip())
        history = learner.history
        if len(history):
            self.train_line.set_data(history["epoch"], history["train_loss"])
            if "valid_loss" in history.columns:
                self.valid_line.set_data(history["epoch"], history["valid_loss"])
            self.ax_loss.relim()
            self.ax_loss.autoscale_view(scalex=False)

    def after_epoch(self, learner: Learner) -> None:
        if self._handle is not None and learner.epoch % self._every == 0 and learner.epoch < learner.epochs:
            self.draw(learner)
            self._handle.update(self.fig)

    def after_fit(self, learner: Learner) -> None:
        self.draw(learner)
        if self._handle is not None:
            self._handle.update(self.fig)
            plt.close(self.fig)
        else:
            show(self.fig)
