"""Chapter 3, from lines to curves: the glued headline numbers against the bounds the book promises."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def g(glue_of):
    return glue_of("03-lines-to-curves")


def test_sgd_line_reaches_the_least_squares_line(g):
    # the course notebook reaches about 0.76 with a line; the closed-form line is the optimum on the training split
    assert g["nl_mse_line"] <= 0.78
    assert g["nl_mse_line"] >= g["nl_mse_lstsq"] - 1e-3
    assert abs(g["nl_line_slope"] - g["nl_lstsq_slope"]) < 0.1


def test_two_linear_layers_are_no_better_than_a_line(g):
    assert g["nl_mse_two_linear"] <= 0.78
    assert g["nl_mse_two_linear_500"] <= 0.78
    # still a line: it cannot beat the best line by more than the split's chance difference
    assert g["nl_mse_two_linear"] >= g["nl_mse_lstsq"] - 5e-3
    assert g["nl_params_two_linear"] == 151


def test_collapsed_layer_predicts_what_the_two_layers_predict(g):
    assert g["nl_collapse_maxerr"] <= 1e-4
    assert abs(g["nl_collapse_slope"] - g["nl_lstsq_slope"]) < 0.1


def test_relu_network_bends(g):
    # the course notebook reaches about 0.18 after 30 one-cycle epochs
    assert g["nl_mse_relu"] <= 0.19
    assert g["nl_mse_relu"] < g["nl_mse_line"] / 3
