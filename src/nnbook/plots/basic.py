"""Static plots. Each draws on ``ax`` (a new figure when None) and returns the axes.

>>> import torch
>>> ax = plot_data(torch.rand(10, 1), torch.rand(10, 1))
>>> ax.get_xlabel()
'x'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes
from torch import nn

from nnbook._checks import first_linear, model_device
from nnbook.data.tables import frame_to_tensor, is_table
from nnbook.training.history import History

DATA_COLOR = "#9a9a9a"
MODEL_COLOR = "#d62728"
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


def new_axes(ax: Axes | None, figsize: tuple[float, float] = (5, 3.5)) -> Axes:
    """``ax`` itself, or the axes of a new figure of size ``figsize`` when ``ax`` is None.

    >>> new_axes(None).figure.get_size_inches().tolist()
    [5.0, 3.5]
    """
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(f"ax must be matplotlib axes (for example from plt.subplots()), got {type(ax).__name__}.")
    return ax if ax is not None else plt.subplots(figsize=figsize, layout="constrained")[1]


def as_table(t: object, name: str, columns: int | None = None) -> torch.Tensor:
    """``t`` as a 2-D float CPU tensor (n, columns) with at least one finite row; a 1-D ``t`` becomes one column.

    Plots call it on their inputs so that a wrong shape or empty data gets a clear error, not an empty figure.

    >>> as_table([1.0, 2.0], "x").shape
    torch.Size([2, 1])
    """
    t = frame_to_tensor(t, name) if is_table(t) else t  # a DataFrame or Series: errors name the column
    try:
        t = torch.as_tensor(t).detach().cpu()
    except (TypeError, ValueError, RuntimeError) as err:
        raise TypeError(f"{name} must be a tensor or an array of numbers, got {type(t).__name__}.") from err
    if t.dim() == 1:
        t = t[:, None]
    if t.dim() != 2:
        raise ValueError(f"{name} must be a table of shape (n, columns) or a 1-D tensor, got shape {tuple(t.shape)}.")
    if t.shape[0] == 0 or t.shape[1] == 0:
        raise ValueError(f"{name} is empty (shape {tuple(t.shape)}): there is nothing to draw.")
    if columns is not None and t.shape[1] != columns:
        raise ValueError(f"{name} must have {columns} column(s), got shape {tuple(t.shape)}.")
    t = t.float()
    if not torch.isfinite(t).all():
        bad = int((~torch.isfinite(t)).sum())
        raise ValueError(
            f"{name} contains {bad} NaN or infinite value(s); the plot cannot show them. Remove them first."
        )
    return t


def input_name(j: int, inputs: int, names: Sequence[str] | None = None) -> str:
    """The label of input column ``j``: ``names[j]``, else "x" for a 1-input model and "x1", "x2", … otherwise.

    >>> input_name(0, 1), input_name(2, 3), input_name(1, 2, ["age", "height"])
    ('x', 'x3', 'height')
    """
    if names is not None:
        return str(names[j])
    return "x" if inputs == 1 else f"x{j + 1}"


def _check_along(along: object, inputs: int) -> int:
    if isinstance(along, bool) or not isinstance(along, int) or not -inputs <= along < inputs:
        raise ValueError(
            f"along={along!r}, but the data has {inputs} input column(s): choose along between 0 and {inputs - 1}."
        )
    return along % inputs


def slice_grid(
    x: torch.Tensor, along: int = 0, at: torch.Tensor | Sequence[float] | None = None, steps: int = 200
) -> torch.Tensor:
    """Rows for looking at a model along one input: input ``along`` runs over its range in ``x`` in ``steps``
    even steps, every other input stays at ``at`` (default: the median of its column in ``x``).

    The one-input slice of a multi-input model, used by :func:`plot_model`, ``LivePlot`` and the feature
    analysis; for a 1-input ``x`` it is simply an even grid over the data.

    >>> g = slice_grid(torch.tensor([[0.0, 5.0], [1.0, 7.0], [2.0, 9.0]]), along=0, steps=3)
    >>> g.tolist()
    [[0.0, 7.0], [1.0, 7.0], [2.0, 7.0]]
    """
    x = as_table(x, "x")
    along = _check_along(along, x.shape[1])
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 2:
        raise ValueError(f"steps must be a whole number ≥ 2 (points along the input), got {steps!r}.")
    held = x.median(dim=0).values
    if at is not None:
        at = torch.as_tensor(at, dtype=torch.float32).reshape(-1)
        if at.numel() != x.shape[1] or not torch.isfinite(at).all():
            raise ValueError(
                f"at must give one finite value per input column ({x.shape[1]}), got {at.tolist()}; "
                f"the value for input {along} is ignored."
            )
        held = at
    lo, hi = float(x[:, along].min()), float(x[:, along].max())
    if lo == hi:
        raise ValueError(f"input column {along} of x is constant ({lo:g}): there is no range to draw along.")
    grid = held.repeat(steps, 1)
    grid[:, along] = torch.linspace(lo, hi, steps)
    return grid


def model_output(model: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """``model(x)`` in evaluation mode and without gradients, on the model's device; a CPU tensor back.

    The model's training/evaluation mode is restored afterwards, so calling it during training is safe.
    A model that cannot take ``x`` gets an error naming both shapes.

    >>> model = torch.nn.Linear(2, 1)
    >>> model_output(model, torch.ones(3, 2)).shape, model.training
    (torch.Size([3, 1]), True)
    """
    if not callable(model):
        raise TypeError(
            f"model must be a trained network (a torch.nn.Module such as mlp([2, 32, 1])) or a function of x, "
            f"got {type(model).__name__}."
        )
    x = torch.as_tensor(x).detach()
    was_training = model.training if isinstance(model, nn.Module) else None
    if isinstance(model, nn.Module):
        x = x.to(model_device(model))
        model.eval()
    try:
        with torch.no_grad():
            out = model(x)
    except RuntimeError as err:
        first = first_linear(model) if isinstance(model, nn.Module) else None
        expects = f" Its first layer takes {first.in_features} input(s)." if first is not None else ""
        raise ValueError(
            f"the model cannot take inputs of shape {tuple(x.shape)}.{expects} Give it one column per input, "
            f"or plot a multi-input model along one input (along=..., at=...). ({err})"
        ) from None
    finally:
        if was_training is not None:
            model.train(was_training)
    if not isinstance(out, torch.Tensor):
        raise TypeError(f"the model returned {type(out).__name__}, but a tensor is needed to draw it.")
    return out.detach().cpu()


def as_column(t: torch.Tensor) -> torch.Tensor:
    """The first column of a 2-D tensor (a 1-D tensor unchanged), detached, on the CPU.

    >>> as_column(torch.tensor([[1.0, 2.0], [3.0, 4.0]])).tolist()
    [1.0, 3.0]
    """
    t = torch.as_tensor(t).detach().cpu()
    return t[:, 0] if t.dim() == 2 else t


def plot_data(
    x: torch.Tensor,
    y: torch.Tensor,
    ax: Axes | None = None,
    along: int = 0,
    names: Sequence[str] | None = None,
    **style,
) -> Axes:
    """Scatter input column ``along`` of ``x`` (the first by default) against ``y``; small grey dots by default.

    >>> ax = plot_data(torch.rand(5), torch.rand(5), s=10)
    """
    x, y = as_table(x, "x"), as_table(y, "y")
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} rows but y has {len(y)}: give one target per point.")
    along = _check_along(along, x.shape[1])
    ax = new_axes(ax)
    style = {"s": 4 if len(x) > 500 else 14, "color": DATA_COLOR, "label": "data", **style}
    ax.scatter(x[:, along].numpy(), y[:, 0].numpy(), **style)
    ax.set(xlabel=input_name(along, x.shape[1], names), ylabel="y")
    return ax


def plot_model(
    model: Callable[[torch.Tensor], torch.Tensor],
    x: torch.Tensor,
    ax: Axes | None = None,
    n: int | None = 400,
    along: int = 0,
    at: Sequence[float] | None = None,
    **style,
) -> Axes:
    """Draw ``model``'s prediction as a curve over the range of ``x`` (sorted, so it is a line, not a scribble).

    With ``n`` set (default 400) the curve uses ``n`` evenly spaced points between min(x) and max(x);
    ``n=None`` uses the sorted ``x`` itself (one input only). For a model with several inputs the
    curve runs along input ``along`` with the others held at ``at`` (default: their medians in ``x``).

    >>> ax = plot_model(torch.nn.Linear(1, 1), torch.rand(20, 1))
    """
    x = as_table(x, "x")
    if n is None:
        if x.shape[1] != 1:
            raise ValueError("n=None draws the model at the sorted x itself, which needs one input column; use n=400.")
        grid = x.sort(dim=0).values
    else:
        grid = slice_grid(x, along=along, at=at, steps=n)
    along = _check_along(along, x.shape[1])
    pred = model_output(model, grid)
    ax = new_axes(ax)
    style = {"color": MODEL_COLOR, "lw": 2, "label": "model", **style}
    ax.plot(grid[:, along].numpy(), as_column(pred).numpy(), **style)
    return ax


def plot_losses(history: History, ax: Axes | None = None, log: bool = True, title: str | None = None) -> Axes:
    """Training and (when present) validation loss per epoch.

    >>> h = History(); h.append({"epoch": 1, "train_loss": 1.0, "valid_loss": 1.2})
    >>> plot_losses(h).get_ylabel()
    'loss'
    """
    if not isinstance(history, History):
        raise TypeError(f"history must be the History that fit() returns, got {type(history).__name__}.")
    if len(history) == 0:
        raise ValueError("history has no epochs yet: train first, history = fit(...), then plot it.")
    ax = new_axes(ax)
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
    lrs = lrs.lrs if isinstance(lrs, History) else lrs
    if len(lrs) == 0:
        raise ValueError(
            "there are no learning rates to plot: a History records them only for a schedule "
            "(fit(..., schedule='one_cycle')); a constant rate has nothing to show."
        )
    ax = new_axes(ax)
    ax.plot(range(1, len(lrs) + 1), lrs)
    ax.set(xlabel="step", ylabel="learning rate")
    return ax


def _check_outputs(outputs: str) -> str:
    if outputs not in ("logits", "probabilities"):
        raise ValueError(
            f"outputs must be 'logits' (raw scores: sigmoid or softmax is applied) or 'probabilities' "
            f"(already in [0, 1]), got {outputs!r}."
        )
    return outputs


def class_probabilities(out: torch.Tensor, outputs: str = "logits") -> torch.Tensor:
    """Class probabilities from a classifier's outputs: (n,) for one output (the probability of class 1),
    (n, K) for K outputs. Logits go through the sigmoid (one output) or the softmax (K outputs).

    >>> class_probabilities(torch.tensor([[0.0], [100.0]])).tolist()
    [0.5, 1.0]
    >>> class_probabilities(torch.tensor([[0.2, 0.8]]), outputs="probabilities").tolist()
    [[0.20000000298023224, 0.800000011920929]]
    """
    _check_outputs(outputs)
    out = torch.as_tensor(out).detach().cpu().float()
    if out.dim() == 1:
        out = out[:, None]
    if out.dim() != 2:
        raise ValueError(f"a classifier must give one row of scores per point, got output shape {tuple(out.shape)}.")
    if not torch.isfinite(out).all():
        raise ValueError("the model's output contains NaN or infinite values; it cannot be drawn. Was training stable?")
    if outputs == "logits":
        return torch.sigmoid(out[:, 0]) if out.shape[1] == 1 else torch.softmax(out, dim=1)
    if out.min() < 0 or out.max() > 1:
        raise ValueError(
            f"outputs='probabilities', but the model gives values from {float(out.min()):.3g} to "
            f"{float(out.max()):.3g}, outside [0, 1]: these look like logits. Use outputs='logits'."
        )
    if out.shape[1] > 1 and not torch.allclose(out.sum(dim=1), torch.ones(len(out)), atol=1e-3):
        raise ValueError(
            "outputs='probabilities', but the rows of the model's output do not sum to 1. "
            "End the model with a softmax, or use outputs='logits'."
        )
    return out[:, 0] if out.shape[1] == 1 else out


def predict_grid(
    model: Callable[[torch.Tensor], torch.Tensor],
    x: torch.Tensor,
    steps: int = 200,
    margin: float = 0.5,
    outputs: str = "logits",
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Evaluate a 2-input classifier on a ``steps × steps`` grid covering ``x``; returns ``(xx, yy, probability)``.

    A model with one output gives the probability of class 1, shape (steps, steps); a model with
    K outputs gives every class's probability, shape (steps, steps, K). ``outputs`` says what the
    model returns: "logits" (sigmoid or softmax is applied) or "probabilities".

    >>> xx, yy, p = predict_grid(torch.nn.Linear(2, 1), torch.rand(10, 2), steps=50)
    >>> p.shape
    torch.Size([50, 50])
    >>> predict_grid(torch.nn.Linear(2, 3), torch.rand(10, 2), steps=50)[2].shape
    torch.Size([50, 50, 3])
    """
    _check_outputs(outputs)
    x = torch.as_tensor(frame_to_tensor(x, "x") if is_table(x) else x).detach().cpu()
    if x.dim() != 2 or x.shape[1] != 2:
        raise ValueError(
            f"decision regions need 2-D inputs of shape (n, 2), got shape {tuple(x.shape)}. "
            "For more inputs, look at the model along one input with plot_model(model, x, along=...)."
        )
    x = as_table(x, "x", columns=2)
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 2:
        raise ValueError(f"steps must be a whole number ≥ 2 (grid points per side), got {steps!r}.")
    if isinstance(margin, bool) or not isinstance(margin, (int, float)) or not math.isfinite(margin) or margin < 0:
        raise ValueError(f"margin must be a number ≥ 0 (space around the data), got {margin!r}.")
    lo, hi = x.min(dim=0).values - margin, x.max(dim=0).values + margin
    if (lo == hi).any():
        raise ValueError("the points all lie on one line of constant x1 or x2 and margin=0: the grid has no area.")
    xx, yy = torch.meshgrid(torch.linspace(lo[0], hi[0], steps), torch.linspace(lo[1], hi[1], steps), indexing="xy")
    out = model_output(model, torch.stack([xx.flatten(), yy.flatten()], dim=1))
    if out.shape[0] != steps * steps:
        raise ValueError(
            f"the model returned shape {tuple(out.shape)} for {steps * steps} points: it must give one row per point."
        )
    p = class_probabilities(out, outputs)
    return xx, yy, p.reshape(steps, steps, *p.shape[1:])


