# ---
# jupyter:
#   jupytext:
#     default_lexer: ipython3
#     formats: md:myst,py:percent,ipynb
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
# # Training well
#
# The ReLU network of the last chapter fitted the wiggly curve. This chapter asks how much of that
# success came from the way we trained it. We look at the learning-rate schedule (constant, or one
# cycle up and down), at the optimizer (SGD or Adam), and at luck: a network starts from random
# weights, so one run proves little. To see the spread we train several seeds at once, as one
# vectorised model, and we watch one run closely through its three stages: the first epoch, the
# middle, and the end.
#
# **Learning objectives.** After this chapter you can
#
# - describe the one-cycle schedule and plot the learning rate it sets at every step;
# - compare training recipes fairly, over several seeds, and read a min–max band of losses;
# - train N seeds as one vectorised model with {py:func}`~nnbook.training.fit_seeds`, and say what that saves;
# - tell apart what happens in the first epoch, in the middle of training and in its last epochs.

# %% tags=["hide-cell"]
# On a fresh Colab or Binder runtime, install the book's package first; elsewhere this does nothing.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("nnbook") is None:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "git+https://github.com/nnbook/nnbook"], check=True)

# %% [markdown]
# The data and the split are those of chapter 3 ({py:func}`~nnbook.data.wiggly_curve` and
# {py:func}`~nnbook.data.train_valid_split`): 5000 points of the wiggly curve, one in five held
# out for validation, batches of 100. As before, {py:func}`~nnbook.glue` hands numbers to the text and
# {py:func}`~nnbook.show` displays figures.

# %%
import warnings

import matplotlib.pyplot as plt
import torch

import nnbook
from nnbook import glue
from nnbook.animation import Snapshots, curve_animation, show_animation
from nnbook.data import train_valid_split, wiggly_curve
from nnbook.models import mlp
from nnbook.plots import plot_curve_frames, plot_losses, plot_lrs, plot_seed_band, plot_seed_curves
from nnbook.training import DivergenceWarning, fit, fit_seeds, fit_sequential

x, y = wiggly_curve(n=5000, seed=40)
split = train_valid_split(x, y, valid_fraction=0.2, seed=42)

# %% [markdown]
# ## One run, watched closely
#
# We train the ReLU network of chapter 3 again (built by {py:func}`~nnbook.models.mlp` after
# {py:func}`~nnbook.set_seed`, trained by {py:func}`~nnbook.training.fit` with Adam, one-cycle, 30 epochs) and
# record its curve twice with {py:class}`~nnbook.animation.Snapshots`: every 3 optimizer steps during the first three epochs (`Snapshots(..., on="batch")`; one
# epoch is 4000 / 100 = 40 steps), and after every epoch (`on="epoch"`).

# %%
grid = torch.linspace(0, 1, 200)[:, None]
early = Snapshots(grid, every=3, on="batch", max_steps=120)
per_epoch = Snapshots(grid, on="epoch")
nnbook.set_seed(0)
model = mlp([1, 50, 1])
history = fit(model, split.train, split.valid, epochs=30, lr=0.01, optimizer="adam", schedule="one_cycle",
              batch_size=100, callbacks=[early, per_epoch])
glue("tw_single_mse", history.last["valid_loss"])
glue("tw_peak_lr", max(history.lrs))
glue("tw_steps", len(history.lrs));

# %% [markdown]
# ### The one-cycle schedule
#
# `schedule="one_cycle"` (PyTorch's `OneCycleLR`) does not keep the learning rate fixed. It starts
# low, warms up to the peak we asked for over the first quarter of the steps, then anneals to almost
# zero. The history keeps the rate of every step; {py:func}`~nnbook.plots.plot_lrs` draws it, beside the
# losses drawn by {py:func}`~nnbook.plots.plot_losses`:

# %%
fig, (ax_lr, ax_loss) = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained")
plot_lrs(history, ax=ax_lr)
ax_lr.set_title("one-cycle learning rate")
plot_losses(history, ax=ax_loss, title="losses of the same run")
nnbook.show(fig)

# %% [markdown]
# Over {glue:text}`tw_steps` steps the rate climbs to {glue:text}`tw_peak_lr:.3f` and falls back. Large
# steps early move the weights quickly while they are far from any good solution; small steps at the
# end let them settle into a minimum instead of bouncing around it. For Adam the schedule also
# cycles the momentum (β₁) the opposite way: low while the rate is high, high while it is low.
#
# ### Three regimes of training
#
# {py:func}`~nnbook.plots.plot_curve_frames` draws a few snapshots of each stage in one picture, from early
# (light) to late (dark):

