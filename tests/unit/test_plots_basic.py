"""The basic plots: plot_loss_curves on several runs, and the checks of plot_data, plot_model and new_axes."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from nnbook.plots import plot_data, plot_loss_curves, plot_model  # noqa: E402
from nnbook.plots.basic import new_axes  # noqa: E402
from nnbook.training import History  # noqa: E402

X = torch.linspace(0, 1, 10)[:, None]


def _history(train: list[float], valid: list[float] | None = None) -> History:
    h = History()
    for i, t in enumerate(train):
        row = {"epoch": i + 1, "train_loss": t}
        if valid is not None:
            row["valid_loss"] = valid[i]
        h.append(row)
    return h


def test_one_colour_per_run_dashed_train_solid_valid():
    ax = plot_loss_curves({"a": _history([1.0, 0.5], [1.2, 0.9]), "b": _history([2.0, 1.0], [2.0, 1.5])})
    lines = ax.get_lines()
    assert [line.get_linestyle() for line in lines] == ["--", "-", "--", "-"]
    assert lines[0].get_color() == lines[1].get_color() != lines[2].get_color()
    assert list(lines[3].get_ydata()) == [2.0, 1.5]


def test_run_without_validation_has_only_a_training_curve():
    ax = plot_loss_curves({"only train": _history([1.0, 0.5])}, log=False)
    assert [line.get_label() for line in ax.get_lines()] == ["only train: train"]
    assert ax.get_yscale() == "linear"


def test_empty_or_wrong_input_is_refused():
    with pytest.raises(ValueError, match="histories is empty"):
        plot_loss_curves({})
    with pytest.raises(TypeError, match=r"the History that fit\(\) returns"):
        plot_loss_curves({"x": [1.0, 2.0]})


def test_plot_data_refuses_several_target_columns():
    x = torch.rand(10, 1)
    with pytest.raises(ValueError, match=r"y has 3 columns.*plot_data\(x, y\[:, j\]\) with j between 0 and 2"):
        plot_data(x, torch.rand(10, 3))
    y = torch.rand(10, 3)
    assert list(plot_data(x, y[:, 2]).collections[0].get_offsets()[:, 1]) == pytest.approx(y[:, 2].tolist())


@pytest.mark.parametrize(
    "draw", [lambda **kw: plot_data(X, X, **kw), lambda **kw: plot_model(nn.Linear(1, 1), X, **kw)]
)
def test_figure_keywords_get_a_clear_message_and_no_empty_figure(draw):
    plt.close("all")
    with pytest.raises(TypeError, match=r"got figsize=\(3, 3\).*plt.subplots\(figsize=\(3, 3\)\)"):
        draw(figsize=(3, 3))
    with pytest.raises(TypeError, match="does not know 'colour'.*color="):
        draw(colour="k")
    assert not plt.get_fignums()


def test_new_axes_refuses_what_is_not_axes():
    with pytest.raises(TypeError, match="ax must be matplotlib axes.*got str"):
        new_axes("foo")
    ax = new_axes(None, figsize=(3, 2))
    assert new_axes(ax) is ax
