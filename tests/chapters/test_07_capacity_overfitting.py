"""Chapter 7, capacity and overfitting: the glued numbers and the chapter's claims.

Each test named ``test_claim_<name>`` checks the sentence marked ``<!-- claim: <name> -->`` in the chapter.
"""

from __future__ import annotations

import pytest
from claims import check_claims_are_tested

CHAPTER = "07-capacity-overfitting"


@pytest.fixture(scope="module")
def g(glue_of):
    return glue_of(CHAPTER)


def test_every_claim_has_a_test():
    check_claims_are_tested(CHAPTER, globals())


def test_claim_stacked_layers_are_the_best_line(g):
    assert abs(g["reg_nested_train_mse"] - g["reg_best_line_mse"]) < 0.01 * g["reg_best_line_mse"]
    assert g["reg_nested_train_mse"] > 1.5 * g["reg_noise_valid_mse"]


def test_claim_one_unit_no_better_than_line(g):
    assert g["reg_one_unit_train_mse"] >= 0.98 * g["reg_nested_train_mse"]
    assert g["reg_one_unit_train_mse"] > 1.3 * g["reg_noise_valid_mse"]


def test_claim_sgd_not_yet_overfitting(g):
    # one chaotic run: rest on what holds for every seed, not on where its jumpy last epoch lands
    assert g["reg_sgd_train_mse"] > g["reg_noise_train_mse"]  # still above the noise on its training points
    assert g["reg_sgd_valid_best_epoch"] >= 0.8 * g["reg_sgd_epochs"]  # "lowest near the end"
    assert g["reg_sgd_valid_best"] <= g["reg_sgd_valid_final"] <= 1.2 * g["reg_sgd_valid_best"]


def test_claim_adam_far_ahead_of_sgd(g):
    assert g["reg_sgd_train_mse"] > 1.5 * g["reg_adam_train_mse_same_epochs"]
    assert g["reg_sgd_train_mse"] > g["reg_overfit_train_mse"]
    assert 1 <= g["reg_adam_epochs_to_sgd"] < g["reg_sgd_epochs"] / 3  # "got as far in its first N epochs"


def test_claim_adam_already_overfitting(g):
    assert g["reg_adam_valid_same_epochs"] > 1.1 * g["reg_adam_valid_best_so_far"]


def test_claim_output_gradient_largest_at_start(g):
    assert g["reg_grad_output_over_hidden_start"] > 3


def test_claim_first_layer_gradient_not_tiny(g):
    assert g["reg_grad_first_largest_percent"] >= 25


def test_claim_sgd_flat_stretch(g):
    assert g["reg_grad_flat_drop"] < 0.2


def test_claim_gradient_sizes_differ_widely(g):
    assert g["reg_grad_layer_spread"] > 5  # within one step
    assert g["reg_grad_overall_spread"] > 10 * g["reg_grad_layer_spread"]  # across layers and steps: far more


def test_claim_overfit_below_training_noise(g):
    # compare like with like: training MSE against the true curve's MSE on the same training points; every seed
    assert g["reg_overfit_train_min"] <= g["reg_overfit_train_mse"] <= g["reg_overfit_train_max"]
    assert g["reg_overfit_train_max"] < 0.6 * g["reg_noise_train_mse"]
    assert g["reg_overfit_train_percent_of_noise"] == pytest.approx(
        100 * g["reg_overfit_train_mse"] / g["reg_noise_train_mse"], rel=1e-6
    )
    # "a model fitted to these points can slip a little below": the 1-10-1 network and the 1000-point run do
    assert g["reg_justright_train_mse"] > 0.9 * g["reg_noise_train_mse"]
    assert g["ex_more_train_mse"] > 0.9 * g["ex_more_noise_train"]


def test_claim_overfit_worse_than_truth_held_out(g):
    assert g["reg_overfit_valid_min"] <= g["reg_overfit_valid_mse"] <= g["reg_overfit_valid_max"]
    assert g["reg_overfit_valid_min"] > 1.3 * g["reg_noise_valid_mse"]  # every seed


