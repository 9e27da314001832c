# ---
# jupyter:
#   jupytext:
#     default_lexer: ipython3
#     formats: md:myst,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Gradient descent on real data: global temperature
#
# The previous chapter fitted a line to made-up points. Now the points are real: how much warmer or colder
# than usual each year from 1880 to 2022 was, averaged over the whole planet. We fit one model to them and
# let it grow one piece at a time: a line through the origin, then a line with an intercept, then a different
# loss, and finally a bent line built from two hand-made features, the way the first layer of a neural network
# builds them. The training loop stays the hand-written one of chapter 1; only the model and the loss change.
#
# **Learning objectives.** After this chapter you can
#
# - prepare a real data set for gradient descent: one row per example, one column per feature, inputs
#   scaled to a small range;
# - use a from-scratch {py:class}`~nnbook.models.Linear` layer (weights and bias) and train it with a hand-written loop;
# - add a parameter to a model, and switch the loss from the mean squared error (MSE) to the mean absolute error
#   (MAE), and say what each change does to the fit;
# - tell a fit that has converged from one whose loss only looks flat, and check it against an exact answer;
# - build new features with a fixed first layer and a ReLU (the function $\max(0, z)$), and mix them into a bent line;
# - apply the shape rule of matrix products to a two-feature model, and read the error a wrong shape gives;
# - judge a fitted trend by how it extrapolates to data it has not seen.

# %% tags=["hide-cell"]
# On a fresh Colab or Binder runtime, install the book's package first; elsewhere this does nothing.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("nnbook") is None:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "git+https://github.com/nnbook/nnbook"], check=True)

# %% [markdown]
# ## The data: 143 years of global temperature
#
# The numbers are NASA's GISTEMP global annual temperature anomalies: for each year, how far the global mean
# surface temperature was above or below its 1951–1980 average, in °C {cite:p}`gistemp2025,lenssen2019improvements`.
# The data and its licence are described on the {doc}`book's front page <../intro>`; a copy ships inside the `nnbook`
# package, so nothing is downloaded:
# {py:func}`~nnbook.data.gistemp` reads it, and {py:func}`~nnbook.show` displays the figure, as in chapter 1.

# %% mystnb={"image": {"alt": "Line plot of the global temperature anomaly from 1880 to 2022: roughly flat a little below zero until about 1930, then rising, fastest after 1970, to near 1 \u00b0C."}}
import inspect

import matplotlib.pyplot as plt
import torch
from IPython.display import Code
from torch import nn

import nnbook
from nnbook import glue
from nnbook.data import gistemp, temperature_data
from nnbook.models import Linear
from nnbook.plots import plot_data, plot_model

years, anomaly = gistemp(until=2022)
fig, ax = plt.subplots(figsize=(7, 3.2), layout="constrained")
ax.plot(years, anomaly, marker=".", color="tab:gray")
ax.axhline(0, color="black", lw=0.5)
ax.set(xlabel="year", ylabel="anomaly (°C)", title="global temperature relative to 1951–1980 (NASA GISTEMP)")
nnbook.show(fig)

# %% [markdown]
# Two choices turn this table into something gradient descent handles well.
#
# - **Shape.** The model will compute `x @ weights`, so `x` must be a table with one row per year and one column
#   per feature: shape (143, 1), not a flat vector of 143 numbers. The targets get the same shape.
# - **Scale.** We measure time as $x = (\text{year} - 1880)/100$, in centuries since 1880, so $x$ runs from 0 to
#   1.42. With raw years (around 2000) the squared inputs would be millions of times larger, the gradients too,
#   and only a tiny learning rate would avoid blowing up. A bonus: a slope of 1 now means "one degree per century".
#
# {py:func}`~nnbook.data.temperature_data` does both:

# %%
x, y = temperature_data(until=2022)
print("x:", tuple(x.shape), "from", x.min().item(), "to", round(x.max().item(), 2), "  y:", tuple(y.shape))

# %% [markdown]
# ## A linear layer
#
# A prediction is `y_pred = x @ w + b`: a matrix product with the weights, plus a bias. We could write that line
# directly every time; the `Linear` class of the `nnbook` package just keeps the two tensors together, ready for
# training (both track gradients). It is short enough to read in full ({py:func}`inspect.getsource` fetches its code). Most of it checks its input and explains a
# wrong shape; the model itself is the two lines at the end of `forward`:

# %%
Code(inspect.getsource(Linear), language="python")

# %% [markdown]
# The class stores the weights as a matrix of shape (inputs, outputs) and a bias with one entry per output, and
# `layer(x)` is the same as `layer.forward(x)`:

# %%
w, b = torch.tensor([[0.5]]), torch.tensor([-0.2])
layer = Linear(w, b)
print("weights:", tuple(layer.weights.shape), " bias:", tuple(layer.bias.shape))
print("layer(x) is exactly x @ w + b:", torch.equal(layer(x), x @ w + b))

# %% [markdown]
# ```{note}
# PyTorch's own layer, {py:class}`torch.nn.Linear`, computes the same function but stores its weight the other way
# round, with shape (outputs, inputs), and multiplies by its transpose: `x @ weight.T + bias`. Each row of
# `weight` then holds the weights of one output, which is convenient when a layer has many outputs. So to copy
# weights between the two, transpose them, as the next cell does for a layer with two inputs and one output.
# ```

# %%
ours = Linear(torch.tensor([[0.3], [-0.7]]), torch.tensor([0.1]))  # (inputs, outputs) = (2, 1)
theirs = nn.Linear(2, 1)
print("nnbook Linear weights:", tuple(ours.weights.shape), "  nn.Linear weight:", tuple(theirs.weight.shape))
with torch.no_grad():
    theirs.weight.copy_(ours.weights.T)
    theirs.bias.copy_(ours.bias)
    two_inputs = torch.randn(5, 2, generator=torch.Generator().manual_seed(0))
    glue("gis_linear_vs_nn_maxerr", (ours(two_inputs) - theirs(two_inputs)).abs().max().item())


