"""Chapter 5, what the network learned: the glued numbers and the chapter's claims.

Each test named ``test_claim_<name>`` checks the sentence marked ``<!-- claim: <name> -->`` in the chapter.
"""

from __future__ import annotations

import pytest
from claims import check_claims_are_tested

CHAPTER = "05-what-it-learned"


@pytest.fixture(scope="module")
def g(glue_of):
    return glue_of(CHAPTER)


def test_every_claim_has_a_test():
    check_claims_are_tested(CHAPTER, globals())


def test_claim_weight_decay_costs_a_little(g):
    assert g["nl_mse_no_wd"] < g["nl_mse_wd"] <= g["nl_mse_no_wd"] + 0.05
    assert g["nl_mse_wd"] <= 0.22


def test_claim_top_kinks_inside_data(g):
    assert 8 <= g["nl_top_kinks_inside"] <= 10
    assert 1 <= g["nl_active_units"] <= 50


def test_claim_top_ten_reproduce_prediction(g):
    assert 0.95 <= g["nl_topk_recon"] <= 1.0


def test_claim_few_features_give_ninety_percent(g):
    assert 1 <= g["nl_k_for_90"] <= 6


def test_claim_share_not_monotone_in_k(g):
    assert g["nl_k_for_90"] < g["nl_k_dip_k"] <= 10
    assert g["nl_k_dip_share"] < 0.9  # below the share of fewer features
    assert g["nl_topk_recon"] > 0.99


def test_claim_short_recipe_fits_as_well(g):
    assert g["nl_ext_hidden_50"] <= g["nl_mse_no_wd"] + 0.01


def test_claim_small_networks_unreliable(g):
    assert g["nl_ext_small_runs"] == 9
    assert g["nl_ext_small_stuck"] >= 3
    assert abs(0.75 - g["nl_line_mse"]) < 0.05  # "0.75 or worse" is the straight line's level


def test_claim_wider_is_better_up_to_fifty(g):
    assert g["nl_ext_hidden_2"] > g["nl_ext_hidden_5"] > g["nl_ext_hidden_10"] > g["nl_ext_hidden_50"]
    assert g["nl_ext_hidden_2"] >= 0.5  # two hinges cannot follow the curve
    assert g["nl_ext_hidden_50_worst"] <= 0.2  # every seed fits


def test_claim_five_hundred_adds_little(g):
    assert abs(g["nl_ext_hidden_500"] - g["nl_ext_hidden_50"]) < 0.02
    assert g["nl_ext_hidden_500"] <= 0.2


def test_claim_relu_family_best_sigmoid_last(g):
    relu_family = [g[f"nl_ext_act_{act}"] for act in ("relu", "leaky_relu", "prelu")]
    assert max(relu_family) < g["nl_ext_act_tanh"] < g["nl_ext_act_sigmoid"]
    assert g["nl_ext_act_sigmoid"] > 2 * max(relu_family)  # "far behind"


def test_claim_longer_training_no_rescue(g):
    assert g["ex_small_long_stuck"] >= 1
    assert g["ex_small_long_stuck"] >= g["ex_small_short_stuck"] - 1


def test_claim_both_rankings_agree_here(g):
    assert g["ex_overlap_wd"] >= 8
    assert g["ex_overlap_no_wd"] >= 8
