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
# # Training fast, and XOR from many starts
#
# Chapter 8 wrote the model, the data loader and the training loop by hand. This chapter uses them as
# the course notebook it follows does, on the cubic with a wiggle, and finds the recipe painfully slow:
# 50,000 epochs to fit 100 points. We find out why, and reach the same quality with hundreds of times
# fewer optimizer steps, by standardizing the targets and raising the learning rate. We then weigh full batches
# against minibatches, sweep the choices the course leaves as exercises (layout, activation, optimizer,
# batch size), and return to XOR, the smallest problem a line cannot solve: the same tiny network,
# trained from {glue:text}`xor_seeds` different random starts at once, shows how often it fails, how it
# fails, and how to make it never fail.
#
# **Learning objectives.** After this chapter you can
#
# - say when a model has fitted the signal and when it has started to memorise the noise, from the noise floor;
# - explain why standardizing the inputs and targets lets Adam use a much larger learning rate;
# - say what full-batch, minibatch and per-sample training cost and buy;
# - change one thing at a time over several seeds, and read the spread as well as the mean;
# - train many seeds of a network in one vectorised run, count its failures, and read a decision map.

# %% tags=["hide-cell"]
# On a fresh Colab or Binder runtime, install the book's package first; elsewhere this does nothing.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("nnbook") is None:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "git+https://github.com/nnbook/nnbook"], check=True)

# %% [markdown]
# ## The data and its noise floor
#
# The data are chapter 8's: 100 points of $f(x) = x^3 - x^2 + 25 \sin(2x)$ for $x$ uniform in $[-5, 5]$,
# with Gaussian noise of standard deviation 10 ({py:func}`~nnbook.data.cubic_sine_points`, seed 42;
# {py:func}`~nnbook.data.cubic_sine` is $f$ itself). We score models with {py:func}`~nnbook.training.mse`, the
# mean squared error, plot with {py:func}`~nnbook.plots.plot_data` and {py:func}`~nnbook.show`, and record every
# number the text quotes with {py:func}`~nnbook.glue`.

# %% mystnb={"image": {"alt": "100 noisy points around the true curve f(x) = x^3 - x^2 + 25 sin(2x), drawn as a black line."}}
import math
import time
import warnings
from functools import partial

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset

import nnbook
from nnbook import glue
from nnbook.data import cubic_sine, cubic_sine_points, standardize, xor
from nnbook.models import Rescaled, mlp
from nnbook.plots import plot_data, plot_losses, plot_model, plot_output_maps, plot_sweep
from nnbook.training import DivergenceWarning, fit, fit_seeds, mse


def median(values: torch.Tensor) -> float:
    """The median; of an even count, the mean of the two middle values (``torch.median`` returns the lower one)."""
    return float(values.quantile(0.5))


x, y = cubic_sine_points(n=100, seed=42)
grid = torch.linspace(-5, 5, 1001)[:, None]
noise_mse = glue("mlp_noise_mse", float(mse(cubic_sine(x), y)))
standard_error = 10**2 * math.sqrt(2 / len(x))  # the spread of a mean of 100 squared N(0, 10²) draws
glue("mlp_noise_expected", 10.0**2)
glue("mlp_noise_standard_error", standard_error)
glue("mlp_noise_z", (10**2 - noise_mse) / standard_error)

ax = plot_data(x, y)
ax.plot(grid, cubic_sine(grid), color="k", lw=1, label="true f(x)")
ax.legend()
nnbook.show(ax.figure)

# %% [markdown]
# The noise sets a floor. Even the true function $f$ misses these 100 points by a mean squared error of
# {glue:text}`mlp_noise_mse:.1f`: the average of the 100 squared noise values. With standard deviation
# 10 we expect {glue:text}`mlp_noise_expected:.0f` on average, and an average of 100 squared draws
# varies from draw to draw by about {glue:text}`mlp_noise_standard_error:.0f` (its standard error,
# $10^2\sqrt{2/100}$), so this draw is unusually quiet: {glue:text}`mlp_noise_z:.1f` standard errors below
# the expected value. <!-- claim: noise-floor-below-expected -->
# That is why we measure the floor on these very points instead of assuming 100. A model whose training
# MSE is near this floor has captured the function; one clearly below it has started to fit the noise
# of these particular points, which is memorising.
#
# ## The course recipe, and why it is slow
#
# The course notebook trains chapter 8's `[1, 10, 10, 10, 1]` ReLU network ({py:func}`~nnbook.models.mlp`, started
# from {py:func}`~nnbook.set_seed`) with mean squared error and
# Adam at learning rate $10^{-4}$, batches of 25, for 50,000 epochs, on the raw numbers.
# {py:func}`~nnbook.training.fit` accepts a `DataLoader` (chapter 8 checked that it then runs exactly the
# hand-written loop), but for speed we give it the tensors and `batch_size=25`: it then shuffles an index
# and slices the tensors, batches of the same size without collecting them one item at a time. We cannot
# afford 50,000 epochs in this chapter, so we run the recipe for a fraction of them and watch the
# learning curve ({py:func}`~nnbook.plots.plot_losses`) and the fitted curve
# ({py:func}`~nnbook.plots.plot_model`).

# %%
layout = [1, 10, 10, 10, 1]
seed_epochs = glue("mlp_seed_recipe_epochs", 1000)
COURSE_FINAL_MSE = glue("mlp_course_final_mse", 362 / 4)  # the course's last printed loss, 362, is a sum of four batch means
nnbook.set_seed(0)
slow = mlp(layout, activation="relu")
history = fit(slow, (x, y), epochs=seed_epochs, lr=1e-4, batch_size=25)
with torch.no_grad():
    seed_mse = glue("mlp_seed_recipe_mse", float(mse(slow(x), y)))
    glue("mlp_seed_recipe_truth_mse", float(mse(slow(grid), cubic_sine(grid))))
glue("mlp_seed_recipe_first_loss", history["train_loss"][0])
glue("mlp_seed_recipe_full_seconds", sum(history["time"]) / seed_epochs * 50_000);

# %% mystnb={"image": {"alt": "Left: the course recipe's training loss falls slowly over 1000 epochs, far above the dotted noise floor. Right: its fitted curve follows the rising trend with a few straight pieces and none of the wiggles."}}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.5), layout="constrained")
plot_losses(history, ax=ax1, title="course recipe: Adam, lr 1e-4, batches of 25")
ax1.axhline(noise_mse, color="k", ls=":", label="noise floor")
ax1.legend()
plot_data(x, y, ax=ax2)
plot_model(slow, grid, ax=ax2, label=f"after {seed_epochs} epochs")
ax2.plot(grid, cubic_sine(grid), color="k", lw=1, label="true f(x)")
ax2.legend(fontsize=8)
nnbook.show(fig)

