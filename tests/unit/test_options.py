"""Option rules (nnbook._options) and the one array check (nnbook._arrays): the same mistake, the same message."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from nnbook._arrays import check_array
from nnbook._options import Choice, Flag, Number, Whole, check_options
from nnbook.models import mlp
from nnbook.plots import plot_data
from nnbook.training import fit, predict


def test_rules_return_the_value_as_the_function_uses_it():
    assert Whole(1)(np.int64(3), "n") == 3 and isinstance(Whole(1)(np.int64(3), "n"), int)
    assert Number(0)(np.float32(0.5), "lr") == 0.5
    assert Flag()(np.bool_(True), "progress") is True
    assert Choice(("a", "b"))("a", "kind") == "a"
    assert Whole(1, none=True)(None, "batch_size") is None


@pytest.mark.parametrize("bad", [True, 2.0, "3"])
def test_a_whole_number_refuses_bools_floats_and_text(bad):
    with pytest.raises(TypeError, match="must be a whole number"):
        Whole(1)(bad, "epochs")


def test_a_nan_gets_the_same_message_in_fit_predict_and_the_plots():
    x = torch.linspace(0, 1, 10)[:, None]
    x[3, 0] = float("nan")
    messages = []
    for call in (
        lambda: fit(mlp([1, 4, 1]), (x, x.nan_to_num()), epochs=1, lr=0.1, progress=False),
        lambda: predict(mlp([1, 4, 1]), x),
        lambda: plot_data(x, x.nan_to_num()),
    ):
        with pytest.raises(ValueError) as info:
            call()
        messages.append(str(info.value).split(" contains ", 1)[1])
    assert messages[0] == messages[1] == messages[2]
    assert "first in row 3" in messages[0]


def test_keyword_options_given_by_position_are_named():
    @check_options
    def train(model, data, *, epochs):
        return epochs

    with pytest.raises(TypeError, match="give|write epochs=5"):
        train(None, None, 5)


def test_check_array_keeps_labels_whole():
    assert check_array([1.0, 2.0], "y", shape="labels", dtype="labels").dtype == torch.long
    with pytest.raises(ValueError, match="fractions"):
        check_array([0.5], "y", shape="labels", dtype="labels")
