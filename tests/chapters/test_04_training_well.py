"""Chapter 4, training well: schedules, optimizers and seeds, against the bounds the book promises."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def g(glue_of):
    return glue_of("04-training-well")


def test_seeds_agree_on_a_good_fit(g):
    assert g["nl_mse_relu_seeds_n"] >= 5
    assert g["nl_mse_relu_seeds_mean"] <= 0.2
    assert 0 <= g["nl_mse_relu_seeds_std"] <= 0.03


def test_vectorised_seeds_match_sequential_runs(g):
    # nl_seeds_speedup is a timing: reported, never asserted; the results themselves must agree
    assert "nl_seeds_speedup" in g
    assert g["tw_seeds_max_difference"] <= 1e-3


def test_one_cycle_beats_a_constant_rate_for_sgd(g):
    assert g["tw_sgd_onecycle_mean"] < g["tw_sgd_constant_mean"]
    assert g["tw_sgd_onecycle_spread"] < g["tw_sgd_constant_spread"]
    assert g["tw_adam_onecycle_mean"] <= 0.2


def test_one_cycle_tolerates_larger_rates(g):
    assert g["tw_max_lr_onecycle"] > g["tw_max_lr_constant"]


def test_training_settles_at_the_end(g):
    assert g["tw_peak_lr"] == pytest.approx(0.01)
    assert g["tw_move_last"] < g["tw_move_mid"] / 10
