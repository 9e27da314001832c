"""Using nnbook on your own data: the glued numbers of the regression, the seeds, the analysis and the classifier.

Each ``test_claim_<name>`` checks the sentence marked ``<!-- claim: <name> -->`` in the chapter.
"""

from __future__ import annotations

import pytest
from claims import check_claims_are_tested

CHAPTER = "10-your-own-data"


@pytest.fixture(scope="module")
def g(glue_of):
    return glue_of(CHAPTER)


def test_every_claim_has_a_test():
    check_claims_are_tested(CHAPTER, globals())


def test_the_split_keeps_a_quarter_for_validation(g):
    assert (g["own_rows_train"], g["own_rows_valid"]) == (600, 200)


def test_lr_find_suggests_a_usable_rate(g):
    assert 1e-4 <= g["own_lr"] <= 0.1


def test_claim_early_stopping_restores_the_best(g):
    assert g["own_epochs_run"] < 300
    assert g["own_epochs_run"] - g["own_best_epoch"] == 20  # patience 20: stopped 20 epochs after the best
    assert g["own_restored_valid_loss"] == pytest.approx(g["own_best_valid_loss"], rel=1e-4)


def test_claim_regression_near_the_noise_floor(g):
    # the noise variance is 0.01: "within a factor of 2.5 of the noise floor"
    assert 0.01 <= g["own_valid_mse"] <= 0.025
    assert g["own_valid_mae"] <= 0.15


def test_claim_seeds_agree_and_settle_lower(g):
    # "the result does not hinge on one lucky start"
    assert g["own_seeds_diverged"] == 0
    assert g["own_seeds_min"] <= g["own_seeds_median"] <= g["own_seeds_max"]
    assert g["own_seeds_max"] <= 1.5 * g["own_seeds_min"]
    # "even the median seed ends below the early-stopped network"
    assert g["own_seeds_median"] < g["own_valid_mse"]


def test_claim_top_eight_units_reproduce_most(g):
    assert 0.7 <= g["own_top8_explained"] <= 1.0


def test_claim_slice_is_a_sum_of_hinges(g):
    assert 0.8 <= g["own_slice_explained"] <= 1.0


def test_claim_three_regions_meet_near_the_origin(g):
    assert g["own_classes_near_origin"] == 3


def test_claim_classifier_near_its_ceiling(g):
    # 5 % of labels replaced at random, two thirds of them by a wrong class: about 0.967 is the ceiling
    assert 0.90 <= g["own_clf_accuracy"] <= 1.0


def test_claim_loaded_model_predicts_the_same(g):
    assert g["own_reload_difference"] <= 1e-6


# Exercises


def test_claim_x2_moves_the_prediction_most(g):
    assert g["ex_own_move_x2"] > g["ex_own_move_x1"] > g["ex_own_move_x3"]
    assert g["ex_own_move_x3"] < 0.1 * g["ex_own_move_x1"]  # "the third barely at all"


def test_claim_slices_match_the_formula(g):
    # "the same order"
    assert g["ex_own_formula_move_x2"] > g["ex_own_formula_move_x1"] > g["ex_own_formula_move_x3"]
    # "the network's moves are close to the formula's"
    for name in ("x1", "x2"):
        assert g[f"ex_own_move_{name}"] == pytest.approx(g[f"ex_own_formula_move_{name}"], rel=0.2)
    assert abs(g["ex_own_move_x3"] - g["ex_own_formula_move_x3"]) <= 0.1
    # "0.05 per unit adds up over the span of x2" beats the sine's swing of 2
    assert 0.05 * g["ex_own_x2_span"] > 2


def test_claim_x3_matters_where_x1_is_large(g):
    assert abs(g["ex_own_x1_held"]) <= 0.3  # "held at its median, where the product is nearly 0"
    assert g["ex_own_move_x3_tilted"] >= 5 * g["ex_own_move_x3"]
    assert g["ex_own_move_x3_tilted"] == pytest.approx(g["ex_own_formula_move_x3_tilted"], rel=0.3)


def test_claim_four_classes_near_their_ceiling(g):
    assert g["ex_own_quarter_ceiling"] == pytest.approx(0.9625)
    assert 0.90 <= g["ex_own_quarter_accuracy"] <= 1.0


def test_claim_four_regions_meet_near_the_origin(g):
    assert g["ex_own_quarter_near_origin"] == 4


def test_claim_seeds_stop_together_at_the_mean_best(g):
    assert g["ex_own_stop_seeds_trained_all"] == 10
    assert g["ex_own_stop_epochs"] < 300
    assert g["ex_own_stop_epochs"] - g["ex_own_stop_best"] == 20  # patience 20, counted from the shared best
    assert g["ex_own_stop_best"] == g["ex_own_stop_mean_best"]
    assert g["ex_own_stop_seeds_restored"] == 10  # every seed holds its weights of the shared best epoch


def test_claim_seeds_have_their_own_best_epochs(g):
    assert g["ex_own_stop_own_best_differs"] >= 1
    assert g["ex_own_stop_own_best_later"] >= 1
    assert g["ex_own_stop_own_best_min"] <= g["ex_own_stop_best"] <= g["ex_own_stop_own_best_max"]
    assert g["ex_own_stop_own_best_min"] < g["ex_own_stop_own_best_max"]
