"""Plots for many runs at once: a band over seeds, every seed's curve, a sweep, and snapshots of one fit.

One training run can be lucky or unlucky. These plots show the spread: the loss of N seeds as
a median line inside a min–max band, the N fitted curves over the data, and the final loss of
each seed for every value of a swept setting (hidden size, activation …).

>>> import torch
>>> from nnbook.models import mlp
>>> from nnbook.training import fit_seeds
>>> run = fit_seeds(lambda: mlp([1, 4, 1]), range(3), (torch.rand(20, 1), torch.rand(20, 1)), epochs=2, lr=0.01)
>>> ax = plot_seed_band(run, which="train")
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from numbers import Real
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.axes import Axes

from nnbook._arrays import check_array
from nnbook.plots.basic import DATA_COLOR, MODEL_COLOR, as_table, new_axes, plot_data, slice_grid

if TYPE_CHECKING:  # pragma: no cover
    from nnbook.training.seeds import SeedEnsemble


def _finite(values: torch.Tensor) -> np.ndarray:
    """``values`` as a NumPy float array with every infinite value turned into NaN (a diverged seed)."""
    a = values.detach().cpu().double().numpy()
    return np.where(np.isfinite(a), a, np.nan)


def seed_stats(losses: torch.Tensor) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row of ``losses`` (epochs, seeds): the min, median and max over the seeds with a finite loss.

    The median of an even count is the mean of the two middle values; a row where every seed
    diverged gives NaN (nothing is drawn there).

    >>> [v.tolist() for v in seed_stats(torch.tensor([[1.0, 2.0, 3.0, float("nan")]]))]
    [[1.0], [2.0], [3.0]]
    >>> seed_stats(torch.tensor([[1.0, 2.0, 4.0, 8.0]]))[1].tolist()
    [3.0]
    """
    a = _finite(losses)
    with warnings.catch_warnings():  # an all-NaN row (every seed diverged) is NaN, not a warning
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmin(a, axis=1), np.nanmedian(a, axis=1), np.nanmax(a, axis=1)


def seed_count(losses: torch.Tensor) -> str:
    """How many seeds ``losses`` (epochs, seeds) holds, and how many of them diverged (a NaN or infinite loss).

    >>> seed_count(torch.ones(3, 4)), seed_count(torch.tensor([[1.0, float("nan")]]))
    ('4 seeds', '1 of 2 seeds; 1 diverged')
    """
    n = losses.shape[-1]
    diverged = int((~torch.isfinite(losses.reshape(-1, n))).any(dim=0).sum())
    return f"{n} seeds" if diverged == 0 else f"{n - diverged} of {n} seeds; {diverged} diverged"


def plot_seed_band(
    run: SeedEnsemble,
    ax: Axes | None = None,
    which: str = "valid",
    label: str | None = None,
    color: str | None = None,
    log: bool = True,
) -> Axes:
    """The loss per epoch over all seeds of ``run``: the median as a line, the min–max range as a band.

    ``which`` is "valid" or "train". Call it several times on one ``ax`` to compare settings. A seed
    whose loss became NaN or infinite (it diverged) drops out from then on: the line and band cover
    the seeds still training, and the legend says how many survived.

    >>> from nnbook.models import mlp
    >>> from nnbook.training import fit_seeds
    >>> run = fit_seeds(lambda: mlp([1, 1]), [0, 1], (torch.rand(8, 1), torch.rand(8, 1)), epochs=3, lr=0.1)
    >>> plot_seed_band(run, which="train", label="line").get_legend_handles_labels()[1]
    ['line (2 seeds)']
    >>> run.train_loss[:, 1] = torch.nan  # as if seed 1 had diverged
    >>> plot_seed_band(run, which="train", label="line").get_legend_handles_labels()[1][-1]
    'line (1 of 2 seeds; 1 diverged)'
    """
    if not hasattr(run, "train_loss") or not hasattr(run, "seeds"):
        raise TypeError(f"run must be what fit_seeds() returns, got {type(run).__name__}.")
    if which not in ("valid", "train"):
        raise ValueError(f"which must be 'valid' or 'train', got {which!r}.")
    losses = run.train_loss if which == "train" else run.valid_loss
    if losses is None:
        raise ValueError("this run had no validation set, so there is no validation loss; use which='train'.")
    ax = new_axes(ax, figsize=(6, 3.6))
    epochs = torch.arange(1, losses.shape[0] + 1).numpy()
    low, mid, high = seed_stats(losses)
    (line,) = ax.plot(epochs, mid, color=color, label=f"{label or which} ({seed_count(losses)})")
    ax.fill_between(epochs, low, high, color=line.get_color(), alpha=0.25, lw=0)
    ax.set(xlabel="epoch", ylabel=f"{which} loss", yscale="log" if log else "linear")
    ax.legend(fontsize=8)
    return ax


