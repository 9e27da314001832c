"""Static plots. Each draws on ``ax`` (a new figure when None) and returns the axes.

>>> import torch
>>> ax = plot_data(torch.rand(10, 1), torch.rand(10, 1))
>>> ax.get_xlabel()
'x'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes

from nnbook.training.history import History

DATA_COLOR = "#9a9a9a"
MODEL_COLOR = "#d62728"


def _axes(ax: Axes | None, figsize: tuple[float, float] = (5, 3.5)) -> Axes:
    return ax if ax is not None else plt.subplots(figsize=figsize, layout="constrained")[1]


def _column(t: torch.Tensor) -> torch.Tensor:
    t = torch.as_tensor(t).detach().cpu()
    return t[:, 0] if t.dim() == 2 else t


def plot_data(x: torch.Tensor, y: torch.Tensor, ax: Axes | None = None, **style) -> Axes:
    """Scatter the first column of ``x`` against ``y``; small grey dots by default.

    >>> ax = plot_data(torch.rand(5), torch.rand(5), s=10)
    """
    ax = _axes(ax)
    x, y = _column(x), _column(y)
    style = {"s": 4 if len(x) > 500 else 14, "color": DATA_COLOR, "label": "data", **style}
    ax.scatter(x.numpy(), y.numpy(), **style)
    ax.set(xlabel="x", ylabel="y")
    return ax


def plot_model(
    model: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, ax: Axes | None = None, n: int | None = 400, **style
) -> Axes:
    """Draw ``model``'s prediction as a curve over the range of ``x`` (sorted, so it is a line, not a scribble).

    With ``n`` set (default 400) the curve uses ``n`` evenly spaced points between min(x) and max(x);
    ``n=None`` uses the sorted ``x`` itself.

    >>> ax = plot_model(torch.nn.Linear(1, 1), torch.rand(20, 1))
    """
    ax = _axes(ax)
    x = torch.as_tensor(x).detach().cpu()
    if x.dim() == 1:
        x = x[:, None]
    grid = x.sort(dim=0).values if n is None else torch.linspace(float(x.min()), float(x.max()), n)[:, None]
    with torch.no_grad():
        pred = model(grid)
    style = {"color": MODEL_COLOR, "lw": 2, "label": "model", **style}
    ax.plot(grid[:, 0].numpy(), _column(pred).numpy(), **style)
    return ax


def plot_losses(history: History, ax: Axes | None = None, log: bool = True, title: str | None = None) -> Axes:
    """Training and (when present) validation loss per epoch.

    >>> h = History(); h.append({"epoch": 1, "train_loss": 1.0, "valid_loss": 1.2})
    >>> plot_losses(h).get_ylabel()
    'loss'
    """
    ax = _axes(ax)
    ax.plot(history["epoch"], history["train_loss"], label="train")
    if "valid_loss" in history.columns:
        ax.plot(history["epoch"], history["valid_loss"], label="valid")
    ax.set(xlabel="epoch", ylabel="loss", yscale="log" if log else "linear", title=title)
    ax.legend()
    return ax


def plot_lrs(lrs: Sequence[float] | History, ax: Axes | None = None) -> Axes:
    """The learning rate at every optimizer step (for example the one-cycle schedule).

    >>> plot_lrs([0.1, 0.2, 0.1]).get_xlabel()
    'step'
    """
    ax = _axes(ax)
    lrs = lrs.lrs if isinstance(lrs, History) else lrs
    ax.plot(range(1, len(lrs) + 1), lrs)
    ax.set(xlabel="step", ylabel="learning rate")
    return ax


def predict_grid(
    model: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, steps: int = 200, margin: float = 0.5
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Evaluate a 2-D classifier on a ``steps × steps`` grid covering ``x``; returns ``(xx, yy, probability)``.

    The model outputs a logit; the probability is its sigmoid.

    >>> xx, yy, p = predict_grid(torch.nn.Linear(2, 1), torch.rand(10, 2), steps=50)
    >>> p.shape
    torch.Size([50, 50])
    """
    x = torch.as_tensor(x).detach().cpu()
    if x.dim() != 2 or x.shape[1] != 2:
        raise ValueError(f"decision regions need 2-D inputs of shape (n, 2), got shape {tuple(x.shape)}.")
    lo, hi = x.min(dim=0).values - margin, x.max(dim=0).values + margin
    xx, yy = torch.meshgrid(torch.linspace(lo[0], hi[0], steps), torch.linspace(lo[1], hi[1], steps), indexing="xy")
    with torch.no_grad():
        logits = model(torch.stack([xx.flatten(), yy.flatten()], dim=1))
    return xx, yy, torch.sigmoid(logits).view(steps, steps)


def plot_decision_regions(
    model: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, y: torch.Tensor, ax: Axes | None = None, steps: int = 200
) -> Axes:
    """Shade where a 2-D binary classifier says class 1 (probability ≥ ½) and overlay the labelled points.

    >>> ax = plot_decision_regions(torch.nn.Linear(2, 1), torch.randn(20, 2), torch.randint(0, 2, (20, 1)).float())
    """
    ax = _axes(ax, figsize=(4.5, 4))
    xx, yy, p = predict_grid(model, x, steps)
    ax.contourf(xx.numpy(), yy.numpy(), p.numpy(), levels=[0, 0.5, 1], colors=["#c6dbef", "#fdd0a2"], alpha=0.8)
    ax.contour(xx.numpy(), yy.numpy(), p.numpy(), levels=[0.5], colors="k", linewidths=1)
    x, y = torch.as_tensor(x).cpu(), _column(y).cpu()
    for label, color in ((0, "#1f77b4"), (1, "#ff7f0e")):
        sel = y == label
        ax.scatter(x[sel, 0].numpy(), x[sel, 1].numpy(), s=12, color=color, edgecolor="k", linewidth=0.3, label=f"class {label}")
    ax.set(xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
    return ax
