"""Animations of training: record snapshots of a model while it learns, then play them back.

``Snapshots`` is a callback that stores the model's predictions on fixed inputs every few epochs
(or batches). ``curve_animation`` turns stored curves into a matplotlib ``FuncAnimation``, and
``show_animation`` shows it as an interactive player in notebooks and on the book's pages, or
saves it as a GIF from a script; ``save_animation`` saves it to a path of your choice.

>>> import torch
>>> x = torch.linspace(0, 1, 20)[:, None]
>>> anim = curve_animation(x, x, x, [0 * x, 0.5 * x, x], labels=["start", "middle", "end"])
>>> len(list(anim.new_frame_seq()))
3
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import torch
from matplotlib.animation import Animation, FuncAnimation, PillowWriter

from nnbook._callbacks import Callback
from nnbook._options import Choice, Number, Whole
from nnbook.display import in_notebook, numbered_file
from nnbook.models.running import run_model
from nnbook.plots.basic import DATA_COLOR, MODEL_COLOR, as_table, input_name

if TYPE_CHECKING:  # pragma: no cover
    from nnbook._callbacks import TrainState

__all__ = ["Snapshots", "cap_frames", "curve_animation", "save_animation", "show_animation", "to_html"]

MAX_FRAMES = 40
MAX_FRAMES_RULE = Whole(2, hint="It counts the first and the last frame too; try max_frames=40.")
INTERVAL = Number(1, 60_000, hint="It is the time per frame in milliseconds; try interval=120.")
FRAME_DPI = 72  # every frame is an embedded PNG: modest resolution keeps pages small and fast to build

# Offline-safe player controls: matplotlib's player loads an icon font from a CDN; we use plain symbols.
_ICONS = {
    "fa fa-minus": "&minus;",
    "fa fa-fast-backward": "&#x23EE;",
    "fa fa-step-backward": "&#x23F4;&#x2503;",
    "fa fa-play fa-flip-horizontal": "&#x25C0;",
    "fa fa-pause": "&#x23F8;",
    "fa fa-play": "&#x25B6;",
    "fa fa-step-forward": "&#x2503;&#x23F5;",
    "fa fa-fast-forward": "&#x23ED;",
    "fa fa-plus": "+",
}


class Snapshots(Callback):
    """Record ``model(inputs)`` every ``every`` epochs (``on="epoch"``) or optimizer steps (``on="batch"``).

    ``frames`` holds the predictions and ``labels`` a caption for each ("epoch 3", "step 40"). For a
    model with several inputs, record it along one input with ``Snapshots(slice_grid(x, along=j))``
    (:func:`~nnbook.plots.slice_grid`) and animate with ``curve_animation(..., along=j)``.
    ``before_fit`` checks that the model takes ``inputs``, so a mistake stops training at once.

    >>> from nnbook.training import fit
    >>> x = torch.linspace(0, 1, 20)[:, None]
    >>> snaps = Snapshots(x, every=2)
    >>> h = fit(torch.nn.Linear(1, 1), (x, 2 * x), epochs=4, lr=0.1, progress=False, callbacks=[snaps])
    >>> snaps.labels
    ['before training', 'epoch 2', 'epoch 4']
    """

    def __init__(self, inputs: torch.Tensor, every: int = 1, on: str = "epoch", max_steps: int | None = None) -> None:
        on = Choice(("epoch", "batch"))(on, "on")
        self.inputs = as_table(inputs, "inputs")
        self.every = Whole(1, hint=f"It counts {'epochs' if on == 'epoch' else 'steps'}.")(every, "every")
        max_steps = Whole(1, hint="Use None to record until the end.", none=True)(max_steps, "max_steps")
        self.on, self.max_steps = on, max_steps
        self.frames: list[torch.Tensor] = []
        self.labels: list[str] = []
        self._step = 0

    def _record(self, state: TrainState, label: str) -> None:
        self.frames.append(run_model(state.model, self.inputs, "inputs"))
        self.labels.append(label)

    def before_fit(self, state: TrainState) -> None:
        if state.stacked:
            raise ValueError(
                "Snapshots records one model, but fit_seeds trains several seeds at once. Record one seed with "
                "fit(model, ..., callbacks=[snaps]), or draw all seeds after training with plot_seed_curves(run, x, y)."
            )
        self.frames, self.labels, self._step = [], [], 0
        try:
            self._record(state, "before training")
        except ValueError as err:
            raise ValueError(
                f"Snapshots cannot record this model: {err} Give Snapshots rows with all the inputs the model takes, "
                "for a multi-input model a slice such as slice_grid(x, along=0)."
            ) from None
        out = self.frames[0]
        if out.dim() == 0 or out.shape[0] != len(self.inputs):
            raise ValueError(
                f"Snapshots records one prediction per row of inputs, but for {len(self.inputs)} rows the model "
                f"returned shape {tuple(out.shape)}."
            )

    def after_batch(self, state: TrainState) -> None:
        if self.on == "batch":
            self._step += 1
            if self._step % self.every == 0 and (self.max_steps is None or self._step <= self.max_steps):
                self._record(state, f"step {self._step}")

    def after_epoch(self, state: TrainState) -> None:
        last = state.epoch == state.epochs
        if self.on == "epoch" and (state.epoch % self.every == 0 or last):
            self._record(state, f"epoch {state.epoch}")


def cap_frames(n_frames: int, max_frames: int = MAX_FRAMES) -> list[int]:
    """Indices of at most ``max_frames`` frames, evenly spread, always keeping the first and the last.

    >>> cap_frames(100, 4)
    [0, 33, 66, 99]
    """
    n_frames = Whole(0, hint="It is the number of recorded frames, len(snaps.frames).")(n_frames, "n_frames")
    if n_frames == 0:
        raise ValueError(
            "there are no recorded frames to animate. Record some first, for example with the "
            "Snapshots callback: fit(..., callbacks=[snaps]), then animate snaps.frames."
        )
    max_frames = MAX_FRAMES_RULE(max_frames, "max_frames")
    if n_frames <= max_frames:
        return list(range(n_frames))
    return sorted({round(i * (n_frames - 1) / (max_frames - 1)) for i in range(max_frames)})


def curve_animation(
    x: torch.Tensor,
    y: torch.Tensor,
    grid: torch.Tensor,
    frames: Sequence[torch.Tensor],
    labels: Sequence[str] | None = None,
    max_frames: int = MAX_FRAMES,
    interval: int = 120,
    title: str = "",
    along: int = 0,
) -> FuncAnimation:
    """Animate a model's curve over ``grid`` moving through ``frames`` above the data ``(x, y)``.

    Each frame is captioned inside the figure with ``title`` and its label. More than ``max_frames``
    frames are subsampled evenly (with a warning), so pages stay small. ``interval`` is the time per
    frame in milliseconds. For a multi-input model, ``grid`` is a slice along input ``along``
    (see :class:`Snapshots`).

    >>> x = torch.linspace(0, 1, 10)[:, None]
    >>> anim = curve_animation(x, x, x, [x * s for s in (0.0, 0.5, 1.0)], labels=["a", "b", "c"])
    """
    keep = cap_frames(len(frames), max_frames)
    interval = INTERVAL(interval, "interval")
    if labels is not None and len(labels) != len(frames):
        raise ValueError(f"got {len(labels)} labels for {len(frames)} frames; give one label per frame or none.")
    x, y, grid = as_table(x, "x"), as_table(y, "y"), as_table(grid, "grid")
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} rows but y has {len(y)}: give one target per point.")
    if x.shape[1] != grid.shape[1]:
        raise ValueError(f"x has {x.shape[1]} column(s) but grid has {grid.shape[1]}: grid must be rows like x's.")
    along = Whole(0, x.shape[1] - 1, hint=f"x has {x.shape[1]} input column(s), counted from 0.")(along, "along")
    if len(keep) < len(frames):
        warnings.warn(
            f"{len(frames)} frames were recorded; showing {len(keep)} evenly spaced ones (max_frames={max_frames}) "
            "so that the page stays small.",
            stacklevel=2,
        )
    picked = []
    for i in keep:
        frame = torch.as_tensor(frames[i]).detach().cpu()
        if frame.dim() == 0 or frame.shape[0] != len(grid):
            raise ValueError(
                f"frame {i} has shape {tuple(frame.shape)} but grid has {len(grid)} rows: each frame must be the "
                "model's prediction on grid."
            )
        if frame.is_floating_point() and not bool(torch.isfinite(frame).all()):
            caption = f" ({labels[i]})" if labels is not None else ""
            before = f", or animate only the frames before it, frames[:{i}]" if i else ""
            raise ValueError(
                f"frame {i}{caption} holds NaN or infinite values, so it cannot be drawn: the training probably "
                f"diverged. Train again with a smaller learning rate{before}."
            )
        picked.append(frame.reshape(len(grid), -1)[:, 0].float())
    frames = picked
    captions = [f"{title} {labels[i] if labels is not None else f'frame {i}'}".strip() for i in keep]
    x_col, grid_col = x[:, along], grid[:, along]
    order = grid_col.argsort()
    fig, ax = plt.subplots(figsize=(5.5, 3.6), layout="constrained", dpi=FRAME_DPI)
    ax.scatter(x_col.numpy(), y[:, 0].numpy(), s=4 if len(x_col) > 500 else 14, color=DATA_COLOR)
    all_y = torch.cat([y[:, 0], *frames])
    pad = 0.1 * float(all_y.max() - all_y.min()) or 0.5
    ax.set(ylim=(float(all_y.min()) - pad, float(all_y.max()) + pad), xlabel=input_name(along, x.shape[1]), ylabel="y")
    (line,) = ax.plot([], [], color=MODEL_COLOR, lw=2)
    # Lay the figure out with the longest caption in place, so that every caption fits inside the figure.
    caption = ax.set_title(max(captions, key=len))

    def draw(i: int):
        line.set_data(grid_col[order].numpy(), frames[i][order].numpy())
        caption.set_text(captions[i])
        return line, caption

    anim = FuncAnimation(fig, draw, frames=len(frames), interval=interval, blit=False)
    fig.canvas.draw()  # lay the figure out once, then keep that layout for every frame (re-laying out is slow)
    fig.set_layout_engine("none")
    plt.close(fig)
    return anim


def to_html(anim: FuncAnimation) -> str:
    """The animation as a self-contained HTML player that needs no network (no icon-font download).

    >>> x = torch.linspace(0, 1, 5)[:, None]
    >>> html = to_html(curve_animation(x, x, x, [x, 2 * x]))
    >>> "font-awesome" in html, 'alt="Animation frame"' in html
    (False, True)
    """
    _check_animation(anim)
    html = anim.to_jshtml(default_mode="once")
    html = re.sub(r'<link rel="stylesheet"\s+href="[^"]*font-awesome[^"]*">', "", html)
    html = re.sub(r'<img id="(_anim_img\w*)">', r'<img id="\1" alt="Animation frame">', html)
    for css_class, symbol in _ICONS.items():
        html = html.replace(f'<i class="{css_class}"></i>', symbol)
    return html


def _check_animation(anim: object) -> None:
    if not isinstance(anim, Animation):
        raise TypeError(
            f"expected a matplotlib animation such as curve_animation(...) returns, got {type(anim).__name__}."
        )


def save_animation(anim: FuncAnimation, path: str | Path) -> Path:
    """Save ``anim`` to ``path``: a GIF (``.gif``) or a self-contained HTML player (``.html``). Returns the path.

    The folder must exist; the file is overwritten.

    >>> import tempfile
    >>> x = torch.linspace(0, 1, 5)[:, None]
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     saved = save_animation(curve_animation(x, x, x, [x, 2 * x]), Path(folder) / "fit.gif")
    ...     saved.name, saved.stat().st_size > 0
    ('fit.gif', True)
    """
    _check_animation(anim)
    if not isinstance(path, (str, os.PathLike)) or not str(path):
        raise TypeError(f"path must be a file name such as 'fit.gif', got {path!r}.")
    path = Path(path)
    if path.suffix.lower() not in (".gif", ".html"):
        raise ValueError(f"cannot save an animation as {path.suffix or 'a file without suffix'}: use .gif or .html.")
    folder = path.parent
    if not folder.is_dir():
        raise FileNotFoundError(f"the folder {folder} does not exist; create it first (Path(...).mkdir(parents=True)).")
    if not os.access(folder, os.W_OK):
        raise PermissionError(f"the folder {folder} is not writable; save the animation somewhere else.")
    if path.suffix.lower() == ".html":
        path.write_text(to_html(anim), encoding="utf-8")
    else:
        interval = getattr(anim, "_interval", 120)
        anim.save(path, writer=PillowWriter(fps=max(1, round(1000 / interval))), dpi=60)
    return path


def show_animation(anim: FuncAnimation, name: str = "animation") -> None:
    """Show ``anim`` as a player in notebooks and book pages; from a script, save it as ``<name>-01.gif``.

    The script's GIF goes into the figures folder (``NNBOOK_FIGURES``); ``name`` is a plain file name.
    Later calls number their files on (``<name>-02.gif`` …), as :func:`~nnbook.show` numbers figures,
    so no earlier animation is overwritten. To choose the place yourself, use :func:`save_animation`.

    >>> x = torch.linspace(0, 1, 5)[:, None]
    >>> show_animation(curve_animation(x, x, x, [x, 2 * x]), name="doc")  # doctest: +ELLIPSIS
    saved animation ...doc-01.gif
    """
    _check_animation(anim)
    if not isinstance(name, str) or not name or name != Path(name).name or name in (".", ".."):
        raise ValueError(
            f"name must be a plain file name such as 'line-fit', without folders, got {name!r}. "
            "To save into a folder of your choice use save_animation(anim, path)."
        )
    if in_notebook():
        from IPython.display import HTML, display

        display(HTML(to_html(anim)))
    else:
        path = save_animation(anim, numbered_file(name.removesuffix(".gif"), ".gif"))
        print(f"saved animation {path}")