def plot_seed_curves(
    run: SeedEnsemble,
    x: torch.Tensor,
    y: torch.Tensor,
    ax: Axes | None = None,
    n: int = 400,
    along: int = 0,
    at: Sequence[float] | None = None,
    output: int = 0,
) -> Axes:
    """The data, with the curve of every seed of ``run`` drawn thin on top: where they agree, the fit is no fluke.

    For several inputs the curves run along input ``along``, the others held at ``at`` (default: their
    medians); for several outputs (a classifier's logits, say) ``output`` picks the one drawn, and a ``y``
    with one column per output is drawn at that column too.

    >>> from nnbook.models import mlp
    >>> from nnbook.training import fit_seeds
    >>> x = torch.rand(30, 1)
    >>> run = fit_seeds(lambda: mlp([1, 4, 1]), range(3), (x, x), epochs=1, lr=0.01)
    >>> len(plot_seed_curves(run, x, x).get_lines())
    3
    """
    if not hasattr(run, "predict") or not hasattr(run, "seeds"):
        raise TypeError(f"run must be what fit_seeds() returns, got {type(run).__name__}.")
    grid = slice_grid(x, along=along, at=at, steps=n)
    preds = run.predict(grid)
    if not -preds.shape[-1] <= output < preds.shape[-1]:
        raise ValueError(f"output={output}, but the models have {preds.shape[-1]} output(s).")
    y = as_table(y, "y")
    if y.shape[1] > 1:
        if y.shape[1] != preds.shape[-1]:
            raise ValueError(
                f"y has {y.shape[1]} columns but the models have {preds.shape[-1]} output(s): give one target "
                f"column per output, or the column to draw, y[:, {output}]."
            )
        y = y[:, output]
    ax = plot_data(x, y, ax=ax, along=along)
    along = along % grid.shape[1]
    for i, pred in enumerate(preds):
        ax.plot(
            grid[:, along].numpy(),
            pred[:, output].detach().cpu().numpy(),
            color=MODEL_COLOR,
            lw=1,
            alpha=0.6,
            label=f"{len(run.seeds)} seeds" if i == 0 else None,
        )
    ax.legend(fontsize=8)
    return ax


