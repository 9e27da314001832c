"""Chapter 2, gradient descent on global temperature: glued numbers, and a static page without dead widgets."""

from __future__ import annotations

import re

import pytest

PAGE = "html/book/01-foundations/02-global-temperature.html"


@pytest.fixture(scope="module")
def g(glue_of):
    return glue_of("02-global-temperature")


def test_line_through_origin(g):
    assert 0.09 <= g["gis_mse_nobias"] <= 0.11
    assert abs(g["gis_w_nobias"] - 0.259) < 0.01  # the course notebook's w ≈ 0.259


def test_line_with_bias(g):
    assert 0.03 <= g["gis_mse_bias"] <= 0.035
    assert g["gis_mse_bias"] <= 1.01 * g["gis_mse_line_lstsq"]
    assert g["gis_mse_bias_50_steps"] > g["gis_mse_bias"]  # the first try had not converged


def test_mae_line(g):
    assert g["gis_mae"] <= 0.155
    assert g["gis_mae"] <= g["gis_mae_of_mse_line"]  # each line is best for its own loss
    assert g["gis_mse_bias"] <= g["gis_mse_of_mae_line"]


def test_hinge_model(g):
    assert 0.01 <= g["gis_mse_hinge"] <= 0.03
    assert g["gis_mse_hinge"] < g["gis_mse_bias"]
    assert g["gis_slope_after_1930"] > 0.5 > abs(g["gis_hinge_w1"])


def test_extrapolation_to_2023_and_2024(g):
    assert g["gis_actual_2023"] > 1.0 and g["gis_actual_2024"] > 1.0
    assert g["gis_pred_2023"] < g["gis_actual_2023"] and g["gis_pred_2024"] < g["gis_actual_2024"]


def _page(built_book) -> str:
    path = built_book / PAGE
    assert path.exists(), f"{path} was not built."
    return path.read_text(encoding="utf-8")


def test_page_has_no_dead_widget(built_book):
    html = _page(built_book)
    for leftover in (
        "application/vnd.jupyter.widget-view+json",  # a widget output
        "application/vnd.jupyter.widget-state+json",  # widget models saved by the executed notebook
        "@jupyter-widgets/html-manager",  # the script that would try to draw them
        "interactive(children=",  # the text fallback of an interact() output
        "FloatSlider(",
    ):
        assert leftover not in html, f"the static page contains widget output: {leftover!r}"


def test_page_shows_the_small_multiples(built_book):
    html = _page(built_book)
    assert "six slider settings" in html  # the caption of the precomputed equivalent
    # data, 5 loss-beside-fit figures, hinge features, slider panels, 2023–2024 check
    assert len(re.findall(r"<img\b", html)) >= 9
