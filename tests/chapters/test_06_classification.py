"""Chapter 6, classification: the glued headline numbers against the bounds the book promises."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def g(glue_of):
    return glue_of("06-classification")


def test_best_possible_accuracy_matches_the_label_noise(g):
    # about 11.4 % of labels are swapped by construction, so the circle rule scores about 0.886
    assert 0.85 <= g["clf_bayes_acc"] <= 0.92
    assert abs(g["clf_bayes_acc_exact"] - 0.886) < 0.005
    assert abs(g["clf_bayes_acc"] - g["clf_bayes_acc_exact"]) < 0.015  # 5000 points: sampling noise ≈ 0.005


def test_linear_classifier_fails(g):
    assert g["clf_acc_linear"] <= 0.7
    assert g["clf_acc_linear_sgd"] <= 0.7
    assert g["clf_acc_linear"] < g["clf_bayes_acc"] - 0.15


def test_tanh_network_is_close_to_the_limit(g):
    assert g["clf_acc_mlp"] >= g["clf_bayes_acc"] - 0.04
    assert g["clf_acc_mlp"] <= g["clf_bayes_acc"] + 0.01  # nothing beats the circle rule beyond sampling noise
    assert g["clf_acc_mlp_seeds_min"] >= g["clf_bayes_acc"] - 0.05  # every seed succeeds, not one lucky run


def test_hand_written_cross_entropy_is_the_built_in_one(g):
    # logistic regression on round classes cannot beat guessing by much: its loss stays near log 2 ≈ 0.693
    assert 0.6 <= g["clf_hand_loss"] <= 0.72


def test_line_shows_model_bias(g):
    # 100 SGD epochs at lr 0.01 get close to the best line, which stays far above the noise
    assert g["reg_line_mse"] <= 1.05 * g["reg_best_line_mse"]
    assert g["reg_best_line_mse"] > 1.5 * g["reg_noise_mse"]
    assert g["reg_line_init_mse"] > g["reg_line_mse"]