# %%
fig, axes = plt.subplots(1, 3, figsize=(13, 3.6), sharey=True, layout="constrained")
pick = [0, 4, 8, 13]  # before training and steps 12, 24 and 39: all inside the first epoch
plot_curve_frames(x, y, grid, [early.frames[i] for i in pick], [early.labels[i] for i in pick],
                  ax=axes[0], title="1. inside the first epoch")
middle = range(4, 20, 3)
plot_curve_frames(x, y, grid, [per_epoch.frames[i] for i in middle], [per_epoch.labels[i] for i in middle],
                  ax=axes[1], title="2. mid-training")
plot_curve_frames(x, y, grid, per_epoch.frames[-4:], per_epoch.labels[-4:], ax=axes[2], title="3. the last epochs")
nnbook.show(fig)

def moved(frames, i, j):
    """How far the curve moved between two snapshots, on average over the grid."""
    return float((frames[j] - frames[i]).abs().mean())


glue("tw_move_first_epoch", moved(early.frames, 0, 13))
glue("tw_move_mid", moved(per_epoch.frames, 9, 10))
glue("tw_move_last", moved(per_epoch.frames, -2, -1));

# %% [markdown]
# 1. **Inside the first epoch** almost nothing happens. The network starts from a nearly flat random
#    curve, and one-cycle begins with a learning rate 25 times below its peak, so the first 40 steps
#    are tiny: the curve only drifts towards the middle of the data and starts to tilt (it moves by
#    {glue:text}`tw_move_first_epoch:.3f` on average over the whole epoch).
# 2. **Mid-training**, with the learning rate near its peak, the curve first becomes the tilted line
#    of chapter 3, the crude trend where most of the loss is, and then grows its bends: the bump, then
#    the dip. It also jumps around from epoch to epoch ({glue:text}`tw_move_mid:.3f` on average between
#    epochs 9 and 10), because big steps on noisy batches overshoot.
# 3. **In the last epochs** the learning rate is almost zero and the curve is frozen: it moves by
#    only {glue:text}`tw_move_last:.4f` between the last two epochs.
#
# {py:func}`~nnbook.animation.curve_animation` and {py:func}`~nnbook.animation.show_animation` replay the first
# three epochs, every sixth step (every other snapshot):

# %%
show_animation(curve_animation(x, y, grid, early.frames[::2], early.labels[::2], title="first three epochs,"),
               name="first-epochs")

# %% [markdown]
# ## Constant or one-cycle, SGD or Adam
#
# To compare recipes fairly we need more than one run each, so from here on we train five seeds of
# every recipe. `fit_seeds` builds one model per seed (after `torch.manual_seed(seed)`), stacks their
# weights with `torch.func.stack_module_state`, and trains them all in a single loop with
# `torch.func.vmap`: each optimizer step updates all five. The seeds see the same batches in the same
# order, so they differ only in their starting weights.
#
# Each optimizer gets the same peak learning rate with and without the schedule, and
# {py:func}`~nnbook.plots.plot_seed_band` draws each recipe's validation loss over its seeds.

# %%
recipes = {
    "SGD, constant": dict(optimizer="sgd", schedule="constant", lr=0.1),
    "SGD, one-cycle": dict(optimizer="sgd", schedule="one_cycle", lr=0.1),
    "Adam, constant": dict(optimizer="adam", schedule="constant", lr=0.01),
    "Adam, one-cycle": dict(optimizer="adam", schedule="one_cycle", lr=0.01),
}
seeds = range(5)
runs = {}
for name, recipe in recipes.items():
    runs[name] = fit_seeds(lambda: mlp([1, 50, 1]), seeds, split.train, split.valid,
                           epochs=30, batch_size=100, **recipe)
    print(f"{name:16s} final valid MSE per seed:", [round(v, 4) for v in runs[name].final_valid_loss.tolist()])

fig, ax = plt.subplots(figsize=(7, 3.8), layout="constrained")
for name, run in runs.items():
    plot_seed_band(run, ax=ax, label=name, log=False)
ax.set_ylim(0.15, 1.0)
nnbook.show(fig)

# %%
for key, name in [("sgd_constant", "SGD, constant"), ("sgd_onecycle", "SGD, one-cycle"),
                  ("adam_constant", "Adam, constant"), ("adam_onecycle", "Adam, one-cycle")]:
    glue(f"tw_{key}_mean", runs[name].final_valid_loss.mean())
    glue(f"tw_{key}_spread", runs[name].final_valid_loss.max() - runs[name].final_valid_loss.min())

