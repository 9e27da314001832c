"""The sliders of chapters 1 and 2 compute in the browser, and what they show is what Python computes.

Each slider of each widget is dragged with the mouse in headless Chromium; the MSE and MAE the page then
shows must equal :func:`nnbook.training.mse` and :func:`nnbook.training.mae` of the same weights on the same
data, rebuilt here from the package (not read from the page). The same holds on a phone: 390 px wide,
dark mode, a tap on the slider's track. And from a copy of the site opened from disk, with every request
that leaves the copy refused.
"""

from __future__ import annotations

import shutil

import pytest
import torch
from test_site_browser import PageVisit, browser, site  # noqa: F401 - fixtures shared with the site's tests

from nnbook.data import line_points, temperature_data
from nnbook.training import mae, mse

pytestmark = pytest.mark.browser


def line_prediction(values: list[float]) -> tuple[torch.Tensor, torch.Tensor]:
    """Chapter 1: the points and the line x @ [slope, intercept]."""
    x, y = line_points(n=100, seed=0)
    return (x @ torch.tensor(values, dtype=torch.float32))[:, None], y[:, None]


def mix_prediction(values: list[float]) -> tuple[torch.Tensor, torch.Tensor]:
    """Chapter 2: the temperatures and the mix w1·relu(x) + w2·relu(x − 0.5) + bias."""
    x, y = temperature_data()
    features = torch.relu(torch.cat([x, x - 0.5], dim=1))
    w1, w2, bias = values
    return features @ torch.tensor([[w1], [w2]], dtype=torch.float32) + bias, y


WIDGETS = {
    "book/01-foundations/01-line-by-hand": (["slope", "intercept"], line_prediction),
    "book/01-foundations/02-global-temperature": (["w1", "w2", "bias"], mix_prediction),
}


def shown(widget) -> tuple[list[float], dict[str, float], str]:
    """The sliders' values, the scores the widget shows, and its drawn curve."""
    values = [float(v) for v in widget.locator("input[type=range]").evaluate_all("els => els.map(e => e.value)")]
    scores = {name: float(widget.locator(f'output[data-score="{name}"]').inner_text()) for name in ("MSE", "MAE")}
    return values, scores, widget.locator(".curve").get_attribute("points")


def check_scores(widget, predict, what: str) -> list[float]:
    values, scores, _ = shown(widget)
    pred, y = predict(values)
    expected = {"MSE": mse(pred, y).item(), "MAE": mae(pred, y).item()}
    for name in scores:  # shown with 4 decimals: within half a unit of the last one
        assert abs(scores[name] - expected[name]) <= 0.5e-4 + 1e-6, (
            f"{what}: the page shows {name} {scores[name]} for {values}, Python computes {expected[name]:.6f}"
        )
    labels = widget.locator(".scores").inner_text()
    assert "MSE" in labels and "MAE" in labels, f"{what}: the scores are not labelled: {labels!r}"
    return values


def drag(page, slider, fraction: float) -> None:
    """Press the mouse on the slider's thumb and drag it to ``fraction`` of the track."""
    box = slider.bounding_box()
    low, high, value = (float(slider.get_attribute(a)) for a in ("min", "max", "value"))
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 8 + (box["width"] - 16) * (value - low) / (high - low), y)
    page.mouse.down()
    target = box["x"] + 8 + (box["width"] - 16) * fraction
    page.mouse.move(target, y, steps=8)
    page.mouse.up()


def open_widget(visit):
    widget = visit.page.locator(".nnbook-sliders")
    assert widget.count() == 1, f"expected one slider widget on the page, found {widget.count()}"
    widget.scroll_into_view_if_needed()
    return widget


