"""Chapter 1, fitting a line by hand: the glued numbers and the chapter's claims against stated bounds.

Each ``test_claim_<name>`` checks the sentence marked ``<!-- claim: <name> -->`` in the chapter.
"""

from __future__ import annotations

import pytest
from claims import check_claims_are_tested

CHAPTER = "01-line-by-hand"


@pytest.fixture(scope="module")
def g(glue_of):
    return glue_of(CHAPTER)


def test_every_claim_has_a_test():
    check_claims_are_tested(CHAPTER, globals())


def test_claim_guess_far_off(g):
    # the course notebook's draw gave 5.286 from the guess a = (0.5, 0.75); any draw of 100 points lands near 5
    assert 4.0 <= g["gd_start_mse"] <= 6.5
    assert g["gd_start_mse"] > 20 * g["gd_lstsq_mse"]


def test_claim_gradient_points_up_both(g):
    assert g["gd_grad_slope"] < -0.5 and g["gd_grad_intercept"] < -0.5
    assert g["gd_grad_by_hand_maxerr"] <= 1e-5  # autograd agrees with the formula


def test_claim_backward_adds(g):
    assert g["gd_grad_ratio_min"] == pytest.approx(2.0, abs=1e-5)
    assert g["gd_grad_ratio_max"] == pytest.approx(2.0, abs=1e-5)


def test_claim_loss_fast_then_flat(g):
    assert g["gd_drop_first10_percent"] >= 80  # most of the drop in the first 10 of 100 steps
    assert g["gd_mse_step10"] < g["gd_start_mse"] / 5
    assert g["gd_drop_last50"] < 0.01 * (g["gd_start_mse"] - g["gd_final_mse"])


def test_claim_eigenvalues_from_the_columns(g):
    s, m = g["gd_two_mean_u2"] / 2, g["gd_mean_u"]
    assert 0.6 < g["gd_two_mean_u2"] < 0.75  # about 2/3 for u uniform on [-1, 1]
    assert 0 < abs(m) < 0.1  # "not quite zero"
    # the two eigenvalues add up to the trace, 2 + 2 mean(u²): what the largest gains above 2 the smallest loses
    assert g["gd_eig_max"] + g["gd_eig_min"] == pytest.approx(2 + g["gd_two_mean_u2"], rel=1e-5)
    assert g["gd_eig_excess"] == pytest.approx(g["gd_eig_max"] - 2, abs=1e-6)
    # the excess comes from the mean of u: for a small mean it is 2 m² / (1 − mean(u²))
    assert g["gd_eig_excess"] == pytest.approx(2 * m**2 / (1 - s), rel=0.05)
    assert g["gd_eig_min"] < g["gd_two_mean_u2"] < g["gd_eig_max"]


def test_claim_lr_limit_just_under_one(g):
    assert 2.0 <= g["gd_eig_max"] <= 2.1  # the column of ones alone gives 2
    assert g["gd_lr_limit"] == pytest.approx(2 / g["gd_eig_max"], rel=1e-6)
    assert 0.95 <= g["gd_lr_limit"] < 1.0


def test_claim_steep_direction_shrinks_faster(g):
    assert 0 < g["gd_factor_steep"] < g["gd_factor_shallow"] < 1
    assert g["gd_factor_steep"] ** 10 < 0.2 < g["gd_factor_shallow"] ** 10
    # "shrinks tenfold every N steps": N = -1 / log10(factor), and the shallow direction needs about three times as many
    assert g["gd_factor_steep"] ** g["gd_tenfold_steps_steep"] == pytest.approx(0.1, rel=1e-6)
    assert g["gd_factor_shallow"] ** g["gd_tenfold_steps_shallow"] == pytest.approx(0.1, rel=1e-6)
    assert 5 < g["gd_tenfold_steps_steep"] < 15 < 2 * g["gd_tenfold_steps_steep"] < g["gd_tenfold_steps_shallow"]


def test_claim_gd_reaches_least_squares(g):
    assert g["gd_final_mse"] <= 1.01 * g["gd_lstsq_mse"]
    assert g["gd_lstsq_mse"] <= g["gd_final_mse"] + 1e-6  # nothing beats the closed-form optimum
    assert g["gd_gap_percent"] <= 1.0
    assert g["gd_slope"] == pytest.approx(g["lstsq_slope"], abs=0.01)
    assert g["gd_intercept"] == pytest.approx(g["lstsq_intercept"], abs=0.01)


def test_claim_intercept_near_2_5(g):
    # y = 3u + 2 + U(0, 1): the best intercept absorbs the noise's mean 0.5
    assert abs(g["gd_slope"] - 3.0) < 0.2
    assert abs(g["gd_intercept"] - 2.5) < 0.1


def test_claim_mse_near_noise_variance(g):
    # uniform [0, 1) noise has variance 1/12 ≈ 0.083; the course notebook's draw reached 0.0713
    assert 0.06 <= g["gd_lstsq_mse"] <= 0.10
    assert abs(g["gd_lstsq_mse"] - 1 / 12) < 0.02


def test_claim_first_step_moves_most(g):
    assert g["gd_move_first_step"] > 50 * g["gd_move_last_ten_steps"]


def test_claim_no_zeroing_keeps_swinging(g):
    assert g["gd_nozero_rises"] >= 10
    assert g["gd_nozero_final_mse"] > 3 * g["gd_final_mse"]  # both after 100 steps: "far above"


def test_claim_lr_outcomes_match_the_limit(g):
    assert g["gd_lr001_mse"] > 3 * g["gd_lstsq_mse"]  # converging, but slowly
    assert g["gd_lr1_factor"] < -1 < g["gd_lr001_factor_shallow"]
    assert g["gd_lr1_mse"] > g["gd_lr1_mse_step50"] > 10 * g["gd_lstsq_mse"]  # creeping upwards
    assert g["gd_lr11_mse"] > 1e6  # exploded
    assert -1.25 < g["gd_lr11_factor"] < -1.15  # "about a fifth per step"


def test_claim_normal_noise_floor(g):
    assert abs(g["gd_new_intercept"] - 2.0) < 0.15
    # the intercept is 2 plus the mean of the noise actually drawn, not of its distribution
    assert abs(g["gd_new_intercept"] - (2.0 + g["gd_new_noise_mean"])) < 0.03
    assert abs(g["gd_new_intercept"] - (2.0 + g["gd_new_noise_mean"])) < abs(g["gd_new_noise_mean"]) / 3
    assert 0.18 <= g["gd_new_mse"] <= 0.32  # the noise variance is 0.25


def test_claim_minibatch_jitters(g):
    assert g["gd_minibatch_final_mse"] <= 1.1 * g["gd_lstsq_mse"]
    assert g["gd_fullbatch_rises"] == 0
    assert g["gd_minibatch_rises"] >= 10
