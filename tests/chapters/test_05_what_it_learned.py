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
    # one network each; exercise 5.4 repeats both recipes over five seeds
    assert g["nl_mse_no_wd"] < g["nl_mse_wd"] <= g["nl_mse_no_wd"] + 0.05
    assert g["nl_mse_wd"] <= 0.22


def test_claim_top_kinks_inside_data(g):
    assert 8 <= g["nl_top_kinks_inside"] <= 10
    assert 1 <= g["nl_active_units"] <= 50


def test_claim_top_kinks_at_the_turns(g):
    # "the kinks gathered at the bump and the dip"
    assert g["nl_top_kinks_at_turns"] >= 6
    assert g["nl_top_kinks_at_turns"] <= g["nl_top_kinks_inside"]


def test_claim_top_ten_reproduce_prediction(g):
    assert 0.95 <= g["nl_topk_recon"] <= 1.0


def test_claim_other_units_add_an_offset(g):
    assert 0.1 < g["nl_recon_offset"] < 0.4  # "about 0.21 above it"
    assert g["nl_recon_offset_std"] < 0.3 * g["nl_recon_offset"]  # nearly the same amount everywhere


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


def test_claim_stuck_runs_bend_nowhere(g):
    for hidden in (2, 5, 10, 50, 500):  # a stuck run has no unit whose kink is inside the data
        assert g[f"nl_ext_stuck_bending_{hidden}"] == 0


def test_claim_wider_is_better_up_to_fifty(g):
    assert g["nl_ext_hidden_2"] > g["nl_ext_hidden_5"] > g["nl_ext_hidden_10"] > g["nl_ext_hidden_50"]
    assert g["nl_ext_hidden_2"] >= 0.5  # two hinges cannot follow the curve
    assert g["nl_ext_hidden_50_worst"] <= 0.2  # every seed fits


def test_claim_five_hundred_adds_little(g):
    assert abs(g["nl_ext_hidden_500"] - g["nl_ext_hidden_50"]) < 0.02
    assert g["nl_ext_hidden_500"] <= 0.2
    assert 0 <= g["nl_ext_hidden_500"] - g["nl_ext_hidden_500_train"] < 0.02  # "do not overfit noticeably"


def test_claim_width_buys_accuracy_too(g):
    assert g["nl_ext_bent_5_best"] < 0.75 and g["nl_ext_bent_10_best"] < 0.75  # they did leave the line
    assert g["nl_ext_bent_5_best"] > 2 * g["nl_ext_hidden_50_worst"]
    assert g["nl_ext_bent_10_best"] > g["nl_ext_hidden_50_worst"] + 0.01


def test_claim_relu_family_best_sigmoid_last(g):
    relu_family = [g[f"nl_ext_act_{act}"] for act in ("relu", "leaky_relu", "prelu")]
    assert max(relu_family) < g["nl_ext_act_tanh"] < g["nl_ext_act_sigmoid"]
    assert g["nl_ext_act_sigmoid"] > 2 * max(relu_family)  # "far behind"


def test_claim_sigmoid_units_start_straight(g):
    assert g["nl_start_curvature_sigmoid"] < 0.002
    assert 5 * g["nl_start_curvature_sigmoid"] < g["nl_start_curvature_tanh"] < 0.02
    assert g["nl_start_curvature_relu"] > 5 * g["nl_start_curvature_tanh"]


def test_claim_steep_start_rescues_sigmoid(g):
    assert abs(g["nl_ext_act_sigmoid_steep"] - g["nl_ext_act_tanh"]) < 0.03  # "level with Tanh's"
    assert g["nl_ext_act_sigmoid_steep"] < g["nl_ext_act_sigmoid"] / 2


def test_claim_longer_training_no_rescue(g):
    assert g["ex_small_long_stuck"] >= 1
    assert g["ex_small_long_stuck"] >= g["ex_small_short_stuck"] - 1


def test_claim_stuck_units_off_or_straight(g):
    # the stuck networks have live units, but every one of them is a straight line on the data
    assert g["ex_small_long_stuck_on_everywhere"] >= 1
    assert g["ex_small_long_stuck_bending"] == 0


def test_claim_longer_training_helps_the_bent_seed(g):
    assert g["ex_small_long_best"] < 0.25  # "close to the 50-unit networks"
    assert g["ex_small_long_best"] < g["nl_ext_bent_5_best"] / 2


def test_claim_both_rankings_agree_here(g):
    assert g["ex_overlap_wd"] >= 9
    assert g["ex_overlap_no_wd"] >= 9  # "fair even without decay" for these two networks


def test_claim_decay_costs_accuracy_over_seeds(g):
    assert g["ex_mse_seeds_wd"] > g["ex_mse_seeds_no_wd"] + 0.01


def test_claim_decay_makes_the_ranking_fairer_over_seeds(g):
    assert g["ex_overlap_seeds_wd"] >= g["ex_overlap_seeds_no_wd"] + 0.5
    assert g["ex_overlap_seeds_wd"] >= 9  # "more trustworthy"