def class_labels(y: torch.Tensor, n_classes: int, n: int | None = None) -> torch.Tensor:
    """Labels as a 1-D long tensor, checked to be whole numbers 0 … ``n_classes`` − 1 (one per point).

    Accepts PyTorch's 1-D long labels, a column (n, 1) of 0.0/1.0, or one-hot rows (n, K).

    >>> class_labels(torch.tensor([[0.0], [1.0]]), 2).tolist()
    [0, 1]
    """
    y = torch.as_tensor(frame_to_tensor(y, "y") if is_table(y) else y).detach().cpu()
    if y.dim() == 2 and y.shape[1] == n_classes and n_classes > 1:
        y = y.argmax(dim=1)  # one-hot rows
    elif y.dim() == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.dim() != 1:
        raise ValueError(f"labels must be (n,), (n, 1) or one-hot (n, {n_classes}), got shape {tuple(y.shape)}.")
    if n is not None and len(y) != n:
        raise ValueError(f"x has {n} points but there are {len(y)} labels: give one label per point.")
    if y.is_floating_point() and not (torch.isfinite(y).all() and (y == y.round()).all()):
        raise ValueError("labels must be whole class numbers such as 0, 1, 2; these contain fractions or NaN.")
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
    outputs: str = "logits",
) -> Axes:
    """Shade the class a 2-input classifier predicts at each place, draw the boundaries, and overlay the labelled points.

    One output: class 1 where its probability is ≥ ½. K outputs: the class with the largest score.
    ``outputs`` is "logits" (default) or "probabilities". Labels are 0 … K − 1 (PyTorch's 1-D long labels,
    a (n, 1) column, or one-hot rows).

    >>> ax = plot_decision_regions(torch.nn.Linear(2, 1), torch.randn(20, 2), torch.randint(0, 2, (20, 1)).float())
    >>> ax = plot_decision_regions(torch.nn.Linear(2, 3), torch.randn(20, 2), torch.randint(0, 3, (20,)))
    >>> len(ax.get_legend().get_texts())
    3
    """
    xx, yy, p = predict_grid(model, x, steps, outputs=outputs)
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
    if not isinstance(histories, Mapping):
        raise TypeError(
            f"histories must be a dict from a name to a History, got {type(histories).__name__}. "
            "Name each run: plot_loss_curves({'small model': history_a, 'big model': history_b})."
        )
    if not histories:
        raise ValueError("histories is empty: pass a dict such as {'small model': history_a, 'big model': history_b}.")
    for name, history in histories.items():
        if not isinstance(history, History):
            kind = type(history).__name__
            raise TypeError(f"histories[{name!r}] is a {kind}, but a History returned by fit() is needed.")
        if len(history) == 0:
            raise ValueError(f"histories[{name!r}] has no epochs yet: train first, then plot it.")
    ax = new_axes(ax, figsize=(6, 3.6))
    for i, (name, history) in enumerate(histories.items()):
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
    if (x is None) != (y is None):
        raise ValueError("pass both x and y to draw the points on the map, or neither.")
    if x is not None:
        x, y = as_table(x, "x", columns=2), as_table(y, "y")[:, 0]
        if len(x) != len(y):
            raise ValueError(f"x has {len(x)} points but y has {len(y)} targets: give one target per point.")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 2:
        raise ValueError(f"steps must be a whole number ≥ 2 (grid points per side), got {steps!r}.")
    ax = new_axes(ax, figsize=(3.5, 3.5))
    lo, hi = float(lim[0]), float(lim[1])
    if not lo < hi:
        raise ValueError(f"lim must be (low, high) with low < high, got {lim!r}; for the unit square use (-0.1, 1.1).")
    xx, yy = torch.meshgrid(torch.linspace(lo, hi, steps), torch.linspace(lo, hi, steps), indexing="xy")
    grid = torch.stack([xx.flatten(), yy.flatten()], dim=1)
    out = model_output(model, grid)
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
    if isinstance(ncols, bool) or not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"ncols must be a whole number ≥ 1 (panels per row), got {ncols!r}.")
    ncols = min(ncols, len(models))
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
