"""Animations and the drawing callbacks: captions inside the frames, saving, and checks before training starts."""

from __future__ import annotations

import base64
import io
import re

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402

from nnbook.animation import Snapshots, curve_animation, save_animation, show_animation, to_html  # noqa: E402
from nnbook.models import mlp  # noqa: E402
from nnbook.plots import LivePlot, slice_grid  # noqa: E402
from nnbook.training import Callback, fit  # noqa: E402

X = torch.linspace(0, 1, 30)[:, None]


def decoded_frames(anim) -> list[np.ndarray]:
    """The frames as the page's player shows them: the PNG images embedded in the HTML, decoded."""
    html = to_html(anim)
    pngs = re.findall(r'frames\[\d+\] = "data:image/png;base64,([^"]+)"', html)
    return [np.asarray(Image.open(io.BytesIO(base64.b64decode(p.replace("\\\n", "")))).convert("L")) for p in pngs]


def test_each_frame_shows_its_caption():
    # Two frames with the same curve: only their captions differ, so any difference in pixels is the caption.
    anim = curve_animation(X, X, X, [X, X], labels=["epoch 1", "epoch 99"], title="a fit,")
    first, second = decoded_frames(anim)
    assert first.shape == second.shape
    rows, cols = np.nonzero(first != second)
    assert len(rows) > 20, "the captions left no pixels in the frames: they are drawn outside the figure"
    assert rows.max() < first.shape[0] * 0.25, "the caption should sit above the plot, at the top of the frame"
    assert (first[rows, cols] < 128).any() or (second[rows, cols] < 128).any(), "the caption's text is dark ink"


def test_save_animation_writes_a_gif_or_a_player(tmp_path):
    anim = curve_animation(X, X, X, [X, 2 * X, 3 * X])
    gif = save_animation(anim, tmp_path / "fit.gif")
    with Image.open(gif) as image:
        assert image.n_frames == 3
    page = save_animation(anim, str(tmp_path / "fit.html"))
    assert 'alt="Animation frame"' in page.read_text()


def test_save_and_show_refuse_bad_places(tmp_path):
    anim = curve_animation(X, X, X, [X, 2 * X])
    with pytest.raises(FileNotFoundError, match="does not exist"):
        save_animation(anim, tmp_path / "missing" / "fit.gif")
    with pytest.raises(ValueError, match=".gif or .html"):
        save_animation(anim, tmp_path / "fit.mp4")
    with pytest.raises(ValueError, match="save_animation"):
        show_animation(anim, name="out/fit")


def test_a_script_numbers_its_animations_so_none_is_overwritten(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NNBOOK_FIGURES", str(tmp_path))
    show_animation(curve_animation(X, X, X, [X, 2 * X]))
    show_animation(curve_animation(X, X, X, [X, 3 * X]))
    show_animation(curve_animation(X, X, X, [X, 4 * X]), name="fit.gif")
    saved = sorted(p.name for p in tmp_path.rglob("*.gif"))
    assert saved == ["animation-01.gif", "animation-02.gif", "fit-01.gif"]
    assert "animation-02.gif" in capsys.readouterr().out


def test_the_module_exports_its_public_names_only():
    import nnbook.animation as animation

    assert sorted(animation.__all__) == [
        "Snapshots",
        "cap_frames",
        "curve_animation",
        "save_animation",
        "show_animation",
        "to_html",
    ]
    assert all(callable(getattr(animation, name)) for name in animation.__all__)


def test_a_frame_with_nan_names_the_frame_and_the_likely_divergence():
    frames = [X, 2 * X, torch.full_like(X, float("nan")), torch.full_like(X, float("inf"))]
    with pytest.raises(
        ValueError, match=r"frame 2 \(epoch 2\) holds NaN.*diverged.*smaller learning rate.*frames\[:2\]"
    ):
        curve_animation(X, X, X, frames, labels=["before training", "epoch 1", "epoch 2", "epoch 3"])
    with pytest.raises(ValueError, match="frame 0 holds NaN or infinite values"):
        curve_animation(X, X, X, [torch.full_like(X, float("inf"))])


class CountEpochs(Callback):
    def __init__(self) -> None:
        self.epochs = 0

    def after_epoch(self, learner) -> None:
        self.epochs += 1


def test_liveplot_refuses_a_model_it_cannot_draw_before_training():
    x, y = torch.rand(50, 2), torch.rand(50, 1)
    counter = CountEpochs()
    with pytest.raises(ValueError, match="LivePlot cannot draw this model"):
        fit(mlp([2, 4, 1]), (x, y), epochs=5, lr=0.01, progress=False, callbacks=[counter, LivePlot(x[:, :1], y)])
    assert counter.epochs == 0


def test_liveplot_draws_a_multi_input_model_along_one_input(monkeypatch, tmp_path):
    monkeypatch.setenv("NNBOOK_FIGURES", str(tmp_path))
    x = torch.rand(50, 3)
    y = x[:, 1:2] * 2
    live = LivePlot(x, y, along=1)
    fit(mlp([3, 4, 1]), (x, y), epochs=2, lr=0.01, progress=False, callbacks=[live])
    xs = live.curve.get_xdata()
    assert xs.min() == pytest.approx(float(x[:, 1].min())) and xs.max() == pytest.approx(float(x[:, 1].max()))
    assert live.ax_fit.get_xlabel() == "x2"


def test_snapshots_check_the_model_before_training_and_record_a_slice():
    x, y = torch.rand(40, 2), torch.rand(40, 1)
    counter = CountEpochs()
    with pytest.raises(ValueError, match="Snapshots cannot record"):
        fit(mlp([2, 4, 1]), (x, y), epochs=3, lr=0.01, progress=False, callbacks=[counter, Snapshots(X)])
    assert counter.epochs == 0
    grid = slice_grid(x, along=1, steps=25)
    snaps = Snapshots(grid)
    fit(mlp([2, 4, 1]), (x, y), epochs=3, lr=0.01, progress=False, callbacks=[snaps])
    assert len(snaps.frames) == 4 and snaps.frames[0].shape == (25, 1)
    anim = curve_animation(x, y, grid, snaps.frames, snaps.labels, along=1)
    assert len(decoded_frames(anim)) == 4
