"""A live view of training: the data with the model's current curve, next to the loss curves.

In Jupyter the figure is redrawn in place during training (about ``redraws`` times, since drawing a
figure costs a fraction of a second), and the saved page keeps its final state. In a script, and in
a book build where nobody watches (see :func:`nnbook.display.watched`), the figure is drawn once,
at the end.

>>> from nnbook.data import wiggly_curve
>>> live = LivePlot(*wiggly_curve(n=100))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import torch

from nnbook._callbacks import Callback
from nnbook._options import Whole
from nnbook.display import show, watched
from nnbook.models.running import run_model
from nnbook.plots.basic import MODEL_COLOR, as_table, plot_data, slice_grid

if TYPE_CHECKING:  # pragma: no cover
    from nnbook._callbacks import TrainState

EVERY = Whole(1, hint="It is the number of epochs between redraws.", none=True)
REDRAWS = Whole(1, hint="It is about how many times the figure is redrawn while training; try redraws=6.")


class LivePlot(Callback):
    """Show "data + current model" and "train/valid loss per epoch" side by side while training.

    The figure is redrawn every ``every`` epochs; by default every ``epochs // redraws`` epochs,
    so a long run is not slowed down by drawing. Only the curve and the loss lines change
    between redraws; the data points are drawn once. For a model with several inputs the curve runs
    along input ``along``, the others held at ``at`` (default: their medians), as in
    :func:`~nnbook.plots.slice_grid`. ``before_fit`` checks that the model can be drawn this way, so a
    mistake stops training before the first epoch, not after the last.

    >>> from nnbook.training import fit
    >>> x = torch.linspace(0, 1, 20)[:, None]
    >>> live = LivePlot(x, 2 * x, title="a line,")
    >>> h = fit(torch.nn.Linear(1, 1), (x, 2 * x), epochs=3, lr=0.1, progress=False, callbacks=[live])  # doctest: +ELLIPSIS
    saved figure ...
    >>> live.ax_fit.get_title()
    'a line, epoch 3'
    """

    def __init__(
        self,
        x: torch.Tensor,
        y: torch.Tensor,
        every: int | None = None,
        title: str = "",
        redraws: int = 6,
        along: int = 0,
        at: Sequence[float] | None = None,
        output: int = 0,
    ) -> None:
        self.x, self.y = as_table(x, "x"), as_table(y, "y")
        if len(self.x) != len(self.y):
            raise ValueError(f"x has {len(self.x)} rows but y has {len(self.y)}: give one target per point.")
        self.every, self.title = EVERY(every, "every"), title
        self.redraws = REDRAWS(redraws, "redraws")
        self.along, self.output = along, output
        self.grid = slice_grid(self.x, along=along, at=at, steps=300)
        self.along = along % self.x.shape[1]
        self._handle = None

    def before_fit(self, state: TrainState) -> None:
        if state.stacked:
            raise ValueError(
                "LivePlot draws one model, but fit_seeds trains several seeds at once. Watch one seed with "
                "fit(model, ..., callbacks=[live]), or draw all seeds after training with plot_seed_curves(run, x, y)."
            )
        try:
            pred = run_model(state.model, self.grid, "x")
        except ValueError as err:
            raise ValueError(
                f"LivePlot cannot draw this model: {err} Give LivePlot the same inputs as fit (here "
                f"{self.x.shape[1]} column(s)); for several inputs choose the one drawn with along=."
            ) from None
        if pred.dim() != 2 or pred.shape[0] != len(self.grid) or not -pred.shape[1] <= self.output < pred.shape[1]:
            raise ValueError(
                f"LivePlot draws output {self.output} of the model along one input, but for {len(self.grid)} rows the "
                f"model returned shape {tuple(pred.shape)}. Pass output= within its outputs."
            )
        epochs = state.epochs
        self._every = self.every or max(1, epochs // self.redraws)
        self.fig, (self.ax_fit, self.ax_loss) = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
        plot_data(self.x, self.y, ax=self.ax_fit, along=self.along)
        (self.curve,) = self.ax_fit.plot([], [], color=MODEL_COLOR, lw=2, label="model")
        (self.train_line,) = self.ax_loss.plot([], [], label="train")
        (self.valid_line,) = self.ax_loss.plot([], [], label="valid")
        self.ax_loss.set(xlabel="epoch", ylabel="loss", yscale="log")
        if epochs:
            self.ax_loss.set_xlim(0.5, epochs + 0.5)
        self.ax_loss.legend()
        if watched():
            from IPython.display import display

            self._handle = display(self.fig, display_id=True)

    def draw(self, state: TrainState) -> None:
        """Move the curve and the loss lines to the current state of training."""
        pred = run_model(state.model, self.grid, "x")
        self.curve.set_data(self.grid[:, self.along].numpy(), pred[:, self.output].numpy())
        self.ax_fit.set_title(f"{self.title} epoch {state.epoch}".strip())
        history = state.history
        if len(history):
            self.train_line.set_data(history["epoch"], history["train_loss"])
            if "valid_loss" in history.columns:
                self.valid_line.set_data(history["epoch"], history["valid_loss"])
            self.ax_loss.relim()
            self.ax_loss.autoscale_view(scalex=False)

    def after_epoch(self, state: TrainState) -> None:
        epochs = state.epochs
        if self._handle is not None and state.epoch % self._every == 0 and state.epoch < epochs:
            self.draw(state)
            self._handle.update(self.fig)

    def after_fit(self, state: TrainState) -> None:
        self.draw(state)
        if self._handle is not None:
            self._handle.update(self.fig)
            plt.close(self.fig)
        else:
            show(self.fig)
