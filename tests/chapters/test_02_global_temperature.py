"""Chapter 2, gradient descent on global temperature: glued numbers and the chapter's claims (its page without
dead widgets: tests/test_chapter_pages.py).

Each ``test_claim_<name>`` checks the sentence marked ``<!-- claim: <name> -->`` in the chapter.
"""

from __future__ import annotations

import pytest
from claims import check_claims_are_tested

CHAPTER = "02-global-temperature"


@pytest.fixture(scope="module")
def g(glue_of):
    return glue_of(CHAPTER)


def test_every_claim_has_a_test():
    check_claims_are_tested(CHAPTER, globals())


def test_claim_linear_matches_nn_linear(g):
    assert g["gis_linear_vs_nn_maxerr"] <= 1e-6


def test_claim_origin_line_in_range(g):
    assert 0.09 <= g["gis_mse_nobias"] <= 0.11
    assert abs(g["gis_w_nobias"] - 0.259) < 0.01  # the course notebook's w ≈ 0.259


def test_claim_origin_line_flat_early(g):
    assert 0 <= g["gis_nobias_last25_drop"] < 1e-3


def test_claim_origin_line_high_early_low_late(g):
    assert g["gis_mean_1880_1909"] < 0
    assert g["gis_nobias_early_miss"] > 0.1  # prediction above the data early on
    assert g["gis_nobias_late_miss"] > 0.1  # and below it at the end


def test_claim_bias_50_steps_not_done(g):
    assert g["gis_bias_50_last_drop"] > 1e-4
    assert g["gis_mse_bias_50_steps"] > g["gis_mse_bias"] + 0.005


def test_claim_bias_line_is_least_squares(g):
    assert 0.03 <= g["gis_mse_bias"] <= 0.035
    assert abs(g["gis_mse_bias"] - g["gis_mse_line_lstsq"]) < 5e-5  # equal to the 4 digits shown


def test_claim_flat_mae_curve_line_still_moving(g):
    assert 0 <= g["gis_mae_constant_last100_drop"] < 1e-3  # the curve looks flat
    assert g["gis_mae_constant_last100_climb"] > 0.01  # while the slope is still on its way up


def test_claim_constant_mae_steps_overshoot(g):
    assert g["gis_mae_constant_reversals"] >= 20  # of 99 pairs of consecutive steps


def test_claim_mae_constant_step_not_converged(g):
    assert g["gis_mae_exact"] <= g["gis_mae_constant"] < g["gis_mae_exact"] + 5e-4  # "a fraction of a thousandth"
    assert abs(g["gis_w_mae_constant"] - g["gis_w_mae_exact"]) > 0.02  # "still far from the best line's"


def test_claim_mae_decaying_step_reaches_exact(g):
    assert g["gis_mae_exact"] - 1e-6 <= g["gis_mae"] < g["gis_mae_exact"] + 1e-5
    assert abs(g["gis_w_mae"] - g["gis_w_mae_exact"]) < 2e-3  # equal to the 3 digits shown


def test_claim_mae_around_0_15(g):
    assert 0.14 <= g["gis_mae"] <= 0.155


def test_claim_each_line_best_for_its_loss(g):
    assert g["gis_mae_exact"] < g["gis_mae_of_mse_line"]
    assert g["gis_mae"] < g["gis_mae_of_mse_line"]
    assert g["gis_mse_line_lstsq"] < g["gis_mse_of_mae_line"]
    assert g["gis_mse_bias"] < g["gis_mse_of_mae_line"]


def test_claim_mse_and_mae_lines_close(g):
    assert abs(g["gis_w_bias"] - g["gis_w_mae"]) < 0.01  # "a few thousandths of a degree per century"


def test_claim_last_panel_best(g):
    assert g["gis_panel_best_index"] == 6
    assert g["gis_panel_last_mse"] < g["gis_mse_bias"]


def test_claim_hinge_beats_line(g):
    assert 0.01 <= g["gis_mse_hinge"] <= 0.03
    assert g["gis_mse_hinge"] < 0.75 * g["gis_mse_bias"]


