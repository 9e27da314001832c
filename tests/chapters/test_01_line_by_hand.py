"""Chapter 1, fitting a line by hand: the glued headline numbers against the bounds the book promises."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def g(glue_of):
    return glue_of("01-line-by-hand")


def test_start_guess_is_far_off(g):
    # the course notebook's draw gave 5.286 from the guess a = (0.5, 0.75); any draw of 100 points lands near 5
    assert 4.0 <= g["gd_start_mse"] <= 6.5


def test_hundred_steps_reach_least_squares_within_one_percent(g):
    assert g["gd_final_mse"] <= 1.01 * g["gd_lstsq_mse"]
    assert g["gd_lstsq_mse"] <= g["gd_final_mse"] + 1e-6  # nothing beats the closed-form optimum
    assert g["gd_gap_percent"] <= 1.0


def test_fit_is_at_the_noise_floor(g):
    # uniform [0, 1) noise has variance 1/12 ≈ 0.083; the course notebook's draw reached 0.0713
    assert 0.06 <= g["gd_final_mse"] <= 0.10
    assert g["gd_final_mse"] < g["gd_start_mse"] / 50


def test_line_matches_the_generating_one(g):
    # y = 3u + 2 + U(0, 1): the best intercept absorbs the noise's mean 0.5
    assert abs(g["gd_slope"] - 3.0) < 0.2
    assert abs(g["gd_intercept"] - 2.5) < 0.1
    assert abs(g["gd_slope"] - g["lstsq_slope"]) < 0.01