def plot_sweep(
    results: Mapping[object, torch.Tensor],
    ax: Axes | None = None,
    xlabel: str = "",
    log_x: bool = False,
    ylabel: str = "validation MSE",
) -> Axes:
    """One dot per seed and a line through the means, for each swept value (the keys of ``results``).

    ``results`` maps each setting to a tensor of per-seed final losses, e.g. ``{2: run2.final_valid_loss, …}``.
    Numeric keys (Python or NumPy numbers) are placed on a numeric axis (``log_x`` for sizes such as 2 … 500);
    others side by side. A NaN or infinite loss (a seed that diverged) is left out of its mean, and the
    legend says how many diverged.

    >>> ax = plot_sweep({"relu": torch.tensor([0.2, 0.3]), "tanh": torch.tensor([0.4, 0.5])}, xlabel="activation")
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['relu', 'tanh']
    >>> ax = plot_sweep({2: torch.tensor([0.2, float("nan")]), 8: torch.tensor([0.1, 0.3])}, log_x=True)
    >>> ax.get_legend_handles_labels()[1]
    ['mean over surviving seeds (1 of 4 diverged)']
    """
    if not isinstance(results, Mapping):
        raise TypeError(
            f"results must be a dict from each swept value to its per-seed losses, got {type(results).__name__}, "
            "for example {10: run10.final_valid_loss, 50: run50.final_valid_loss}."
        )
    if not results:
        raise ValueError(
            "results is empty: pass a dict such as {10: run10.final_valid_loss, 50: run50.final_valid_loss}."
        )
    keys = list(results)
    table = {}
    for key in keys:
        values = check_array(results[key], f"results[{key!r}]", shape="any", finite=False).detach().cpu().reshape(-1)
        table[key] = values.masked_fill(~torch.isfinite(values), torch.nan)  # a diverged seed: NaN
    if not any(bool(v.isfinite().any()) for v in table.values()):
        raise ValueError(
            "every loss in results is NaN or infinite (every seed diverged), so there is nothing to draw: "
            "train with a smaller lr, or sweep other settings."
        )
    numeric = all(isinstance(k, Real) and not isinstance(k, (bool, np.bool_)) for k in keys)
    if log_x and (not numeric or any(k <= 0 for k in keys)):
        shown = [k for k in keys if not numeric or k <= 0]
        raise ValueError(
            f"log_x=True, but the swept values include {shown[:3]}, which a log axis cannot place (it holds numbers "
            "> 0 only). Use log_x=False, or leave those values out."
        )
    ax = new_axes(ax, figsize=(5.5, 3.4))
    positions = [float(k) for k in keys] if numeric else list(range(len(keys)))
    shown, means = [], []
    for pos, key in zip(positions, keys, strict=True):
        values = table[key]
        ax.scatter([pos] * len(values), values.numpy(), s=16, color=DATA_COLOR, zorder=2)
        if values.isfinite().any():  # a setting where every seed diverged has no mean to draw
            shown.append(pos)
            means.append(float(values.nanmean()))
    total = sum(len(v) for v in table.values())
    diverged = sum(int(v.isnan().sum()) for v in table.values())
    label = "mean over seeds" if diverged == 0 else f"mean over surviving seeds ({diverged} of {total} diverged)"
    ax.plot(shown, means, "o-", color=MODEL_COLOR, zorder=3, label=label)
    if numeric:
        ax.set_xscale("log" if log_x else "linear")
        ax.set_xticks(positions, [str(k) for k in keys])
        ax.minorticks_off()
    else:
        ax.set_xticks(positions, [str(k) for k in keys])
    ax.set(xlabel=xlabel, ylabel=ylabel)
    ax.legend(fontsize=8)
    return ax


def plot_curve_frames(
    x: torch.Tensor,
    y: torch.Tensor,
    grid: torch.Tensor,
    frames: Sequence[torch.Tensor],
    labels: Sequence[str] | None = None,
    ax: Axes | None = None,
    title: str = "",
    cmap: str = "viridis",
    along: int = 0,
) -> Axes:
    """Several snapshots of a model's curve over the data, from early (light) to late (dark), in one picture.

    ``frames`` are predictions on ``grid`` (for example ``Snapshots(grid).frames``); at most
    ten or so read well, so pass a selection such as ``frames[::5]``. For a multi-input model,
    ``grid`` is a slice (:func:`~nnbook.plots.slice_grid`) and ``along`` the input it runs along.

    >>> g = torch.linspace(0, 1, 5)[:, None]
    >>> ax = plot_curve_frames(g, g, g, [0 * g, g], labels=["start", "end"])
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['start', 'end']
    """
    if len(frames) == 0:
        raise ValueError("frames is empty: record some first with the Snapshots callback and pass snaps.frames.")
    if labels is not None and len(labels) != len(frames):
        raise ValueError(f"got {len(labels)} labels for {len(frames)} frames; give one label per frame or none.")
    grid = as_table(grid, "grid")
    grid_col = grid[:, along % grid.shape[1]]
    preds = []
    for i, frame in enumerate(frames):
        frame = torch.as_tensor(frame).detach().cpu()
        if frame.dim() == 0 or frame.shape[0] != len(grid_col):
            raise ValueError(
                f"frame {i} has {frame.shape[0] if frame.dim() else 0} rows but grid has {len(grid_col)}: each frame "
                "must be the model's prediction on grid."
            )
        preds.append(frame.reshape(len(grid_col), -1)[:, 0])
    ax = plot_data(x, y, ax=ax, label=None, along=along)
    order = grid_col.argsort()
    colors = plt.get_cmap(cmap)(torch.linspace(0.9, 0.0, len(frames)).numpy())
    for i, pred in enumerate(preds):
        label = labels[i] if labels is not None else None
        ax.plot(grid_col[order].numpy(), pred[order].numpy(), color=colors[i], lw=1.6, label=label)
    if labels is not None:
        ax.legend(fontsize=7, ncol=2)
    ax.set_title(title)
    return ax