# %% [markdown]
# The loss is falling, but slowly: from {glue:text}`mlp_seed_recipe_first_loss:.0f` in the first epoch
# to {glue:text}`mlp_seed_recipe_mse:.0f` after {glue:text}`mlp_seed_recipe_epochs`, still many times
# the floor. <!-- claim: course-recipe-crawls -->
# The fitted curve follows the overall rising trend, drawn with a few straight pieces, and none of the
# wiggles. The course notebook needed all 50,000 epochs to get down to {glue:text}`mlp_course_final_mse:.1f` (it prints the sum of
# the four batch losses of an epoch, 362, which is four times their mean; chapter 8's loop reports the
# mean). At the pace measured here those 50,000 epochs would take about
# {glue:text}`mlp_seed_recipe_full_seconds:.0f` seconds.
#
# Why so slow? Look at the scales. The targets span more than 200 (their range is printed in chapter 8),
# but a freshly initialised network outputs numbers of size one or less: its weights are below 1 and its
# inputs are below 5. To reach outputs of ±100 the weights have to grow many times over. Adam
# {cite:p}`kingma2015adam` moves each weight by at most about the learning rate per step, whatever the
# size of the gradient (it divides the gradient by a running estimate of its own size). With $10^{-4}$
# per step, growing a weight by 10 takes at least 100,000 steps. The loss is not hard to minimise; the
# optimizer simply walks the distance in tiny steps.
#
# ## The same quality, fast
#
# Four changes fix this. Each one addresses a specific reason for slowness.
#
# 1. **Standardize x and y** (subtract the mean, divide by the standard deviation, with
#    {py:func}`~nnbook.data.standardize`). The targets now have spread 1, a size the network produces straight
#    from its initialisation, so no weight has to travel far. The inputs now lie within
#    ±{glue:text}`mlp_xs_max:.1f` instead of ±5; that half matters little here, as the ablation below
#    shows.
# 2. **Raise the learning rate from $10^{-4}$ to $3\cdot 10^{-2}$.** Once the numbers are of size one,
#    a step of a few hundredths is a small fraction of a typical weight: big enough to make progress
#    in hundreds of steps instead of hundreds of thousands, small enough that the loss still goes down.
# 3. **Use the full batch.** With 100 points in memory the exact gradient costs about as much as a
#    minibatch one, so one step per epoch is the cheapest epoch.
# 4. **Use GELU instead of ReLU.** GELU {cite:p}`hendrycks2016gaussian` is a smoothed ReLU: it bends
#    gently at zero and lets a little gradient through for negative inputs. A ReLU unit whose input is
#    negative for every data point outputs zero and receives zero gradient, so it never recovers.
#    GELU units cannot die that way.
#
# We train on the standardized tensors and wrap the trained network in {py:class}`~nnbook.models.Rescaled`, which standardizes
# its input and undoes the scaling of its output, so that we can score and plot it in the original
# units.

# %%
xs, x_mean, x_std = standardize(x)
ys, y_mean, y_std = standardize(y)
glue("mlp_xs_max", float(xs.abs().max()))
fast_epochs = glue("mlp_fast_epochs", 400)

nnbook.set_seed(0)
net = mlp(layout, activation="gelu")
start = time.perf_counter()
fast_history = fit(net, (xs, ys), epochs=fast_epochs, lr=3e-2)
fast_seconds = glue("mlp_fast_seconds", time.perf_counter() - start)
fast = Rescaled(net, x_mean, x_std, y_mean, y_std)
with torch.no_grad():
    fast_mse = glue("mlp_fast_mse", float(mse(fast(x), y)))
    glue("mlp_fast_truth_mse", float(mse(fast(grid), cubic_sine(grid))))
glue("mlp_fast_below_floor_percent", 100 * (1 - fast_mse / noise_mse));

# %% mystnb={"image": {"alt": "Left: the fast recipe's loss falls steeply in 400 epochs. Right: its fitted curve follows the wiggles of the true function closely."}}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.5), layout="constrained")
plot_losses(fast_history, ax=ax1, title="fast recipe (loss in standardized units)")
plot_data(x, y, ax=ax2)
plot_model(fast, grid, ax=ax2, label=f"after {fast_epochs} epochs")
ax2.plot(grid, cubic_sine(grid), color="k", lw=1, label="true f(x)")
ax2.legend(fontsize=8)
nnbook.show(fig)

# %% [markdown]
# In {glue:text}`mlp_fast_epochs` full-batch epochs, {glue:text}`mlp_fast_epochs` optimizer steps
# ({glue:text}`mlp_fast_seconds:.1f` s here), the training MSE in the original units is
# {glue:text}`mlp_fast_mse:.1f`. That is {glue:text}`mlp_fast_below_floor_percent:.0f` % *below* the noise floor of
# {glue:text}`mlp_noise_mse:.1f`, which by the definition above means the network has begun to memorise
# the noise of these 100 points. <!-- claim: fast-recipe-below-floor -->
# Most of what it learned is still $f$: on a dense grid its MSE against the true function is
# {glue:text}`mlp_fast_truth_mse:.1f`, well under the noise floor, while the slow recipe's curve is
# {glue:text}`mlp_seed_recipe_truth_mse:.0f` away from it. <!-- claim: fast-recipe-learned-f -->
# Exercise {ref}`ex-fast-longer` asks what more epochs would do. The
# loss on the left is in standardized units; multiplying by $\text{std}(y)^2$ converts it back.
#
# Is this better than the course notebook's {glue:text}`mlp_course_final_mse:.1f`? Not on these numbers alone: the course drew its own 100
# points, with NumPy, and a different draw has a different floor. We can draw its points again exactly as
# it did (NumPy's generator seeded with 42, the inputs first, then the noise), compute their floor, and train
# the fast recipe on them, from eight seeds:

# %%
rng = np.random.RandomState(42)  # the course notebook's np.random.seed(42)
x_course = torch.tensor(rng.uniform(-5, 5, 100), dtype=torch.float32)[:, None]
y_course = cubic_sine(x_course) + torch.tensor(rng.normal(0, 10, 100), dtype=torch.float32)[:, None]
course_floor = glue("mlp_course_noise_mse", float(mse(cubic_sine(x_course), y_course)))
glue("mlp_course_above_floor_percent", 100 * (COURSE_FINAL_MSE / course_floor - 1))
xs_course, xc_mean, xc_std = standardize(x_course)
ys_course, yc_mean, yc_std = standardize(y_course)
course_run = fit_seeds(partial(mlp, layout, activation="gelu"), range(8), (xs_course, ys_course), epochs=fast_epochs, lr=3e-2)
course_mse = ((course_run.predict(xs_course) * yc_std + yc_mean - y_course) ** 2).mean(dim=(1, 2))
glue("mlp_course_draw_fast_median", median(course_mse))
glue("mlp_course_draw_fast_below_course", int((course_mse < COURSE_FINAL_MSE).sum()));

# %% [markdown]
# On the course's own points the floor is {glue:text}`mlp_course_noise_mse:.1f`, so its 50,000 epochs (200,000
# steps) ended {glue:text}`mlp_course_above_floor_percent:.0f` % above the floor: close to the signal, not yet
# memorising. The fast recipe, on the same points, ends at a median of
# {glue:text}`mlp_course_draw_fast_median:.1f` over the eight seeds after {glue:text}`mlp_fast_epochs` steps,
# {glue:text}`mlp_course_draw_fast_below_course` of the eight below the course's result: it reaches the
# course's quality in a five-hundredth of the steps, and goes on past the floor. <!-- claim: fast-beats-course -->
#
# How much does each change matter, and is seed 0 just lucky? We undo one change at a time and train
# every variant from eight seeds at once with {py:func}`~nnbook.training.fit_seeds` (one vectorised
# run trains all eight), for the same {glue:text}`mlp_fast_epochs` epochs, and plot every seed's result
# with {py:func}`~nnbook.plots.plot_sweep`.

# %% mystnb={"image": {"alt": "Log-scale training MSE of eight seeds for four recipes: the fast recipe's seeds sit at or just below the noise floor; learning rate 1e-4 stays far above; raw data and ReLU scatter between the floor and several times it."}}
fast_cfg = dict(activation="gelu", lr=3e-2, scaled=True)
ablation_cfgs = {
    "fast recipe": {},
    "lr 1e-4\n(course)": dict(lr=1e-4),
    "raw x, y\n(course)": dict(scaled=False),
    "ReLU\n(course)": dict(activation="relu"),
}


def seeds_mse(run, scaled=True):
    """Each seed's training MSE in the original units."""
    if scaled:
        return ((run.predict(xs) * y_std + y_mean - y) ** 2).mean(dim=(1, 2))
    return ((run.predict(x) - y) ** 2).mean(dim=(1, 2))