# %% [markdown]
# Each line is the median over five seeds and the shaded band runs from the best seed to the worst.
# What the bands say:
#
# - **With a constant rate**, the loss keeps jumping until the end, and where training stops is partly
#   luck: SGD ends at a mean of {glue:text}`tw_sgd_constant_mean:.3f` with a spread of
#   {glue:text}`tw_sgd_constant_spread:.3f` between seeds.
# - **With one-cycle**, SGD's band narrows in the last epochs as the rate anneals, and it ends at
#   {glue:text}`tw_sgd_onecycle_mean:.3f` with a spread of only {glue:text}`tw_sgd_onecycle_spread:.3f`.
#   For plain SGD the schedule is the difference between a lottery and a reliable result.
# - **Adam** gets going fastest with a constant rate, because it scales each weight's step by the
#   size of its recent gradients, and at this rate it ends as well without a schedule
#   ({glue:text}`tw_adam_constant_mean:.3f`, spread {glue:text}`tw_adam_constant_spread:.3f`) as with
#   one ({glue:text}`tw_adam_onecycle_mean:.3f`, spread {glue:text}`tw_adam_onecycle_spread:.3f`).
#   Its per-weight scaling already tames the steps; one-cycle's warm-up only makes it start slower.
#   All four recipes end within a few hundredths of each other except constant-rate SGD.
#
# ### How large a step can each schedule take?
#
# The two-linear-layer model of chapter 3 with 500 hidden numbers is the touchy one. We train it
# with SGD at four learning rates, each with a constant rate and with one-cycle, for 5 epochs, and
# note which runs blow up (`fit` stops as soon as the loss becomes NaN or infinite, and warns with a
# {py:class}`~nnbook.training.DivergenceWarning`, which we silence here).

# %%
rows = []
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DivergenceWarning)  # we report divergence in the table instead
    for lr in (0.003, 0.01, 0.03, 0.1):
        row = {"lr": lr}
        for schedule in ("constant", "one_cycle"):
            nnbook.set_seed(0)
            h = fit(mlp([1, 500, 1], activation=None), split.train, split.valid, epochs=5, lr=lr,
                    optimizer="sgd", schedule=schedule, batch_size=100, progress=False)
            row[schedule] = "diverged" if h.diverged else f"{h.last['valid_loss']:.4f}"
        rows.append(row)
print(f"{'lr':>6} {'constant':>10} {'one-cycle':>10}")
for row in rows:
    print(f"{row['lr']:>6} {row['constant']:>10} {row['one_cycle']:>10}")
stable = {s: max([r["lr"] for r in rows if r[s] != "diverged"], default=0.0) for s in ("constant", "one_cycle")}
glue("tw_max_lr_constant", stable["constant"])
glue("tw_max_lr_onecycle", stable["one_cycle"]);

# %% [markdown]
# With a constant rate the largest rate that survives is {glue:text}`tw_max_lr_constant:g` (0 means
# none of them); with one-cycle it is {glue:text}`tw_max_lr_onecycle:g`. The warm-up is what helps:
# the first steps, taken while the random weights are still far off and the gradients are large,
# are small ones.
#
# ## Many seeds at once, and what that saves
#
# The headline recipe, Adam with one-cycle, over its five seeds ({py:func}`~nnbook.plots.plot_seed_curves`
# draws the curve of every seed over the data):

# %%
best = runs["Adam, one-cycle"]
glue("nl_mse_relu_seeds_mean", best.final_valid_loss.mean())
glue("nl_mse_relu_seeds_std", best.final_valid_loss.std())
glue("nl_mse_relu_seeds_n", len(best.seeds))
nnbook.show(plot_seed_curves(best, x, y).figure)

# %% [markdown]
# Over {glue:text}`nl_mse_relu_seeds_n` seeds the validation MSE is {glue:text}`nl_mse_relu_seeds_mean:.3f`
# ± {glue:text}`nl_mse_relu_seeds_std:.3f` (mean ± standard deviation), and the five curves lie almost
# on top of each other: the fit of chapter 3 was not a lucky draw.
#
# Was training them together worth it? {py:func}`~nnbook.training.fit_sequential` trains the same five seeds with the ordinary
# `fit`, one after the other, with the same batches, and times the loop.

# %%
one_by_one = fit_sequential(lambda: mlp([1, 50, 1]), seeds, split.train, split.valid, epochs=30,
                            batch_size=100, **recipes["Adam, one-cycle"])
glue("nl_seeds_sequential_seconds", one_by_one.seconds)
glue("nl_seeds_vectorised_seconds", best.seconds)
glue("nl_seeds_speedup", one_by_one.seconds / best.seconds)
glue("tw_seeds_max_difference", (one_by_one.final_valid_loss - best.final_valid_loss).abs().max());

