"""Plots of classifiers: decision regions of a 2-input classifier, and output maps of 2-input models.

>>> import torch
>>> ax = plot_decision_regions(torch.nn.Linear(2, 1), torch.randn(20, 2), torch.randint(0, 2, (20, 1)).float())
>>> ax.get_xlabel()
'$x_1$'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes

from nnbook._arrays import check_array
from nnbook._options import Number, Whole
from nnbook.models.running import KIND, output_kind, run_model, to_probabilities
from nnbook.plots.basic import STEPS, as_table, check_range, new_axes

# Class colours: points in the dark tone, regions in the light tone of the same hue (tab20's pairs).
CLASS_COLORS = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
]
REGION_COLORS = [
    "#c6dbef",
    "#fdd0a2",
    "#c7e9c0",
    "#fcbba1",
    "#dadaeb",
    "#e7cbb9",
    "#f7c5e3",
    "#d9d9d9",
    "#ecedb0",
    "#bfe9ef",
]
MARGIN = Number(0, hint="It is the space around the data, in the units of x; try margin=0.5.")
NCOLS = Whole(1, hint="It is the number of panels per row.")


def predict_grid(
    model: Callable[[torch.Tensor], torch.Tensor],
    x: torch.Tensor,
    steps: int = 200,
    margin: float = 0.5,
    kind: str | None = None,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Evaluate a 2-input classifier on a ``steps × steps`` grid covering ``x``; returns ``(xx, yy, probability)``.

    A model with one output gives the probability of class 1, shape (steps, steps); a model with
    K outputs gives every class's probability, shape (steps, steps, K). ``kind`` says what the
    model returns: "logits" (sigmoid or softmax is applied) or "probabilities"; by default a model
    ending in ``nn.Sigmoid`` or ``nn.Softmax`` gives probabilities, any other logits.

    >>> xx, yy, p = predict_grid(torch.nn.Linear(2, 1), torch.rand(10, 2), steps=50)
    >>> p.shape
    torch.Size([50, 50])
    >>> predict_grid(torch.nn.Linear(2, 3), torch.rand(10, 2), steps=50)[2].shape
    torch.Size([50, 50, 3])
    """
    kind = KIND(kind, "kind") if kind is not None else output_kind(model) or "logits"
    x = check_array(x, "x").detach().cpu()
    if x.shape[1] != 2:
        raise ValueError(
            f"decision regions need 2-D inputs of shape (n, 2), got shape {tuple(x.shape)}. "
            "For more inputs, look at the model along one input with plot_model(model, x, along=...)."
        )
    steps, margin = STEPS(steps, "steps"), MARGIN(margin, "margin")
    lo, hi = x.min(dim=0).values - margin, x.max(dim=0).values + margin
    if (lo == hi).any():
        raise ValueError("the points all lie on one line of constant x1 or x2 and margin=0: the grid has no area.")
    xx, yy = torch.meshgrid(torch.linspace(lo[0], hi[0], steps), torch.linspace(lo[1], hi[1], steps), indexing="xy")
    out = run_model(model, torch.stack([xx.flatten(), yy.flatten()], dim=1), "the grid")
    if out.dim() != 2 or out.shape[0] != steps * steps:
        raise ValueError(
            f"the model returned shape {tuple(out.shape)} for {steps * steps} points: it must give one row of scores "
            "per point."
        )
    if not torch.isfinite(out).all():
        raise ValueError("the model's output contains NaN or infinite values; it cannot be drawn. Was training stable?")
    p = to_probabilities(out.float(), kind)
    p = p[:, 0] if p.shape[1] == 1 else p
    return xx, yy, p.reshape(steps, steps, *p.shape[1:])


def class_labels(y: torch.Tensor, n_classes: int, n: int | None = None) -> torch.Tensor:
    """Labels as a 1-D long tensor, checked to be whole numbers 0 … ``n_classes`` − 1 (one per point).

    Accepts PyTorch's 1-D long labels, a column (n, 1) of 0.0/1.0, or one-hot rows (n, K).

    >>> class_labels(torch.tensor([[0.0], [1.0]]), 2).tolist()
    [0, 1]
    """
    y = check_array(y, "labels", shape="any", dtype="number").detach().cpu()
    if y.dim() == 2 and y.shape[1] == n_classes and n_classes > 1:
        y = y.argmax(dim=1)  # one-hot rows
    y = check_array(y, "labels", shape="labels", dtype="labels")
    if n is not None and len(y) != n:
        raise ValueError(f"x has {n} points but there are {len(y)} labels: give one label per point.")
    if len(y) and (y.min() < 0 or y.max() >= n_classes):
        found = sorted({int(v) for v in y.unique()})
        hint = (
            " A model with one output is a binary classifier (labels 0 and 1); for K classes give it K outputs."
            if n_classes == 2
            else ""
        )
        raise ValueError(f"labels must lie in 0 … {n_classes - 1} for {n_classes} classes, found {found}.{hint}")
    return y.long()


