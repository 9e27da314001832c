"""Chapter 5, what the network learned: the feature decomposition and the extension sweeps."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def g(glue_of):
    return glue_of("05-what-it-learned")


def test_weight_decay_keeps_the_fit(g):
    assert g["nl_mse_wd"] <= 0.22  # the pull towards zero costs a little accuracy against chapter 3's ~0.175


def test_top_features_reconstruct_the_prediction(g):
    assert 0.8 <= g["nl_topk_recon"] <= 1.0
    assert 1 <= g["nl_k_for_90"] <= 10
    assert 1 <= g["nl_active_units"] <= 50


def test_hidden_size_sweep(g):
    assert g["nl_ext_hidden_2"] >= 0.5  # two hinges cannot follow the curve
    assert g["nl_ext_hidden_50"] <= 0.2
    assert g["nl_ext_hidden_500"] <= 0.2
    assert g["nl_ext_hidden_2"] > g["nl_ext_hidden_50"]
    assert 0 <= g["nl_ext_small_stuck"] <= g["nl_ext_small_runs"] == 9


def test_activation_sweep(g):
    for act in ("relu", "leaky_relu", "prelu"):
        assert g[f"nl_ext_act_{act}"] <= 0.2
    assert g["nl_ext_act_sigmoid"] > g["nl_ext_act_relu"]
    assert g["nl_ext_act_tanh"] <= 0.8