# %% [markdown]
# With the transposed weights the two layers agree: on five random inputs their outputs differ by at most
# {glue:text}`gis_linear_vs_nn_maxerr:.1g`. <!-- claim: linear-matches-nn-linear -->
#
# ## The training loop, once
#
# The loop is the one from chapter 1, now for any `Linear` layer and any loss. Because we use it again and again in
# this chapter, it lives in a function:

# %%
def gradient_descent(
    layer: Linear, inputs: torch.Tensor, targets: torch.Tensor, loss_fn, lr: float, steps: int
) -> list[float]:
    """Fit ``layer`` to ``(inputs, targets)`` by plain gradient descent; return the loss before every step."""
    losses = []
    for step in range(steps):
        loss = loss_fn(layer(inputs), targets)  # forward pass, then how wrong it is
        if not torch.isfinite(loss):
            raise FloatingPointError(
                f"the loss became {loss.item()} at step {step} with lr={lr}: each step overshoots the minimum "
                f"further than the last. Use a smaller learning rate, for example lr={lr / 4:g}."
            )
        losses.append(loss.item())
        loss.backward()  # fills .grad of every parameter
        with torch.no_grad():
            for p in layer.parameters():
                p -= lr * p.grad  # one step downhill, in place
                p.grad.zero_()  # backward() adds to .grad, so clear it for the next step
    return losses


# %% [markdown]
# Every fit gets the same picture: the loss curve on the left, the fitted model over the data on the right
# (drawn with {py:func}`~nnbook.plots.plot_data` and {py:func}`~nnbook.plots.plot_model`).

# %%
def show_fit(losses: list[float], model, title: str) -> None:
    """Plot the loss per step beside the model's curve over the data."""
    fig, (ax_loss, ax_fit) = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained")
    ax_loss.plot(losses)
    ax_loss.set(xlabel="step", ylabel="loss", title="loss during training")
    plot_data(x, y, ax=ax_fit)
    plot_model(model, x, ax=ax_fit)
    ax_fit.set(xlabel="x = (year − 1880) / 100", ylabel="anomaly (°C)", title=title)
    nnbook.show(fig)


# %% [markdown]
# The two losses of this chapter, written out. Both start from the residual, the target minus the prediction:

