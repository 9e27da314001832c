"""Chapter 6, classification: the glued numbers and the chapter's claims.

Each test named ``test_claim_<name>`` checks the sentence marked ``<!-- claim: <name> -->`` in the chapter.
"""

from __future__ import annotations

import math

import pytest
from claims import check_claims_are_tested

CHAPTER = "06-classification"


@pytest.fixture(scope="module")
def g(glue_of):
    return glue_of(CHAPTER)


def test_every_claim_has_a_test():
    check_claims_are_tested(CHAPTER, globals())


def test_best_possible_accuracy_matches_the_label_noise(g):
    # about 11.4 % of labels are swapped by construction, so the circle rule scores about 0.886
    assert 0.85 <= g["clf_bayes_acc"] <= 0.92
    assert abs(g["clf_bayes_acc_exact"] - 0.886) < 0.005


def test_hand_written_cross_entropy_is_near_log_2(g):
    # logistic regression on round classes cannot beat guessing by much: its loss stays near log 2 ≈ 0.693
    assert 0.6 <= g["clf_hand_loss"] <= 0.72


def test_claim_sgd_line_near_best(g):
    assert g["reg_line_mse"] <= 1.05 * g["reg_best_line_mse"]
    assert g["reg_line_init_mse"] > g["reg_line_mse"]


def test_claim_line_model_bias(g):
    assert g["reg_best_line_mse"] > 1.5 * g["reg_noise_mse"]


def test_claim_swapped_labels_near_circle(g):
    assert g["clf_swapped_near_circle"] > 0.5 * g["clf_n_swapped"]
    assert g["clf_swapped_near_circle"] <= g["clf_n_swapped"]  # a subset of the swapped labels


def test_claim_bayes_estimate_agrees(g):
    assert 0.003 < g["clf_bayes_se"] < 0.006  # the standard error of a share near 0.88 on 5000 points
    assert abs(g["clf_bayes_acc"] - g["clf_bayes_acc_exact"]) < 3 * g["clf_bayes_se"]


def test_claim_mse_gradient_vanishes_when_wrong(g):
    assert g["clf_grad_mse_at_minus10"] < 1e-3
    assert g["clf_grad_bce_at_minus10"] > 0.99
    assert g["clf_grad_mse_max"] < g["clf_grad_bce_at_minus10"]


def test_claim_hand_bce_equals_builtin(g):
    assert abs(g["clf_hand_loss"] - g["clf_builtin_loss"]) < 1e-5


def test_claim_float32_rounds_sigmoid(g):
    assert g["clf_sigmoid_20_is_one"] == 1
    assert g["clf_sigmoid_minus200_is_zero"] == 1
    assert g["clf_sigmoid_minus20"] > 100 * g["clf_float32_tiny"]  # stored, far from underflow
    assert g["clf_sigmoid_minus20"] < g["clf_float32_eps"]  # too small to show next to 1


def test_claim_hand_loss_right_until_rounding(g):
    # at z = -20 float32 still stores the probability, so the formula as written is right
    assert abs(g["clf_hand_loss_minus20_wrong"] - 20) < 1e-3
    assert 0 <= g["clf_hand_loss_minus20_right"] < 1e-6


def test_claim_hand_loss_infinite_builtin_finite(g):
    assert g["clf_hand_loss_at_20_is_inf"] == 1
    assert abs(g["clf_safe_loss_at_20"] - 20) < 1e-4


def test_claim_hand_loss_nan_when_confidently_right(g):
    # 0 · log 0: a point labelled 1 at logits 20 and 200, and one labelled 0 at −200
    assert g["clf_hand_loss_right_is_nan"] == 1
    assert 0 <= g["clf_safe_loss_right"] < 1e-8


def test_claim_hand_gradient_nan_builtin_one(g):
    assert g["clf_hand_grad_is_nan"] == 1
    assert abs(g["clf_safe_grad"] - 1) < 1e-6


def test_claim_line_classifier_fails(g):
    assert g["clf_acc_linear"] <= g["clf_majority_acc"] + 0.1  # barely better than the majority class
    assert g["clf_acc_linear"] < g["clf_bayes_acc"] - 0.15
    assert g["clf_acc_linear_sgd"] <= 0.7


def test_claim_tanh_net_near_ceiling(g):
    assert g["clf_acc_mlp"] >= g["clf_bayes_acc"] - 0.04
    assert g["clf_acc_mlp"] <= g["clf_bayes_acc"] + 0.01  # nothing beats the circle rule beyond sampling noise


def test_claim_every_seed_succeeds(g):
    assert g["clf_acc_mlp_seeds_min"] >= g["clf_bayes_acc"] - 0.05
    assert g["clf_acc_mlp_seeds_min"] > g["clf_acc_linear"] + 0.15


def test_claim_plus_sign_climbs(g):
    assert g["ex_minus_end"] < g["ex_minus_start"] < g["ex_plus_end"]


def test_claim_more_data_no_cure_for_bias(g):
    assert g["ex_more_best_line_mse"] > 1.5 * g["ex_more_noise_mse"]


def test_claim_r2_feature_rescues_line(g):
    assert g["ex_r2_acc"] >= g["clf_bayes_acc"] - 0.02
    assert g["ex_r2_acc"] > g["clf_acc_linear"] + 0.2


def test_claim_softplus_loss_is_safe(g):
    assert math.isfinite(g["ex_softplus_loss"]) and abs(g["ex_softplus_loss"] - 200) < 1e-3
    assert g["ex_softplus_vs_builtin"] < 1e-4