ablation, ablation_runs = {}, {}
for label, change in ablation_cfgs.items():
    cfg = {**fast_cfg, **change}
    run = fit_seeds(  # partial(mlp, layout, activation=...) builds a fresh model each time it is called
        partial(mlp, layout, activation=cfg["activation"]),
        range(8),
        (xs, ys) if cfg["scaled"] else (x, y),
        epochs=fast_epochs,
        lr=cfg["lr"],
    )
    ablation[label], ablation_runs[label] = seeds_mse(run, cfg["scaled"]), run
    print(f"{label.replace(chr(10), ' '):22s} MSE per seed {[round(v) for v in ablation[label].tolist()]}")
for key, label in (("fast", "fast recipe"), ("slow_lr", "lr 1e-4\n(course)"), ("raw", "raw x, y\n(course)"), ("relu", "ReLU\n(course)")):
    glue(f"mlp_ablation_{key}_median", median(ablation[label]))
    glue(f"mlp_ablation_{key}_best", float(ablation[label].min()))
    glue(f"mlp_ablation_{key}_worst", float(ablation[label].max()))
glue("mlp_fast_worst_seed_mse", float(ablation["fast recipe"].max()))
glue("mlp_relu_worst_seed_mse", float(ablation["ReLU\n(course)"].max()))
glue("mlp_raw_seeds_above_twice_fast", int((ablation["raw x, y\n(course)"] > 2 * median(ablation["fast recipe"])).sum()))

ax = plot_sweep(ablation, ylabel="training MSE (original units)")
ax.axhline(noise_mse, color="k", ls=":", label="noise floor")
ax.set(yscale="log", title=f"undoing one change at a time ({fast_epochs} epochs, 8 seeds)")
ax.legend(fontsize=8)
nnbook.show(ax.figure)

# %% [markdown]
# The training MSE of the eight seeds after {glue:text}`mlp_fast_epochs` epochs (the median of eight values
# is the mean of the two middle ones; `torch.median` would return the lower of the two):
#
# | recipe | median | best seed | worst seed |
# | :-- | --: | --: | --: |
# | fast recipe | {glue:text}`mlp_ablation_fast_median:.0f` | {glue:text}`mlp_ablation_fast_best:.0f` | {glue:text}`mlp_ablation_fast_worst:.0f` |
# | learning rate $10^{-4}$ (course) | {glue:text}`mlp_ablation_slow_lr_median:.0f` | {glue:text}`mlp_ablation_slow_lr_best:.0f` | {glue:text}`mlp_ablation_slow_lr_worst:.0f` |
# | raw x, y (course) | {glue:text}`mlp_ablation_raw_median:.0f` | {glue:text}`mlp_ablation_raw_best:.0f` | {glue:text}`mlp_ablation_raw_worst:.0f` |
# | ReLU (course) | {glue:text}`mlp_ablation_relu_median:.0f` | {glue:text}`mlp_ablation_relu_best:.0f` | {glue:text}`mlp_ablation_relu_worst:.0f` |
#
# Each change undone here earns its place. Going back to the course's learning rate loses everything: in
# {glue:text}`mlp_fast_epochs` steps of $10^{-4}$ every seed has barely left its starting point. On the raw
# numbers the large step still gets somewhere, but not as far, and not reliably:
# {glue:text}`mlp_raw_seeds_above_twice_fast` of the eight seeds end above twice the recipe's median.
# <!-- claim: ablation-each-change-matters -->
# With ReLU, some seeds end far above the floor; with GELU every seed lands near the floor.
# <!-- claim: gelu-every-seed-relu-not -->
#
# Which half of the scaling does the work, and do dead ReLU units explain the failed seeds? We train the
# eight seeds once with only y standardized and once with only x, and count, in each ReLU network, the
# hidden units that are off for every training point.

# %%
half_scaled = {}
for name, inputs, targets in (("y only", x, ys), ("x only", xs, y)):
    run = fit_seeds(partial(mlp, layout, activation="gelu"), range(8), (inputs, targets), epochs=fast_epochs, lr=3e-2)
    prediction = run.predict(inputs) * y_std + y_mean if targets is ys else run.predict(inputs)
    half_scaled[name] = ((prediction - y) ** 2).mean(dim=(1, 2))
    print(f"{name} standardized: median MSE {median(half_scaled[name]):.0f}")
glue("mlp_ablation_y_only_median", median(half_scaled["y only"]))
glue("mlp_ablation_x_only_median", median(half_scaled["x only"]))


def dead_units(net: torch.nn.Sequential) -> int:
    """How many hidden ReLU units output 0 on every training point."""
    count, h = 0, xs
    with torch.no_grad():
        for layer in net:
            h = layer(h)
            if isinstance(layer, torch.nn.ReLU):
                count += int((h.max(dim=0).values <= 0).sum())
    return count


relu_mse = ablation["ReLU\n(course)"]
dead = torch.tensor([dead_units(ablation_runs["ReLU\n(course)"].model(i)) for i in range(8)])
print("ReLU seeds, MSE:", [round(v) for v in relu_mse.tolist()], " dead units of 30:", dead.tolist())
glue("mlp_relu_dead_min", int(dead.min()))
glue("mlp_relu_dead_max", int(dead.max()))
glue("mlp_relu_near_floor_most_dead", int(dead[relu_mse <= 1.15 * noise_mse].max()))
glue("mlp_relu_far_above_fewest_dead", int(dead[relu_mse > 2 * noise_mse].min()));

# %% [markdown]
# Standardizing only y gives a median of {glue:text}`mlp_ablation_y_only_median:.0f`, as good as the full
# recipe; standardizing only x gives {glue:text}`mlp_ablation_x_only_median:.0f`, no better than the raw
# numbers. It is the targets' scale that matters: the size of the outputs the weights must grow to.
# <!-- claim: scaling-y-does-the-work -->
# Dead units do not tell the ReLU seeds apart: every one of them ends with between
# {glue:text}`mlp_relu_dead_min` and {glue:text}`mlp_relu_dead_max` of its 30 hidden units off for every
# point. A seed that ends near the floor has lost as many as {glue:text}`mlp_relu_near_floor_most_dead`, one
# that ends far above it as few as {glue:text}`mlp_relu_far_above_fewest_dead`.
# <!-- claim: relu-dead-units-do-not-rank-seeds -->
#
# ### Checking the rate with a range test
#
# The rate $3\cdot 10^{-2}$ was a judgement: a step that is a small fraction of a weight of size one.
# The learning-rate range test {cite:p}`smith2017cyclical` measures instead.
# {py:func}`~nnbook.training.lr_find` trains a copy of the model for 100 steps while the learning rate
# grows exponentially from $10^{-7}$ to 10, records the loss (smoothed over recent steps) at every rate,
# and stops once the loss shoots up. Too small a rate leaves the loss flat, a good one makes it fall, too
# large a one makes it explode. The suggestion is a tenth of the rate where the smoothed loss is lowest,
# on the falling side of the curve. We run it on the fast recipe's network and standardized data, then
# train the eight seeds of the ablation at the suggested rate, and at the rate of the lowest loss itself.

# %% mystnb={"image": {"alt": "Learning-rate range test: the smoothed loss is flat at small rates, dips to its lowest near 0.5, then rises; dotted lines mark the chapter's rate 3e-2 and the course's 1e-4."}}
from nnbook.training import lr_find

nnbook.set_seed(0)
finder = lr_find(mlp(layout, activation="gelu"), (xs, ys))
lr_suggested = glue("mlp_lrfind_suggestion", finder.suggestion)
glue("mlp_lrfind_min_loss_lr", finder.min_loss_lr)
glue("mlp_lrfind_ratio", lr_suggested / fast_cfg["lr"])
for name, rate in (("suggestion", lr_suggested), ("min_loss_lr", finder.min_loss_lr)):
    run = fit_seeds(partial(mlp, layout, activation="gelu"), range(8), (xs, ys), epochs=fast_epochs, lr=rate)
    glue(f"mlp_lrfind_{name}_median", median(seeds_mse(run)))
