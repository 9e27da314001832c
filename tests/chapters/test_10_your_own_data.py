"""Using nnbook on your own data: the glued numbers of the regression, the seeds, the analysis and the classifier."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def g(glue_of):
    return glue_of("10-your-own-data")


def test_the_split_keeps_a_quarter_for_validation(g):
    assert (g["own_rows_train"], g["own_rows_valid"]) == (600, 200)


def test_lr_find_suggests_a_usable_rate(g):
    assert 1e-4 <= g["own_lr"] <= 0.1


def test_early_stopping_stops_early_and_restores_the_best_weights(g):
    assert g["own_epochs_run"] < 300
    assert g["own_epochs_run"] - g["own_best_epoch"] == 20  # patience 20: stopped 20 epochs after the best
    assert g["own_restored_valid_loss"] == pytest.approx(g["own_best_valid_loss"], rel=1e-4)


def test_regression_is_near_the_noise_floor(g):
    # the noise variance is 0.01: "within a factor of 2.5 of the noise floor"
    assert 0.01 <= g["own_valid_mse"] <= 0.025
    assert g["own_valid_mae"] <= 0.15


def test_ten_seeds_agree_and_settle_lower(g):
    # "the result does not hinge on one lucky start"
    assert g["own_seeds_diverged"] == 0
    assert g["own_seeds_min"] <= g["own_seeds_median"] <= g["own_seeds_max"]
    assert g["own_seeds_max"] <= 1.5 * g["own_seeds_min"]
    # "even the median seed ends below the early-stopped network"
    assert g["own_seeds_median"] < g["own_valid_mse"]


def test_a_few_units_explain_most_of_the_prediction(g):
    assert 0.7 <= g["own_top8_explained"] <= 1.0
    assert 0.8 <= g["own_slice_explained"] <= 1.0


def test_three_class_classifier(g):
    # 5 % of labels replaced at random: about 0.97 is the ceiling
    assert 0.85 <= g["own_clf_accuracy"] <= 1.0
    assert g["own_classes_near_origin"] == 3  # "the three regions meet near the origin"


def test_a_loaded_model_predicts_what_the_saved_one_did(g):
    assert g["own_reload_difference"] <= 1e-6