def plot_decision_regions(
    model: Callable[[torch.Tensor], torch.Tensor],
    x: torch.Tensor,
    y: torch.Tensor,
    ax: Axes | None = None,
    steps: int = 200,
    kind: str | None = None,
) -> Axes:
    """Shade the class a 2-input classifier predicts at each place, draw the boundaries, and overlay the labelled points.

    One output: class 1 where its probability is ≥ ½. K outputs: the class with the largest score.
    ``kind`` is "logits" or "probabilities" (by default: probabilities for a model ending in a Sigmoid or Softmax). Labels are 0 … K − 1 (PyTorch's 1-D long labels,
    a (n, 1) column, or one-hot rows).

    >>> ax = plot_decision_regions(torch.nn.Linear(2, 1), torch.randn(20, 2), torch.randint(0, 2, (20, 1)).float())
    >>> ax = plot_decision_regions(torch.nn.Linear(2, 3), torch.randn(20, 2), torch.randint(0, 3, (20,)))
    >>> len(ax.get_legend().get_texts())
    3
    """
    xx, yy, p = predict_grid(model, x, steps, kind=kind)
    n_classes = 2 if p.dim() == 2 else p.shape[2]
    if n_classes > len(CLASS_COLORS):
        raise ValueError(f"the model has {n_classes} outputs; decision regions can show at most {len(CLASS_COLORS)}.")
    x = as_table(x, "x", columns=2)
    labels = class_labels(y, n_classes, n=len(x))
    ax = new_axes(ax, figsize=(4.5, 4))
    predicted = (p >= 0.5).long() if p.dim() == 2 else p.argmax(dim=2)
    levels = [k - 0.5 for k in range(n_classes + 1)]
    ax.contourf(xx.numpy(), yy.numpy(), predicted.numpy(), levels=levels, colors=REGION_COLORS[:n_classes], alpha=0.8)
    if p.dim() == 2:
        ax.contour(xx.numpy(), yy.numpy(), p.numpy(), levels=[0.5], colors="k", linewidths=1)
    elif int(predicted.min()) != int(predicted.max()):
        ax.contour(xx.numpy(), yy.numpy(), predicted.numpy(), levels=levels[1:-1], colors="k", linewidths=1)
    for label in range(n_classes):
        sel = labels == label
        ax.scatter(
            x[sel, 0].numpy(),
            x[sel, 1].numpy(),
            s=12,
            color=CLASS_COLORS[label],
            edgecolor="k",
            linewidth=0.3,
            label=f"class {label}",
        )
    ax.set(xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
    if n_classes > 2:
        ax.legend(fontsize=7, loc="best")
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

    The square spans ``lim = (low, high)`` along both inputs. The colour scale runs from 0 (blue) to
    1 (red); a black line marks where the output crosses ``threshold``, the decision boundary. When
    ``x`` and ``y`` are given, the points are drawn on top, coloured by their target.

    >>> ax = plot_output_map(torch.nn.Linear(2, 1), torch.eye(2), torch.tensor([[0.0], [1.0]]))
    >>> ax.get_xlabel()
    '$x_1$'
    """
    if (x is None) != (y is None):
        raise ValueError("pass both x and y to draw the points on the map, or neither.")
    if x is not None:
        x, y = as_table(x, "x", columns=2), as_table(y, "y")[:, 0]
        if len(x) != len(y):
            raise ValueError(f"x has {len(x)} points but y has {len(y)} targets: give one target per point.")
    steps = STEPS(steps, "steps")
    lo, hi = check_range(lim, "lim", "(-0.1, 1.1)")
    ax = new_axes(ax, figsize=(3.5, 3.5))
    xx, yy = torch.meshgrid(torch.linspace(lo, hi, steps), torch.linspace(lo, hi, steps), indexing="xy")
    grid = torch.stack([xx.flatten(), yy.flatten()], dim=1)
    out = run_model(model, grid, "the grid")
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
    ncols = min(NCOLS(ncols, "ncols"), len(models))
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
