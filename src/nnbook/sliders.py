"""Sliders that compute in the browser: drag the weights of a linear mix and watch its fit and its loss.

:func:`linear_sliders` draws the data and the mix ``features @ weights + bias`` as an SVG plot with one
slider per weight (and one for the bias). Dragging a slider redraws the mix and updates its MSE and MAE,
shown as text beside the plot. The data travel inside the widget and the arithmetic is a few lines of
JavaScript, so the same output works on the book's static pages (a copy opened from disk, offline, too),
in Jupyter, JupyterLab and Colab, with no kernel behind it and nothing fetched from the network. The plot
is drawn in the page's own text colour, so it follows a dark theme, and the sliders are the browser's
range inputs: mouse, touch and keyboard all work. With exactly two sliders it also shows the MSE
landscape over their ranges, with the point the sliders pick.

The numbers shown before anything is dragged are computed in Python with :func:`nnbook.training.mse`
and :func:`nnbook.training.mae`; :meth:`LinearSliders.scores` gives them for any slider values.

>>> import torch
>>> x = torch.linspace(0, 1, 20)[:, None]
>>> widget = linear_sliders(x, 2 * x + 1, weights=[Slider("slope", -1, 3, 0.5)], bias=Slider("intercept", -1, 2, 0))
>>> widget.scores(2.0, 1.0)
{'MSE': 0.0, 'MAE': 0.0}
>>> "<input type=\\"range\\"" in widget.to_html()
True
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import itertools
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from nnbook._arrays import check_array
from nnbook._options import Number
from nnbook.display import in_notebook, numbered_file
from nnbook.training.losses import mse_loss
from nnbook.training.metrics import mae, mse

__all__ = ["LinearSliders", "Slider", "linear_sliders", "show_sliders"]

#: Above this many points the data make the page heavy; a sample of them draws the same picture.
MAX_POINTS = 5000
LANDSCAPE_GRID = 41  # the landscape's resolution: 41 × 41 MSE values, drawn as a smoothly scaled image
_WIDTH, _HEIGHT = 400, 260  # the plots' SVG coordinates (scaled to the column's width in the page)
_MARGIN = {"left": 46, "right": 10, "top": 10, "bottom": 38}
_counter = itertools.count(1)
SLIDER_VALUE = Number(hint="Give the slider values as plain numbers, in the sliders' order.")


@dataclass(frozen=True)
class Slider:
    """One slider: its label, its range ``low``–``high``, where it starts, and its step.

    >>> Slider("w1", -2, 2, 0.1)
    Slider(name='w1', low=-2.0, high=2.0, start=0.1, step=0.01)
    """

    name: str
    low: float
    high: float
    start: float
    step: float = 0.01

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"a slider needs a name to show beside it, such as 'w1'; got {self.name!r}.")
        values = {}
        for field in ("low", "high", "start", "step"):
            value = getattr(self, field)
            if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not math.isfinite(value):
                raise TypeError(f"slider {self.name!r}: {field} must be a finite number, got {value!r}.")
            values[field] = float(value)
            object.__setattr__(self, field, float(value))
        if not values["low"] < values["high"]:
            raise ValueError(f"slider {self.name!r}: low must be below high, got {self.low} and {self.high}.")
        if not values["low"] <= values["start"] <= values["high"]:
            raise ValueError(
                f"slider {self.name!r}: start {self.start} lies outside its range {self.low}–{self.high}; "
                "widen the range or move the start."
            )
        if not 0 < values["step"] <= values["high"] - values["low"]:
            raise ValueError(f"slider {self.name!r}: step must be > 0 and at most high − low, got {self.step}.")

    @property
    def decimals(self) -> int:
        """How many decimals the slider's value is shown with: those of its step.

        >>> Slider("b", 0, 1, 0, step=0.05).decimals
        2
        """
        return max(0, -math.floor(math.log10(self.step) + 1e-9))


def _column(t: object, name: str) -> torch.Tensor:
    t = check_array(t, name, shape="any")
    if t.dim() == 2 and t.shape[1] == 1:
        t = t[:, 0]
    if t.dim() != 1:
        raise ValueError(
            f"{name} must hold one number per point, shape (n,) or (n, 1), got {tuple(t.shape)}. "
            f"For a table of several feature columns pass it as features= and its plotting axis as {name}."
        )
    return t


def _numbers(t: torch.Tensor) -> list:
    """A float32 tensor as nested lists of floats, each with the fewest digits that give the float32 back."""
    short = np.vectorize(lambda v: float(str(v)), otypes=[float])(t.numpy())
    return short.tolist()


class LinearSliders:
    """The widget :func:`linear_sliders` returns: shown by Jupyter, the book's pages and Colab alike.

    ``to_html()`` is the self-contained HTML (plot, sliders, scores and their script), ``save(path)``
    writes it as a page of its own, and ``scores(*values)`` computes what it shows for slider values.

    >>> w = linear_sliders([0.0, 1.0], [1.0, 3.0], weights=[Slider("w", 0, 3, 2)], bias=Slider("b", 0, 2, 1))
    >>> w.scores(2.0, 1.0)["MSE"]
    0.0
    """

    def __init__(
        self,
        x: torch.Tensor,
        y: torch.Tensor,
        features: torch.Tensor,
        weights: list[Slider],
        bias: Slider | None,
        landscape: bool,
        xlabel: str,
        ylabel: str,
        decimals: int,
    ) -> None:
        self.x, self.y, self.features = x, y, features
        self.sliders = [*weights, *([bias] if bias is not None else [])]
        self.has_bias = bias is not None
        self.landscape = landscape
        self.xlabel, self.ylabel, self.decimals = xlabel, ylabel, decimals

    def prediction(self, *values: float) -> torch.Tensor:
        """The mix ``features @ weights + bias`` for slider values given in the sliders' order, shape (n, 1).

        Each value must be a finite number; it may lie outside its slider's range.

        >>> linear_sliders([0.0, 1.0], [0.0, 0.0], weights=[Slider("w", 0, 2, 1)], bias=None).prediction(2.0).tolist()
        [[0.0], [2.0]]
        >>> linear_sliders([0.0, 1.0], [0.0, 0.0], weights=[Slider("w", 0, 2, 1)]).prediction("2")
        Traceback (most recent call last):
        TypeError: the value of slider 'w' must be a finite number, got '2' (str). Give the slider values as plain numbers, in the sliders' order.
        """
        if len(values) != len(self.sliders):
            names = ", ".join(s.name for s in self.sliders)
            raise ValueError(f"give one value per slider ({names}): {len(self.sliders)} values, got {len(values)}.")
        values = [SLIDER_VALUE(v, f"the value of slider {s.name!r}") for s, v in zip(self.sliders, values, strict=True)]
        weights = torch.tensor(values[: self.features.shape[1]], dtype=torch.float32)
        bias = values[-1] if self.has_bias else 0.0
        return (self.features @ weights + bias)[:, None]

    def scores(self, *values: float) -> dict[str, float]:
        """The MSE and MAE of the mix for slider values given in the sliders' order, computed in Python.

        >>> linear_sliders([0.0, 1.0], [0.0, 0.0], weights=[Slider("w", 0, 2, 1)], bias=None).scores(2.0)
        {'MSE': 2.0, 'MAE': 1.0}
        """
        pred, target = self.prediction(*values), self.y[:, None]
        return {"MSE": mse(pred, target).item(), "MAE": mae(pred, target).item()}

    def _landscape(self) -> dict:
        """The MSE over the two sliders' ranges: an image (log scale, viridis) and its lowest grid point."""
        from matplotlib import image

        first, second = self.sliders
        u = torch.linspace(first.low, first.high, LANDSCAPE_GRID)
        v = torch.linspace(second.low, second.high, LANDSCAPE_GRID)
        vv, uu = torch.meshgrid(v, u, indexing="ij")  # rows: the second slider, columns: the first
        if self.has_bias:
            pred = uu[..., None] * self.features[:, 0] + vv[..., None]
        else:
            pred = uu[..., None] * self.features[:, 0] + vv[..., None] * self.features[:, 1]
        grid = mse_loss(pred, self.y.expand_as(pred), reduction="none").mean(dim=-1)
        png = io.BytesIO()
        image.imsave(png, torch.log10(grid + 1e-12).numpy(), cmap="viridis", origin="lower", format="png")
        row, col = divmod(int(grid.argmin()), LANDSCAPE_GRID)
        return {
            "png": base64.b64encode(png.getvalue()).decode(),
            "lowest": (u[col].item(), v[row].item(), grid[row, col].item()),
        }

    def _scale(self, low: float, high: float, pixels: tuple[float, float], pad: float) -> tuple[float, float, float]:
        span = (high - low) or 1.0
        low, high = low - pad * span, high + pad * span
        return low, high, (pixels[1] - pixels[0]) / (high - low)

    def _axes(self, xlim, ylim, xlabel: str, ylabel: str) -> str:
        """The frame, ticks and labels of one plot, in SVG (drawn in the text colour)."""
        from matplotlib.ticker import MaxNLocator

        left, top = _MARGIN["left"], _MARGIN["top"]
        right, bottom = _WIDTH - _MARGIN["right"], _HEIGHT - _MARGIN["bottom"]
        parts = [f'<rect class="frame" x="{left}" y="{top}" width="{right - left}" height="{bottom - top}"/>']
        for axis, (low, high) in (("x", xlim), ("y", ylim)):
            for tick in MaxNLocator(5).tick_values(low, high):
                if not low - 1e-9 <= tick <= high + 1e-9:
                    continue
                label = f"{tick:g}".replace("-", "\u2212")
                if axis == "x":
                    px = left + (tick - low) / (high - low) * (right - left)
                    parts.append(f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{bottom}" y2="{bottom + 4}"/>')
                    parts.append(f'<text x="{px:.1f}" y="{bottom + 16}" text-anchor="middle">{label}</text>')
                else:
                    py = bottom - (tick - low) / (high - low) * (bottom - top)
                    parts.append(f'<line x1="{left - 4}" x2="{left}" y1="{py:.1f}" y2="{py:.1f}"/>')
                    parts.append(f'<text x="{left - 7}" y="{py + 4:.1f}" text-anchor="end">{label}</text>')
        parts.append(
            f'<text x="{(left + right) / 2}" y="{_HEIGHT - 4}" text-anchor="middle">{html.escape(xlabel)}</text>'
        )
        parts.append(
            f'<text transform="translate(12 {(top + bottom) / 2}) rotate(-90)" text-anchor="middle">'
            f"{html.escape(ylabel)}</text>"
        )
        return "".join(parts)

    def to_html(self) -> str:
        """The widget as one self-contained piece of HTML: styles, SVG plots, sliders, scores and script."""
        uid = f"nnbook-sliders-{next(_counter)}-{self._digest()}"
        left, top = _MARGIN["left"], _MARGIN["top"]
        right, bottom = _WIDTH - _MARGIN["right"], _HEIGHT - _MARGIN["bottom"]
        x, y = self.x, self.y
        xlo, xhi, sx = self._scale(x.min().item(), x.max().item(), (left, right), 0.03)
        ylo, yhi, sy = self._scale(y.min().item(), y.max().item(), (top, bottom), 0.08)
        to_px = {"x": [left - xlo * sx, sx], "y": [bottom + ylo * sy, -sy]}
        dots = "".join(
            f"M{to_px['x'][0] + sx * a:.1f} {to_px['y'][0] - sy * b:.1f}h0"
            for a, b in zip(x.tolist(), y.tolist(), strict=True)
        )
        starts = [s.start for s in self.sliders]
        first = self.scores(*starts)
        names = ", ".join(s.name for s in self.sliders)
        fit_svg = (
            f'<svg class="nnbook-sliders-fit" viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" '
            f'aria-label="the data and the mix set by the sliders {html.escape(names)}">'
            f'<clipPath id="{uid}-clip"><rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}"/>'
            f"</clipPath>{self._axes((xlo, xhi), (ylo, yhi), self.xlabel, self.ylabel)}"
            f'<path class="points" d="{dots}"/>'
            f'<polyline class="curve" clip-path="url(#{uid}-clip)" points=""/></svg>'
        )
        data = {
            "x": _numbers(x),
            "y": _numbers(y),
            "features": _numbers(self.features),
            "bias": self.has_bias,
            "order": sorted(range(len(x)), key=lambda i: x[i].item()),
            "px": to_px,
            "decimals": self.decimals,
            "sliderDecimals": [s.decimals for s in self.sliders],
        }
        land_svg = ""
        if self.landscape:
            land = self._landscape()
            s1, s2 = self.sliders
            lx = [left - s1.low * (right - left) / (s1.high - s1.low), (right - left) / (s1.high - s1.low)]
            ly = [bottom + s2.low * (bottom - top) / (s2.high - s2.low), -(bottom - top) / (s2.high - s2.low)]
            data["landscape"] = {"x": lx, "y": ly}
            bu, bv, bmse = land["lowest"]
            land_svg = (
                f'<svg class="nnbook-sliders-landscape" viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" '
                f'aria-label="the MSE of every setting of {html.escape(names)}, darker is lower, with the point the '
                f'sliders pick">'
                f'<image x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" preserveAspectRatio="none" '
                f'href="data:image/png;base64,{land["png"]}"/>'
                f"{self._axes((s1.low, s1.high), (s2.low, s2.high), s1.name, s2.name)}"
                f'<text class="lowest" x="{lx[0] + lx[1] * bu:.1f}" y="{ly[0] + ly[1] * bv + 5:.1f}" '
                f'text-anchor="middle">\u00d7<title>lowest MSE of the grid, {bmse:.{self.decimals}f}</title></text>'
                f'<circle class="marker" r="6" cx="{lx[0] + lx[1] * s1.start:.1f}" cy="{ly[0] + ly[1] * s2.start:.1f}"/>'
                "</svg>"
            )
        controls = "".join(
            f'<label><span class="name">{html.escape(s.name)}</span>'
            f'<input type="range" min="{s.low:g}" max="{s.high:g}" step="{s.step:g}" value="{s.start:g}" '
            f'aria-label="{html.escape(s.name)}"><output class="value">{s.start:.{s.decimals}f}</output></label>'
            for s in self.sliders
        )
        scores = "".join(
            f'<span class="score">{name} <output data-score="{name}">{value:.{self.decimals}f}</output></span>'
            for name, value in first.items()
        )
        payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
        return (
            f'<div class="nnbook-sliders" id="{uid}"><style>{_STYLE}</style>'
            f'<div class="plots">{fit_svg}{land_svg}</div>'
            f'<div class="controls">{controls}</div>'
            f'<p class="scores" aria-live="polite">{scores}</p>'
            f'<script>({_SCRIPT})(document.getElementById("{uid}"), {payload});</script></div>'
        )

    def _digest(self) -> str:
        parts = [self.x, self.y, self.features]
        text = repr([p.tolist() for p in parts]) + repr(self.sliders) + repr(self.landscape)
        return hashlib.sha1(text.encode()).hexdigest()[:8]

    def _repr_html_(self) -> str:
        return self.to_html()

    def save(self, path: str | Path) -> Path:
        """Write the widget as an HTML page of its own (it opens in any browser, offline); returns the path.

        >>> import tempfile
        >>> w = linear_sliders([0.0, 1.0], [1.0, 3.0], weights=[Slider("w", 0, 3, 2)])
        >>> w.save(Path(tempfile.mkdtemp()) / "sliders.html").suffix
        '.html'
        """
        path = Path(path)
        if path.suffix.lower() not in (".html", ".htm"):
            raise ValueError(f"save() writes an HTML page: give a path ending in .html, got {str(path)!r}.")
        page = f'<!DOCTYPE html>\n<html lang="en"><meta charset="utf-8"><title>sliders</title>{self.to_html()}</html>\n'
        path.write_text(page, encoding="utf-8")
        return path


def linear_sliders(
    x: object,
    y: object,
    features: object | None = None,
    *,
    weights: list[Slider],
    bias: Slider | None = None,
    landscape: bool = False,
    xlabel: str = "x",
    ylabel: str = "y",
    decimals: int = 4,
) -> LinearSliders:
    """Sliders for the weights (and bias) of ``features @ weights + bias``, drawn over the points ``(x, y)``.

    ``x`` and ``y`` hold one number per point (shape ``(n,)`` or ``(n, 1)``; tensors, NumPy arrays, lists
    or pandas columns). ``features`` is the table the weights multiply, shape ``(n, k)`` with one
    :class:`Slider` per column in ``weights``; without it the single feature is ``x`` itself, a line.
    ``bias`` adds a slider for a constant. ``landscape=True`` also draws the MSE of every setting of the
    two sliders (it needs exactly two), with the point they pick. MSE and MAE are shown with
    ``decimals`` decimals.

    >>> import torch
    >>> x = torch.linspace(0, 1.4, 8)
    >>> hinges = torch.stack([x.relu(), (x - 0.5).relu()], dim=1)
    >>> w = linear_sliders(x, 0.8 * hinges[:, 1], hinges, weights=[Slider("w1", -2, 2, 0), Slider("w2", -2, 2, 0.8)])
    >>> w.scores(0.0, 0.8)
    {'MSE': 0.0, 'MAE': 0.0}
    """
    x, y = _column(x, "x"), _column(y, "y")
    if len(x) != len(y):
        raise ValueError(f"x and y must have one entry per point, got {len(x)} and {len(y)}.")
    if len(x) > MAX_POINTS:
        raise ValueError(
            f"{len(x)} points would make the page heavy (at most {MAX_POINTS}); pass a sample, for example "
            f"x[::{math.ceil(len(x) / MAX_POINTS)}] and the same rows of y and features."
        )
    if features is None:
        features = x[:, None]
    else:
        features = check_array(features, "features", shape="column")
        if features.dim() == 1:
            features = features[:, None]
        if features.dim() != 2 or features.shape[0] != len(x):
            raise ValueError(
                f"features must be a table with one row per point, shape ({len(x)}, k), got {tuple(features.shape)}."
            )
    if isinstance(weights, Slider) or not all(isinstance(s, Slider) for s in weights):
        raise TypeError("weights must be a list of Slider(name, low, high, start), one per feature column.")
    if len(weights) != features.shape[1]:
        raise ValueError(
            f"features has {features.shape[1]} columns but weights has {len(weights)} sliders: give one Slider per column."
        )
    if bias is not None and not isinstance(bias, Slider):
        raise TypeError(f"bias must be a Slider(name, low, high, start) or None, got {type(bias).__name__}.")
    if landscape and len(weights) + (bias is not None) != 2:
        raise ValueError(
            f"landscape=True draws the MSE over two sliders, but there are {len(weights) + (bias is not None)}; "
            "use it with one weight and a bias, or two weights and no bias."
        )
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 10:
        raise ValueError(f"decimals must be a whole number from 0 to 10, got {decimals!r}.")
    for label, text in (("xlabel", xlabel), ("ylabel", ylabel)):
        if not isinstance(text, str):
            raise TypeError(f"{label} must be text, got {type(text).__name__}.")
    return LinearSliders(x, y, features, list(weights), bias, bool(landscape), xlabel, ylabel, decimals)


def show_sliders(widget: LinearSliders, name: str = "sliders") -> None:
    """Show the widget in a notebook or on a book page; from a script, save it as ``<name>-01.html`` and say where.

    The script's page goes into the figures folder (``NNBOOK_FIGURES``), next to its figures. Later calls
    number their pages on (``<name>-02.html`` …), as :func:`~nnbook.show` numbers figures, so no earlier
    page is overwritten.

    >>> show_sliders(linear_sliders([0.0, 1.0], [0.0, 1.0], weights=[Slider("w", 0, 2, 1)]), name="doc")
    ... # doctest: +ELLIPSIS
    saved sliders ...doc-01.html
    """
    if not isinstance(widget, LinearSliders):
        raise TypeError(f"show_sliders() takes what linear_sliders() returns, got {type(widget).__name__}.")
    if not isinstance(name, str) or not name or name != Path(name).name or name in (".", ".."):
        raise ValueError(f"name must be a plain file name such as 'mix', without folders, got {name!r}.")
    if in_notebook():
        from IPython.display import HTML, display

        display(HTML(widget.to_html()))
    else:
        path = widget.save(numbered_file(name.removesuffix(".html"), ".html"))
        print(f"saved sliders {path}")


# The styles, scoped to the widget. Lines, ticks and text use the text colour (currentColor), so the plot
# follows the page's light or dark theme; the points and the mix keep their colours in both.
_STYLE = """
.nnbook-sliders{max-width:100%;margin:.5rem 0}
.nnbook-sliders .plots{display:flex;flex-wrap:wrap;gap:.5rem}
.nnbook-sliders svg{flex:1 1 18rem;min-width:0;max-width:32rem;height:auto;font:12px sans-serif;overflow:visible}
.nnbook-sliders svg line,.nnbook-sliders svg .frame{stroke:currentColor;fill:none;stroke-width:1}
.nnbook-sliders svg text{fill:currentColor;stroke:none}
.nnbook-sliders .points{stroke:#3b82c4;stroke-opacity:.8;stroke-width:5;stroke-linecap:round;fill:none}
.nnbook-sliders .curve{stroke:#d62728;stroke-width:2.5;fill:none}
.nnbook-sliders .marker{fill:#d62728;stroke:#fff;stroke-width:2}
.nnbook-sliders .lowest{fill:#fff;font-size:18px}
.nnbook-sliders .controls{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;margin-top:.5rem}
.nnbook-sliders label{display:flex;align-items:center;gap:.5rem;flex:1 1 14rem}
.nnbook-sliders input[type=range]{flex:1 1 auto;min-width:6rem;min-height:2rem;touch-action:none}
.nnbook-sliders .name{min-width:4.5em}
.nnbook-sliders .value{min-width:3.5em;font-variant-numeric:tabular-nums}
.nnbook-sliders .scores{margin:.25rem 0 0;font-variant-numeric:tabular-nums}
.nnbook-sliders .score{margin-right:1.5rem}
@media print{.nnbook-sliders .controls input{display:none}}
"""

# Reads the sliders, computes the mix, its MSE and MAE, and redraws the curve and the landscape's point.
_SCRIPT = """function (root, d) {
  if (!root) return;
  const inputs = Array.from(root.querySelectorAll("input[type=range]"));
  const values = Array.from(root.querySelectorAll("output.value"));
  const curve = root.querySelector(".curve"), marker = root.querySelector(".marker");
  const score = name => root.querySelector('output[data-score="' + name + '"]');
  const k = d.features[0].length, n = d.y.length, pred = new Array(n);
  function update() {
    const v = inputs.map(i => parseFloat(i.value));
    let se = 0, ae = 0;
    for (let i = 0; i < n; i++) {
      let p = d.bias ? v[k] : 0;
      for (let j = 0; j < k; j++) p += v[j] * d.features[i][j];
      pred[i] = p;
      se += (p - d.y[i]) * (p - d.y[i]);
      ae += Math.abs(p - d.y[i]);
    }
    curve.setAttribute("points", d.order.map(i =>
      (d.px.x[0] + d.px.x[1] * d.x[i]).toFixed(1) + "," + (d.px.y[0] + d.px.y[1] * pred[i]).toFixed(1)).join(" "));
    score("MSE").textContent = (se / n).toFixed(d.decimals);
    score("MAE").textContent = (ae / n).toFixed(d.decimals);
    v.forEach((value, j) => { values[j].textContent = value.toFixed(d.sliderDecimals[j]); });
    if (marker) {
      marker.setAttribute("cx", (d.landscape.x[0] + d.landscape.x[1] * v[0]).toFixed(1));
      marker.setAttribute("cy", (d.landscape.y[0] + d.landscape.y[1] * v[1]).toFixed(1));
    }
  }
  inputs.forEach(i => i.addEventListener("input", update));
  update();
}"""