near_course = min(range(len(finder.lrs)), key=lambda i: abs(math.log(finder.lrs[i] / 1e-4)))
glue("mlp_lrfind_drop_at_course_lr_percent", 100 * (1 - finder.losses[near_course] / finder.losses[0]))
glue("mlp_lrfind_min_drop_percent", 100 * (1 - min(finder.losses) / finder.losses[0]))

ax = finder.plot()
ax.axvline(fast_cfg["lr"], color="k", ls=":", label="the chapter's rate, 3e-2")
ax.axvline(1e-4, color="0.5", ls=":", label="the course's rate, 1e-4")
ax.set_ylim(0.9 * min(finder.losses), 1.2 * finder.losses[0])  # cut off the final blow-up so the dip shows
ax.legend(fontsize=8)
nnbook.show(ax.figure)

# %% [markdown]
# The curve has the three parts. It is flat at small rates: at the course's $10^{-4}$ the smoothed loss
# is only {glue:text}`mlp_lrfind_drop_at_course_lr_percent:.2f` % below where it started.
# <!-- claim: lr-find-course-rate-flat -->
# It then falls, to {glue:text}`mlp_lrfind_min_drop_percent:.0f` % below the start at
# {glue:text}`mlp_lrfind_min_loss_lr:.2f`, and shoots up beyond. The suggested rate, {glue:text}`mlp_lrfind_suggestion:.3f`, is
# {glue:text}`mlp_lrfind_ratio:.1f` times the chapter's $3\cdot 10^{-2}$, and trained at it the eight
# seeds end at a median MSE of {glue:text}`mlp_lrfind_suggestion_median:.1f`, against
# {glue:text}`mlp_ablation_fast_median:.1f` at $3\cdot 10^{-2}$: the test and the judgement agree.
# <!-- claim: lr-find-agrees-with-chosen-rate -->
# The rate of the lowest loss is not the one to train with: at {glue:text}`mlp_lrfind_min_loss_lr:.2f` the
# median is {glue:text}`mlp_lrfind_min_loss_lr_median:.0f`, far above the noise floor. The test spends
# only a few steps at each rate, and the smoothed loss lags behind the raw one, so its lowest point sits
# at a rate where a few steps still help but hundreds of them cannot settle.
# <!-- claim: lr-find-min-loss-rate-too-large -->
#
# ## Full batch, minibatches, or one point at a time
#
# How much data should one optimizer step see? We compare three answers for the same small budget of
# 10 epochs (10 passes over the data), with the fast recipe's model, scaling and learning rate:
#
# - **full batch**: one step per epoch on all 100 points;
# - **minibatches of 25**, sliced from the tensors: four steps per epoch;
# - **one point per step**, served by a `DataLoader` with `batch_size=1`: 100 steps per epoch. Its data set
#   is PyTorch's {py:class}`~torch.utils.data.TensorDataset`, the built-in version of chapter 8's `PointsDataset`.

# %%
compare_epochs = glue("mlp_compare_epochs", 10)
one_by_one = DataLoader(TensorDataset(xs, ys), batch_size=1, shuffle=True, generator=torch.Generator().manual_seed(0))
configs = {  # name: (training data, batch size for slicing, steps per epoch)
    "full batch": ((xs, ys), None, 1),
    "batches of 25 (slices)": ((xs, ys), 25, 4),
    "batches of 25 (DataLoader)": (DataLoader(TensorDataset(xs, ys), batch_size=25, shuffle=True, generator=torch.Generator().manual_seed(0)), None, 4),
    "1 point per step (DataLoader)": (one_by_one, None, 100),
}
compare = {}
for name, (train, batch_size, steps) in configs.items():
    nnbook.set_seed(0)
    net_c = mlp(layout, activation="gelu")
    h = fit(net_c, train, epochs=compare_epochs, lr=3e-2, batch_size=batch_size, progress=False)
    with torch.no_grad():
        compare[name] = (h, float(mse(Rescaled(net_c, x_mean, x_std, y_mean, y_std)(x), y)), sum(h["time"]))
    print(f"{name:30s} {steps * compare_epochs:5d} steps  MSE {compare[name][1]:7.1f}  time {compare[name][2]:.2f} s")
glue("mlp_full_batch_mse", compare["full batch"][1])
glue("mlp_minibatch_mse", compare["batches of 25 (slices)"][1])
glue("mlp_per_sample_mse", compare["1 point per step (DataLoader)"][1])
glue("mlp_full_batch_seconds", compare["full batch"][2])
glue("mlp_minibatch_seconds", compare["batches of 25 (slices)"][2])
glue("mlp_per_sample_seconds", compare["1 point per step (DataLoader)"][2])
glue("mlp_loader_batch_seconds", compare["batches of 25 (DataLoader)"][2])
glue("mlp_per_sample_vs_fast_speedup", compare["1 point per step (DataLoader)"][2] / fast_seconds);

# %% mystnb={"image": {"alt": "Training loss of the full batch, batches of 25 (sliced, and from a DataLoader) and single points: per epoch (left) the smaller batches fall faster; per second of training (right) the single-point loader is by far the slowest."}}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.5), layout="constrained")
for name, (h, _, _) in compare.items():
    ax1.plot(h["epoch"], h["train_loss"], label=name)
    ax2.plot(torch.tensor(h["time"]).cumsum(0), h["train_loss"], label=name)
ax1.set(xlabel="epoch", ylabel="training loss (standardized)", yscale="log")
ax2.set(xlabel="seconds of training (log scale)", ylabel="training loss (standardized)", xscale="log", yscale="log")
ax1.legend(fontsize=8)
nnbook.show(fig)

# %% [markdown]
# Per epoch, smaller batches win: after {glue:text}`mlp_compare_epochs` epochs the full batch is at
# MSE {glue:text}`mlp_full_batch_mse:.0f`, batches of 25 at {glue:text}`mlp_minibatch_mse:.0f` and
# single points at {glue:text}`mlp_per_sample_mse:.0f`, because they take 4 and 100 times more steps
# from the same data. <!-- claim: smaller-batches-win-per-epoch -->
# Per second, the picture turns around. On the machine that built this page (timings vary from machine
# to machine, so they are reported, not checked) the per-sample loader took
# {glue:text}`mlp_per_sample_seconds:.2f` s, against {glue:text}`mlp_minibatch_seconds:.2f` s for the
# sliced batches of 25 and {glue:text}`mlp_full_batch_seconds:.2f` s for the full batch. A step costs
# about the same whether it sees 1 point or 100 (for a network this small the time goes into Python and
# into launching many tiny operations, not into arithmetic), so the per-sample run is slow mostly because
# it takes 100 steps per epoch. A `DataLoader` adds its own per-item work on top, calling `__getitem__`
# for every point and stacking the results: serving the same 40 batches of 25 as the slices, it took
# {glue:text}`mlp_loader_batch_seconds:.2f` s. In the time the per-sample
# run took, the whole {glue:text}`mlp_fast_epochs`-epoch fast recipe could have run
# {glue:text}`mlp_per_sample_vs_fast_speedup:.1f` times. For data that fits in memory, whole tensors
# and slices of them are the fast way; a `DataLoader` earns its keep when the data does not fit in memory, has to be read from disk or decoded,
# or needs random augmentation for each item.
#
# ## The exercises as a sweep
#
# The course notebook invites us to change the layout, the activation, the optimizer and the batch
# configuration, and to explain what happens. We do it systematically: starting from the fast recipe
# (GELU `[1, 10, 10, 10, 1]`, Adam at $3\cdot 10^{-2}$, full batch, standardized data) we change one
# thing at a time, train four seeds of each variant in one vectorised run, and give every variant the
# same short budget of {glue:text}`mlp_sweep_epochs` epochs, where differences show best.

