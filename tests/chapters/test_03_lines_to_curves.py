"""Chapter 3, from lines to curves: the glued numbers and the chapter's claims against stated bounds.

Each ``test_claim_<name>`` checks the sentence marked ``<!-- claim: <name> -->`` in the chapter.
"""

from __future__ import annotations

import math

import pytest
from claims import check_claims_are_tested

CHAPTER = "03-lines-to-curves"


@pytest.fixture(scope="module")
def g(glue_of):
    return glue_of(CHAPTER)


def test_every_claim_has_a_test():
    check_claims_are_tested(CHAPTER, globals())


def test_claim_sgd_line_is_least_squares_line(g):
    # the course notebook reaches about 0.76 with a line; the closed-form line is the optimum on the training split
    assert g["nl_mse_line"] <= 0.78
    assert g["nl_mse_line"] >= g["nl_mse_lstsq"] - 1e-3
    assert abs(g["nl_line_gap"]) < 0.005
    assert abs(g["nl_line_slope"] - g["nl_lstsq_slope"]) < 0.1


def test_claim_line_explains_little(g):
    assert 0.95 < g["nl_valid_var"] < 1.05  # the held-out fifth of targets scaled to variance 1
    assert g["nl_line_explained"] == pytest.approx(1 - g["nl_mse_line"] / g["nl_valid_var"], abs=1e-6)
    assert g["nl_line_explained"] < 0.3


def test_claim_two_linear_no_better_than_a_line(g):
    assert g["nl_mse_two_linear"] <= 0.78
    assert g["nl_mse_two_linear_500"] <= 0.78
    # still a line: it cannot beat the best line by more than the split's chance difference
    assert g["nl_mse_two_linear"] >= g["nl_mse_lstsq"] - 5e-3
    assert g["nl_mse_two_linear_500"] >= g["nl_mse_lstsq"] - 5e-3
    assert g["nl_params_two_linear"] == 151
    assert g["nl_two_linear_gap"] == pytest.approx(
        max(abs(g["nl_mse_two_linear"] - g["nl_mse_line"]), abs(g["nl_mse_two_linear_500"] - g["nl_mse_line"])),
        abs=1e-6,
    )
    assert g["nl_two_linear_gap"] < 2e-3  # "within a thousandth or so of the line's"
    assert g["nl_params_two_linear_500"] == 1501


def test_claim_hidden_500_spikes(g):
    assert g["nl_two_linear_500_peak_valid_loss"] > 5
    assert g["nl_two_linear_500_peak_train_loss"] > 5
    assert g["nl_two_linear_500_peak"] > 10 * g["nl_two_linear_50_peak"]
    assert g["nl_two_linear_50_peak"] < 1.5
    assert g["nl_two_linear_500_peak_valid_loss_epoch"] in range(1, 11)
    assert g["nl_two_linear_500_peak_train_loss_epoch"] in range(1, 11)


def test_claim_hidden_500_recovers_at_the_peak(g):
    # the spike ends while the rate is still near its peak, not because the rate has fallen
    assert g["nl_two_linear_500_spike_end_lr"] >= 0.9 * g["nl_two_linear_500_peak_lr"]
    assert g["nl_two_linear_500_spike_end_valid"] < 1.1
    assert g["nl_two_linear_500_spike_end_valid"] < g["nl_two_linear_500_peak_valid_loss"] / 5


def test_claim_two_linear_collapses_to_one(g):
    # float32 rounding: a few units of 2**-23 times the size of the predictions (a few units)
    assert g["nl_collapse_maxerr"] <= 1e-5
    assert g["nl_collapse_maxerr_500"] <= 1e-5
    assert g["nl_collapse_maxerr_any"] == max(g["nl_collapse_maxerr"], g["nl_collapse_maxerr_500"])


def test_claim_collapsed_slope_is_least_squares_slope(g):
    assert abs(g["nl_collapse_slope"] - g["nl_lstsq_slope"]) < 0.1


def test_claim_relu_network_bends(g):
    # the course notebook reaches about 0.18 after 30 one-cycle epochs
    assert g["nl_mse_relu"] <= 0.19
    assert g["nl_mse_relu"] < g["nl_mse_line"] / 3
    assert g["nl_relu_explained"] == pytest.approx(1 - g["nl_mse_relu"] / g["nl_valid_var"], abs=1e-6)


def test_claim_epoch1_shifts_the_level(g):
    assert g["nl_move_epoch1"] >= 0.9 * g["nl_move_largest"]  # as much as any epoch
    assert abs(g["nl_level_epoch1"]) < 0.05 < abs(g["nl_level_start"])  # to the middle of the data (mean 0)
    assert g["nl_tilt_epoch1"] < 0.3 * g["nl_lstsq_slope"]  # tilts only a little


def test_claim_epochs_2_to_4_tilt(g):
    assert abs(g["nl_tilt_epoch4"] - g["nl_lstsq_slope"]) < 0.25
    assert g["nl_bend_epoch4"] < 0.15


def test_claim_bends_grow_after_the_tilt(g):
    assert g["nl_bend_epoch14"] > 4 * g["nl_bend_epoch4"]
    assert g["nl_bend_epoch14"] >= 0.85 * g["nl_bend_final"]


def test_claim_last_epochs_barely_move(g):
    assert g["nl_move_last3_max"] < 0.02
    assert g["nl_move_last3_max"] < g["nl_move_epoch1"] / 10


def test_claim_adam_two_linear_same_line(g):
    assert abs(g["nl_adam_two_linear_mse"] - g["nl_mse_two_linear"]) < 0.01
    assert abs(g["nl_adam_two_linear_500_mse"] - g["nl_mse_two_linear_500"]) < 0.01
    assert g["nl_adam_two_linear_500_mse"] >= g["nl_mse_lstsq"] - 5e-3


def test_claim_adam_avoids_the_spike(g):
    assert g["nl_adam_two_linear_500_peak"] < 1.5
    assert g["nl_adam_two_linear_500_peak"] < g["nl_two_linear_500_peak"] / 10


def test_claim_deep_linear_stack_collapses(g):
    assert g["nl_deep_collapse_maxerr"] <= 1e-4


def test_claim_three_units_few_kinks(g):
    assert 0 <= g["nl_narrow_kinks_inside"] <= 2  # fewer than a bump and a dip need


def test_claim_three_units_between_line_and_fifty(g):
    assert g["nl_mse_relu"] < g["nl_mse_narrow"] < g["nl_mse_line"]


def test_claim_line_misses_the_waves(g):
    assert g["nl_waves_line_mse"] > 0.7 * g["nl_waves_var"]
    # the least-squares line of sin(4πx) on [0, 1): slope −3/π, explaining 3/(2π²) ≈ 15 % of the variance
    assert abs(g["nl_waves_line_explained"] - 3 / (2 * math.pi**2)) < 0.04
    assert abs(g["nl_waves_line_slope"] + 3 / math.pi) < 0.15


def test_claim_relu_follows_the_waves_roughly(g):
    assert g["nl_waves_relu_mse"] < g["nl_waves_line_mse"] / 3
    assert g["nl_waves_relu_explained"] > 0.75
    assert g["nl_waves_relu_mse"] > 0.02  # well above the noise variance 0.01


def test_claim_relu_misses_the_second_trough(g):
    # the error sits in the last quarter of x, where the curve cuts straight through the second trough
    assert g["nl_waves_relu_mse_last_quarter"] > 3 * g["nl_waves_relu_mse_rest"]