# %% [markdown]
# One after the other, the five runs took {glue:text}`nl_seeds_sequential_seconds:.1f` s; together,
# {glue:text}`nl_seeds_vectorised_seconds:.1f` s: {glue:text}`nl_seeds_speedup:.1f` times faster. (These
# times were measured when this page was built, on a shared machine, and change from run to run.)
# The results agree: the largest difference between a seed's loss trained alone and trained in the
# stack is {glue:text}`tw_seeds_max_difference:.1e`. The gain comes from doing the same Python work
# once per step for all seeds instead of once per seed; with models this small, that bookkeeping,
# not arithmetic, is most of the cost.
#
# ## Summary
#
# - One-cycle warms the learning rate up and anneals it down; it ends training in a calm minimum and tolerates larger peak rates than a constant rate. Plain SGD needs it; Adam, which adapts its steps per weight, much less so here.
# - One run is an anecdote. Five seeds, shown as a band, make a comparison: Adam with one-cycle reaches {glue:text}`nl_mse_relu_seeds_mean:.3f` ± {glue:text}`nl_mse_relu_seeds_std:.3f`.
# - `fit_seeds` trains all the seeds as one vectorised model, here {glue:text}`nl_seeds_speedup:.1f` times faster than a loop over seeds, with the same results.
# - Training has three regimes: the crude trend within the first epoch, the shape in the middle, and fine settling at the end.
#
# ## Exercises
#
# **1. One-cycle and large rates.** Can the one-cycle schedule handle a larger learning rate than a constant one?
#
# ```{admonition} Solution
# :class: dropdown
#
# Yes. On the 500-wide two-linear model with SGD, the largest rate that trained without blowing up
# was {glue:text}`tw_max_lr_constant:g` with a constant rate and {glue:text}`tw_max_lr_onecycle:g` with
# one-cycle. The warm-up keeps the first steps small while the gradients are large, and the momentum
# that one-cycle adds to SGD smooths the steps.
# ```
#
# **2. Adam or SGD.** Does switching from SGD to Adam have much effect here?
#
# ```{admonition} Solution
# :class: dropdown
#
# It matters most without a schedule. With a constant rate, Adam's loss falls faster from the start
# and ends at {glue:text}`tw_adam_constant_mean:.3f` over five seeds, while SGD ends at
# {glue:text}`tw_sgd_constant_mean:.3f`, spread over {glue:text}`tw_sgd_constant_spread:.3f` between
# seeds. With one-cycle the two end close together ({glue:text}`tw_adam_onecycle_mean:.3f` for Adam,
# {glue:text}`tw_sgd_onecycle_mean:.3f` for SGD). Adam adapts each weight's step to its gradients,
# which does part of what a good schedule does.
# ```
#
# **3. The three regimes.** Watch the ReLU model as it fits. What do you notice within the first
# epoch, mid-training, and in the last epoch or two?
#
# ```{admonition} Solution
# :class: dropdown
#
# *Within the first epoch* very little: the curve starts nearly flat and, because one-cycle starts
# with tiny steps, only drifts towards the data's mean and begins to tilt (average movement
# {glue:text}`tw_move_first_epoch:.3f` over the whole epoch). *Mid-training*, with the learning rate near its peak,
# the curve first becomes the overall trend, the line a linear model would fit, and then bends: the
# bump near $x \approx 0.3$ and the dip near $x \approx 0.7$ appear, and the curve wobbles from epoch
# to epoch ({glue:text}`tw_move_mid:.3f` between epochs 9 and 10) because the steps are big and every
# batch is noisy. *In the last epochs* the rate is almost zero and the curve is frozen in place: it
# moves by {glue:text}`tw_move_last:.4f` between the last two epochs.
# ```
#
# **4. Several seeds.** Try several seeds: is the ReLU fit of chapter 3 a fluke?
#
# ```{admonition} Solution
# :class: dropdown
#
# No. Over {glue:text}`nl_mse_relu_seeds_n` seeds Adam with one-cycle gets {glue:text}`nl_mse_relu_seeds_mean:.3f`
# ± {glue:text}`nl_mse_relu_seeds_std:.3f`, and the curves nearly coincide. Try `seeds = range(20)`:
# `fit_seeds` costs only a little more than with five.
# ```
#
# **5. Fewer points, smaller batches.** Train the ReLU network on `wiggly_curve(n=500)` with
# `batch_size=10`, over five seeds. What changes?
#
# ```{admonition} Solution
# :class: dropdown
#
# With a tenth of the data the curves disagree more from seed to seed, and the validation loss is
# higher and noisier: 100 validation points measure the MSE less precisely, and the network has
# fewer points to pin its bends to. Smaller batches make each step noisier, which one-cycle's
# annealing partly cancels at the end.
# ```
