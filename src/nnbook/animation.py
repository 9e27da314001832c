"""Animations of training: record snapshots of a model while it learns, then play them back.

``Snapshots`` is a callback that stores the model's predictions on fixed inputs every few epochs
(or batches). ``curve_animation`` turns stored curves into a matplotlib ``FuncAnimation``, and
``show_animation`` shows it as an interactive player in notebooks and on the book's pages, or
saves it as a GIF from a script.

>>> import torch
>>> x = torch.linspace(0, 1, 20)[:, None]
>>> anim = curve_animation(x, x, x, [0 * x, 0.5 * x, x])
>>> anim.save_count if hasattr(anim, "save_count") else 3
3
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import torch
from matplotlib.animation import FuncAnimation, PillowWriter

from nnbook.display import _figure_dir, in_notebook
from nnbook.plots.basic import DATA_COLOR, MODEL_COLOR
from nnbook.training.callbacks import Callback

if TYPE_CHECKING:  # pragma: no cover
    from nnbook.training.learner import Learner

MAX_FRAMES = 40
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

    ``frames`` holds the predictions and ``labels`` a caption for each ("epoch 3", "step 40").

    >>> Snapshots(torch.zeros(3, 1), every=2, on="batch").on
    'batch'
    """

    def __init__(self, inputs: torch.Tensor, every: int = 1, on: str = "epoch", max_steps: int | None = None) -> None:
        if on not in ("epoch", "batch"):
            raise ValueError(f"on must be 'epoch' or 'batch', got {on!r}.")
        self.inputs, self.every, self.on, self.max_steps = inputs, every, on, max_steps
        self.frames: list[torch.Tensor] = []
        self.labels: list[str] = []
        self._step = 0

    def _record(self, learner: Learner, label: str) -> None:
        learner.model.eval()
        with torch.no_grad():
            self.frames.append(learner.model(self.inputs.to(learner.device)).cpu())
        learner.model.train()
        self.labels.append(label)

    def before_fit(self, learner: Learner) -> None:
        self.frames, self.labels, self._step = [], [], 0
        self._record(learner, "before training")

    def after_batch(self, learner: Learner) -> None:
        if self.on == "batch":
            self._step += 1
            if self._step % self.every == 0 and (self.max_steps is None or self._step <= self.max_steps):
                self._record(learner, f"step {self._step}")

    def after_epoch(self, learner: Learner) -> None:
        if self.on == "epoch" and (learner.epoch % self.every == 0 or learner.epoch == learner.epochs):
            self._record(learner, f"epoch {learner.epoch}")


def cap_frames(n_frames: int, max_frames: int = MAX_FRAMES) -> list[int]:
    """Indices of at most ``max_frames`` frames, evenly spread, always keeping the first and the last.

    >>> cap_frames(5, 10)
    [0, 1, 2, 3, 4]
    >>> cap_frames(100, 4)
    [0, 33, 66, 99]
    """
    if n_frames == 0:
        raise ValueError(
            "there are no recorded frames to animate. Record some first, for example with the "
            "Snapshots callback: fit(..., callbacks=[snaps]), then animate snaps.frames."
        )
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
) -> FuncAnimation:
    """Animate a model's curve over ``grid`` moving through ``frames`` above the data ``(x, y)``.

    More than ``max_frames`` frames are subsampled evenly (with a warning), so pages stay small.

    >>> x = torch.linspace(0, 1, 10)[:, None]
    >>> anim = curve_animation(x, x, x, [x * s for s in (0.0, 0.5, 1.0)], labels=["a", "b", "c"])
    """
    keep = cap_frames(len(frames), max_frames)
    if len(keep) < len(frames):
        warnings.warn(
            f"{len(frames)} frames were recorded; showing {len(keep)} evenly spaced ones (max_frames={max_frames}) "
            "so that the page stays small.",
            stacklevel=2,
        )
    frames = [torch.as_tensor(frames[i]).detach().reshape(-1) for i in keep]
    labels = [labels[i] for i in keep] if labels is not None else [f"frame {i}" for i in keep]
    x_col = torch.as_tensor(x).detach().reshape(len(x), -1)[:, 0]
    grid_col = torch.as_tensor(grid).detach().reshape(len(grid), -1)[:, 0]
    order = grid_col.argsort()
    fig, ax = plt.subplots(figsize=(5.5, 3.6), layout="constrained", dpi=FRAME_DPI)
    ax.scatter(x_col.numpy(), torch.as_tensor(y).reshape(-1).numpy(), s=4 if len(x_col) > 500 else 14, color=DATA_COLOR)
    all_y = torch.cat([torch.as_tensor(y).reshape(-1), *frames])
    pad = 0.1 * float(all_y.max() - all_y.min())
    ax.set(ylim=(float(all_y.min()) - pad, float(all_y.max()) + pad), xlabel="x", ylabel="y")
    (line,) = ax.plot([], [], color=MODEL_COLOR, lw=2)
    caption = ax.set_title("")

    def draw(i: int):
        line.set_data(grid_col[order].numpy(), frames[i][order].numpy())
        caption.set_text(f"{title} {labels[i]}".strip())
        return line, caption

    return _freeze(FuncAnimation(fig, draw, frames=len(frames), interval=interval, blit=False))


def _freeze(anim: FuncAnimation) -> FuncAnimation:
    """Lay the figure out once, then keep that layout for every frame (re-laying it out per frame is slow)."""
    fig = anim._fig
    fig.canvas.draw()
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
    html = anim.to_jshtml(default_mode="once")
    html = re.sub(r'<link rel="stylesheet"\s+href="[^"]*font-awesome[^"]*">', "", html)
    html = re.sub(r'<img id="(_anim_img\w*)">', r'<img id="\1" alt="Animation frame">', html)
    for css_class, symbol in _ICONS.items():
        html = html.replace(f'<i class="{css_class}"></i>', symbol)
    return html


def show_animation(anim: FuncAnimation, name: str = "animation") -> None:
    """Show ``anim`` as a player in notebooks and book pages; from a script, save it as a GIF.

    >>> x = torch.linspace(0, 1, 5)[:, None]
    >>> show_animation(curve_animation(x, x, x, [x, 2 * x]), name="doc")  # doctest: +ELLIPSIS
    saved animation ...doc.gif
    """
    if in_notebook():
        from IPython.display import HTML, display

        display(HTML(to_html(anim)))
    else:
        path = _figure_dir() / f"{name}.gif"
        anim.save(path, writer=PillowWriter(fps=max(1, round(1000 / anim._interval))), dpi=60)
        print(f"saved animation {path}")