# %% mystnb={"image": {"alt": "Four panels of training MSE per seed: layout, activation, optimizer and batch size variants; GELU with Adam and enough units sits at the dotted noise floor, one narrow layer, sigmoid and plain SGD far above."}}
sweep_epochs = glue("mlp_sweep_epochs", 150)
base = dict(
    layout=layout, activation="gelu", optimizer="adam", lr=3e-2, momentum=0.0, weight_decay=0.0, batch_size=None
)
variants = {
    "layout": {
        "[1,10,1]": dict(layout=[1, 10, 1]),
        "[1,10,10,10,1]": {},
        "[1,50,50,1]": dict(layout=[1, 50, 50, 1]),
        "[1,10,10,10,10,10,1]": dict(layout=[1] + [10] * 5 + [1]),
    },
    "activation": {
        "gelu": {},
        "relu": dict(activation="relu"),
        "tanh": dict(activation="tanh"),
        "sigmoid": dict(activation="sigmoid"),
    },
    "optimizer": {
        "adam": {},
        "adamw": dict(optimizer="adamw", weight_decay=0.01),
        "sgd": dict(optimizer="sgd", lr=0.1),
        "sgd+momentum": dict(optimizer="sgd", lr=0.1, momentum=0.9),
    },
    "batch size": {"100 (full)": {}, "25": dict(batch_size=25)},
}
sweep, cache = {}, {}
start = time.perf_counter()
for group, options in variants.items():
    sweep[group] = {}
    for label, change in options.items():
        c = {**base, **change}
        key = str(sorted(c.items()))
        if key not in cache:  # the unchanged recipe appears in every group; train it once
            run = fit_seeds(
                partial(mlp, c["layout"], activation=c["activation"]),
                range(4),
                (xs, ys),
                epochs=sweep_epochs,
                lr=c["lr"],
                optimizer=c["optimizer"],
                momentum=c["momentum"],
                weight_decay=c["weight_decay"],
                batch_size=c["batch_size"],
            )
            cache[key] = seeds_mse(run)
        sweep[group][label] = cache[key]
    print(f"{group:10s}", "  ".join(f"{label} {median(v):.0f}" for label, v in sweep[group].items()))
glue("mlp_sweep_seconds", time.perf_counter() - start)
one_layer_epochs = glue("mlp_one_layer_long_epochs", 3000)  # the one-layer network again, given time
one_layer_run = fit_seeds(partial(mlp, [1, 10, 1], activation="gelu"), range(4), (xs, ys), epochs=one_layer_epochs, lr=3e-2)
glue("mlp_one_layer_long", median(seeds_mse(one_layer_run)))
cited = {
    "base": ("layout", "[1,10,10,10,1]"),
    "one_layer": ("layout", "[1,10,1]"),
    "wide": ("layout", "[1,50,50,1]"),
    "deep": ("layout", "[1,10,10,10,10,10,1]"),
    "relu": ("activation", "relu"),
    "tanh": ("activation", "tanh"),
    "sigmoid": ("activation", "sigmoid"),
    "adamw": ("optimizer", "adamw"),
    "sgd": ("optimizer", "sgd"),
    "momentum": ("optimizer", "sgd+momentum"),
    "batch25": ("batch size", "25"),
}
for name, (group, label) in cited.items():
    glue(f"mlp_sweep_{name}", median(sweep[group][label]))
adam, adamw = median(sweep["optimizer"]["adam"]), median(sweep["optimizer"]["adamw"])
glue("mlp_sweep_adamw_vs_adam_percent", 100 * abs(adamw - adam) / adam)

fig, axes = plt.subplots(1, 4, figsize=(14, 3.4), layout="constrained", sharey=True)
for ax, (group, results) in zip(axes, sweep.items(), strict=True):
    plot_sweep(results, ax=ax, xlabel=group, ylabel="training MSE (original units)")
    ax.axhline(noise_mse, color="k", ls=":")
    ax.tick_params(axis="x", labelrotation=25, labelsize=7)
    ax.set_yscale("log")
nnbook.show(fig)

# %% [markdown]
# Every dot is one seed; the line joins the means; the dotted line is the noise floor. The numbers
# below are the medians over the four seeds, in the original units, and the exercises at the end
# explain the reasons in more detail.
#
# - **Layout.** One hidden layer of 10 units stays far above the floor (median
#   {glue:text}`mlp_sweep_one_layer:.0f`), but it is slow, not too small: given
#   {glue:text}`mlp_one_layer_long_epochs` epochs the same four seeds reach
#   {glue:text}`mlp_one_layer_long:.0f`, at the floor. <!-- claim: one-layer-slow-not-too-small -->
#   The three-layer recipe ({glue:text}`mlp_sweep_base:.0f`), two wide layers of 50
#   ({glue:text}`mlp_sweep_wide:.0f`) and five narrow layers ({glue:text}`mlp_sweep_deep:.0f`) all have
#   medians within 15 % of the floor: beyond one layer of ten, how the units are arranged matters little for
#   this curve. <!-- claim: enough-units-any-arrangement -->
# - **Activation.** With the same budget ReLU ({glue:text}`mlp_sweep_relu:.0f`) and tanh
#   ({glue:text}`mlp_sweep_tanh:.0f`) lag far behind GELU, and sigmoid is worst
#   ({glue:text}`mlp_sweep_sigmoid:.0f`). <!-- claim: gelu-beats-other-activations -->
#   Narrow ReLU layers lose units that are off for every point; a tanh network with small initial
#   weights is nearly a straight line at first and needs time to grow out of it (exercise
#   {ref}`ex-fast-tanh` gives it that time); sigmoid combines that with a slope of at most ¼ per layer.
# - **Optimizer.** AdamW ({glue:text}`mlp_sweep_adamw:.0f`) is Adam with weight decay applied directly to
#   the weights {cite:p}`loshchilov2019decoupled`; a decay of 0.01 is too weak to matter in 150 steps:
#   the two medians differ by {glue:text}`mlp_sweep_adamw_vs_adam_percent:.0f` %. <!-- claim: adamw-same-as-adam -->
#   Plain SGD ({glue:text}`mlp_sweep_sgd:.0f`) is far behind, and momentum
#   ({glue:text}`mlp_sweep_momentum:.0f`) {cite:p}`polyak1964methods` closes part of the gap <!-- claim: sgd-behind-momentum-helps -->: one learning rate must suit every
#   parameter in SGD,
#   while Adam scales each parameter's step by its own gradient history.
# - **Batch size.** Batches of 25 ({glue:text}`mlp_sweep_batch25:.0f`) take four times as many steps as
#   the full batch and end no better at this learning rate <!-- claim: batch25-no-better -->: their
#   gradients are noisier, and each epoch costs four steps instead of one.
#
# ## XOR from many random starts
#
# XOR is the function that is 1 when exactly one of its two inputs is 1; {py:func}`~nnbook.data.xor`
# returns its four points and targets. The points cannot be split by a line, so a network needs a hidden
# layer {cite:p}`minsky1969perceptrons`. The course notebook uses the smallest one that can work: two
# sigmoid units, chapter 8's `XOR` class, which is `mlp([2, 2, 1], activation="sigmoid")` (chapter 8
# checked that the two compute the same), trained with mean squared
# error and AdamW at learning rate 0.03 (PyTorch's default weight decay of 0.01) for 1000 full-batch
# steps. Its run ended at a loss of 0.1647: it did not solve XOR. Was that bad luck, or is the
# recipe unreliable? One run cannot tell. So we train the same recipe from {glue:text}`xor_seeds`
# different seeds, all at once: `fit_seeds` stacks the {glue:text}`xor_seeds` networks into one
# vectorised model, so the whole ensemble costs about as much as a few single runs.

# %%
x_xor, y_xor = xor()
n_seeds = glue("xor_seeds", 200)


