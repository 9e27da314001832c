"""Chapter 7, capacity and overfitting: the glued headline numbers against the bounds the book promises."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def g(glue_of):
    return glue_of("07-capacity-overfitting")


def test_rigid_models_are_biased(g):
    # stacked linear layers and a single Tanh unit stay far above the noise level
    assert g["reg_nested_train_mse"] > 1.5 * g["reg_noise_valid_mse"]
    assert g["reg_one_unit_train_mse"] > 1.3 * g["reg_noise_valid_mse"]


def test_big_regression_network_overfits(g):
    assert g["reg_overfit_valid_mse"] >= 1.3 * g["reg_overfit_train_mse"]
    assert g["reg_overfit_train_mse"] < g["reg_noise_valid_mse"]  # it has memorised noise
    assert g["reg_sgd_train_mse"] > g["reg_overfit_train_mse"]  # the notebook's SGD is slower to get there
    # after the same number of epochs, Adam is far below SGD on the training points
    assert g["reg_sgd_train_mse"] > 1.5 * g["reg_adam_train_mse_same_epochs"]


def test_just_right_regression(g):
    assert g["reg_justright_valid_mse"] < g["reg_overfit_valid_mse"]
    assert g["reg_justright_valid_mse"] < 1.5 * g["reg_noise_valid_mse"]
    assert g["reg_earlystop_valid_mse"] < g["reg_overfit_valid_mse"]


def test_classifiers_too_small_and_too_big(g):
    assert g["clf_tiny_acc"] < g["clf_bayes_acc"] - 0.08
    assert g["clf_overfit_train_acc"] > g["clf_bayes_acc"]  # it learned the swapped labels
    assert g["clf_overfit_valid_loss"] > 2 * g["clf_overfit_train_loss"]


def test_just_right_classifier(g):
    assert g["clf_justright_valid_loss"] < g["clf_overfit_valid_loss"]
    assert g["clf_justright_acc"] >= g["clf_bayes_acc"] - 0.04
    assert g["clf_wd_valid_loss_mean"] < g["clf_nowd_valid_loss_mean"]
    assert g["clf_earlystop_valid_loss"] < g["clf_overfit_valid_loss"]
