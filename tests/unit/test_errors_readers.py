"""A catalogue of bad inputs to the data sets, models, plots, animations, analysis and display, one per row.

Every row calls one public function with one mistake a reader can make and states the exception (or
warning) it must get and phrases its message must contain: what was wrong and how to fix it. The
error must come from nnbook's own checks, never from deep inside torch or matplotlib, and a plot
that refuses its input must leave no empty figure behind. (The training loop has its own catalogue.)
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

import nnbook  # noqa: E402
from nnbook import display  # noqa: E402
from nnbook.analysis import feature_decomposition, hidden_features, top_features  # noqa: E402
from nnbook.animation import Snapshots, cap_frames, curve_animation, save_animation, show_animation, to_html  # noqa: E402
from nnbook.data import (  # noqa: E402
    Split,
    circle_classes,
    circle_rule,
    cubic_sine,
    cubic_sine_points,
    gistemp,
    line_points,
    sine_line_points,
    standardize,
    train_valid_split,
    wiggly_curve,
)
from nnbook.models import Linear, Rescaled, collapse_linear, load, mlp  # noqa: E402
from nnbook.plots import (  # noqa: E402
    LivePlot,
    plot_contributions,
    plot_curve_frames,
    plot_data,
    plot_decision_regions,
    plot_decomposition,
    plot_loss_curves,
    plot_losses,
    plot_lrs,
    plot_model,
    plot_output_map,
    plot_output_maps,
    plot_seed_band,
    plot_seed_curves,
    plot_sweep,
    plot_top_features,
    predict_grid,
    slice_grid,
)
from nnbook.training import History, fit_seeds  # noqa: E402

PACKAGE = Path(nnbook.__file__).resolve().parent


@dataclass
class Case:
    """One bad input: ``call(env)`` must raise (or warn) ``expect`` with every phrase in its message."""

    id: str
    call: Callable[[SimpleNamespace], Any]
    expect: type[BaseException]
    wrong: str  # a phrase of the message that says what was wrong
    fix: str  # a phrase that says how to fix it

    @property
    def phrases(self) -> tuple[str, ...]:
        return tuple(p for p in (self.wrong, self.fix) if p)


X = torch.linspace(0, 1, 20)[:, None]
X2 = torch.rand(20, 2, generator=torch.Generator().manual_seed(0))
X3 = torch.rand(20, 3, generator=torch.Generator().manual_seed(1))


def anim():
    return curve_animation(X, X, X, [X, 2 * X])


def history() -> History:
    h = History()
    h.append({"epoch": 1, "train_loss": 1.0})
    return h


def set_env(env: SimpleNamespace, name: str, value: str) -> None:
    env.monkeypatch.setenv(name, value)


CASES = [
    # ---- data sets -------------------------------------------------------------------------------------
    Case(
        "wiggly-one-point", lambda e: wiggly_curve(n=1), ValueError, "n must be a whole number ≥ 2, got 1", "try n=100"
    ),
    Case("wiggly-size-float", lambda e: wiggly_curve(n=10.5), TypeError, "n must be a whole number", "10.5"),
    Case("wiggly-size-negative", lambda e: wiggly_curve(n=-5), ValueError, "got -5", "try n=100"),
    Case("line-points-one", lambda e: line_points(n=1), ValueError, "got 1", "try n=100"),
    Case("line-points-seed-float", lambda e: line_points(seed=0.5), TypeError, "seed", "0.5"),
    Case(
        "line-points-three-params",
        lambda e: line_points(true_params=(1.0, 2.0, 3.0)),
        ValueError,
        "(slope, intercept)",
        "(1.0, 2.0, 3.0)",
    ),
    Case(
        "line-points-nan-param",
        lambda e: line_points(true_params=(math.nan, 1.0)),
        ValueError,
        "true_params[0] must be a finite number",
        "got nan",
    ),
    Case("sine-line-size-text", lambda e: sine_line_points(n="100"), TypeError, "'100'", "str"),
    Case(
        "circle-radius-zero",
        lambda e: circle_classes(radius=0),
        ValueError,
        "radius must be a finite number > 0",
        "got 0",
    ),
    Case(
        "circle-width-negative",
        lambda e: circle_classes(width=-1.0),
        ValueError,
        "width must be a finite number > 0",
        "got -1",
    ),
    Case(
        "circle-swap-above-one",
        lambda e: circle_classes(max_swap=1.5),
        ValueError,
        "max_swap must be a finite number ≥ 0 and ≤ 1",
        "got 1.5",
    ),
    Case(
        "circle-swap-nan",
        lambda e: circle_classes(max_swap=math.nan),
        ValueError,
        "max_swap must be a finite number",
        "got nan",
    ),
    Case("circle-rule-1d-points", lambda e: circle_rule(torch.rand(5)), ValueError, "(n, 2)", "(5,)"),
    Case("circle-rule-three-columns", lambda e: circle_rule(torch.rand(5, 3)), ValueError, "(n, 2)", "(5, 3)"),
    Case("cubic-sine-text", lambda e: cubic_sine("1.0"), TypeError, "got str", "torch.tensor("),
    Case(
        "cubic-noise-negative",
        lambda e: cubic_sine_points(noise_std=-1.0),
        ValueError,
        "noise_std must be a finite number ≥ 0",
        "got -1",
    ),
    Case("gistemp-until-text", lambda e: gistemp(until="2020"), TypeError, "until must be a year", "'2020'"),
    Case("gistemp-until-early", lambda e: gistemp(until=1700), ValueError, "until=1700", "1880"),
    Case(
        "split-fraction-one",
        lambda e: train_valid_split(X, X, valid_fraction=1.0),
        ValueError,
        "got 1",
        "0.2 keeps one in five",
    ),
    Case(
        "split-fraction-nan",
        lambda e: train_valid_split(X, X, valid_fraction=math.nan),
        ValueError,
        "got nan",
        "0.2 keeps one in five",
    ),
    Case(
        "split-too-few-rows",
        lambda e: train_valid_split(X[:2], X[:2], valid_fraction=0.1),
        ValueError,
        "leaves 0 for validation",
        "at least one row",
    ),
    Case(
        "split-dataclass-row-mismatch",
        lambda e: Split(X, X[:5], X, X),
        ValueError,
        "x_train has shape (20, 1)",
        "same number of rows",
    ),
    Case(
        "split-dataclass-column-mismatch",
        lambda e: Split(X, X, X2, X2),
        ValueError,
        "x_train has rows of shape (1,)",
        "x_valid (2,)",
    ),
    Case(
        "split-dataclass-lists",
        lambda e: Split([1.0], [1.0], [1.0], [1.0]),
        TypeError,
        "are list and list",
        "torch.as_tensor",
    ),
    Case("standardize-one-row", lambda e: standardize(torch.ones(1, 3)), ValueError, "1 row(s)", "at least 2"),
    Case(
        "standardize-constant",
        lambda e: standardize(torch.ones(5, 1)),
        ValueError,
        "column(s) [0] of t are constant",
        "drop it",
    ),
    Case(
        "standardize-nan",
        lambda e: standardize(torch.tensor([[1.0], [math.nan]])),
        ValueError,
        "t contains 1 NaN",
        "remove those rows",
    ),
    Case(
        "standardize-like-other-columns",
        lambda e: standardize(X2, like=X3),
        ValueError,
        "like must have the same columns",
        "(3,)",
    ),
    Case("standardize-text", lambda e: standardize("abc"), TypeError, "got str", "torch.tensor("),
    # ---- models ----------------------------------------------------------------------------------------
    Case(
        "linear-weights-text",
        lambda e: Linear("weights"),
        TypeError,
        "got str",
        "torch.tensor(",
    ),
    Case("linear-weights-nan", lambda e: Linear([[math.nan]]), ValueError, "weights contains 1 NaN", "remove"),
    Case(
        "linear-bias-wrong-size",
        lambda e: Linear(torch.zeros(2, 3), torch.zeros(2)),
        ValueError,
        "got (2,)",
        "shape (3,)",
    ),
    Case(
        "linear-zeros-zero-inputs", lambda e: Linear.zeros(0, 1), ValueError, "n_in must be a whole number ≥ 1", "got 0"
    ),
    Case("linear-zeros-float", lambda e: Linear.zeros(1.5, 1), TypeError, "got 1.5", "Linear.zeros(2, 1)"),
    Case(
        "linear-forward-list",
        lambda e: Linear.zeros(1, 1).forward([[1.0]]),
        TypeError,
        "x must be a torch tensor",
        "list",
    ),
    Case(
        "linear-forward-long",
        lambda e: Linear.zeros(1, 1).forward(torch.ones(3, 1, dtype=torch.long)),
        TypeError,
        "torch.int64",
        "x.float()",
    ),
    Case(
        "linear-forward-float64",
        lambda e: Linear.zeros(2, 1)(torch.from_numpy(np.ones((3, 2)))),
        TypeError,
        "x has dtype torch.float64, but the layer's weights are torch.float32",
        "x.float()",
    ),
    Case(
        "collapse-not-chaining",
        lambda e: collapse_linear(nn.Sequential(nn.Linear(2, 3), nn.Linear(4, 1))),
        ValueError,
        "layer 1 gives 3 output(s)",
        "do not chain",
    ),
    Case("collapse-a-function", lambda e: collapse_linear(lambda t: t), TypeError, "nn.Linear", "function"),
    Case(
        "collapse-empty",
        lambda e: collapse_linear(nn.Sequential()),
        ValueError,
        "no layers",
        "mlp([1, 50, 1], activation=None)",
    ),
    Case(
        "rescaled-stats-mismatch",
        lambda e: Rescaled(nn.Linear(3, 1), torch.zeros(1, 3), torch.ones(1, 2), 0.0, 1.0),
        ValueError,
        "x_mean has 3 values but x_std 2",
        "one of each per column",
    ),
    Case(
        "rescaled-stats-wrong-width",
        lambda e: Rescaled(nn.Linear(2, 1), torch.zeros(1, 3), torch.ones(1, 3), 0.0, 1.0),
        ValueError,
        "3 input columns",
        "model takes 2",
    ),
    Case("rescaled-stats-text", lambda e: Rescaled(nn.Linear(1, 1), "0", 1.0, 0.0, 1.0), TypeError, "x_mean", "str"),
    Case(
        "rescaled-std-zero",
        lambda e: Rescaled(nn.Linear(1, 1), 0.0, 1.0, 0.0, 0.0),
        ValueError,
        "y_std must be > 0",
        "standard deviation that standardize() returned",
    ),
    # ---- plots -----------------------------------------------------------------------------------------
    Case(
        "data-empty",
        lambda e: plot_data(torch.zeros(0, 1), torch.zeros(0, 1)),
        ValueError,
        "x has shape (0, 1)",
        "it needs at least one row",
    ),
    Case(
        "data-rows-mismatch",
        lambda e: plot_data(X, X[:5]),
        ValueError,
        "x has 20 rows but y has 5",
        "one target per point",
    ),
    Case("data-nan", lambda e: plot_data(X, X * math.nan), ValueError, "y contains 20 NaN", "remove those rows"),
    Case("data-along-out-of-range", lambda e: plot_data(X2, X, along=2), ValueError, "along=2", "2 input column(s)"),
    Case(
        "data-3d",
        lambda e: plot_data(torch.zeros(2, 2, 2), torch.zeros(2)),
        ValueError,
        "(2, 2, 2)",
        "x.reshape(len(x), -1)",
    ),
    Case("data-ax-not-axes", lambda e: plot_data(X, X, ax="left"), TypeError, "ax must be matplotlib axes", "str"),
    Case(
        "data-several-targets",
        lambda e: plot_data(X, torch.cat([X, X], dim=1)),
        ValueError,
        "y has 2 columns",
        "plot_data(x, y[:, j])",
    ),
    Case(
        "data-figsize",
        lambda e: plot_data(X, X, figsize=(3, 3)),
        TypeError,
        "got figsize=(3, 3)",
        "plt.subplots(figsize=(3, 3))",
    ),
    Case("data-unknown-style", lambda e: plot_data(X, X, colour="k"), TypeError, "does not know 'colour'", "color="),
    Case(
        "model-figsize",
        lambda e: plot_model(nn.Linear(1, 1), X, figsize=(3, 3)),
        TypeError,
        "got figsize=(3, 3)",
        "plot_model(..., ax=ax)",
    ),
    Case("model-unknown-style", lambda e: plot_model(nn.Linear(1, 1), X, width=3), TypeError, "'width'", "lw="),
    Case(
        "model-wrong-width",
        lambda e: plot_model(nn.Linear(2, 1), X),
        ValueError,
        "x has 1 column(s) per row",
        "the same columns",
    ),
    Case("model-n-one", lambda e: plot_model(nn.Linear(1, 1), X, n=1), ValueError, "got 1", "steps=200"),
    Case(
        "model-sorted-x-several-inputs",
        lambda e: plot_model(nn.Linear(2, 1), X2, n=None),
        ValueError,
        "n=None",
        "one input column",
    ),
    Case(
        "model-constant-x",
        lambda e: plot_model(nn.Linear(1, 1), torch.ones(5, 1)),
        ValueError,
        "constant",
        "no range to draw along",
    ),
    Case(
        "slice-at-wrong-length",
        lambda e: slice_grid(X3, at=[0.0]),
        ValueError,
        "one value per input column (3)",
        "got [0.0]",
    ),
    Case("losses-empty-history", lambda e: plot_losses(History()), ValueError, "no finished epochs", "history = fit("),
    Case("losses-not-history", lambda e: plot_losses([1.0, 0.5]), TypeError, "History", "list"),
    Case("lrs-empty", lambda e: plot_lrs([]), ValueError, "no learning rates", "schedule"),
    Case(
        "lrs-constant-history", lambda e: plot_lrs(history()), ValueError, "no learning rates", "schedule='one_cycle'"
    ),
    Case("loss-curves-empty", lambda e: plot_loss_curves({}), ValueError, "histories is empty", "pass a dict such as"),
    Case("loss-curves-not-history", lambda e: plot_loss_curves({"a": [1.0]}), TypeError, "histories['a']", "list"),
    Case(
        "regions-three-inputs",
        lambda e: plot_decision_regions(nn.Linear(3, 1), X3, torch.zeros(20)),
        ValueError,
        "(n, 2)",
        "along=",
    ),
    Case(
        "regions-label-two-for-one-output",
        lambda e: plot_decision_regions(nn.Linear(2, 1), X2, torch.full((20, 1), 2.0)),
        ValueError,
        "found [2]",
        "K outputs",
    ),
    Case(
        "regions-label-count",
        lambda e: plot_decision_regions(nn.Linear(2, 3), X2, torch.zeros(7, dtype=torch.long)),
        ValueError,
        "20 points but there are 7 labels",
        "one label per point",
    ),
    Case(
        "regions-probabilities-are-logits",
        lambda e: plot_decision_regions(lambda t: 5 * t[:, :1], X2, torch.zeros(20), kind="probabilities"),
        ValueError,
        "outside [0, 1]",
        "kind='logits'",
    ),
    Case(
        "regions-unknown-outputs",
        lambda e: plot_decision_regions(nn.Linear(2, 1), X2, torch.zeros(20), kind="softmax"),
        ValueError,
        "'logits'",
        "'softmax'",
    ),
    Case(
        "regions-nan-model",
        lambda e: plot_decision_regions(lambda t: t[:, :1] * math.nan, X2, torch.zeros(20)),
        ValueError,
        "NaN or infinite",
        "Was training stable?",
    ),
    Case(
        "grid-negative-margin",
        lambda e: predict_grid(nn.Linear(2, 1), X2, margin=-1),
        ValueError,
        "got -1",
        "margin=0.5",
    ),
    Case("grid-one-step", lambda e: predict_grid(nn.Linear(2, 1), X2, steps=1), ValueError, "got 1", "steps=200"),
    Case(
        "probabilities-not-summing-to-one",
        lambda e: predict_grid(lambda t: torch.full((len(t), 3), 0.5), X2, kind="probabilities"),
        ValueError,
        "do not sum to 1",
        "nn.Softmax(dim=1)",
    ),
    Case(
        "output-map-x-without-y",
        lambda e: plot_output_map(nn.Linear(2, 1), X2),
        ValueError,
        "pass both x and y",
        "or neither",
    ),
    Case(
        "output-map-points-mismatch",
        lambda e: plot_output_map(nn.Linear(2, 1), X2, X[:3]),
        ValueError,
        "20 points but y has 3",
        "one target per point",
    ),
    Case(
        "output-maps-ncols-zero",
        lambda e: plot_output_maps([nn.Linear(2, 1)], ncols=0),
        ValueError,
        "got 0",
        "panels per row",
    ),
    Case("seed-band-not-a-run", lambda e: plot_seed_band(history()), TypeError, "fit_seeds()", "History"),
    Case(
        "seed-curves-not-a-run",
        lambda e: plot_seed_curves(nn.Linear(1, 1), X, X),
        TypeError,
        "got Linear",
        "what fit_seeds() returns",
    ),
    Case(
        "sweep-empty-values",
        lambda e: plot_sweep({2: torch.tensor([])}),
        ValueError,
        "results[2] has shape (0,)",
        "at least one row",
    ),
    Case(
        "sweep-log-axis-with-zero",
        lambda e: plot_sweep({0: torch.ones(2), 10: torch.ones(2), 100: torch.ones(2)}, log_x=True),
        ValueError,
        "include [0]",
        "log_x=False",
    ),
    Case(
        "sweep-nan-values",
        lambda e: plot_sweep({2: torch.tensor([math.nan])}),
        ValueError,
        "every seed diverged",
        "smaller lr",
    ),
    Case(
        "curve-frames-wrong-length",
        lambda e: plot_curve_frames(X, X, X, [X[:5]]),
        ValueError,
        "frame 0 has 5 rows but grid has 20",
        "prediction on grid",
    ),
    Case(
        "curve-frames-label-count",
        lambda e: plot_curve_frames(X, X, X, [X, X], labels=["a"]),
        ValueError,
        "1 labels for 2 frames",
        "one label per frame",
    ),
    Case(
        "liveplot-rows-mismatch",
        lambda e: LivePlot(X, X[:3]),
        ValueError,
        "x has 20 rows but y has 3",
        "one target per point",
    ),
    Case(
        "liveplot-every-zero",
        lambda e: LivePlot(X, X, every=0),
        ValueError,
        "every must be a whole number ≥ 1",
        "epochs between redraws",
    ),
    Case("liveplot-along-out-of-range", lambda e: LivePlot(X2, X, along=5), ValueError, "along=5", "between 0 and 1"),
    # ---- animation -------------------------------------------------------------------------------------
    Case("frames-negative-count", lambda e: cap_frames(-1), ValueError, "got -1", "len(snaps.frames)"),
    Case("frames-max-one", lambda e: cap_frames(10, max_frames=1), ValueError, "max_frames must be", "≥ 2"),
    Case(
        "animation-max-frames-zero",
        lambda e: curve_animation(X, X, X, [X, X], max_frames=0),
        ValueError,
        "got 0",
        "max_frames=40",
    ),
    Case(
        "animation-interval-zero",
        lambda e: curve_animation(X, X, X, [X, X], interval=0),
        ValueError,
        "got 0",
        "interval=120",
    ),
    Case(
        "animation-interval-text",
        lambda e: curve_animation(X, X, X, [X, X], interval="fast"),
        TypeError,
        "got 'fast'",
        "interval=120",
    ),
    Case(
        "animation-frame-wrong-length",
        lambda e: curve_animation(X, X, X, [X, X[:4]]),
        ValueError,
        "frame 1 has shape (4, 1)",
        "grid has 20 rows",
    ),
    Case(
        "animation-label-count",
        lambda e: curve_animation(X, X, X, [X, X], labels=["a", "b", "c"]),
        ValueError,
        "3 labels for 2 frames",
        "one label per frame",
    ),
    Case(
        "animation-grid-columns",
        lambda e: curve_animation(X, X, X2, [X, X]),
        ValueError,
        "x has 1 column(s) but grid has 2",
        "rows like x's",
    ),
    Case(
        "animation-along",
        lambda e: curve_animation(X2, X, X2, [X, X], along=2),
        ValueError,
        "got 2",
        "2 input column(s)",
    ),
    Case(
        "snapshots-every-zero",
        lambda e: Snapshots(X, every=0),
        ValueError,
        "every must be a whole number ≥ 1",
        "It counts epochs",
    ),
    Case(
        "snapshots-max-steps-zero",
        lambda e: Snapshots(X, on="batch", max_steps=0),
        ValueError,
        "got 0",
        "None to record until the end",
    ),
    Case(
        "snapshots-empty-inputs",
        lambda e: Snapshots(torch.zeros(0, 1)),
        ValueError,
        "inputs has shape (0, 1)",
        "at least one row",
    ),
    Case(
        "save-missing-folder",
        lambda e: save_animation(anim(), e.tmp_path / "nope" / "a.gif"),
        FileNotFoundError,
        "does not exist",
        "mkdir",
    ),
    Case(
        "save-folder-is-a-file",
        lambda e: save_to_a_file_folder(e),
        FileNotFoundError,
        "does not exist",
        "create it first",
    ),
    Case("save-unknown-suffix", lambda e: save_animation(anim(), e.tmp_path / "a.mp4"), ValueError, ".mp4", ".gif"),
    Case(
        "save-no-suffix",
        lambda e: save_animation(anim(), e.tmp_path / "a"),
        ValueError,
        "without suffix",
        ".gif or .html",
    ),
    Case(
        "save-not-an-animation",
        lambda e: save_animation(plt.figure(), e.tmp_path / "a.gif"),
        TypeError,
        "got Figure",
        "curve_animation(...)",
    ),
    Case("save-path-none", lambda e: save_animation(anim(), None), TypeError, "got None", "'fit.gif'"),
    Case(
        "show-name-with-folder",
        lambda e: show_animation(anim(), name="out/fit"),
        ValueError,
        "got 'out/fit'",
        "save_animation(anim, path)",
    ),
    Case(
        "show-name-empty",
        lambda e: show_animation(anim(), name=""),
        ValueError,
        "got ''",
        "plain file name such as 'line-fit'",
    ),
    Case("html-not-an-animation", lambda e: to_html("anim"), TypeError, "matplotlib animation", "str"),
    # ---- analysis --------------------------------------------------------------------------------------
    Case(
        "features-wrong-width",
        lambda e: feature_decomposition(mlp([3, 5, 1]), X2, k=2),
        ValueError,
        "shape (20, 2)",
        "3 are needed",
    ),
    Case(
        "features-one-row",
        lambda e: feature_decomposition(mlp([1, 5, 1]), X[:1], k=2),
        ValueError,
        "shape (1, 1)",
        "at least 2 rows",
    ),
    Case(
        "features-nan-rows",
        lambda e: feature_decomposition(mlp([1, 5, 1]), X * math.nan, k=2),
        ValueError,
        "x contains 20 NaN",
        "remove those rows",
    ),
    Case(
        "features-output-out-of-range",
        lambda e: feature_decomposition(mlp([1, 5, 2]), X, k=2, output=2),
        ValueError,
        "got 2",
        "2 output(s), counted from 0",
    ),
    Case(
        "features-layer-out-of-range",
        lambda e: hidden_features(mlp([1, 5, 1]), X, layer=2),
        ValueError,
        "got 2",
        "1 hidden layer(s)",
    ),
    Case(
        "features-not-sequential",
        lambda e: top_features(nn.Linear(1, 1)),
        ValueError,
        "one hidden layer",
        "this model is Linear",
    ),
    Case(
        "features-rescaled-sigmoid",
        lambda e: top_features(
            Rescaled(nn.Sequential(nn.Linear(1, 4), nn.ReLU(), nn.Linear(4, 1), nn.Sigmoid()), 0, 1, 0, 1)
        ),
        ValueError,
        "ends in Sigmoid",
        "model.model[:-1]",
    ),
    Case(
        "features-nested",
        lambda e: top_features(nn.Sequential(nn.Sequential(nn.Linear(1, 4), nn.ReLU()), nn.Linear(4, 1))),
        ValueError,
        "Sequential → Linear",
        "mlp([1, 50, 1])",
    ),
    Case(
        "features-at-without-along",
        lambda e: feature_decomposition(mlp([2, 5, 1]), X2, k=2, at=[0.0, 0.0]),
        ValueError,
        "at= holds the other inputs fixed",
        "along=0",
    ),
    Case(
        "features-names-count",
        lambda e: feature_decomposition(mlp([2, 5, 1]), X2, k=2, names=["a"]),
        ValueError,
        "1 names for 2 input(s)",
        "one name per input column",
    ),
    Case(
        "features-plot-data-rows-of-3-inputs",
        lambda e: plot_top_features(feature_decomposition(mlp([3, 5, 1]), X3, k=2)),
        ValueError,
        "20 data rows of a 3-input model",
        "plot_contributions",
    ),
    Case(
        "features-plot-x-without-y",
        lambda e: plot_decomposition(feature_decomposition(mlp([1, 5, 1]), X, k=2), X),
        ValueError,
        "pass both x_data and y_data",
        "or neither",
    ),
    Case(
        "features-constant-prediction",
        lambda e: feature_decomposition(zero_model(), X, k=2).explained,
        ValueError,
        "same on every row",
        "rows where the model's output varies",
    ),
    # ---- display and environment variables -------------------------------------------------------------
    Case(
        "show-a-tensor",
        lambda e: nnbook.show(torch.zeros(3)),
        TypeError,
        "show() takes a matplotlib figure",
        "Tensor",
    ),
    Case("show-an-animation", lambda e: nnbook.show(anim()), TypeError, "show() draws figures", "show_animation(anim)"),
    Case(
        "glue-name-with-space", lambda e: nnbook.glue("final loss", 1.0), ValueError, "without spaces", "'final loss'"
    ),
    Case("glue-a-vector", lambda e: nnbook.glue("losses", torch.ones(3)), TypeError, "shape (3,)", "one number"),
    Case(
        "glue-unrecordable",
        lambda e: (set_env(e, "NNBOOK_GLUE_JSON", str(e.tmp_path / "g.jsonl")), nnbook.glue("m", object())),
        TypeError,
        "cannot be recorded",
        "glue numbers or text",
    ),
    Case(
        "env-glue-json-a-folder",
        lambda e: (set_env(e, "NNBOOK_GLUE_JSON", str(e.tmp_path)), nnbook.glue("m", 1.0)),
        OSError,
        "NNBOOK_GLUE_JSON",
        "writable file",
    ),
    Case(
        "env-figures-a-file",
        lambda e: (figures_in_a_file(e), nnbook.show(plt.figure())),
        OSError,
        "NNBOOK_FIGURES",
        "writable folder",
    ),
    Case(
        "env-live-yes",
        lambda e: (set_env(e, "NNBOOK_LIVE", "yes"), display._live_setting()),
        ValueError,
        "NNBOOK_LIVE",
        "0",
    ),
    Case(
        "expect-error-a-string",
        lambda e: display.expect_error("ValueError"),
        TypeError,
        "got 'ValueError'",
        "such as ValueError",
    ),
    Case(
        "loss-curves-a-list",
        lambda e: plot_loss_curves([history()]),
        TypeError,
        "dict from a name to a History",
        "plot_loss_curves({",
    ),
    Case(
        "lrs-empty-names-the-schedule", lambda e: plot_lrs([]), ValueError, "no learning rates", "schedule='one_cycle'"
    ),
    Case(
        "liveplot-in-fit-seeds",
        lambda e: fit_seeds(
            lambda: mlp([2, 4, 1]), range(2), (X2, X2[:, :1]), epochs=1, lr=0.01, callbacks=[LivePlot(X2, X2[:, :1])]
        ),
        ValueError,
        "LivePlot draws one model",
        "plot_seed_curves(run, x, y)",
    ),
    Case(
        "decision-regions-model-a-string",
        lambda e: plot_decision_regions("model", X2, torch.zeros(20, dtype=torch.long)),
        TypeError,
        "got str",
        "mlp([2, 32, 1])",
    ),
    Case("sweep-a-list", lambda e: plot_sweep([0.1, 0.2]), TypeError, "must be a dict", "got list"),
    Case("load-a-folder", lambda e: load(e.tmp_path), IsADirectoryError, "is a folder", "model.pt"),
    Case(
        "split-float-1d-targets",
        lambda e: train_valid_split(X2, X2[:, 0]),
        ValueError,
        "y is 1-D",
        "y[:, None]",
    ),
    Case(
        "plot-decomposition-of-a-model",
        lambda e: plot_decomposition(mlp([1, 3, 1])),
        TypeError,
        "what feature_decomposition returns",
        "plot_decomposition(d)",
    ),
    Case(
        "plot-contributions-of-a-history",
        lambda e: plot_contributions(history()),
        TypeError,
        "what feature_decomposition returns",
        "History",
    ),
    Case("plot-top-features-of-none", lambda e: plot_top_features(None), TypeError, "NoneType", "k=8"),
    Case(
        "show-with-no-figure",
        lambda e: (plt.close("all"), nnbook.show()),
        ValueError,
        "no figure to show",
        "show(plot_losses(history))",
    ),
    Case(
        "decomposition-x-strings",
        lambda e: feature_decomposition(mlp([2, 4, 1]), np.array([["a", "b"]] * 5), k=2),
        TypeError,
        "x holds text",
        "Convert its columns to numbers",
    ),
]


def save_to_a_file_folder(env: SimpleNamespace) -> None:
    blocker = env.tmp_path / "file"
    blocker.write_text("")
    save_animation(anim(), blocker / "a.gif")


def figures_in_a_file(env: SimpleNamespace) -> None:
    blocker = env.tmp_path / "figures"
    blocker.write_text("")
    env.monkeypatch.setenv("NNBOOK_FIGURES", str(blocker))
    env.monkeypatch.setattr(display, "has_window", lambda: False)


def zero_model() -> nn.Sequential:
    model = mlp([1, 5, 1])
    with torch.no_grad():
        for p in model.parameters():
            p.zero_()
    return model


def raised_inside_nnbook(error: BaseException) -> bool:
    """True when the innermost frame of the traceback is nnbook's own code, not torch's or Python's."""
    tb = error.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    return PACKAGE in Path(tb.tb_frame.f_code.co_filename).resolve().parents


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_gets_a_clear_message(case: Case, monkeypatch, tmp_path):
    env = SimpleNamespace(monkeypatch=monkeypatch, tmp_path=tmp_path)
    monkeypatch.delenv("NNBOOK_GLUE_JSON", raising=False)
    plt.close("all")
    with pytest.raises(case.expect) as info:
        case.call(env)
    assert raised_inside_nnbook(info.value), f"raised deep inside {info.traceback[-1].path}: {info.value}"
    missing = [p for p in case.phrases if p not in str(info.value)]
    assert not missing, f"the message lacks {missing}:\n{info.value}"
    leftover = [n for n in plt.get_fignums() if not case.id.startswith(("save-not", "env-figures"))]
    assert not leftover, "a refused plot must not leave an empty figure behind"