xor_run = fit_seeds(
    partial(mlp, [2, 2, 1], activation="sigmoid"),
    range(n_seeds), (x_xor, y_xor), epochs=1000, lr=0.03, optimizer="adamw", weight_decay=0.01
)
final = xor_run.final_train_loss
solved = final < 0.01
glue("xor_seed_solved", int(solved.sum()))
glue("xor_seed_failed", int((~solved).sum()))
glue("xor_seed_fail_percent", 100 * float((~solved).float().mean()))
glue("xor_seconds", xor_run.seconds)
print(f"{int(solved.sum())} of {n_seeds} seeds reach loss < 0.01; training all of them took {xor_run.seconds:.1f} s")

# %% [markdown]
# {glue:text}`xor_seed_solved` of the {glue:text}`xor_seeds` seeds solve XOR (loss below 0.01); the
# other {glue:text}`xor_seed_failed`, {glue:text}`xor_seed_fail_percent:.0f` %, do not. So the course
# notebook's run was not unusual bad luck: roughly one start in six fails. <!-- claim: xor-one-in-six-fails --> The final losses of the
# failed seeds are not scattered; they pile up at a few values.

# %% mystnb={"image": {"alt": "Histogram of the final loss of 200 XOR seeds on a log scale: most far left (solved), the failures piled at 1/8 and 1/6."}}
fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
ax.hist(final.clamp(min=1e-7).numpy(), bins=torch.logspace(-7, 0, 71).numpy(), color="#9a9a9a")
ax.set_xscale("log")
ax.axvline(0.01, color="k", lw=1)
ax.text(
    0.01,
    ax.get_ylim()[1] * 0.97,
    "solved ← | → failed",
    fontsize=8,
    ha="center",
    va="top",
    bbox=dict(facecolor="white", edgecolor="none"),
)
for value, label in ((1 / 8, "1/8"), (1 / 6, "1/6")):
    ax.axvline(value, color="#d62728", ls=":", lw=1)
    ax.text(value, ax.get_ylim()[1] * 0.6, f"{label} ", color="#d62728", ha="right", rotation=90, fontsize=8)
ax.set(
    xlabel="final training loss (MSE, log scale)", ylabel="seeds", title="course XOR recipe: final loss of every seed"
)
nnbook.show(fig)

near_eighth = ((final - 1 / 8).abs() < 0.01) & ~solved
near_sixth = ((final - 1 / 6).abs() < 0.01) & ~solved
glue("xor_fail_eighth", int(near_eighth.sum()))
glue("xor_fail_sixth", int(near_sixth.sum()))
glue("xor_fail_other", int((~solved & ~near_eighth & ~near_sixth).sum()))
glue("xor_solved_worst", float(final[solved].max()))
stuck = near_eighth | near_sixth
drop = xor_run.train_loss[499, stuck] - xor_run.train_loss[999, stuck]  # loss after 500 steps minus after 1000
glue("xor_stuck_seeds", int(stuck.sum()))
glue("xor_stuck_median_drop", median(drop))
glue("xor_stuck_moving", int((drop.abs() > 0.01).sum()));

# %% [markdown]
# The solved seeds sit far left: the worst of them ends at {glue:text}`xor_solved_worst:.1e`. <!-- claim: xor-solved-far-left -->
# The failures gather within 0.01 of $1/8 = 0.125$ ({glue:text}`xor_fail_eighth` seeds) and of
# $1/6 \approx 0.167$ ({glue:text}`xor_fail_sixth` seeds); the rest ({glue:text}`xor_fail_other`) lie
# elsewhere, on their way from one plateau to another. <!-- claim: xor-failures-on-two-plateaus --> These exact fractions are a clue. Let us look at what a representative
# network of each kind outputs on the four points, and at its map over the unit square.

# %% mystnb={"image": {"alt": "Output maps over the unit square of a solved network (a diagonal band separating the corners), one stuck near 1/8 and one stuck near 1/6."}}
picks = {
    "solved": int(solved.nonzero()[0]),
    "stuck near 1/8": int(near_eighth.nonzero()[0]),
    "stuck near 1/6": int(near_sixth.nonzero()[0]),
}
print("targets (0,0) (0,1) (1,0) (1,1):", y_xor[:, 0].tolist())
for kind, i in picks.items():
    out = xor_run.model(i)(x_xor)[:, 0].detach()
    print(f"seed {i:3d}, {kind:15s} loss {float(final[i]):.4f}  outputs {[round(v, 2) for v in out.tolist()]}")
outputs = {kind: xor_run.model(i)(x_xor)[:, 0].detach() for kind, i in picks.items()}
sixth = outputs["stuck near 1/6"]
right = int((sixth - y_xor[:, 0]).abs().argmin())  # the one corner it gets right
others = torch.cat([sixth[:right], sixth[right + 1 :]])
glue("xor_sixth_right_error", float((sixth[right] - y_xor[right, 0]).abs()))
glue("xor_sixth_others_mean", float(others.mean()))
glue("xor_sixth_others_spread", float(others.max() - others.min()))
eighth_error = (outputs["stuck near 1/8"] - y_xor[:, 0]).abs()
glue("xor_eighth_right_corners", int((eighth_error < 0.1).sum()))
glue("xor_eighth_half_corners", int(((outputs["stuck near 1/8"] - 0.5).abs() < 0.1).sum()))
titles = [f"seed {i}: {kind}\nloss {float(final[i]):.3g}" for kind, i in picks.items()]
nnbook.show(plot_output_maps([xor_run.model(i) for i in picks.values()], x_xor, y_xor, titles=titles, ncols=3))

# %% [markdown]
# The maps, drawn by {py:func}`~nnbook.plots.plot_output_maps` with one panel per network, colour the
# network's output from 0 (blue) to 1 (red); the black line is where it crosses
# ½, the decision boundary, and the dots are the four points coloured by their target.
#
# - A **solved** network uses each of its two sigmoid units to draw one line. Together the two
#   lines cut the square into a diagonal band and two outer corners: one pair of opposite corners
#   lies in the band, the other pair outside it, and the output layer gives the two regions opposite
#   values.
# - **Stuck near 1/6**: the network gets one corner right (off by {glue:text}`xor_sixth_right_error:.2f`)
#   and gives the other three nearly the same value, {glue:text}`xor_sixth_others_mean:.2f` on average
#   (spread {glue:text}`xor_sixth_others_spread:.2f`), about ⅔. <!-- claim: xor-sixth-three-corners-at-two-thirds --> That is the best possible if the output can only rise along one direction across the
#   square: with the points ordered (0,0), then (0,1) and (1,0), then (1,1), targets 0, 1, 1, 0 cannot
#   be followed by a function that only goes up, and the best compromise, 0, ⅔, ⅔, ⅔, has mean squared
#   error $(\tfrac19 + \tfrac19 + \tfrac49)/4 = \tfrac16$. The network behaves as if it had a single
#   unit. The course notebook's run ended at 0.1647, just *below* 1/6, and was still falling (0.1782,
#   0.1694, 0.1679, 0.1647 after 250, 500, 750 and 1000 epochs): it had spent its steps near this state and
#   was slowly leaving it, no longer quite a one-unit network. <!-- claim: course-xor-run-leaving-one-sixth -->
# - **Stuck near 1/8**: two corners are right and the other two are averaged to ½
#   ({glue:text}`xor_eighth_right_corners` outputs within 0.1 of their target,
#   {glue:text}`xor_eighth_half_corners` within 0.1 of ½): <!-- claim: xor-eighth-two-right-two-half -->
#   $(\tfrac14 + \tfrac14)/4 = \tfrac18$. The two units draw different lines, but in the wrong places:
#   together they split the square into three regions with one point each in two of them and two
#   points with different targets in the third.
#
# The stuck states are nearly flat: over the last 500 of the 1000 steps, the loss of the median stuck seed
# fell by only {glue:text}`xor_stuck_median_drop:.4f`, and of the {glue:text}`xor_stuck_seeds` stuck seeds,
# {glue:text}`xor_stuck_moving` moved by more than 0.01. <!-- claim: xor-stuck-states-flat --> The gradient
# there points nowhere useful, or is tiny because a sigmoid is saturated, so progress is a crawl. Whether
# more steps get some of them out is exercise {ref}`ex-fast-xor`.
#
# ### A fix that solves every seed
#
# The two-unit network has exactly enough units to draw XOR's two lines and no spare one. If both
# units get caught on the same line, or on wrong lines, nothing else can take over. The fix is to give
# the network spare units: four hidden sigmoid units instead of two, with everything else (loss,
# AdamW, learning rate, weight decay, 1000 steps, the same {glue:text}`xor_seeds` seeds) unchanged.