@pytest.mark.parametrize("docname", WIDGETS, ids=lambda d: d.rsplit("/", 1)[-1])
def test_dragging_each_slider_matches_python(site, browser, docname):  # noqa: F811 - the shared fixtures
    base, _ = site
    names, predict = WIDGETS[docname]
    visit = PageVisit(browser, f"{base}/{docname}.html")
    try:
        widget = open_widget(visit)
        labels = widget.locator("label .name").all_inner_texts()
        assert labels == names, f"the sliders are {labels}, expected {names}"
        check_scores(widget, predict, "before dragging")
        sliders = widget.locator("input[type=range]")
        for i, name in enumerate(names):
            before, _, curve_before = shown(widget)
            drag(visit.page, sliders.nth(i), 0.8 if i % 2 == 0 else 0.2)
            after, _, curve_after = shown(widget)
            assert after[i] != before[i], f"dragging {name} did not move it ({before[i]})"
            assert [a for j, a in enumerate(after) if j != i] == [b for j, b in enumerate(before) if j != i]
            assert curve_after != curve_before, f"dragging {name} did not redraw the curve"
            check_scores(widget, predict, f"after dragging {name}")
        marker = widget.locator(".marker")
        if docname.endswith("line-by-hand"):
            assert marker.count() == 1, "chapter 1's sliders show no point on the MSE landscape"
        assert not visit.errors and not visit.external, (visit.errors, visit.external)
    finally:
        visit.close()


def _contrast(widget) -> float:
    """The contrast ratio of the scores' text against the background it is drawn on."""
    return widget.evaluate(
        """el => {
        const rgb = c => c.match(/[\\d.]+/g).slice(0, 4).map(Number);
        const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
            .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
        let bg = null;
        for (let a = el; a && !bg; a = a.parentElement) {
            const c = rgb(getComputedStyle(a).backgroundColor);
            if (c.length < 4 || c[3] > 0) bg = c;
        }
        bg = bg || [255, 255, 255];
        const [l1, l2] = [lum(rgb(getComputedStyle(el.querySelector('.scores')).color)), lum(bg)];
        return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    }"""
    )


@pytest.mark.parametrize("docname", WIDGETS, ids=lambda d: d.rsplit("/", 1)[-1])
def test_sliders_on_a_phone_in_dark_mode_by_touch(site, browser, docname):  # noqa: F811
    base, _ = site
    _, predict = WIDGETS[docname]
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark", has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{base}/{docname}.html", wait_until="networkidle")
        assert page.evaluate("document.documentElement.dataset.theme") == "dark", "the page did not switch to dark"
        widget = page.locator(".nnbook-sliders")
        widget.scroll_into_view_if_needed()
        assert widget.evaluate("el => el.getBoundingClientRect().right") <= 391, "the widget is wider than a phone"
        assert page.evaluate("document.documentElement.scrollWidth") <= 391, "the page scrolls sideways"
        assert _contrast(widget) >= 4.5, "the widget's text is hard to read in dark mode"
        slider = widget.locator("input[type=range]").first
        before = slider.input_value()
        box = slider.bounding_box()
        page.touchscreen.tap(box["x"] + box["width"] * 0.9, box["y"] + box["height"] / 2)
        assert slider.input_value() != before, "a tap on the slider's track did not move it"
        check_scores(widget, predict, "after a tap")
    finally:
        context.close()


def test_sliders_work_from_a_copy_on_disk_offline(built_book, browser, tmp_path):  # noqa: F811
    copy = tmp_path / "site"
    shutil.copytree(built_book / "html", copy)
    context = browser.new_context(viewport={"width": 1000, "height": 900}, offline=True)
    page = context.new_page()
    refused: list[str] = []

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    try:
        docname = "book/01-foundations/02-global-temperature"
        page.goto((copy / f"{docname}.html").as_uri(), wait_until="load")
        widget = page.locator(".nnbook-sliders")
        widget.scroll_into_view_if_needed()
        _, predict = WIDGETS[docname]
        before = shown(widget)[0]
        drag(page, widget.locator("input[type=range]").nth(1), 0.9)
        assert shown(widget)[0] != before, "the slider did not move on the copy opened from disk"
        check_scores(widget, predict, "on the copy opened from disk")
        assert not refused, f"the copy asked the network for {refused}"
    finally:
        context.close()
