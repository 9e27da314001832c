"""plot_loss_curves: several runs' training and validation curves on one set of axes."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from nnbook.plots import plot_loss_curves  # noqa: E402
from nnbook.training import History  # noqa: E402


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