# %%
def mse(prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean squared error."""
    resid = target - prediction
    return resid.pow(2).mean()


def mae(prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean absolute error."""
    resid = target - prediction
    return resid.abs().mean()


# %% [markdown]
# ## Step 1: a line through the origin, y = w x
#
# The simplest model has a single number: $\hat y = w x$. With no bias, the line must pass through 0 at
# $x = 0$, the year 1880. We start at $w = 0$ and take 50 steps with learning rate 0.1 ({py:func}`~nnbook.glue`
# passes the results to the text, as in chapter 1):

# %% mystnb={"image": {"alt": "Left: the MSE over 50 steps, flat after the first few. Right: the temperature data with the fitted line through the origin, too high in the early years and too low in the recent ones."}}
layer = Linear.zeros(1, 1, bias=False)
losses = gradient_descent(layer, x, y, mse, lr=0.1, steps=50)
glue("gis_w_nobias", layer.weights.item())
glue("gis_mse_nobias", mse(layer(x), y).item())
glue("gis_nobias_last25_drop", losses[25] - losses[-1])
with torch.no_grad():
    miss = layer(x) - y  # prediction minus data
glue("gis_mean_1880_1909", y[:30].mean().item())
glue("gis_nobias_early_miss", miss[:30].mean().item())
glue("gis_nobias_late_miss", -miss[-30:].mean().item())
show_fit(losses, layer, "step 1: y = w x")

# %% [markdown]
# The loss settles at an MSE of {glue:text}`gis_mse_nobias:.3f` with $w =$ {glue:text}`gis_w_nobias:.3f`,
# inside the target range 0.09–0.11. <!-- claim: origin-line-in-range -->
# (The course notebook this chapter follows reports $w \approx 0.259$ and a
# loss of 0.093; NASA revises the published series slightly from year to year, which moves the third digit.)
# The loss curve is flat long before step 50: over the last 25 steps it fell by only
# {glue:text}`gis_nobias_last25_drop:.1e`, so more steps would not help: the model itself is the limit. <!-- claim: origin-line-flat-early -->
# It has to start at 0 in 1880, while the data of the first 30 years averages {glue:text}`gis_mean_1880_1909:.2f` °C,
# so the best it can do is a shallow line that is too high early on (by {glue:text}`gis_nobias_early_miss:.2f` °C on
# average over 1880–1909) and too low at the end (by {glue:text}`gis_nobias_late_miss:.2f` °C over
# 1993–2022). <!-- claim: origin-line-high-early-low-late -->
#
# ## Step 2: add a bias
#
# The fix is a second parameter, the bias: $\hat y = w x + b$. `Linear.zeros(1, 1)` now has one. Zero is a fine
# starting point for both on this well-behaved problem (in general, and in networks, weights start random).
# With the settings of step 1 the fit is not finished yet:

# %% mystnb={"image": {"alt": "Left: the MSE over 50 steps, still falling at the last step. Right: the temperature data with the line reached after those 50 steps."}}
layer = Linear.zeros(1, 1)
losses = gradient_descent(layer, x, y, mse, lr=0.1, steps=50)
glue("gis_mse_bias_50_steps", mse(layer(x), y).item())
glue("gis_bias_50_last_drop", losses[-2] - losses[-1])
show_fit(losses, layer, "step 2, first try: 50 steps at lr 0.1")

# %% [markdown]
# After 50 steps the MSE is {glue:text}`gis_mse_bias_50_steps:.3f` and the loss curve is still falling (by
# {glue:text}`gis_bias_50_last_drop:.1e` in the last step alone): the line is still turning towards the data. <!-- claim: bias-50-steps-not-done --> A larger learning rate and more steps finish the job:

# %% mystnb={"image": {"alt": "Left: the MSE over 200 steps, falling quickly and then flat. Right: the temperature data with the fitted straight line, which rises across the whole period."}}
layer = Linear.zeros(1, 1)
losses = gradient_descent(layer, x, y, mse, lr=0.5, steps=200)
line_layer = layer
glue("gis_w_bias", layer.weights.item())
glue("gis_b_bias", layer.bias.item())
glue("gis_mse_bias", mse(layer(x), y).item())
show_fit(losses, layer, "step 2: y = w x + b")

# %%
# The closed-form least-squares line, for comparison (in float64, as in chapter 1).
inputs_with_ones = torch.cat([x, torch.ones_like(x)], dim=1).double()
best = torch.linalg.lstsq(inputs_with_ones, y.double()).solution
line_lstsq_mse = glue("gis_mse_line_lstsq", mse(inputs_with_ones @ best, y.double()).item())

# %% [markdown]
# The MSE drops to {glue:text}`gis_mse_bias:.4f`, inside the target range 0.03–0.035, and equal to the
# least-squares minimum {glue:text}`gis_mse_line_lstsq:.4f` to the digits shown. <!-- claim: bias-line-is-least-squares --> The fitted line is
# $\hat y =$ {glue:text}`gis_w_bias:.3f` $x$ {glue:text}`gis_b_bias:+.3f`: about
# {glue:text}`gis_w_bias:.2f` °C of warming per century on average since 1880.
#
# ## Step 3: mean absolute error instead
#
# The MSE squares each miss, so one far-off year counts four times as much as a year missed by half as much.
# The mean absolute error, $\frac1n\sum_i |y_i - \hat y_i|$, weighs every degree of miss the same. Only the loss
# function changes; we keep step 2's first learning rate, 0.1, and take 200 steps:

# %% mystnb={"image": {"alt": "Left: the MAE over 200 steps at a constant learning rate, flat over its last 100 steps. Right: the temperature data with the line reached, slightly flatter than the best MAE line."}}
layer = Linear.zeros(1, 1)
losses = gradient_descent(layer, x, y, mae, lr=0.1, steps=100)
slope_at_100, bias_path = layer.weights.item(), [layer.bias.item()]
for _ in range(100):  # 100 more steps, one at a time, keeping the intercept after each
    losses += gradient_descent(layer, x, y, mae, lr=0.1, steps=1)
    bias_path.append(layer.bias.item())
mae_constant_layer = layer
glue("gis_mae_constant", mae(layer(x), y).item())
glue("gis_w_mae_constant", layer.weights.item())
glue("gis_mae_constant_last100_drop", losses[100] - losses[-1])
glue("gis_mae_constant_last100_climb", layer.weights.item() - slope_at_100)
bias_steps = torch.tensor(bias_path).diff()
glue("gis_mae_constant_reversals", int((bias_steps[1:] * bias_steps[:-1] < 0).sum()))
show_fit(losses, layer, "step 3, first try: 200 steps at lr 0.1, trained on the MAE")

# %% [markdown]
# The loop did not change at all, but the gradient did. The derivative of $|r|$ is just the sign of $r$, so every
# year pulls on the line with the same strength, however far it lies from it. The best MAE line is therefore
# decided by how many points lie above and below it, not by how far: it behaves like a median, where the MSE line
# behaves like a mean.
#
# The loss curve looks flat: over the last 100 steps the MAE fell by only
# {glue:text}`gis_mae_constant_last100_drop:.1e`. But the line was still moving: over the same 100 steps its slope
# climbed by {glue:text}`gis_mae_constant_last100_climb:.3f`. <!-- claim: flat-mae-curve-line-still-moving -->
# Near its minimum the MAE is a long valley with an almost level floor: turning the line a little about the middle
# of the data moves a few points from one side of it to the other and changes the MAE hardly at all, so the loss
# barely shows the progress along the floor. And the sign gradient does not fade smoothly to zero near the bottom,
# as the MSE's gradient does, so steps of a constant size keep overshooting across the valley: the intercept
# reversed its direction {glue:text}`gis_mae_constant_reversals` times in those 100 steps. <!-- claim: constant-mae-steps-overshoot -->
# Two ways out: many more steps, or a step that shrinks. Here we halve the learning rate every 200 steps, four times (a *step-decay* schedule; chapter 4
# meets others):

# %% mystnb={"image": {"alt": "Left: the MAE over 1000 steps whose size halves every 200 steps. Right: the temperature data with the MAE line, almost the same line as the MSE line of step 2."}}
layer = Linear.zeros(1, 1)
losses = []
for lr in (0.1, 0.05, 0.025, 0.0125, 0.00625):  # halve the step every 200 steps
    losses += gradient_descent(layer, x, y, mae, lr=lr, steps=200)
mae_layer = layer
glue("gis_mae", mae(layer(x), y).item())
glue("gis_w_mae", layer.weights.item())
glue("gis_mae_of_mse_line", mae(line_layer(x), y).item())
glue("gis_mse_of_mae_line", mse(layer(x), y).item())
show_fit(losses, layer, "step 3: y = w x + b, trained on the MAE with a decaying step")


# %% [markdown]
# Is this now the best MAE line? The MAE has no closed-form answer like least squares, but it has a property that
# gives an exact check: among the best MAE lines there is always one that passes through two of the data points.
# (The MAE of a line is a sum of V-shaped pieces, and such a sum takes its lowest value at a corner, where two
# points lie exactly on the line.) With 143 points there are $143 \cdot 142 / 2 = 10\,153$ such lines, few enough
# to score every one:

# %%
def best_mae_line(inputs: torch.Tensor, targets: torch.Tensor) -> tuple[float, float, float]:
    """The exact least-absolute-deviation line (slope, intercept, MAE): the best of all lines through two points."""
    u, v = inputs[:, 0].double(), targets[:, 0].double()
    i, j = torch.triu_indices(len(u), len(u), offset=1)  # every pair of points, once
    slope = (v[j] - v[i]) / (u[j] - u[i])
    intercept = v[i] - slope * u[i]
    scores = (v - (slope[:, None] * u + intercept[:, None])).abs().mean(dim=1)  # one MAE per pair's line
    best = scores.argmin()
    return slope[best].item(), intercept[best].item(), scores[best].item()


exact_slope, exact_intercept, exact_mae = best_mae_line(x, y)
glue("gis_w_mae_exact", exact_slope)
glue("gis_mae_exact", exact_mae)
print(f"{'MAE line':32s}{'slope':>8s}{'intercept':>11s}{'MAE':>10s}")
for name, fitted in (("lr 0.1, 200 steps", mae_constant_layer), ("decaying step, 1000 steps", mae_layer)):
    print(f"{name:32s}{fitted.weights.item():8.4f}{fitted.bias.item():11.4f}{mae(fitted(x), y).item():10.6f}")
print(f"{'exact (best pair of points)':32s}{exact_slope:8.4f}{exact_intercept:11.4f}{exact_mae:10.6f}")


# %% [markdown]
# The table settles it. After 200 constant steps the MAE, {glue:text}`gis_mae_constant:.4f`, was already within a
# fraction of a thousandth of the exact minimum {glue:text}`gis_mae_exact:.5f`, yet the slope,
# {glue:text}`gis_w_mae_constant:.3f`, was still far from the best line's {glue:text}`gis_w_mae_exact:.3f`. <!-- claim: mae-constant-step-not-converged -->
# With the decaying step the loop reaches the exact line: MAE {glue:text}`gis_mae:.5f`, slope
# {glue:text}`gis_w_mae:.3f`. <!-- claim: mae-decaying-step-reaches-exact -->
# That MAE matches the course notebook's "around 0.15". <!-- claim: mae-around-0-15 -->
#
# Each line is the best one *for its own loss*: the MSE line of step 2 has an MAE of
# {glue:text}`gis_mae_of_mse_line:.4f`, against the best {glue:text}`gis_mae:.4f`, and the MAE line an MSE of
# {glue:text}`gis_mse_of_mae_line:.4f`, against the best {glue:text}`gis_mse_bias:.4f`. <!-- claim: each-line-best-for-its-loss -->
# On these data the two lines are almost the same: their slopes, {glue:text}`gis_w_bias:.3f` and
# {glue:text}`gis_w_mae:.3f`, differ by a few thousandths of a degree per century. <!-- claim: mse-and-mae-lines-close -->
# They part ways when a few points lie far off, which the first exercise below tries.
#
# ## Step 4: a bent line from two hinge features
#
# Look at the fits again: the data is not a line. It is roughly flat until the 1930s and climbs afterwards.
# A straight line cannot follow that, however long we train. We need a model whose slope can change.
#
# We can get one and still do linear regression. Steps 2 and 3 already mixed two functions of $x$, "always going
# up" ($x$ itself) and "flat" (the constant 1 that the bias multiplies). Now we make new functions to mix. A
# hard-coded linear layer copies $x$ into two columns and shifts the second by −0.5; a ReLU ("rectified linear
# unit", $\max(0, z)$ {cite:p}`nair2010rectified`) then cuts off the negative part:

# %% mystnb={"image": {"alt": "The two features over x: f1 = relu(x), a straight ramp, and f2 = relu(x \u2212 0.5), zero until x = 0.5 (the year 1930) and a ramp after it."}}
def hinge_features(x: torch.Tensor) -> torch.Tensor:
    """A pretend first layer with fixed weights, then a ReLU: columns relu(x) and relu(x − 0.5)."""
    first_layer_out = x @ torch.ones(1, 2) + torch.tensor([0.0, -0.5])  # (n, 1) @ (1, 2) → (n, 2)
    return torch.relu(first_layer_out)  # the same as first_layer_out.clamp_min(0)


features = hinge_features(x)
f1, f2 = features.T
print("features:", tuple(features.shape))

fig, ax = plt.subplots(figsize=(6, 3), layout="constrained")
ax.plot(x, f1, label="f1 = relu(x): always going up")
ax.plot(x, f2, label="f2 = relu(x − 0.5): a hinge at x = 0.5 (1930)")
ax.set(xlabel="x = (year − 1880) / 100", ylabel="feature value")
ax.legend()
nnbook.show(fig)


# %% [markdown]
# Since $x \ge 0$ here, $f_1$ is just $x$. $f_2$ is zero until $x = 0.5$, the year 1930, and rises with slope 1
# after it. A mix $\hat y = w_1 f_1 + w_2 f_2 + b$ therefore has slope $w_1$ before 1930 and slope $w_1 + w_2$
# after: a line with one bend. This is exactly what a hidden layer of a neural network computes. Each feature is
# the output of one *neuron* (or *unit*): a weighted sum of the inputs plus a bias, passed through an *activation* function, here
# the ReLU. A *hidden layer* is a row of such neurons between the input and the output layer; "hidden" because its
# outputs are neither data nor prediction. Here we chose its weights by hand; later chapters let training choose
# them.
#
# Try mixing by hand. This helper draws one mix and scores it:

# %%
def draw_mix(ax, w1: float, w2: float, bias: float) -> None:
    """Draw the mix w1·f1 + w2·f2 + bias over the data, titled with its MSE and MAE."""
    y_pred = (w1 * f1 + w2 * f2 + bias)[:, None]
    plot_data(x, y, ax=ax)
    ax.plot(x, y_pred, color="tab:red", lw=2)
    scores = f"MSE {mse(y_pred, y):.4f}, MAE {mae(y_pred, y):.4f}"
    ax.set_title(f"w1={w1:+.2f}, w2={w2:+.2f}, bias={bias:+.2f}\n{scores}", fontsize=9)


# %% [markdown]
# Or drag: the next cell shows three sliders for $w_1$, $w_2$ and the bias, and redraws the mix with its MSE and
# MAE as you drag them. {py:func}`~nnbook.sliders.linear_sliders` does the arithmetic in the page itself, so the
# sliders work on this page without Python (offline too) and in Jupyter or Colab alike; a script saves them as an
# HTML page.

# %%
from nnbook.sliders import Slider, linear_sliders, show_sliders

mix_weights = [Slider("w1", -2, 2, 0.1), Slider("w2", -2, 2, -0.3)]
mix_widget = linear_sliders(
    x, y, features, weights=mix_weights, bias=Slider("bias", -1, 1, 0.0), xlabel="x = (year − 1880) / 100",
    ylabel="anomaly (°C)",
)
show_sliders(mix_widget, name="mix-sliders")

# %% [markdown]
# Here are six slider settings side by side, from the sliders' starting point to a good mix:

# %% mystnb={"image": {"alt": "Six panels of the temperature data, each with one mix of the two features and its MSE and MAE in the title: from a line that bends the wrong way, through a flat line, a straight line and a hinge alone, to a bent line that follows the data."}}
settings = [  # (w1, w2, bias)
    (0.1, -0.3, 0.0), (0.0, 0.0, 0.06), (0.78, 0.0, -0.5),
    (0.0, 1.0, -0.2), (0.3, 0.8, -0.3), (-0.1, 1.25, -0.24),
]
fig, axes = plt.subplots(2, 3, figsize=(11, 5.6), sharex=True, sharey=True, layout="constrained")
for ax, (w1, w2, bias) in zip(axes.flat, settings, strict=True):
    draw_mix(ax, w1, w2, bias)
fig.suptitle("the mix w1·f1 + w2·f2 + bias at six slider settings")
nnbook.show(fig)
panel_mse = [mse((w1 * f1 + w2 * f2 + bias)[:, None], y).item() for w1, w2, bias in settings]
glue("gis_panel_best_index", min(range(len(settings)), key=panel_mse.__getitem__) + 1)
glue("gis_panel_last_mse", panel_mse[-1]);

# %% [markdown]
# Reading the panels in order: the sliders' starting point bends the wrong way; a flat line at the mean has
# only the bias; $w_2 = 0$ gives back the straight line of step 2; $w_1 = 0$ uses only the hinge, flat until
# 1930; and mixing both, with a slightly negative $w_1$ and a large $w_2$, follows the data best: the last panel
# has the lowest MSE of the six, {glue:text}`gis_panel_last_mse:.4f`. <!-- claim: last-panel-best -->
#
# ## The shapes of a two-feature model
#
# To fit $w_1$, $w_2$ and $b$ by gradient descent, we hand the two features to a `Linear` layer as its input.
# The features form a table of shape (143, 2), so the weight matrix must have shape (2, 1): two inputs, one output.
# The shape rule $(a, b) \mathbin{@} (b, c) \to (a, c)$ checks out:

# %%
weights = torch.zeros(2, 1)
print("features", tuple(features.shape), "@ weights", tuple(weights.shape), "→", tuple((features @ weights).shape))

# %% [markdown]
# One prediction per year, as needed. A weight matrix of shape (1, 2) instead fails ({py:class}`~nnbook.expect_error`
# shows the error and lets the chapter carry on, as in chapter 1):

# %% tags=["raises-exception"]
with nnbook.expect_error(RuntimeError):
    features @ torch.zeros(1, 2)

# %% [markdown]
# Each prediction pairs every feature of a row with one weight, so the number of columns on the left (2
# features) must equal the number of rows on the right. A (1, 2) matrix has only 1 row. PyTorch reports the two
# shapes, "143x2 and 1x2", and it is the *inner* pair, 2 and 1, that disagrees. A (1, 2) matrix would fit an
# input with *one* feature and produce *two* outputs, which is exactly the pretend first layer above:
# `x @ torch.ones(1, 2)` takes the single column of years to two columns.
#
# ## Step 5: fit the bent line
#
# Now the same loop fits the mix. The input is the feature table, and the layer has two weights and a bias:

# %% mystnb={"image": {"alt": "Left: the MSE over 3000 steps. Right: the temperature data with the fitted bent line: almost flat, even slightly falling, until 1930, then rising steadily."}}
hinge_layer = Linear.zeros(2, 1)
losses = gradient_descent(hinge_layer, features, y, mse, lr=0.5, steps=500)
after_500 = [*hinge_layer.weights[:, 0].tolist(), hinge_layer.bias.item()]
losses += gradient_descent(hinge_layer, features, y, mse, lr=0.5, steps=2500)
w1, w2 = hinge_layer.weights[:, 0].tolist()
glue("gis_hinge_w1", w1)
glue("gis_hinge_w2", w2)
glue("gis_hinge_b", hinge_layer.bias.item())
glue("gis_slope_after_1930", w1 + w2)
glue("gis_mse_hinge", mse(hinge_layer(features), y).item())
fitted = (w1, w2, hinge_layer.bias.item())
glue("gis_panel_max_offset", max(abs(p - q) for p, q in zip(settings[-1], fitted, strict=True)))
features_with_ones = torch.cat([features, torch.ones_like(x)], dim=1).double()
hinge_best = torch.linalg.lstsq(features_with_ones, y.double()).solution[:, 0]
glue("gis_hinge_lstsq_maxdiff", max(abs(p - q) for p, q in zip(fitted, hinge_best.tolist(), strict=True)))
glue("gis_hinge_500_maxdiff", max(abs(p - q) for p, q in zip(after_500, hinge_best.tolist(), strict=True)))
glue("gis_hinge_eig_min", torch.linalg.eigvalsh(2 * features_with_ones.T @ features_with_ones / len(x)).min().item())
show_fit(losses, lambda t: hinge_layer(hinge_features(t)), "step 5: y = w1 f1 + w2 f2 + b")

# %% [markdown]
# The MSE falls to {glue:text}`gis_mse_hinge:.4f`, inside the target range 0.01–0.03 and well below the
# {glue:text}`gis_mse_bias:.4f` of the best straight line. <!-- claim: hinge-beats-line -->
# Gradient descent chose $w_1 =$
# {glue:text}`gis_hinge_w1:.3f`, $w_2 =$ {glue:text}`gis_hinge_w2:.3f` and $b =$ {glue:text}`gis_hinge_b:.3f`:
# almost flat, even slightly cooling, before 1930, and warming at {glue:text}`gis_slope_after_1930:.2f` °C per
# century after it. <!-- claim: flat-before-1930-warming-after -->
# These are the least-squares weights to within {glue:text}`gis_hinge_lstsq_maxdiff:.0e`, but only because the loop ran
# 3000 steps: f1 and f2 rise together after 1930, so the bowl is very shallow in one direction (the
# smallest eigenvalue of its curvature is {glue:text}`gis_hinge_eig_min:.3f`), and after 500 steps the weights were still up to {glue:text}`gis_hinge_500_maxdiff:.2f` away. <!-- claim: hinge-fit-is-least-squares -->
# The last panel of the slider figure shows values close to these (we picked them knowing this answer; none is more
# than {glue:text}`gis_panel_max_offset:.2f` away); finding them by dragging sliders takes patience, gradient descent
# needed none. <!-- claim: last-panel-near-fit -->
#
# ## A look ahead: 2023 and 2024
#
# The model was fitted on the years up to 2022. The data set also holds 2023 and 2024; how well does the bent
# line predict them?

# %% mystnb={"image": {"alt": "The training data 1880\u20132022 with the bent line extended to 2024; the measured 2023 and 2024 anomalies, drawn as diamonds, lie well above the line."}}
x_all, y_all = temperature_data(until=2024)
with torch.no_grad():
    forecast = hinge_layer(hinge_features(x_all))
for i, year in ((-2, 2023), (-1, 2024)):
    glue(f"gis_pred_{year}", forecast[i].item())
    glue(f"gis_actual_{year}", y_all[i].item())
glue("gis_shortfall_min", (y_all[-2:] - forecast[-2:]).min().item())
glue("gis_last10_residual", (y_all[-12:-2] - forecast[-12:-2]).mean().item())

fig, ax = plt.subplots(figsize=(7, 3.4), layout="constrained")
plot_data(x_all[:-2], y_all[:-2], ax=ax, label="1880–2022 (training data)")
ax.scatter(x_all[-2:], y_all[-2:], color="tab:blue", s=40, marker="D", label="2023 and 2024 (not seen)")
ax.plot(x_all, forecast, color="tab:red", lw=2, label="hinge model")
ax.set(xlabel="x = (year − 1880) / 100", ylabel="anomaly (°C)", title="the fitted model against two new years")
ax.legend()
nnbook.show(fig)

# %% [markdown]
# Badly. The model predicts {glue:text}`gis_pred_2023:.2f` °C for 2023 and {glue:text}`gis_pred_2024:.2f` °C
# for 2024; the measured anomalies are {glue:text}`gis_actual_2023:.2f` °C and {glue:text}`gis_actual_2024:.2f` °C,
# at least {glue:text}`gis_shortfall_min:.2f` °C higher. <!-- claim: forecast-falls-short -->
# The plot shows why: one straight stretch from 1930 to 2022 averages slow warming in the middle of the century
# with faster warming in recent decades, so it already runs below the last years of the training data (by
# {glue:text}`gis_last10_residual:.2f` °C on average over 2013–2022) and then continues at the average pace. <!-- claim: runs-below-recent-years --> Two lessons that hold for every model in this book: a low training loss says
# how well a model describes the data it was fitted on, not how well it predicts beyond it; and a model can only
# bend where its features let it.
#
# ## Summary
#
# - Real data needs a shape (one row per example, one column per feature) and a sensible scale (here centuries
#   since 1880) before gradient descent works well.
# - A `Linear` layer is a weight matrix of shape (inputs, outputs) and a bias; the same hand-written loop trains
#   it whatever the loss.
# - A line through the origin reached an MSE of {glue:text}`gis_mse_nobias:.3f`; adding a bias brought it to
#   {glue:text}`gis_mse_bias:.4f` (after raising the learning rate and the number of steps). Training on the MAE
#   needed a decaying step: at a constant one the loss looked flat long before the line had stopped moving. With
#   it, the loop found the exact best MAE line, MAE {glue:text}`gis_mae:.4f`, checked against all lines through two
#   data points.
# - A fixed first layer plus a ReLU makes new features; mixing relu(x) and relu(x − 0.5) gives a line with a
#   bend, and gradient descent fitted it to an MSE of {glue:text}`gis_mse_hinge:.4f`.
# - $(143, 2) \mathbin{@} (2, 1) \to (143, 1)$; with (1, 2) weights the inner sizes disagree and the product fails.
# - A `Linear` layer of this book stores weights as (inputs, outputs); `nn.Linear` stores them as (outputs, inputs)
#   and multiplies by the transpose.
# - Fitted on 1880–2022, the model underpredicts 2023 and 2024 by at least {glue:text}`gis_shortfall_min:.2f` °C:
#   extrapolation is the hardest test of a model.
#
# ## Exercises
#
# Each exercise asks you to predict first, then change the code or the data and run it. The solutions run the same
# code; they are folded away so that you can try first.
#
# ```{exercise}
# :label: temp-outliers
#
# New data: make three early years wildly too warm with the cell below, then fit the MSE line and the MAE line
# again (as in steps 2 and 3, but on `y_outliers`). Before running, predict which of the two lines the outliers
# will pull harder, and why.
# ```

# %%
y_outliers = y.clone()
y_outliers[[10, 20, 30]] += 2.0  # 1890, 1900 and 1910, each two degrees too warm


# %% [markdown]
# ```{solution-start} temp-outliers
# ```
#
# The MSE line moves more. Its gradient grows with the size of each miss, so three misses of two degrees pull
# hard; the MAE's gradient only counts how many points lie above and below the line. The MAE line moves too, because
# 1910, the one of the three that lay below it, now lies above it; how far off the points are does not matter to it. <!-- claim: one-outlier-changes-sides --> The solution fits the MSE line
# with step 2's loop and takes the exact MAE line from step 3's `best_mae_line` (the decaying-step loop would need
# more steps here), and then repeats both with outliers ten times as wild.

# %% mystnb={"image": {"alt": "The temperature data with three early years raised by 2 \u00b0C, the MSE line and the dashed MAE line: the MSE line is pulled flatter than the MAE line."}}
def slopes_with_outliers(targets: torch.Tensor) -> tuple[float, float, Linear, Linear]:
    """The MSE line (step 2's loop) and the exact MAE line of ``targets``: their slopes and the two layers."""
    mse_line = Linear.zeros(1, 1)
    gradient_descent(mse_line, x, targets, mse, lr=0.5, steps=200)
    slope, intercept, _ = best_mae_line(x, targets)
    mae_line = Linear(torch.tensor([[slope]]), torch.tensor([intercept]))
    return mse_line.weights.item(), slope, mse_line, mae_line


mse_slope_out, mae_slope_out, mse_line_out, mae_line_out = slopes_with_outliers(y_outliers)
resid_before = (y - (exact_slope * x + exact_intercept))[[10, 20, 30], 0]  # 1890, 1900, 1910, before the change
glue("gis_out_sides_changed", int(((resid_before < 0) & (resid_before + 2.0 > 0)).sum()))
glue("gis_out_1910_resid", resid_before[2].item())
glue("gis_out_mse_slope_shift", line_layer.weights.item() - mse_slope_out)
glue("gis_out_mae_slope_shift", exact_slope - mae_slope_out)
y_wild = y.clone()
y_wild[[10, 20, 30]] += 20.0  # ten times as far off
mse_slope_wild, mae_slope_wild, _, _ = slopes_with_outliers(y_wild)
glue("gis_wild_mse_slope_shift", line_layer.weights.item() - mse_slope_wild)
glue("gis_wild_mae_slope_shift", exact_slope - mae_slope_wild)

fig, ax = plt.subplots(figsize=(7, 3.4), layout="constrained")
plot_data(x, y_outliers, ax=ax)
plot_model(mse_line_out, x, ax=ax, label="MSE line")
plot_model(mae_line_out, x, ax=ax, label="MAE line", color="tab:green", ls="--")
ax.set(xlabel="x = (year − 1880) / 100", ylabel="anomaly (°C)", title="three outliers in the early years")
ax.legend()
nnbook.show(fig)

# %% [markdown]
# The outliers flatten the MSE line's slope by {glue:text}`gis_out_mse_slope_shift:.3f` °C per century, the MAE
# line's by {glue:text}`gis_out_mae_slope_shift:.3f`, about half as much. <!-- claim: outliers-pull-mse-line-harder -->
# Make them ten times as wild, 20 °C too warm, and the MSE line's slope drops by
# {glue:text}`gis_wild_mse_slope_shift:.2f`, ten times as much again, while the MAE line's moves by the same
# {glue:text}`gis_wild_mae_slope_shift:.3f` as before: it only counts which side the points lie on. <!-- claim: wild-outliers-move-only-the-mse-line -->
# This is why the MAE (or losses like it) is chosen when a data set has a few wild values that should not steer
# the fit.
#
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: temp-frozen-bias
#
# In step 2, suppose the loop updated only `layer.weights` and never the bias. Predict the MSE after 200 steps at
# learning rate 0.5 *before* running. Then run the cell below (on this page its output is left out, so that it does
# not give the answer away): `frozen.parameters = lambda: [frozen.weights]` makes
# `gradient_descent` see the weights only.
# ```

# %% tags=["remove-output"]
frozen = Linear.zeros(1, 1)
frozen.parameters = lambda: [frozen.weights]  # the loop now updates (and zeroes) the weights only
gradient_descent(frozen, x, y, mse, lr=0.5, steps=200)
print("MSE with the bias frozen at 0:", mse(frozen(x), y).item())

# %% [markdown]
# ```{solution-start} temp-frozen-bias
# ```
#
# The bias stays at its starting value 0, so the model is the line through the origin of step 1 again, and the MSE
# should land on step 1's {glue:text}`gis_mse_nobias:.4f`.

# %%
glue("gis_frozen_bias_mse", mse(frozen(x), y).item());


# %% [markdown]
# It ends at {glue:text}`gis_frozen_bias_mse:.4f`: the extra parameter exists but does nothing. <!-- claim: frozen-bias-is-origin-line -->
# `gradient_descent` loops over `layer.parameters()`, so with the real method it can forget none.
#
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: temp-step-limit
#
# Chapter 1 showed that gradient descent on the MSE of a linear model is stable only for learning rates below
# $2/\lambda_{\max}$, where $\lambda_{\max}$ is the largest eigenvalue of $\frac{2}{n} X^\top X$. Compute that limit
# for step 2 (with `inputs_with_ones`) and for step 1 (the input $x$ alone). Predict whether step 2 survives
# `lr=1.0`, then run it.
# ```
#
# ```{solution-start} temp-step-limit
# ```

# %%
def lr_limit(inputs: torch.Tensor) -> float:
    """The largest stable learning rate of gradient descent on the MSE of a linear model."""
    return 2 / torch.linalg.eigvalsh(2 * inputs.T @ inputs / len(inputs)).max().item()


glue("gis_lr_limit", lr_limit(inputs_with_ones))
glue("gis_lr_limit_nobias", lr_limit(x.double()));

# %% [markdown]
# The limit is {glue:text}`gis_lr_limit:.3f` with the bias and {glue:text}`gis_lr_limit_nobias:.3f` without it: 0.5
# is safe, 1.0 is not. <!-- claim: step2-limit-between-half-and-one -->
# So step 2 at `lr=1.0` blows up, and `gradient_descent` stops with an error that names the learning rate:

# %% tags=["raises-exception"]
with nnbook.expect_error(FloatingPointError):
    gradient_descent(Linear.zeros(1, 1), x, y, mse, lr=1.0, steps=200)

# %% [markdown]
# Step 1 has no column of ones, whose squares average 1, so its curvature is smaller and its limit lies above 1. <!-- claim: no-bias-limit-above-one -->
#
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: temp-raw-years
#
# What if we had fed the raw years 1880…2022 as $x$? Predict roughly the largest stable learning rate, then compute
# it: build the inputs from `years[:, None]` and a column of ones, take the eigenvalues of $\frac{2}{n} X^\top X$
# with {py:func}`torch.linalg.eigvalsh`, and divide 2 by the largest. How many steps would the fit need?
# ```
#
# ```{solution-start} temp-raw-years
# ```
#
# The curvature grows with the average of $x^2$, about four million for raw years against under one for centuries
# since 1880, so the limit shrinks by a similar factor.

# %%
import math

raw = torch.cat([years[:143, None].double(), torch.ones(143, 1, dtype=torch.float64)], dim=1)
eigenvalues = torch.linalg.eigvalsh(2 * raw.T @ raw / len(raw))
glue("gis_lr_limit_raw", 2 / eigenvalues.max().item())
raw_ratio = glue("gis_raw_eigen_ratio", (eigenvalues.max() / eigenvalues.min()).item())
# at the largest stable rate the shallow direction shrinks by 1 - 2 / ratio per step: steps for a tenfold shrink
glue("gis_raw_steps_tenfold", math.log(10) / -math.log1p(-2 / raw_ratio))
glue("gis_scaled_eigen_ratio", (lambda e: (e.max() / e.min()).item())(
    torch.linalg.eigvalsh(2 * inputs_with_ones.T @ inputs_with_ones / len(x))));

# %% [markdown]
# The limit falls to {glue:text}`gis_lr_limit_raw:.1e`. Worse, the two eigenvalues now differ by a factor of
# {glue:text}`gis_raw_eigen_ratio:.1e` (against {glue:text}`gis_scaled_eigen_ratio:.0f` for the scaled input): a
# learning rate small enough for the steep direction barely moves the shallow one. Even at the largest stable rate,
# the distance along the shallow direction shrinks by only $1 - 2\lambda_{\min}/\lambda_{\max}$ per step, so every
# tenfold shrink of it takes {glue:text}`gis_raw_steps_tenfold:.1e` steps: the fit would need tens of billions of
# steps. <!-- claim: raw-years-make-a-tiny-limit -->
# Scaling the input puts both directions on a similar footing. (Subtracting 1880 also makes the bias mean "the
# anomaly in 1880" instead of "the anomaly in the year 0", a far-away extrapolation.)
#
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: temp-move-hinge
#
# Move the hinge from 1930 to 1970 (−0.9 instead of −0.5 in `hinge_features`), refit step 5, and compare the MSE
# and the 2023–2024 predictions. Predict first: will the training MSE go up or down, and will the forecasts reach
# the measured values? The cell below refits with the hinge at `hinge_shift` (its output is left out on this page); change it and
# rerun.
# ```

# %% tags=["remove-output"]
hinge_shift = 0.9  # 0.5 puts the bend in 1930, 0.9 in 1970


def hinge_features_at(x: torch.Tensor, shift: float) -> torch.Tensor:
    """Columns relu(x) and relu(x − shift): a hinge at x = shift."""
    return torch.relu(x @ torch.ones(1, 2) + torch.tensor([0.0, -shift]))


moved_hinge = Linear.zeros(2, 1)
gradient_descent(moved_hinge, hinge_features_at(x, hinge_shift), y, mse, lr=0.5, steps=3000)
with torch.no_grad():
    print("training MSE:", mse(moved_hinge(hinge_features_at(x, hinge_shift)), y).item())
    print("2023 and 2024:", moved_hinge(hinge_features_at(x_all, hinge_shift))[-2:, 0].tolist())

# %% [markdown]
# ```{solution-start} temp-move-hinge
# ```

# %%
late = Linear.zeros(2, 1)  # the hinge at 0.9, whatever the cell above was changed to
gradient_descent(late, hinge_features_at(x, 0.9), y, mse, lr=0.5, steps=3000)
with torch.no_grad():
    late_forecast = late(hinge_features_at(x_all, 0.9))
glue("gis_late_hinge_mse", mse(late(hinge_features_at(x, 0.9)), y).item())
glue("gis_late_pred_2023", late_forecast[-2].item())
glue("gis_late_pred_2024", late_forecast[-1].item());

# %% [markdown]
# The training MSE falls from {glue:text}`gis_mse_hinge:.4f` to {glue:text}`gis_late_hinge_mse:.4f`, because the
# recent fast warming now gets a slope of its own, and the forecasts rise to {glue:text}`gis_late_pred_2023:.2f` °C
# and {glue:text}`gis_late_pred_2024:.2f` °C, but still fall short of the measured {glue:text}`gis_actual_2023:.2f`
# and {glue:text}`gis_actual_2024:.2f`: those two years were warmer than even the recent trend. <!-- claim: later-hinge-fits-better-still-short -->
# Each extra hinge lets the line bend once more; choosing where the bends go is exactly what a trained first layer
# does, which is where Part II begins.
#
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: temp-nn-linear
#
# Build an `nn.Linear(2, 1)` that predicts exactly what `hinge_layer` predicts from `features`, using the note on
# weight layouts, and check the largest difference over the 143 years.
# ```
#
# ```{solution-start} temp-nn-linear
# ```

# %%
torch_hinge = nn.Linear(2, 1)
with torch.no_grad():
    torch_hinge.weight.copy_(hinge_layer.weights.T)  # (2, 1) → (1, 2)
    torch_hinge.bias.copy_(hinge_layer.bias)
    glue("gis_hinge_nn_maxerr", (torch_hinge(features) - hinge_layer(features)).abs().max().item())

# %% [markdown]
# With the transposed weights the two agree: their predictions differ by at most
# {glue:text}`gis_hinge_nn_maxerr:.1g`. <!-- claim: hinge-layer-as-nn-linear -->
#
# ```{solution-end}
# ```