def test_claim_error_worst_where_data_sparse(g):
    assert g["reg_error_worst_bin_points"] <= 8  # a sparse bin (the range holds 100 points in ten bins)
    assert g["reg_error_worst_bin_right"] < -1  # near the left end of x in [-3.3, 3.3]
    assert g["reg_error_worst_bin_right"] > g["reg_error_worst_bin_left"]
    assert g["reg_error_worst_over_median"] > 3
    # "the bin to its left comes second": it ends where the worst one starts
    assert g["reg_error_second_bin_right"] == pytest.approx(g["reg_error_worst_bin_left"], abs=1e-4)
    assert g["reg_error_second_bin_points"] <= 8
    assert -0.6 < g["reg_error_count_correlation"] < 0  # "sparseness alone does not decide it": a weak link


def test_claim_spikes_in_dense_data(g):
    assert g["reg_bend_dense_over_sparse"] > 2
    assert g["reg_bend_count_correlation"] > 0.4


def test_claim_train_and_held_out_part(g):
    assert g["reg_adam_valid_best_epoch"] < 1000
    assert g["reg_overfit_valid_mse"] > 1.3 * g["reg_adam_valid_best"]


def test_claim_big_net_overfits(g):
    assert g["reg_overfit_ratio"] > 3
    assert g["reg_overfit_ratio_min"] > 3  # every seed
    assert g["reg_overfit_valid_mse"] >= 1.3 * g["reg_overfit_train_mse"]


def test_claim_small_net_just_right(g):
    assert abs(g["reg_justright_train_mse"] - g["reg_noise_train_mse"]) < 0.15 * g["reg_noise_train_mse"]
    small_gap = g["reg_justright_valid_mse"] - g["reg_justright_train_mse"]
    big_gap = g["reg_overfit_valid_mse"] - g["reg_overfit_train_mse"]
    assert small_gap < 0.5 * big_gap
    assert g["reg_justright_valid_mse"] < 1.5 * g["reg_noise_valid_mse"]


def test_claim_early_stopping_rescues_regression(g):
    assert g["reg_earlystop_valid_mse"] < 0.8 * g["reg_overfit_valid_mse"]


def test_claim_rigid_models_biased_not_overfit(g):
    for name in ("nested", "one_unit"):
        train, valid = g[f"reg_{name}_train_mse"], g[f"reg_{name}_valid_mse"]
        assert 1.7 < train / g["reg_noise_train_mse"] < 2.5, name  # "about twice the noise there"
        assert valid > 1.5 * g["reg_noise_valid_mse"], name


def test_claim_regression_table_ranks(g):
    gaps = {name: g[f"reg_{name}_gap"] for name in ("nested", "one_unit", "overfit", "justright", "earlystop")}
    assert all(gaps["overfit"] > 2 * gap for name, gap in gaps.items() if name != "overfit")  # "the largest by far"
    assert g["reg_overfit_train_mse"] < g["reg_noise_train_mse"] < g["reg_noise_valid_mse"] < g["reg_overfit_valid_mse"]
    train = {n: g[f"reg_{n}_train_mse"] for n in gaps}
    valid = {n: g[f"reg_{n}_valid_mse"] for n in gaps}

    def off(n):  # distance from the noise on both sets
        return abs(train[n] - g["reg_noise_train_mse"]) + abs(valid[n] - g["reg_noise_valid_mse"])

    for good in ("justright", "earlystop"):
        assert all(off(good) < off(other) for other in ("nested", "one_unit", "overfit")), good
        assert abs(gaps[good] - (valid[good] - train[good])) < 1e-6, good


def test_claim_tiny_classifier_too_small(g, glue_of):
    assert g["clf_tiny_acc"] > glue_of("06-classification")["clf_acc_linear"]
    assert g["clf_tiny_acc"] < g["clf_bayes_acc"] - 0.08


