"""Static plots. Each draws on ``ax`` (a new figure when None) and returns the axes.

>>> import torch
>>> ax = plot_data(torch.rand(10, 1), torch.rand(10, 1))
>>> ax.get_xlabel()
'x'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

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
    model: Callable[[torch.Tensor], torch.Tensor],
    x: torch.Tensor,
    y: torch.Tensor,
    ax: Axes | None = None,
    steps: int = 200,
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
        ax.scatter(
            x[sel, 0].numpy(),
            x[sel, 1].numpy(),
            s=12,
            color=color,
            edgecolor="k",
            linewidth=0.3,
            label=f"class {label}",
        )
    ax.set(xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
    return ax


def plot_loss_curves(
    histories: Mapping[str, History], ax: Axes | None = None, log: bool = True, title: str | None = None
) -> Axes:
    """Training (dashed) and validation (solid) loss of several runs, one colour per run, for comparing models.

    The vertical distance between a run's two curves is its generalisation gap.

    >>> a = History(); a.append({"epoch": 1, "train_loss": 1.0, "valid_loss": 1.5})
    >>> b = History(); b.append({"epoch": 1, "train_loss": 2.0, "valid_loss": 2.1})
    >>> [line.get_label() for line in plot_loss_curves({"big": a, "small": b}).get_lines()]
    ['big: train', 'big: valid', 'small: train', 'small: valid']
    """
    if not histories:
        raise ValueError("histories is empty: pass a dict such as {'small model': history_a, 'big model': history_b}.")
    ax = _axes(ax, figsize=(6, 3.6))
    for i, (name, history) in enumerate(histories.items()):
        if not isinstance(history, History):
            kind = type(history).__name__
            raise TypeError(f"histories[{name!r}] is a {kind}, but a History returned by fit() is needed.")
        color = f"C{i % 10}"
        ax.plot(history["epoch"], history["train_loss"], ls="--", color=color, label=f"{name}: train")
        if "valid_loss" in history.columns:
            ax.plot(history["epoch"], history["valid_loss"], ls="-", color=color, label=f"{name}: valid")
    ax.set(xlabel="epoch", ylabel="loss", yscale="log" if log else "linear", title=title)
    ax.legend(fontsize=8)
    return ax


def plot_output_map(
    model: Callable[[torch.Tensor], torch.Tensor],
    x: torch.Tensor | None = None,
    y: torch.Tensor | None = None,
    ax: Axes | None = None,
    lim: tuple[float, float] = (-0.1, 1.1),
    steps: int = 150,
    threshold: float = 0.5,
    title: str | None = None,
) -> Axes:
    """Colour the raw output of a 2-input, 1-output model over a square (``pcolormesh``), for example XOR.

    The colour scale runs from 0 (blue) to 1 (red); a black line marks where the output crosses
    ``threshold``, the decision boundary. When ``x`` and ``y`` are given, the points are drawn on
    top, coloured by their target.

    >>> ax = plot_output_map(torch.nn.Linear(2, 1), torch.eye(2), torch.tensor([[0.0], [1.0]]))
    >>> ax.get_xlabel()
    '$x_1$'
    """
    ax = _axes(ax, figsize=(3.5, 3.5))
    lo, hi = float(lim[0]), float(lim[1])
    if not lo < hi:
        raise ValueError(f"lim must be (low, high) with low < high, got {lim!r}; for the unit square use (-0.1, 1.1).")
    xx, yy = torch.meshgrid(torch.linspace(lo, hi, steps), torch.linspace(lo, hi, steps), indexing="xy")
    grid = torch.stack([xx.flatten(), yy.flatten()], dim=1)
    with torch.no_grad():
        out = model(grid)
    if out.numel() != grid.shape[0]:
        raise ValueError(
            f"the model must map each 2-D point to one number, but for {grid.shape[0]} points it returned shape "
            f"{tuple(out.shape)}. Use a model whose last layer is Linear(..., 1)."
        )
    out = out.detach().reshape(steps, steps).cpu()
    if not torch.isfinite(out).all():
        raise ValueError(
            "the model's output contains NaN or infinite values; the map cannot be drawn. Was training stable?"
        )
    mesh = ax.pcolormesh(xx.numpy(), yy.numpy(), out.numpy(), cmap="RdBu_r", vmin=0, vmax=1, shading="auto")
    if float(out.min()) < threshold < float(out.max()):
        ax.contour(xx.numpy(), yy.numpy(), out.numpy(), levels=[threshold], colors="k", linewidths=1.2)
    if x is not None and y is not None:
        x, y = torch.as_tensor(x).detach().cpu(), _column(y).detach().cpu()
        ax.scatter(
            x[:, 0].numpy(),
            x[:, 1].numpy(),
            c=y.numpy(),
            cmap="RdBu_r",
            vmin=0,
            vmax=1,
            s=120,
            edgecolors="w",
            linewidths=1.5,
            zorder=3,
        )
    ax.set(xlabel="$x_1$", ylabel="$x_2$", aspect="equal", xlim=(lo, hi), ylim=(lo, hi), title=title)
    ax.mesh = mesh  # the colour mesh, for a colour bar
    return ax


def plot_output_maps(
    models: Sequence[Callable[[torch.Tensor], torch.Tensor]],
    x: torch.Tensor | None = None,
    y: torch.Tensor | None = None,
    titles: Sequence[str] | None = None,
    ncols: int = 4,
    **options,
):
    """Draw :func:`plot_output_map` for several models side by side, with one shared colour bar; returns the figure.

    Handy for the members of a seed ensemble: ``plot_output_maps([run.model(i) for i in picks], x, y)``.

    >>> fig = plot_output_maps([torch.nn.Linear(2, 1), torch.nn.Linear(2, 1)], titles=["a", "b"])
    >>> len(fig.axes)
    3
    """
    models = list(models)
    if not models:
        raise ValueError("models is empty: pass at least one model to draw.")
    if titles is not None and len(titles) != len(models):
        raise ValueError(f"got {len(titles)} titles for {len(models)} models; give one title per model or none.")
    ncols = max(1, min(int(ncols), len(models)))
    nrows = -(-len(models) // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(2.6 * ncols + 0.8, 2.6 * nrows), layout="constrained", squeeze=False
    )
    for i, ax in enumerate(axes.flat):
        if i >= len(models):
            ax.set_axis_off()
            continue
        plot_output_map(models[i], x, y, ax=ax, title=None if titles is None else titles[i], **options)
        if i % ncols:
            ax.set_ylabel("")
    fig.colorbar(axes.flat[0].mesh, ax=axes, shrink=0.8, label="output")
    return fig