def test_the_catalogue_is_complete():
    assert len(CASES) >= 100
    assert len({c.id for c in CASES}) == len(CASES), "every row needs its own id"


def test_numpy_numbers_and_arrays_are_accepted():
    """NumPy integers, floats and arrays work wherever Python numbers and tensors do."""
    x, y = wiggly_curve(n=np.int64(50), seed=np.int32(3))
    split = train_valid_split(x.numpy(), y.numpy(), valid_fraction=np.float32(0.2), seed=np.int64(1))
    assert len(split.x_valid) == 10
    assert len(circle_classes(n=np.int16(10), radius=np.float64(2.0))[0]) == 10
    assert gistemp(until=np.int64(1900))[0].shape == (21,)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plot_data(np.linspace(0, 1, 5), np.linspace(0, 1, 5))


def test_split_keeps_1d_class_labels_for_cross_entropy():
    """Integer labels 0 … K − 1 may stay 1-D through train_valid_split, as fit's cross-entropy takes them."""
    labels = torch.arange(20) % 4
    split = train_valid_split(X2, labels, valid_fraction=0.25, seed=0)
    assert split.y_train.shape == (15,) and split.y_valid.dtype == torch.long
    column = train_valid_split(X2, labels[:, None], valid_fraction=0.25, seed=0)
    assert torch.equal(column.y_train[:, 0], split.y_train)


def test_feature_analysis_takes_numpy_rows_like_fit_and_predict():
    """A reader who trained on NumPy arrays can analyse the same arrays: the result equals the tensor one."""
    torch.manual_seed(0)
    model = mlp([2, 6, 1])
    rows = np.random.default_rng(0).normal(size=(30, 2))
    from_numpy = feature_decomposition(model, rows, k=3)
    from_tensor = feature_decomposition(model, torch.tensor(rows, dtype=torch.float32), k=3)
    assert from_numpy.explained == pytest.approx(from_tensor.explained)
    assert torch.equal(from_numpy.indices, from_tensor.indices)
    assert hidden_features(model, rows.tolist()).shape == (30, 6)


def test_show_takes_what_the_plot_functions_return(monkeypatch, tmp_path):
    monkeypatch.setenv("NNBOOK_FIGURES", str(tmp_path))
    monkeypatch.setattr(display, "has_window", lambda: False)
    fig, axes = plt.subplots(1, 2)
    for shown in (plot_data(X, X), fig, axes, plot_decomposition(feature_decomposition(mlp([1, 3, 1]), X, k=2))):
        nnbook.show(shown)
    assert len(list(tmp_path.rglob("*.png"))) == 4