def test_claim_big_classifier_learns_swapped_labels(g):
    assert g["clf_n_swapped_train"] == round(200 * (1 - g["clf_rule_train_acc"]))
    assert g["clf_overfit_train_acc"] > g["clf_rule_train_acc"] + 0.02  # the mean beats the rule on these points
    assert g["clf_overfit_swapped_learned"] >= 0.5 * g["clf_n_swapped_train"]
    assert g["clf_overfit_acc"] < g["clf_bayes_acc"] - 0.02


def test_claim_classifier_held_out_climbs(g):
    assert g["clf_overfit_valid_best_epoch"] < 500
    assert g["clf_overfit_valid_min"] <= g["clf_overfit_valid_loss"] <= g["clf_overfit_valid_max"]
    assert (
        g["clf_overfit_valid_min"] > 1.5 * g["clf_overfit_valid_best"]
    )  # every seed climbs (1.8x on portable kernels)
    assert g["clf_overfit_valid_loss"] > 2 * g["clf_overfit_train_loss"]


def test_claim_weight_decay_helps_every_seed(g):
    assert g["clf_wd_valid_loss_mean"] < g["clf_nowd_valid_loss_mean"]
    assert g["clf_wd_valid_loss_max"] < g["clf_nowd_valid_loss_min"]  # every seed with decay beats every seed without
    assert g["clf_wd_valid_loss_std"] < 0.5 * g["clf_nowd_valid_loss_std"]


def test_claim_just_right_classifier(g):
    assert g["clf_justright_valid_loss"] < g["clf_overfit_valid_loss"]
    assert g["clf_justright_acc"] >= g["clf_bayes_acc"] - 0.04


def test_claim_early_stopping_rescues_classifier(g):
    assert g["clf_earlystop_valid_loss"] < g["clf_overfit_valid_loss"]
    assert g["clf_earlystop_acc"] >= g["clf_bayes_acc"] - 0.04


def test_claim_more_data_stops_overfitting(g):
    assert abs(g["ex_more_train_mse"] - g["ex_more_noise_train"]) < 0.15 * g["ex_more_noise_train"]
    assert g["ex_more_valid_mse"] < 1.15 * g["reg_noise_valid_mse"]
    assert g["ex_more_valid_mse"] < g["reg_adam_valid_same_epochs"]


def test_claim_weight_decay_helps_regression(g):
    assert g["ex_wd_valid_worst"] < 0.95 * g["reg_overfit_valid_mse"]
    assert 0.85 * g["reg_justright_valid_mse"] < g["ex_wd_valid_best"] <= g["ex_wd_valid_worst"]
    assert abs(g["ex_wd_valid_best"] / g["reg_justright_valid_mse"] - 1) < 0.05  # "the best seed matches"
    assert g["ex_wd_worst_over_small_percent"] == pytest.approx(
        100 * (g["ex_wd_valid_worst"] / g["reg_justright_valid_mse"] - 1), abs=1e-3
    )
    assert g["ex_wd_train_worst"] < g["reg_noise_train_mse"]


def test_claim_another_just_right_design(g):
    assert abs(g["ex_yours_valid_loss"] - g["clf_justright_valid_loss"]) < 0.05
    assert abs(g["ex_yours_acc"] - g["clf_justright_acc"]) < 0.05
    assert g["ex_yours_valid_loss"] < 0.5 * g["clf_overfit_valid_loss"]


def test_claim_early_stopping_choice_costs_little(g):
    gap = g["ex_earlystop_test_bce"] - g["clf_earlystop_valid_loss"]
    assert gap > 0  # "higher than the held-out BCE that chose the epoch"
    assert g["ex_test_bce_at_chosen"] == pytest.approx(g["ex_earlystop_test_bce"], abs=1e-6)  # the same run again
    assert 0 <= g["ex_earlystop_test_bce"] - g["ex_test_best_bce"] < 0.2 * gap  # the choice cost little
    assert g["ex_truth_test_bce"] - g["ex_truth_valid_bce"] > 0.5 * gap  # the held-out points are easier