# %% mystnb={"image": {"alt": "Output maps of the three worst of 200 four-unit XOR networks: each puts the two red corners on one side of its boundary and the two blue ones on the other."}}
fixed_run = fit_seeds(
    lambda: mlp([2, 4, 1], activation="sigmoid"),
    range(n_seeds),
    (x_xor, y_xor),
    epochs=1000,
    lr=0.03,
    optimizer="adamw",
    weight_decay=0.01,
)
fixed_final = fixed_run.final_train_loss
glue("xor_fixed_solved", int((fixed_final < 0.01).sum()))
glue("xor_fixed_worst", float(fixed_final.max()))
print(f"{int((fixed_final < 0.01).sum())} of {n_seeds} seeds solved; worst final loss {float(fixed_final.max()):.2e}")
worst = [int(i) for i in fixed_final.argsort(descending=True)[:3]]
titles = [f"seed {i}\nloss {float(fixed_final[i]):.2g}" for i in worst]
nnbook.show(plot_output_maps([fixed_run.model(i) for i in worst], x_xor, y_xor, titles=titles, ncols=3))

# %% [markdown]
# Now {glue:text}`xor_fixed_solved` of {glue:text}`xor_seeds` seeds solve XOR; even the worst one
# ends at a loss of {glue:text}`xor_fixed_worst:.1e`. <!-- claim: xor-four-units-solve-every-seed --> The maps show the three seeds with the highest
# final loss: each puts the two red corners on one side of its boundary and the two blue ones on the
# other, though they draw it differently (for some the red pair lies inside the diagonal band, for
# others outside it).
#
# Why does this work? With four units there are many ways to combine two useful lines, and a unit
# that gets stuck (on a duplicate line, or saturated) no longer blocks the solution: the others can
# still form the band. The configurations that trap the narrow network are no dead ends for the wider
# one: a spare unit can still move and lower the loss. This is a general lesson: networks a little
# wider than the bare minimum are far easier to train, which is one reason practical networks have
# many more units than the smallest one that could represent the answer.
#
# ## Summary
#
# - The noise floor of a data set is the true function's MSE on it; here {glue:text}`mlp_noise_mse:.1f`.
#   A training MSE near it has fitted the signal; one clearly below it has begun to memorise the noise.
# - The course recipe (raw numbers, Adam at $10^{-4}$, batches of 25) needs about 50,000 epochs because
#   Adam's steps are about the learning rate in size and the weights must grow far.
# - Four changes make it fast: standardize x and y, raise the learning rate to $3\cdot 10^{-2}$, train on
#   the full batch, and use GELU instead of ReLU. In {glue:text}`mlp_fast_epochs` steps the training MSE
#   reaches {glue:text}`mlp_fast_mse:.1f`, a little below the floor, and every seed gets there.
# - In the first epochs, smaller batches make more progress per epoch, because they take more steps; after
#   {glue:text}`mlp_sweep_epochs` epochs at this learning rate, batches of 25 end no better than the full batch.
#   For data in memory, sliced tensors are far faster per second than a per-item `DataLoader`.
# - One hidden layer of 10 units is slow on this curve, not too small; GELU beats ReLU, tanh and sigmoid at a short
#   budget; Adam beats SGD, with or without momentum.
# - The course XOR network solves XOR from only {glue:text}`xor_seed_solved` of {glue:text}`xor_seeds`
#   seeds; its failures sit at losses 1/6 and 1/8, where its two units cannot draw two useful lines.
#   With four hidden units every seed solves it.
#
# ## Exercises
#
# :::{exercise} Give tanh time
# :label: ex-fast-tanh
#
# In the sweep, tanh ended far above the floor after {glue:text}`mlp_sweep_epochs` epochs. Predict: is
# tanh a worse activation for this curve, or only a slower one? Train the same four seeds with tanh for
# {glue:text}`ex_tanh_epochs` epochs (edit `epochs` in the cell below) and compare with the floor.
# :::

# %%
# Starter: the sweep's tanh variant; change epochs and rerun.
tanh_run = fit_seeds(partial(mlp, layout, activation="tanh"), range(4), (xs, ys), epochs=150, lr=3e-2)
print(f"median training MSE: {median(seeds_mse(tanh_run)):.0f}")

# %% [markdown]
# ```{solution-start} ex-fast-tanh
# :class: dropdown
# ```
#
# Only slower. A tanh network with small initial weights starts nearly straight and needs steps to
# grow its weights; given them, it gets as close to the floor as GELU did in the sweep.

# %%
tanh_epochs = glue("ex_tanh_epochs", 600)
tanh_long = fit_seeds(partial(mlp, layout, activation="tanh"), range(4), (xs, ys), epochs=tanh_epochs, lr=3e-2)
glue("ex_tanh_long_median", median(seeds_mse(tanh_long)));

# %% [markdown]
# After {glue:text}`ex_tanh_epochs` epochs the median is {glue:text}`ex_tanh_long_median:.0f`, against a
# floor of {glue:text}`mlp_noise_mse:.0f` and {glue:text}`mlp_sweep_tanh:.0f` after
# {glue:text}`mlp_sweep_epochs` epochs. <!-- claim: tanh-only-slower -->
#
# ```{solution-end}
# ```
#
# :::{exercise} Train longer
# :label: ex-fast-longer
#
# The fast recipe ended a little below the noise floor after {glue:text}`mlp_fast_epochs` epochs.
# Predict what {glue:text}`ex_longer_epochs` epochs do to (a) the training MSE and (b) the MSE against
# the true function on the dense grid. Then run it.
# :::
#
# ```{solution-start} ex-fast-longer
# :class: dropdown
# ```
#
# Training this long at a constant rate is chaotic: seed 0 alone ends at a different MSE on another CPU.
# So we train the ablation's eight seeds for {glue:text}`ex_longer_epochs` epochs and compare them with the
# same eight seeds after {glue:text}`mlp_fast_epochs` (the ablation's "fast recipe" run).

# %% mystnb={"image": {"alt": "The data with seed 0's fitted curve after 3000 epochs: it follows the points closely and turns down past the last point at the right edge."}}
longer_epochs = glue("ex_longer_epochs", 3000)
longer_run = fit_seeds(partial(mlp, layout, activation="gelu"), range(8), (xs, ys), epochs=longer_epochs, lr=3e-2)
shorter_run = ablation_runs["fast recipe"]


def truth_mse(run) -> torch.Tensor:
    """Each seed's MSE against the true function on the dense grid, in the original units."""
    return ((run.predict((grid - x_mean) / x_std) * y_std + y_mean - cubic_sine(grid)) ** 2).mean(dim=(1, 2))


train_before, train_after = seeds_mse(shorter_run), seeds_mse(longer_run)
truth_before, truth_after = truth_mse(shorter_run), truth_mse(longer_run)
glue("ex_longer_train_median_before", median(train_before))
glue("ex_longer_train_median", median(train_after))
glue("ex_longer_truth_median_before", median(truth_before))
glue("ex_longer_truth_median", median(truth_after))
glue("ex_longer_truth_grew", int((truth_after > truth_before).sum()))
ax = plot_data(x, y)
plot_model(Rescaled(longer_run.model(0), x_mean, x_std, y_mean, y_std), grid, ax=ax, label=f"seed 0 after {longer_epochs} epochs")
ax.plot(grid, cubic_sine(grid), color="k", lw=1, label="true f(x)")
ax.legend(fontsize=8)
nnbook.show(ax.figure)

