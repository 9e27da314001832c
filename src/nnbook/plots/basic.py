"""Static plots. Each draws on ``ax`` (a new figure when None) and returns the axes.

>>> import torch
>>> ax = plot_data(torch.rand(10, 1), torch.rand(10, 1))
>>> ax.get_xlabel()
'x'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from numbers import Real
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from nnbook._arrays import check_array
from nnbook._options import Whole
from nnbook.models.running import run_model

if TYPE_CHECKING:  # pragma: no cover - drawing code imports nothing from training when it runs
    from nnbook._history import History

STEPS = Whole(2, hint="It is the number of points along the input (or per side of a grid); try steps=200.")

DATA_COLOR = "#9a9a9a"
MODEL_COLOR = "#d62728"


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
    return check_array(t, name, shape="column", columns=columns).detach().cpu()


def check_range(value: object, name: str, example: str) -> tuple[float, float]:
    """``value`` as a pair of floats ``(low, high)``: finite numbers with low < high, such as an axis range.

    ``example`` is a sensible value, shown in the error message.

    >>> check_range([0, 1], "lim", "(-0.1, 1.1)")
    (0.0, 1.0)
    >>> check_range(1, "lim", "(-0.1, 1.1)")
    Traceback (most recent call last):
    TypeError: lim must be a pair (low, high) of finite numbers with low < high, got 1; for example lim=(-0.1, 1.1).
    """
    what = (
        f"{name} must be a pair (low, high) of finite numbers with low < high, got {value!r}; "
        f"for example {name}={example}."
    )
    numbers = isinstance(value, (tuple, list)) and len(value) == 2
    numbers = numbers and all(isinstance(v, Real) and not isinstance(v, bool) for v in value)
    if not numbers:
        raise TypeError(what)
    low, high = float(value[0]), float(value[1])
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(what)
    return low, high


def check_history(history: Any, name: str = "history") -> Any:
    """Refuse what is not a :class:`~nnbook.training.History` with epochs (without importing the training code).

    >>> check_history([1, 2])
    Traceback (most recent call last):
    TypeError: history must be the History that fit() returns, got list.
    """
    if not (hasattr(history, "rows") and hasattr(history, "columns") and hasattr(history, "lrs")):
        raise TypeError(f"{name} must be the History that fit() returns, got {type(history).__name__}.")
    if len(history) == 0:
        note = f" ({history.message})" if getattr(history, "message", "") else ""
        raise ValueError(
            f"{name} has no finished epochs{note}, so there is nothing to draw: train first, history = fit(...), "
            "then plot it."
        )
    return history


FIGURE_KEYWORDS = ("figsize", "dpi", "layout", "nrows", "ncols")


def check_style(style: Mapping[str, Any], func: str, what: str) -> None:
    """Refuse figure keywords (``figsize`` …) among a plot's ``style`` keywords, which go to ``what`` on the axes.

    A figure's size is set where the figure is made, so the message shows how to make it first.

    >>> check_style({"color": "k"}, "plot_data", "the points")
    >>> check_style({"figsize": (3, 3)}, "plot_data", "the points")
    Traceback (most recent call last):
    TypeError: plot_data() got figsize=(3, 3), but its extra keywords style the points (color, label, alpha, …), not the figure. Make the figure first and draw on it: fig, ax = plt.subplots(figsize=(3, 3)); plot_data(..., ax=ax).
    """
    for key in FIGURE_KEYWORDS:
        if key in style:
            raise TypeError(
                f"{func}() got {key}={style[key]!r}, but its extra keywords style {what} (color, label, alpha, …), "
                f"not the figure. Make the figure first and draw on it: fig, ax = plt.subplots({key}={style[key]!r}); "
                f"{func}(..., ax=ax)."
            )


def draw_styled(
    draw: Callable[..., Any], style: Mapping[str, Any], func: str, what: str, fresh: Figure | None = None
) -> Any:
    """``draw(**style)``, with matplotlib's refusal of an unknown keyword turned into a ``TypeError`` naming ``func``.

    ``fresh`` is a figure the plot made for this drawing; it is closed when the drawing is refused.

    >>> fig, ax = plt.subplots()
    >>> draw_styled(lambda **kw: ax.plot([0, 1], [0, 1], **kw), {"colour": "k"}, "plot_model", "the curve")
    Traceback (most recent call last):
    TypeError: plot_model() passes its extra keywords to matplotlib to style the curve, and it does not know 'colour'. Use matplotlib's names, such as color=, lw=, ls=, alpha= or label=.
    """
    try:
        return draw(**style)
    except AttributeError as err:
        text = str(err)
        if "unexpected keyword argument" not in text:
            raise
        if fresh is not None:
            plt.close(fresh)
        key = text.rsplit("argument", 1)[-1].strip()
        raise TypeError(
            f"{func}() passes its extra keywords to matplotlib to style {what}, and it does not know {key}. "
            "Use matplotlib's names, such as color=, lw=, ls=, alpha= or label=."
        ) from None


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
    steps = STEPS(steps, "steps")
    held = x.median(dim=0).values
    if at is not None:
        held = check_array(at, "at", shape="any").reshape(-1)
        if held.numel() != x.shape[1]:
            raise ValueError(
                f"at must give one value per input column ({x.shape[1]}), got {held.tolist()}; "
                f"the value for input {along} is ignored."
            )
    lo, hi = float(x[:, along].min()), float(x[:, along].max())
    if lo == hi:
        raise ValueError(f"input column {along} of x is constant ({lo:g}): there is no range to draw along.")
    grid = held.repeat(steps, 1)
    grid[:, along] = torch.linspace(lo, hi, steps)
    return grid


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

    ``y`` is one target per point (a column); for a ``y`` with several columns pick the one to draw,
    ``y[:, j]``. Extra keywords (``s``, ``color``, ``label`` …) style the points.

    >>> ax = plot_data(torch.rand(5), torch.rand(5), s=10)
    >>> plot_data(torch.rand(5), torch.rand(5, 2))
    Traceback (most recent call last):
    ValueError: y has 2 columns, but plot_data draws one target against x: pick the column to draw, plot_data(x, y[:, j]) with j between 0 and 1.
    """
    x, y = as_table(x, "x"), as_table(y, "y")
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} rows but y has {len(y)}: give one target per point.")
    if y.shape[1] != 1:
        raise ValueError(
            f"y has {y.shape[1]} columns, but plot_data draws one target against x: pick the column to draw, "
            f"plot_data(x, y[:, j]) with j between 0 and {y.shape[1] - 1}."
        )
    along = _check_along(along, x.shape[1])
    check_style(style, "plot_data", "the points")
    fresh = ax is None
    ax = new_axes(ax)
    style = {"s": 4 if len(x) > 500 else 14, "color": DATA_COLOR, "label": "data", **style}
    xs, ys = x[:, along].numpy(), y[:, 0].numpy()
    draw_styled(lambda **kw: ax.scatter(xs, ys, **kw), style, "plot_data", "the points", ax.figure if fresh else None)
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
    Extra keywords (``color``, ``lw``, ``ls``, ``label`` …) style the curve.

    >>> ax = plot_model(torch.nn.Linear(1, 1), torch.rand(20, 1))
    """
    x = as_table(x, "x")
    check_style(style, "plot_model", "the curve")
    if n is None:
        if x.shape[1] != 1:
            raise ValueError("n=None draws the model at the sorted x itself, which needs one input column; use n=400.")
        grid = x.sort(dim=0).values
    else:
        grid = slice_grid(x, along=along, at=at, steps=n)
    along = _check_along(along, x.shape[1])
    pred = run_model(model, grid, "x")
    fresh = ax is None
    ax = new_axes(ax)
    style = {"color": MODEL_COLOR, "lw": 2, "label": "model", **style}
    xs, ys = grid[:, along].numpy(), as_column(pred).numpy()
    draw_styled(lambda **kw: ax.plot(xs, ys, **kw), style, "plot_model", "the curve", ax.figure if fresh else None)
    return ax


def plot_losses(history: History, ax: Axes | None = None, log: bool = True, title: str | None = None) -> Axes:
    """Training and (when present) validation loss per epoch.

    >>> from nnbook.training import History
    >>> h = History(); h.append({"epoch": 1, "train_loss": 1.0, "valid_loss": 1.2})
    >>> plot_losses(h).get_ylabel()
    'loss'
    """
    check_history(history)
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
    lrs = lrs.lrs if hasattr(lrs, "lrs") else lrs
    if len(lrs) == 0:
        raise ValueError(
            "there are no learning rates to plot: a History records them only for a schedule "
            "(fit(..., schedule='one_cycle')); a constant rate has nothing to show."
        )
    ax = new_axes(ax)
    ax.plot(range(1, len(lrs) + 1), lrs)
    ax.set(xlabel="step", ylabel="learning rate")
    return ax


def plot_loss_curves(
    histories: Mapping[str, History], ax: Axes | None = None, log: bool = True, title: str | None = None
) -> Axes:
    """Training (dashed) and validation (solid) loss of several runs, one colour per run, for comparing models.

    The vertical distance between a run's two curves is its generalisation gap.

    >>> from nnbook.training import History
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
        check_history(history, f"histories[{name!r}]")
    ax = new_axes(ax, figsize=(6, 3.6))
    for i, (name, history) in enumerate(histories.items()):
        color = f"C{i % 10}"
        ax.plot(history["epoch"], history["train_loss"], ls="--", color=color, label=f"{name}: train")
        if "valid_loss" in history.columns:
            ax.plot(history["epoch"], history["valid_loss"], ls="-", color=color, label=f"{name}: valid")
    ax.set(xlabel="epoch", ylabel="loss", yscale="log" if log else "linear", title=title)
    ax.legend(fontsize=8)
    return ax
