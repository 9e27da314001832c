"""Chapter 8, MLPs from a layout, Dataset/DataLoader and XOR: the glued headline numbers against the book's bounds."""

from __future__ import annotations

import math

import pytest


@pytest.fixture(scope="module")
def g(glue_of):
    return glue_of("08-mlp-dataloader-xor")


def test_layout_has_the_expected_parameters(g):
    # [1, 10, 10, 10, 1]: (1·10 + 10) + 2·(10·10 + 10) + (10·1 + 1)
    assert g["mlp_n_params"] == 251


def test_default_init_is_uniform_within_one_over_sqrt_fan_in(g):
    # U(−b, b) has standard deviation b/√3 and reaches, but never passes, ±b
    assert abs(g["init_std_ratio"] - 1) < 0.01
    assert 0.99 < g["init_max_ratio"] <= 1.0
    assert 0.95 < g["init_bias_max_ratio"] <= 1.0


def test_fast_recipe_reaches_the_noise_floor(g):
    # the noise has standard deviation 10, so about 100 is the floor; the course notebook reached about 90
    assert g["mlp_fast_mse"] <= 100
    assert g["mlp_fast_mse"] >= 0.5 * g["mlp_noise_mse"]  # at the floor, not memorising the noise
    assert g["mlp_fast_worst_seed_mse"] <= 100  # every seed of the recipe, not a lucky one


def test_course_recipe_is_far_behind_after_the_same_epochs(g):
    seed_mse = g["mlp_seed_recipe_mse"]
    assert isinstance(seed_mse, float) and math.isfinite(seed_mse)
    assert seed_mse > g["mlp_fast_mse"]
    assert seed_mse > 5 * g["mlp_noise_mse"]


def test_smaller_batches_progress_more_per_epoch(g):
    assert g["mlp_per_sample_mse"] < g["mlp_minibatch_mse"] < g["mlp_full_batch_mse"]


def test_xor_course_recipe_fails_on_some_seeds(g):
    n = g["xor_seeds"]
    assert n >= 100
    assert 0 < g["xor_seed_solved"] < n
    assert g["xor_seed_solved"] + g["xor_seed_failed"] == n
    # the failures sit on the two plateaus the chapter explains, 1/8 and 1/6
    assert g["xor_fail_eighth"] + g["xor_fail_sixth"] >= 0.8 * g["xor_seed_failed"]


def test_xor_fix_solves_every_seed(g):
    assert g["xor_fixed_solved"] == g["xor_seeds"]
    assert g["xor_fixed_worst"] < 0.01