# %% [markdown]
# (a) The training MSE falls only a little further: the median of the eight seeds goes from
# {glue:text}`ex_longer_train_median_before:.1f` to {glue:text}`ex_longer_train_median:.1f`, a little further below
# the floor of {glue:text}`mlp_noise_mse:.1f`. This small network has nearly settled. (b) The error against the
# true function grows: its median goes from {glue:text}`ex_longer_truth_median_before:.1f` to
# {glue:text}`ex_longer_truth_median:.1f`, and it grows for {glue:text}`ex_longer_truth_grew` of the eight seeds:
# the extra steps rearrange the curve towards the noisy points rather <!-- claim: longer-fits-noise -->
# than towards $f$. A network with more capacity would go much further; chapter 7 shows one.
#
# ```{solution-end}
# ```
#
# :::{exercise} A larger rate for SGD
# :label: ex-fast-sgd
#
# Plain SGD at learning rate 0.1 ended far behind Adam in the sweep. SGD's step is the learning rate
# times the gradient, so a larger rate means larger steps. Predict whether rates of 0.3 and 1.0 close
# the gap, then try them (edit the list in the cell below).
# :::

# %%
# Starter: SGD on the standardized data, four seeds, the sweep's budget; add rates to the list.
for rate in [0.1]:
    sgd_run = fit_seeds(partial(mlp, layout, activation="gelu"), range(4), (xs, ys), epochs=150, lr=rate, optimizer="sgd")
    print(f"SGD, lr {rate}: median training MSE {median(seeds_mse(sgd_run)):.0f}")

# %% [markdown]
# ```{solution-start} ex-fast-sgd
# :class: dropdown
# ```

# %%
sgd_rates, sgd_diverged = {}, {}
for rate in (0.3, 1.0):
    with warnings.catch_warnings():
        # fit_seeds warns with a DivergenceWarning for every seed whose loss becomes NaN or infinite (chapter 4);
        # we count them from the run's diverged mask instead
        warnings.simplefilter("ignore", DivergenceWarning)
        sgd_run = fit_seeds(
            partial(mlp, layout, activation="gelu"), range(4), (xs, ys), epochs=sweep_epochs, lr=rate, optimizer="sgd"
        )
    sgd_diverged[rate] = int(sgd_run.diverged.sum())
    if sgd_diverged[rate]:
        print(f"SGD, lr {rate}: {sgd_diverged[rate]} of 4 seeds diverged (loss NaN or infinite)")
    else:
        sgd_rates[rate] = median(seeds_mse(sgd_run))
        print(f"SGD, lr {rate}: median training MSE {sgd_rates[rate]:.0f}")
glue("ex_sgd_03_median", sgd_rates[0.3])
glue("ex_sgd_1_diverged", int(sgd_diverged[1.0] == 4));  # every seed

# %% [markdown]
# No. At 0.3 SGD improves only a little, to a median of {glue:text}`ex_sgd_03_median:.0f` against
# {glue:text}`mlp_sweep_sgd:.0f` at 0.1, still far from Adam's {glue:text}`mlp_sweep_base:.0f`; at 1.0 the
# steps overshoot and every seed diverges. <!-- claim: sgd-larger-rate-no-cure -->
# One rate must suit every parameter: the rate that is safe for the steepest direction is too slow for
# the flat ones. Adam's per-parameter scaling is what closes the gap, not the size of the rate.
#
# ```{solution-end}
# ```
#
# :::{exercise} The same number of steps
# :label: ex-fast-steps
#
# Per epoch, batches of 25 beat the full batch after {glue:text}`mlp_compare_epochs` epochs, but they
# also took four times as many steps. Predict the ranking when both get the same number of steps,
# {glue:text}`ex_steps`: 40 epochs of full batches against 10 epochs of batches of 25.
# :::
#
# ```{solution-start} ex-fast-steps
# :class: dropdown
# ```

# %%
steps = glue("ex_steps", 40)
same_steps = {}
for name, epochs, batch_size in (("full batch", steps, None), ("batches of 25", steps // 4, 25)):
    nnbook.set_seed(0)
    net_s = mlp(layout, activation="gelu")
    fit(net_s, (xs, ys), epochs=epochs, lr=3e-2, batch_size=batch_size, progress=False)
    with torch.no_grad():
        same_steps[name] = float(mse(Rescaled(net_s, x_mean, x_std, y_mean, y_std)(x), y))
glue("ex_steps_full_mse", same_steps["full batch"])
glue("ex_steps_batch25_mse", same_steps["batches of 25"]);

# %% [markdown]
# With {glue:text}`ex_steps` steps each, the full batch reaches {glue:text}`ex_steps_full_mse:.0f` and
# batches of 25 {glue:text}`ex_steps_batch25_mse:.0f`: per step, the full batch is ahead.
# Each of its steps follows the exact gradient, while a batch of 25 <!-- claim: full-batch-wins-per-step -->
# sees a quarter of the data. The minibatches' lead per epoch came from taking four times as many steps,
# not from better ones.
#
# ```{solution-end}
# ```
#
# :::{exercise} Other XOR fixes
# :label: ex-fast-xor
#
# Keep two hidden units. Which of these rescues the failing seeds: a tanh activation, a learning rate of
# 0.1, or 3000 epochs instead of 1000? Predict, then count the solved seeds over the same
# {glue:text}`xor_seeds` seeds (edit the cell below).
# :::

# %%
# Starter: the course recipe over all seeds; change one thing and rerun.
trial = fit_seeds(
    partial(mlp, [2, 2, 1], activation="sigmoid"), range(n_seeds), (x_xor, y_xor),
    epochs=1000, lr=0.03, optimizer="adamw", weight_decay=0.01,
)
print(int((trial.final_train_loss < 0.01).sum()), "of", n_seeds, "seeds solved")

# %% [markdown]
# ```{solution-start} ex-fast-xor
# :class: dropdown
# ```

# %%
xor_variants = {
    "tanh": dict(activation="tanh", lr=0.03, epochs=1000),
    "lr 0.1": dict(activation="sigmoid", lr=0.1, epochs=1000),
    "3000 epochs": dict(activation="sigmoid", lr=0.03, epochs=3000),
}
xor_solved = {}
for name, v in xor_variants.items():
    run_v = fit_seeds(
        partial(mlp, [2, 2, 1], activation=v["activation"]), range(n_seeds), (x_xor, y_xor),
        epochs=v["epochs"], lr=v["lr"], optimizer="adamw", weight_decay=0.01,
    )
    xor_solved[name] = int((run_v.final_train_loss < 0.01).sum())
    print(f"{name:12s} {xor_solved[name]} of {n_seeds} solved")
glue("ex_xor_tanh_solved", xor_solved["tanh"])
glue("ex_xor_lr_solved", xor_solved["lr 0.1"])
glue("ex_xor_long_solved", xor_solved["3000 epochs"]);

# %% [markdown]
# None of them removes every failure. Tanh solves {glue:text}`ex_xor_tanh_solved`, a learning rate of
# 0.1 {glue:text}`ex_xor_lr_solved` and 3000 epochs {glue:text}`ex_xor_long_solved` of the
# {glue:text}`xor_seeds` seeds, against {glue:text}`xor_seed_solved` for the course recipe and
# {glue:text}`xor_fixed_solved` with four hidden units. <!-- claim: xor-other-fixes-fall-short -->
# They change which seeds fail and how many, but with two units the stuck states remain genuine traps
# for some starts; spare units are what remove them.
#
# ```{solution-end}
# ```
