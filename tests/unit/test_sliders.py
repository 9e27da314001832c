"""nnbook.sliders for the inputs a reader brings, and clear errors for the ones it cannot draw."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
import torch

from nnbook.sliders import LinearSliders, Slider, linear_sliders, show_sliders
from nnbook.training import mae, mse


def payload(widget: LinearSliders) -> dict:
    script = re.search(
        r"<script>.*?\}\)\(document\.getElementById\(\"[^\"]+\"\), (.*)\);</script>", widget.to_html(), re.S
    )
    return json.loads(script.group(1))


def test_scores_are_the_package_metrics_for_several_features():
    x = torch.linspace(0, 1.4, 30)
    features = torch.stack([x.relu(), (x - 0.5).relu(), x**2], dim=1)
    y = torch.sin(3 * x)
    weights = [Slider("a", -2, 2, 0.3), Slider("b", -2, 2, -0.1), Slider("c", -1, 1, 0.2)]
    widget = linear_sliders(x, y, features, weights=weights, bias=Slider("bias", -1, 1, 0.05))
    pred = features @ torch.tensor([0.3, -0.1, 0.2]) + 0.05
    assert widget.scores(0.3, -0.1, 0.2, 0.05) == pytest.approx(
        {"MSE": mse(pred[:, None], y[:, None]).item(), "MAE": mae(pred[:, None], y[:, None]).item()}
    )
    html = widget.to_html()
    assert html.count('type="range"') == 4
    shown = widget.scores(0.3, -0.1, 0.2, 0.05)
    assert f'data-score="MSE">{shown["MSE"]:.4f}<' in html and f'data-score="MAE">{shown["MAE"]:.4f}<' in html


def test_numpy_lists_and_columns_give_the_same_widget_data():
    x, y = np.linspace(0, 1, 5), [1.0, 2.0, 2.5, 3.0, 4.5]
    a = linear_sliders(x, y, weights=[Slider("w", -1, 5, 1)], bias=Slider("b", -1, 1, 0))
    b = linear_sliders(
        torch.tensor(x)[:, None], torch.tensor(y)[:, None], weights=[Slider("w", -1, 5, 1)], bias=Slider("b", -1, 1, 0)
    )
    assert payload(a)["features"] == payload(b)["features"] and payload(a)["y"] == payload(b)["y"] == y


def test_landscape_marks_the_lowest_point_and_needs_two_sliders():
    x = torch.linspace(-1, 1, 50)
    widget = linear_sliders(
        x, 3 * x + 2, weights=[Slider("slope", -1, 5, 0)], bias=Slider("intercept", -1, 5, 0), landscape=True
    )
    lowest = re.search(r"lowest MSE of the grid, ([\d.]+)", widget.to_html())
    assert lowest and float(lowest.group(1)) < 0.01  # the grid passes through (3, 2)
    with pytest.raises(ValueError, match="two sliders"):
        linear_sliders(x, x, weights=[Slider("w", 0, 1, 0)], landscape=True)


def test_several_widgets_on_one_page_have_their_own_ids():
    widget = linear_sliders([0.0, 1.0], [0.0, 1.0], weights=[Slider("w", 0, 2, 1)])
    ids = {re.search(r'id="(nnbook-sliders-[^"]+)"', widget.to_html()).group(1) for _ in range(3)}
    assert len(ids) == 3


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: linear_sliders([0.0, 1.0], [0.0], weights=[Slider("w", 0, 1, 0)]), "one entry per point"),
        (lambda: linear_sliders([[0.0, 1.0]] * 3, [0.0] * 3, weights=[Slider("w", 0, 1, 0)]), "features="),
        (
            lambda: linear_sliders([0.0, 1.0], [0.0, 1.0], torch.ones(2, 2), weights=[Slider("w", 0, 1, 0)]),
            "one Slider per column",
        ),
        (lambda: linear_sliders([0.0, 1.0], [0.0, float("nan")], weights=[Slider("w", 0, 1, 0)]), "NaN"),
        (lambda: linear_sliders(torch.zeros(6000), torch.zeros(6000), weights=[Slider("w", 0, 1, 0)]), r"x\[::2\]"),
        (lambda: linear_sliders([0.0], [0.0], weights=Slider("w", 0, 1, 0)), "list of Slider"),
        (lambda: Slider("w", 1, 0, 0.5), "low must be below high"),
        (lambda: Slider("w", 0, 1, 2), "outside its range"),
        (lambda: Slider("w", 0, 1, "0.5"), "finite number"),
        (lambda: Slider("", 0, 1, 0.5), "needs a name"),
    ],
)
def test_clear_errors(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


def test_scores_need_one_value_per_slider():
    widget = linear_sliders([0.0, 1.0], [0.0, 1.0], weights=[Slider("w", 0, 2, 1)], bias=Slider("b", 0, 1, 0))
    with pytest.raises(ValueError, match="one value per slider"):
        widget.scores(1.0)


def test_slider_values_must_be_numbers():
    widget = linear_sliders([0.0, 1.0], [0.0, 1.0], weights=[Slider("w", -3, 3, 1)], bias=Slider("b", -2, 2, 0))
    with pytest.raises(TypeError, match=r"the value of slider 'w' must be a finite number, got 'a' \(str\)"):
        widget.scores("a", 1)
    with pytest.raises(TypeError, match="slider 'b'.*got None"):
        widget.prediction(1.0, None)
    assert widget.scores(np.float32(1.0), 5) == widget.scores(1.0, 5.0)  # outside the range is fine


def test_a_script_numbers_its_slider_pages_so_none_is_overwritten(tmp_path, monkeypatch):
    monkeypatch.setenv("NNBOOK_FIGURES", str(tmp_path))
    for start in (0.5, 1.5):
        show_sliders(linear_sliders([0.0, 1.0], [0.0, 1.0], weights=[Slider("w", 0, 2, start)]))
    pages = sorted(tmp_path.rglob("*.html"))
    assert [p.name for p in pages] == ["sliders-01.html", "sliders-02.html"]
    assert 'value="0.5"' in pages[0].read_text() and 'value="1.5"' in pages[1].read_text()


def test_a_script_saves_the_sliders_as_a_page(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NNBOOK_FIGURES", str(tmp_path))
    show_sliders(linear_sliders([0.0, 1.0], [0.0, 1.0], weights=[Slider("w", 0, 2, 1)]), name="mix")
    saved = next(tmp_path.rglob("mix-01.html"))
    assert "<!DOCTYPE html>" in saved.read_text() and f"saved sliders {saved}" in capsys.readouterr().out
    with pytest.raises(ValueError, match="plain file name"):
        show_sliders(linear_sliders([0.0, 1.0], [0.0, 1.0], weights=[Slider("w", 0, 2, 1)]), name="a/b")
    with pytest.raises(ValueError, match=".html"):
        linear_sliders([0.0, 1.0], [0.0, 1.0], weights=[Slider("w", 0, 2, 1)]).save(tmp_path / "mix.png")
