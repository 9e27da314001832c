"""Chapter 8, a model class, a DataLoader and the loop by hand: the glued numbers and the chapter's claims.

Each test named ``test_claim_<name>`` checks the sentence marked ``<!-- claim: <name> -->`` in the chapter.
Claims: mlp-is-the-class, xor-class-is-mlp, init-within-bound, init-is-uniform, loader-visits-every-point,
fit-is-the-hand-loop, hand-loop-learns, plain-mean-of-batches-is-off, flat-target-loss-is-wrong,
xor-small-batches-jitter (10).
"""

from __future__ import annotations

import pytest
from claims import check_claims_are_tested

CHAPTER = "08-models-and-loaders"


@pytest.fixture(scope="module")
def g(glue_of):
    return glue_of(CHAPTER)


def test_every_claim_has_a_test():
    check_claims_are_tested(CHAPTER, globals())


def test_layout_has_the_expected_parameters(g):
    # [1, 10, 10, 10, 1]: (1·10 + 10) + 2·(10·10 + 10) + (10·1 + 1)
    assert g["mlp_n_params"] == 251
    assert g["ex_count_params"] == 2 * 8 + 8 + 8 * 8 + 8 + 8 * 3 + 3


def test_claim_mlp_is_the_class(g):
    # same names and shapes, and after load_state_dict exactly the same outputs
    assert g["mlp_class_same_shapes"] == 1
    assert g["mlp_class_max_difference"] == 0.0
    assert g["ex_activation_max_difference"] == 0.0


def test_claim_xor_class_is_mlp(g):
    assert g["xor_class_max_difference"] == 0.0


def test_claim_init_within_bound(g):
    assert g["init_layers_inside_bound"] == 1


def test_claim_init_is_uniform(g):
    # U(−b, b) has standard deviation b/√3 and reaches, but never passes, ±b
    assert abs(g["init_std_ratio"] - 1) < 0.01
    assert 0.99 < g["init_max_ratio"] <= 1.0
    assert 0.95 < g["init_bias_max_ratio"] <= 1.0


def test_claim_loader_visits_every_point(g):
    assert g["loader_every_point_once"] == 1


def test_claim_fit_is_the_hand_loop(g):
    # same initial weights, optimizer and batch order: the same per-epoch losses, to float32 rounding
    assert g["loop_epochs"] >= 10
    assert g["loop_fit_max_rel_difference"] < 1e-5
    assert g["loop_fit_max_rel_difference_valid"] < 1e-5
    assert g["loop_fit_max_weight_difference"] < 1e-5
    # "our loop with fused Adam ends on the same weights as fit": the weights' last digits are the fused update
    assert g["loop_fused_max_weight_difference"] == 0.0


def test_claim_hand_loop_learns(g):
    # "falls to less than a third of its start", "still far above" the true function's MSE on these points
    assert g["loop_last_loss"] < g["loop_first_loss"] / 3
    assert g["loop_last_loss"] > 2 * g["loop_noise_mse"]
    assert g["loop_last_valid_loss"] > 2 * g["loop_noise_mse"]
    assert abs(g["loop_noise_mse"] - g["ex_column_loss"]) < 1e-3  # the exercise computes the same number


def test_claim_plain_mean_of_batches_is_off(g):
    assert abs(g["ex_last_batch_weighted_mean"] - g["ex_last_batch_true_mse"]) < 1e-3 * g["ex_last_batch_true_mse"]
    assert abs(g["ex_last_batch_plain_mean"] - g["ex_last_batch_true_mse"]) > 0.01 * g["ex_last_batch_true_mse"]


def test_claim_flat_target_loss_is_wrong(g):
    # the true function scores the noise level against the column, many times more against the flat vector
    assert g["ex_column_loss"] < 150
    assert g["ex_flat_loss"] > 10 * g["ex_column_loss"]


def test_claim_xor_small_batches_jitter(g):
    # "fewer, … but not none"
    assert g["ex_xor_rises_batch2"] > g["ex_xor_rises_batch4"] > 0


def test_claim_xor_batch_of_two_not_solved_yet(g):
    assert g["ex_xor_last_loss_batch4"] < 1e-3  # solved
    assert g["ex_xor_last_loss_batch2"] > 0.1  # not solved