def test_claim_flat_before_1930_warming_after(g):
    assert -0.2 < g["gis_hinge_w1"] < 0  # almost flat, slightly cooling
    assert g["gis_slope_after_1930"] > 0.9
    assert g["gis_slope_after_1930"] == pytest.approx(g["gis_hinge_w1"] + g["gis_hinge_w2"], abs=1e-6)


def test_claim_hinge_fit_is_least_squares(g):
    assert g["gis_hinge_lstsq_maxdiff"] < 1e-3  # converged: the least-squares weights
    assert g["gis_hinge_eig_min"] < 0.05  # a very shallow direction
    # 500 steps at lr 0.5 leave more than 5 % of the distance along it, 3000 steps almost none
    assert (1 - 0.5 * g["gis_hinge_eig_min"]) ** 500 > 0.05 > (1 - 0.5 * g["gis_hinge_eig_min"]) ** 3000
    assert g["gis_hinge_500_maxdiff"] > 0.01 > 10 * g["gis_hinge_lstsq_maxdiff"]  # not yet after 500 steps


def test_claim_last_panel_near_fit(g):
    assert g["gis_panel_max_offset"] <= 0.1


def test_claim_forecast_falls_short(g):
    assert g["gis_actual_2023"] > 1.0 and g["gis_actual_2024"] > 1.0
    assert g["gis_pred_2023"] < g["gis_actual_2023"] and g["gis_pred_2024"] < g["gis_actual_2024"]
    assert g["gis_shortfall_min"] >= 0.2


def test_claim_runs_below_recent_years(g):
    assert g["gis_last10_residual"] > 0.05


def test_claim_outliers_pull_mse_line_harder(g):
    assert g["gis_out_mse_slope_shift"] > 0 and g["gis_out_mae_slope_shift"] > 0
    assert 1.5 < g["gis_out_mse_slope_shift"] / g["gis_out_mae_slope_shift"] < 2.5  # "about half as much"


def test_claim_one_outlier_changes_sides(g):
    assert g["gis_out_sides_changed"] == 1  # of 1890, 1900, 1910 raised by 2 °C, one crosses the MAE line
    assert -2.0 < g["gis_out_1910_resid"] < 0  # and it is 1910, below the line before


def test_claim_wild_outliers_move_only_the_mse_line(g):
    assert g["gis_wild_mse_slope_shift"] == pytest.approx(10 * g["gis_out_mse_slope_shift"], rel=0.01)
    assert g["gis_wild_mae_slope_shift"] == pytest.approx(g["gis_out_mae_slope_shift"], abs=1e-9)


def test_claim_frozen_bias_is_origin_line(g):
    assert g["gis_frozen_bias_mse"] == pytest.approx(g["gis_mse_nobias"], abs=1e-4)


def test_claim_step2_limit_between_half_and_one(g):
    assert 0.5 < g["gis_lr_limit"] < 1.0


def test_claim_no_bias_limit_above_one(g):
    assert g["gis_lr_limit_nobias"] > 1.0 > g["gis_lr_limit"]


def test_claim_raw_years_make_a_tiny_limit(g):
    assert g["gis_lr_limit_raw"] < 1e-6
    assert g["gis_raw_eigen_ratio"] > 1e6 > 100 > g["gis_scaled_eigen_ratio"]
    assert 1e9 < g["gis_raw_steps_tenfold"] < 1e11  # "tens of billions" for a few tenfold shrinks


def test_claim_later_hinge_fits_better_still_short(g):
    assert g["gis_late_hinge_mse"] < g["gis_mse_hinge"]
    assert g["gis_pred_2023"] < g["gis_late_pred_2023"] < g["gis_actual_2023"]
    assert g["gis_pred_2024"] < g["gis_late_pred_2024"] < g["gis_actual_2024"]


def test_claim_hinge_layer_as_nn_linear(g):
    assert g["gis_hinge_nn_maxerr"] <= 1e-6
