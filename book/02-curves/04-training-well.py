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
from nnbook.training import Callback, DivergenceWarning, fit, fit_seeds, fit_sequential

x, y = wiggly_curve(n=5000, seed=40)
split = train_valid_split(x, y, valid_fraction=0.2, seed=42)

# %% [markdown]
# ## One run, watched closely
#
# We train the ReLU network of chapter 3 again (built by {py:func}`~nnbook.models.mlp` after
# {py:func}`~nnbook.set_seed`, trained by {py:func}`~nnbook.training.fit` with Adam, one-cycle, 30 epochs) and
# record its curve with {py:class}`~nnbook.animation.Snapshots`: every 3 optimizer steps during the first three epochs (`Snapshots(..., on="batch")`; one
# epoch is 4000 / 100 = 40 steps), after every epoch (`on="epoch"`), and, to measure how far it travels, after every
# single step.

# %%
grid = torch.linspace(0, 1, 200)[:, None]
early = Snapshots(grid, every=3, on="batch", max_steps=120)
per_epoch = Snapshots(grid, on="epoch")
every_step = Snapshots(grid, on="batch")
nnbook.set_seed(0)
model = mlp([1, 50, 1])
history = fit(model, split.train, split.valid, epochs=30, lr=0.01, optimizer="adam", schedule="one_cycle",
              batch_size=100, callbacks=[early, per_epoch, every_step])
glue("tw_single_mse", history.last["valid_loss"])
glue("tw_peak_lr", max(history.lrs))
glue("tw_first_lr", history.lrs[0])
glue("tw_peak_step", max(range(len(history.lrs)), key=history.lrs.__getitem__) + 1)
glue("tw_steps", len(history.lrs));

# %% [markdown]
# ### The one-cycle schedule
#
# `schedule="one_cycle"` (PyTorch's {py:class}`~torch.optim.lr_scheduler.OneCycleLR`, after Smith's one-cycle policy
# {cite:p}`smith2018disciplined,smith2019super`) does not keep the learning rate fixed. It starts low, warms up to
# the peak we asked for over the first quarter of the steps, then anneals to almost zero. The history keeps the
# rate of every step; {py:func}`~nnbook.plots.plot_lrs` draws it, beside the losses drawn by
# {py:func}`~nnbook.plots.plot_losses`:

# %% mystnb={"image": {"alt": "Left: the one-cycle learning rate per step, rising to its peak a quarter of the way through and falling to almost zero. Right: the training and validation loss per epoch of the same run."}}
fig, (ax_lr, ax_loss) = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained")
plot_lrs(history, ax=ax_lr)
ax_lr.set_title("one-cycle learning rate")
plot_losses(history, ax=ax_loss, title="losses of the same run")
nnbook.show(fig)

# %% [markdown]
# Over {glue:text}`tw_steps` steps the rate climbs from {glue:text}`tw_first_lr:.4f` to {glue:text}`tw_peak_lr:.3f`,
# reached at step {glue:text}`tw_peak_step`, and falls back. <!-- claim: one-cycle-peaks-after-a-quarter -->
# Large steps in the middle move the weights quickly; small steps at the end let them settle into a minimum instead
# of bouncing around it. The schedule changes one more thing, which matters below: by default `OneCycleLR` also
# cycles the optimizer's momentum, the opposite way to the rate. For SGD it sets a momentum (a running sum of past
# gradients that each step follows {cite:p}`polyak1964methods,sutskever2013importance`) of 0.95 at the start, 0.85 at
# the peak and 0.95 again at the end; for Adam it cycles β₁, the decay of Adam's running average of gradients, the
# same way.
#
# ### Three regimes of training
#
# {py:func}`~nnbook.plots.plot_curve_frames` draws a few snapshots of each stage in one picture, from early
# (light) to late (dark):

# %% mystnb={"image": {"alt": "Three panels of the data with snapshots of the curve, light to dark: inside the first epoch the nearly flat curve drops to the data's level; mid-training it tilts and grows its bends; in the last epochs the snapshots lie on top of each other."}}
fig, axes = plt.subplots(1, 3, figsize=(13, 3.6), sharey=True, layout="constrained")
pick = [0, 4, 8, 13]  # before training and steps 12, 24 and 39: all inside the first epoch
plot_curve_frames(x, y, grid, [early.frames[i] for i in pick], [early.labels[i] for i in pick],
                  ax=axes[0], title="1. inside the first epoch")
middle = range(4, 20, 3)
plot_curve_frames(x, y, grid, [per_epoch.frames[i] for i in middle], [per_epoch.labels[i] for i in middle],
                  ax=axes[1], title="2. mid-training")
plot_curve_frames(x, y, grid, per_epoch.frames[-4:], per_epoch.labels[-4:], ax=axes[2], title="3. the last epochs")
nnbook.show(fig)


# %% [markdown]
# To put numbers on the pictures we measure, as in chapter 3, how far the curve moves between two snapshots
# (on average over the grid), and three features of each snapshot: its *level* (mean), its *tilt* (the slope of the
# closest straight line) and its *bend* (the root mean square of its distances from that line).

# %%
def moved(frames, i, j):
    """How far the curve moved between two snapshots, on average over the grid."""
    return float((frames[j] - frames[i]).abs().mean())


def level_tilt_bend(curve: torch.Tensor) -> tuple[float, float, float]:
    """The mean of a curve over the grid, the slope of its closest line, and its RMS distance from that line."""
    on_grid = torch.cat([grid, torch.ones_like(grid)], dim=1)
    best_line = torch.linalg.lstsq(on_grid, curve).solution
    return curve.mean().item(), best_line[0].item(), (curve - on_grid @ best_line).pow(2).mean().sqrt().item()


glue("tw_move_first_epoch", moved(early.frames, 0, 13))  # over the first 39 steps
glue("tw_move_epoch1", moved(per_epoch.frames, 0, 1))
glue("tw_move_later_max", max(moved(per_epoch.frames, k, k + 1) for k in range(1, 30)))
glue("tw_move_mid", moved(per_epoch.frames, 9, 10))
glue("tw_move_last", moved(per_epoch.frames, -2, -1))
level_0, tilt_0, _ = level_tilt_bend(early.frames[0])
level_1, tilt_1, _ = level_tilt_bend(early.frames[13])
glue("tw_level_start", level_0)
glue("tw_level_after_first_epoch", level_1)
glue("tw_tilt_after_first_epoch", tilt_1)
glue("tw_level_move_share", abs(level_1 - level_0) / moved(early.frames, 0, 13))
epoch_shape = [level_tilt_bend(frame) for frame in per_epoch.frames]  # index k: after epoch k
glue("tw_tilt_epoch4", epoch_shape[4][1])
glue("tw_tilt_final", epoch_shape[-1][1])
glue("tw_bend_epoch4", epoch_shape[4][2])
glue("tw_bend_epoch14", epoch_shape[14][2])
glue("tw_bend_final", epoch_shape[-1][2])
glue("tw_move_mid_mean", sum(moved(per_epoch.frames, k, k + 1) for k in range(5, 20)) / 15)


def travelled(epoch: int) -> float:
    """How far the curve travelled during one epoch, step by step (frame 40·k is the state after epoch k)."""
    return sum(moved(every_step.frames, i, i + 1) for i in range(40 * (epoch - 1), 40 * epoch))


glue("tw_path_epoch1", travelled(1))
glue("tw_path_epoch10", travelled(10))
glue("tw_net_epoch10", moved(every_step.frames, 360, 400));

# %% [markdown]
# 1. **Inside the first epoch** the curve moves more than in any later epoch: by {glue:text}`tw_move_first_epoch:.3f`
#    on average over its first 39 steps ({glue:text}`tw_move_epoch1:.3f` over the whole epoch, against at most
#    {glue:text}`tw_move_later_max:.3f` in any later one), twice the {glue:text}`tw_move_mid:.3f` between epochs 9
#    and 10. <!-- claim: first-epoch-moves-most -->
#    Not because the steps are large: the learning rate is still small, and Adam's step does not grow with the
#    gradient (chapter 3). What makes the first epoch's move the largest is that every step pushes the same way.
#    Step by step, the curve travels {glue:text}`tw_path_epoch1:.3f` during epoch 1 and ends
#    {glue:text}`tw_move_epoch1:.3f` from where it began; during epoch 10 it travels
#    {glue:text}`tw_path_epoch10:.2f`, but its steps point in different directions from batch to batch, and it ends only
#    {glue:text}`tw_net_epoch10:.3f` away. <!-- claim: first-epoch-steps-agree --> Almost all of the first epoch's
#    movement is a change of level: the nearly flat random curve drops from
#    {glue:text}`tw_level_start:+.2f` to {glue:text}`tw_level_after_first_epoch:+.2f`, the middle of the data, and
#    has only begun to tilt (slope {glue:text}`tw_tilt_after_first_epoch:.2f`). <!-- claim: first-epoch-is-a-shift -->
# 2. **Mid-training**, while the learning rate climbs to its peak and stays high, the curve first becomes the
#    tilted line of chapter 3, the crude trend: by epoch 4 its slope is {glue:text}`tw_tilt_epoch4:.2f`, about its
#    final {glue:text}`tw_tilt_final:.2f`, while it is still nearly straight (bend
#    {glue:text}`tw_bend_epoch4:.2f`). <!-- claim: tilt-comes-before-bends -->
#    Then it grows its bends, the bump and then the dip (bend {glue:text}`tw_bend_epoch14:.2f` by epoch 14, of a final
#    {glue:text}`tw_bend_final:.2f`), and it jumps around from epoch to epoch, by {glue:text}`tw_move_mid_mean:.3f` on
#    average between epochs 5 and 20, because big steps on noisy batches overshoot. <!-- claim: bends-grow-mid-training -->
# 3. **In the last epochs** the learning rate is almost zero and the curve is frozen: it moves by
#    only {glue:text}`tw_move_last:.4f` between the last two epochs. <!-- claim: last-epochs-frozen -->
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
# every recipe. {py:func}`~nnbook.training.fit_seeds` builds one model per seed (after {py:func}`torch.manual_seed`),
# stacks their weights with {py:func}`torch.func.stack_module_state`, and trains them all in a single loop with
# {py:func}`torch.func.vmap`: each optimizer step updates all five. The seeds see the same batches in the same
# order, so they differ only in their starting weights.
#
# Each optimizer gets the same peak learning rate with and without the schedule. Because one-cycle brings its own
# momentum to SGD, plain SGD at a constant rate would differ from SGD with one-cycle in two ways at once. So we add
# a fifth recipe, SGD with a constant momentum of 0.9 at a constant rate: comparing it with plain SGD shows what
# momentum does, comparing it with SGD and one-cycle what the schedule adds. {py:func}`~nnbook.plots.plot_seed_band`
# draws each recipe's validation loss over its seeds.

# %% mystnb={"image": {"alt": "Two panels of the validation loss per epoch, each recipe's median over five seeds with a band from the best to the worst seed: left the three SGD recipes, where plain SGD at a constant rate keeps jumping; right Adam with and without one-cycle, which end at the same level."}}
recipes = {
    "SGD, constant": dict(optimizer="sgd", schedule="constant", lr=0.1),
    "SGD + momentum 0.9, constant": dict(optimizer="sgd", schedule="constant", lr=0.1, momentum=0.9),
    "SGD, one-cycle (momentum cycled)": dict(optimizer="sgd", schedule="one_cycle", lr=0.1),
    "Adam, constant": dict(optimizer="adam", schedule="constant", lr=0.01),
    "Adam, one-cycle": dict(optimizer="adam", schedule="one_cycle", lr=0.01),
}
seeds = range(5)
runs = {}
for name, recipe in recipes.items():
    runs[name] = fit_seeds(lambda: mlp([1, 50, 1]), seeds, split.train, split.valid,
                           epochs=30, batch_size=100, **recipe)
    print(f"{name:33s} final valid MSE per seed:", [round(v, 4) for v in runs[name].final_valid_loss.tolist()])

fig, (ax_sgd, ax_adam) = plt.subplots(1, 2, figsize=(12, 3.8), sharey=True, layout="constrained")
for name, run in runs.items():
    plot_seed_band(run, ax=ax_sgd if name.startswith("SGD") else ax_adam, label=name, log=False)
ax_sgd.set(ylim=(0.15, 1.0), title="SGD")
ax_adam.set(title="Adam")
nnbook.show(fig)

# %%
keys = {"sgd_constant": "SGD, constant", "sgd_momentum": "SGD + momentum 0.9, constant",
        "sgd_onecycle": "SGD, one-cycle (momentum cycled)", "adam_constant": "Adam, constant",
        "adam_onecycle": "Adam, one-cycle"}
for key, name in keys.items():
    final = runs[name].final_valid_loss
    glue(f"tw_{key}_mean", final.mean())
    glue(f"tw_{key}_spread", final.max() - final.min())
    median = runs[name].valid_loss.median(dim=1).values
    glue(f"tw_{key}_late_swing", median[-10:].max() - median[-10:].min())  # how much the median still jumps
    glue(f"tw_{key}_epoch3", median[2])

spread = {key: runs[name].valid_loss.max(dim=1).values - runs[name].valid_loss.min(dim=1).values
          for key, name in keys.items()}
glue("tw_sgd_onecycle_spread_before_peak", spread["sgd_onecycle"][5])  # epoch 6
glue("tw_sgd_onecycle_spread_at_peak", spread["sgd_onecycle"][7])  # epoch 8, which holds the peak (step 300)
glue("tw_sgd_onecycle_spread_mid_max", spread["sgd_onecycle"][8:20].max())
glue("tw_sgd_onecycle_spread_last5_max", spread["sgd_onecycle"][-5:].max())
glue("tw_sgd_momentum_spread_last10_max", spread["sgd_momentum"][-10:].max())
best_three = [runs[keys[k]].final_valid_loss.mean() for k in ("sgd_onecycle", "adam_constant", "adam_onecycle")]
glue("tw_best_three_range", max(best_three) - min(best_three))
glue("tw_sgd_momentum_gap", runs[keys["sgd_momentum"]].final_valid_loss.mean() - min(best_three))
glue("tw_sgd_constant_gap", runs[keys["sgd_constant"]].final_valid_loss.mean() - min(best_three))
mean_of = {key: runs[name].final_valid_loss.mean() for key, name in keys.items()}
spread_of = {key: runs[name].final_valid_loss.max() - runs[name].final_valid_loss.min() for key, name in keys.items()}
# how much of the way from plain constant SGD to SGD with one-cycle momentum alone goes
glue("tw_momentum_share_of_mean_gain", (mean_of["sgd_constant"] - mean_of["sgd_momentum"])
     / (mean_of["sgd_constant"] - mean_of["sgd_onecycle"]))
glue("tw_momentum_share_of_spread_gain", (spread_of["sgd_constant"] - spread_of["sgd_momentum"])
     / (spread_of["sgd_constant"] - spread_of["sgd_onecycle"]))
# the same shares averaged over the last ten epochs, where the bands of the constant rates still jump
late = {key: runs[name].valid_loss[-10:] for key, name in keys.items()}  # epochs × seeds
late_mean = {key: v.mean() for key, v in late.items()}
late_spread = {key: (v.max(dim=1).values - v.min(dim=1).values).mean() for key, v in late.items()}
glue("tw_momentum_share_of_mean_gain_last10", (late_mean["sgd_constant"] - late_mean["sgd_momentum"])
     / (late_mean["sgd_constant"] - late_mean["sgd_onecycle"]))
glue("tw_momentum_share_of_spread_gain_last10", (late_spread["sgd_constant"] - late_spread["sgd_momentum"])
     / (late_spread["sgd_constant"] - late_spread["sgd_onecycle"]));

# %% [markdown]
# Each line is the median over five seeds and the shaded band runs from the best seed to the worst.
# What the bands say:
#
# - **Plain SGD at a constant rate** keeps jumping until the end (its median still swings by
#   {glue:text}`tw_sgd_constant_late_swing:.3f` over the last ten epochs), and where training stops is partly luck: it
#   ends at a mean of {glue:text}`tw_sgd_constant_mean:.3f` with a spread (worst seed minus best) of {glue:text}`tw_sgd_constant_spread:.3f`
#   between seeds. <!-- claim: plain-sgd-keeps-jumping -->
# - **Momentum alone**, still at a constant rate, does a large part of the repair: SGD with momentum 0.9 ends at
#   {glue:text}`tw_sgd_momentum_mean:.3f` with a spread of {glue:text}`tw_sgd_momentum_spread:.3f`. Of the way from
#   plain SGD to SGD with one-cycle, that is {glue:text}`tw_momentum_share_of_mean_gain:.0%` of the gain in the mean
#   and {glue:text}`tw_momentum_share_of_spread_gain:.0%` of the narrowing of the spread at the last epoch; averaged over
#   the last ten epochs, {glue:text}`tw_momentum_share_of_mean_gain_last10:.0%` and
#   {glue:text}`tw_momentum_share_of_spread_gain_last10:.0%`. <!-- claim: momentum-does-much-of-the-repair -->
#   But its band still flickers open to the end (up to {glue:text}`tw_sgd_momentum_spread_last10_max:.3f` in the
#   last ten epochs). <!-- claim: momentum-band-still-flickers -->
# - **SGD with one-cycle** (and its cycled momentum) ends best among the SGD recipes, at
#   {glue:text}`tw_sgd_onecycle_mean:.3f` with a spread of only {glue:text}`tw_sgd_onecycle_spread:.3f`. <!-- claim: one-cycle-sgd-ends-best-of-sgd -->
#   Its band does not narrow gradually as the rate anneals: it collapses at the *peak* of the learning rate, from
#   {glue:text}`tw_sgd_onecycle_spread_before_peak:.3f` in epoch 6 to {glue:text}`tw_sgd_onecycle_spread_at_peak:.3f`
#   in epoch 8, when all five seeds have found the curve's shape; it flickers open again (up to
#   {glue:text}`tw_sgd_onecycle_spread_mid_max:.3f`) while the rate is still high, and only the annealing keeps it
#   shut over the last five epochs (at most {glue:text}`tw_sgd_onecycle_spread_last5_max:.3f`). <!-- claim: sgd-one-cycle-band-collapses-at-the-peak -->
# - **Adam** at a constant rate ends as well as with one-cycle ({glue:text}`tw_adam_constant_mean:.3f`, spread
#   {glue:text}`tw_adam_constant_spread:.3f`, against {glue:text}`tw_adam_onecycle_mean:.3f`, spread
#   {glue:text}`tw_adam_onecycle_spread:.3f`): it scales each weight's step by the size of its recent gradients
#   {cite:p}`kingma2015adam`, which already tames the steps. <!-- claim: adam-needs-no-schedule -->
#   One-cycle's warm-up only makes it start slower: after 3 epochs the median is
#   {glue:text}`tw_adam_onecycle_epoch3:.3f` with one-cycle and {glue:text}`tw_adam_constant_epoch3:.3f` without. <!-- claim: warm-up-slows-adams-start -->
#
# Three recipes (SGD with one-cycle, Adam with and without it) end within {glue:text}`tw_best_three_range:.3f` of
# each other. SGD with constant momentum ends {glue:text}`tw_sgd_momentum_gap:.3f` above the best of them, plain
# constant-rate SGD {glue:text}`tw_sgd_constant_gap:.3f` above. <!-- claim: three-recipes-end-together -->
#
# Where did Adam's peak of 0.01 come from? It was a round guess. The learning-rate range test
# {cite:p}`smith2017cyclical`, {py:func}`~nnbook.training.lr_find`, measures instead: it trains a copy of
# the model while the learning rate grows exponentially from $10^{-7}$ to 10, records the smoothed loss at
# every rate, and suggests a tenth of the rate where that loss is lowest. Each batch of 100 noisy points
# gives a noisy loss, so we let the test take 400 steps (10 epochs) instead of its default 100. Then we
# train the five seeds of Adam with one-cycle again, peaking at the suggested rate.

# %% mystnb={"image": {"alt": "The smoothed training loss of the learning-rate range test against the learning rate on a log axis, from 1e-7 to 10: flat at small rates, falling to a minimum, then shooting up; the suggested rate and, dotted, Adam's 0.01 are marked."}}
from nnbook.training import lr_find

nnbook.set_seed(0)
finder = lr_find(mlp([1, 50, 1]), split.train, optimizer="adam", batch_size=100, steps=400)
glue("tw_lrfind_suggestion", finder.suggestion)
glue("tw_lrfind_ratio", finder.suggestion / recipes["Adam, one-cycle"]["lr"])
at_suggestion = fit_seeds(lambda: mlp([1, 50, 1]), seeds, split.train, split.valid, epochs=30, batch_size=100,
                          optimizer="adam", schedule="one_cycle", lr=finder.suggestion)
glue("tw_lrfind_onecycle_mean", float(at_suggestion.final_valid_loss.mean()))
ax = finder.plot()
ax.axvline(recipes["Adam, one-cycle"]["lr"], color="k", ls=":", label="Adam's peak above, 0.01")
ax.legend(fontsize=8)
nnbook.show(ax.figure)

# %% [markdown]
# The test suggests a peak of {glue:text}`tw_lrfind_suggestion:.2f`, {glue:text}`tw_lrfind_ratio:.0f` times
# the 0.01 used above. Peaking there, Adam with one-cycle ends at a mean validation MSE of
# {glue:text}`tw_lrfind_onecycle_mean:.3f`, against {glue:text}`tw_adam_onecycle_mean:.3f` at 0.01: for this
# recipe the peak hardly matters over that range, so both the guess and the test's suggestion are safe
# choices. <!-- claim: lr-find-peak-trains-as-well -->
#
# ### How large a step can each schedule take?
#
# The two-linear-layer model of chapter 3 with 500 hidden numbers is the touchy one. We train it
# with SGD at four learning rates for 5 epochs, with a constant rate, with a constant rate and momentum 0.9, and
# with one-cycle (which, as above, also cycles the momentum), and note which runs blow up (`fit` stops as soon as
# the loss becomes NaN or infinite, and warns with a {py:class}`~nnbook.training.DivergenceWarning`, which we
# silence here with {py:class}`warnings.catch_warnings`).

# %%
columns = {
    "constant": dict(schedule="constant"),
    "constant + momentum": dict(schedule="constant", momentum=0.9),
    "one-cycle": dict(schedule="one_cycle"),
}


def largest_stable_rate(rates, **recipe) -> tuple[float, list[str]]:
    """Train the 500-wide linear model at each rate; return the largest that did not diverge, and each result."""
    results = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)  # we report divergence in the table instead
        for lr in rates:
            nnbook.set_seed(0)
            h = fit(mlp([1, 500, 1], activation=None), split.train, split.valid, epochs=5, lr=lr,
                    optimizer="sgd", batch_size=100, progress=False, **recipe)
            results.append("diverged" if h.diverged else f"{h.last['valid_loss']:.4f}")
    stable = [lr for lr, result in zip(rates, results, strict=True) if result != "diverged"]
    return max(stable, default=0.0), results


rates = (0.003, 0.005, 0.01, 0.02)
table = {name: largest_stable_rate(rates, **recipe) for name, recipe in columns.items()}
print(f"{'lr':>6}" + "".join(f"{name:>22}" for name in columns))
for i, lr in enumerate(rates):
    print(f"{lr:>6}" + "".join(f"{table[name][1][i]:>22}" for name in columns))
glue("tw_max_lr_constant", table["constant"][0])
glue("tw_max_lr_constant_momentum", table["constant + momentum"][0])
glue("tw_max_lr_onecycle_cycled", table["one-cycle"][0])
glue("tw_momentum_005_valid", float(table["constant + momentum"][1][rates.index(0.005)]));

# %% [markdown]
# With a constant rate and no momentum the largest rate that survives is {glue:text}`tw_max_lr_constant:g`; with
# one-cycle it is {glue:text}`tw_max_lr_onecycle_cycled:g`. But a constant rate *with* momentum 0.9 also survives
# {glue:text}`tw_max_lr_constant_momentum:g`. <!-- claim: momentum-also-tolerates-larger-rates -->
# "Survives" means only that the loss stayed finite: at 0.005 the momentum run ended at
# {glue:text}`tw_momentum_005_valid:.2f`, worse than the line of chapter 3, because at a constant rate the last epoch can
# land anywhere in a swing. <!-- claim: surviving-is-not-converging -->
# Momentum changes the arithmetic of chapter 1: a step that follows a running sum of gradients can damp an
# oscillation that a plain step would amplify. On a bowl like chapter 1's, momentum $\mu$ moves the stability limit
# from $2/\lambda_{\max}$ to $2(1 + \mu)/\lambda_{\max}$, almost twice as far for $\mu = 0.9$. Since PyTorch's one-cycle gives SGD a momentum of 0.85 to 0.95, this table cannot tell how much of
# one-cycle's tolerance is the schedule's; the second exercise below separates the two.
#
# ## Many seeds at once, and what that saves
#
# The headline recipe, Adam with one-cycle, over its five seeds ({py:func}`~nnbook.plots.plot_seed_curves`
# draws the curve of every seed over the data):

# %% mystnb={"image": {"alt": "The data with the fitted curves of the five seeds, which lie almost on top of each other."}}
best = runs["Adam, one-cycle"]
glue("nl_mse_relu_seeds_mean", best.final_valid_loss.mean())
glue("nl_mse_relu_seeds_std", best.final_valid_loss.std())
glue("nl_mse_relu_seeds_n", len(best.seeds))
with torch.no_grad():
    seed_curves = best.predict(grid)  # one curve per seed
glue("tw_seed_curves_max_gap", (seed_curves.max(dim=0).values - seed_curves.min(dim=0).values).mean())
nnbook.show(plot_seed_curves(best, x, y).figure)

# %% [markdown]
# Over {glue:text}`nl_mse_relu_seeds_n` seeds the validation MSE is {glue:text}`nl_mse_relu_seeds_mean:.3f`
# ± {glue:text}`nl_mse_relu_seeds_std:.3f` (mean ± standard deviation), and the five curves lie almost
# on top of each other: on average over the grid the highest and lowest of them are only
# {glue:text}`tw_seed_curves_max_gap:.3f` apart, a small fraction of the data's spread of 1. The fit of chapter 3 was
# not a lucky draw. <!-- claim: seeds-agree -->
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
# stack is {glue:text}`tw_seeds_max_difference:.1e`. <!-- claim: stacked-seeds-match-sequential -->
# The gain comes from doing the same Python work once per step for all seeds instead of once per seed; with models
# this small, that bookkeeping, not arithmetic, is most of the cost.
#
# ## Summary
#
# - One-cycle warms the learning rate up and anneals it down, and PyTorch's version also cycles SGD's momentum. For plain SGD, momentum alone narrows the seeds' spread most of the way and brings half or more of the gain in the mean; the schedule adds the rest and a calm finish. Adam, which adapts its steps per weight, needs no schedule here.
# - One run is an anecdote. Five seeds, shown as a band, make a comparison: Adam with one-cycle reaches {glue:text}`nl_mse_relu_seeds_mean:.3f` ± {glue:text}`nl_mse_relu_seeds_std:.3f`.
# - `fit_seeds` trains all the seeds as one vectorised model, here {glue:text}`nl_seeds_speedup:.1f` times faster than a loop over seeds, with the same results.
# - With one-cycle, training has three regimes: in the first epoch, whose steps all push the same way, the curve moves most, mostly finding the data's level; mid-training it tilts into the trend and then grows its bends; at the end it freezes.
#
# ## Exercises
#
# Each exercise asks you to predict first, then change the code or the data and run it. The solutions run the same
# code; they are folded away so that you can try first.
#
# ```{exercise}
# :label: train-regimes-constant
#
# The three regimes above came from a run with one-cycle. Predict which of them you would also see with Adam at a
# *constant* rate of 0.01, and which not. Then train it with a `Snapshots(grid, on="epoch")` callback and measure
# the movement in the first epoch, between epochs 9 and 10, and between the last two epochs, and the level, tilt and
# bend after epoch 1. The cell below does the training (its output is left out on this page); change the recipe and
# rerun.
# ```

# %% tags=["remove-output"]
constant_epochs = Snapshots(grid, on="epoch")
nnbook.set_seed(0)
fit(mlp([1, 50, 1]), split.train, split.valid, epochs=30, lr=0.01, optimizer="adam", batch_size=100,
    callbacks=[constant_epochs])
print("first epoch:", moved(constant_epochs.frames, 0, 1), " last epoch:", moved(constant_epochs.frames, -2, -1))

# %% [markdown]
# ```{solution-start} train-regimes-constant
# ```

# %%
glue("tw_const_move_first_epoch", moved(constant_epochs.frames, 0, 1))
glue("tw_const_move_mid", moved(constant_epochs.frames, 9, 10))
glue("tw_const_move_last", moved(constant_epochs.frames, -2, -1))
glue("tw_const_move_later_max", max(moved(constant_epochs.frames, k, k + 1) for k in range(1, 30)))
const_level_1, const_tilt_1, const_bend_1 = level_tilt_bend(constant_epochs.frames[1])
glue("tw_const_level_epoch1", const_level_1)
glue("tw_const_tilt_epoch1", const_tilt_1)
glue("tw_const_bend_epoch1", const_bend_1)
glue("tw_const_bend_epoch4", level_tilt_bend(constant_epochs.frames[4])[2])
glue("tw_const_bend_final", level_tilt_bend(constant_epochs.frames[-1])[2])
glue("tw_bend_epoch1", epoch_shape[1][2]);


# %% [markdown]
# With one-cycle, the three regimes are: a first epoch that moves the curve most
# ({glue:text}`tw_move_first_epoch:.3f`), nearly all of it finding the data's level; a middle in which the curve tilts
# into the trend and then grows its bends while jumping from epoch to epoch ({glue:text}`tw_move_mid:.3f` between
# epochs 9 and 10); and a frozen end ({glue:text}`tw_move_last:.4f` between the last two epochs).
#
# At a constant rate the first epoch still moves the curve most (by {glue:text}`tw_const_move_first_epoch:.3f`,
# against {glue:text}`tw_const_move_mid:.3f` between epochs 9 and 10), but it no longer only shifts it. Without the
# warm-up the first steps are full-sized, and after epoch 1 the curve has its level
# ({glue:text}`tw_const_level_epoch1:+.2f`), nearly its final tilt (slope {glue:text}`tw_const_tilt_epoch1:.2f`) and
# already a bend of {glue:text}`tw_const_bend_epoch1:.3f`, where the one-cycle run had a bend of
# {glue:text}`tw_bend_epoch1:.3f` after epoch 1 and reached {glue:text}`tw_bend_epoch4:.2f` only by epoch 4: level
# and tilt arrive together, and the bends start growing at once ({glue:text}`tw_const_bend_epoch4:.2f` by epoch 4, of a
# final {glue:text}`tw_const_bend_final:.2f`). <!-- claim: constant-rate-stages-run-together -->
# So the order "level, then tilt, then bends" is the warm-up's doing. The frozen end does not come either: the last
# epoch still moves the curve by {glue:text}`tw_const_move_last:.4f`, many times more than with
# one-cycle. <!-- claim: constant-rate-never-freezes -->
# Without annealing, every step stays as large as in the middle.
#
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: train-one-cycle-larger-lr
#
# Can the one-cycle schedule itself take a larger learning rate than a constant one, without the help of momentum?
# The {py:class}`~nnbook.training.Callback` below (`fit` calls its `before_fit` once, after it has built the
# optimizer and the schedule) switches off one-cycle's momentum cycling and holds SGD's momentum at a fixed value. Predict
# the largest stable rate of one-cycle with momentum 0, then add that column to the table with
# `largest_stable_rate(rates, schedule="one_cycle", callbacks=[FixedMomentum(0.0)])`.
# ```

# %%
class FixedMomentum(Callback):
    """Keep one-cycle from cycling SGD's momentum: hold it at ``momentum`` instead."""

    def __init__(self, momentum: float) -> None:
        self.momentum = momentum

    def before_fit(self, state) -> None:
        if state.scheduler is not None:
            state.scheduler.cycle_momentum = False  # OneCycleLR then leaves the momentum alone
        for group in state.optimizer.param_groups:
            group["momentum"] = self.momentum


# %% [markdown]
# ```{solution-start} train-one-cycle-larger-lr
# ```

# %%
glue("tw_max_lr_onecycle", largest_stable_rate(rates, schedule="one_cycle", callbacks=[FixedMomentum(0.0)])[0]);

# %% [markdown]
# Yes. With no momentum at all, one-cycle survives a learning rate of {glue:text}`tw_max_lr_onecycle:g`, where a
# constant rate survives only {glue:text}`tw_max_lr_constant:g`. <!-- claim: one-cycle-alone-tolerates-larger-rates -->
# The warm-up is what helps: the first steps, taken while the random weights are still far off and the gradients
# are large, are small ones. Momentum 0.9 at a constant rate reaches the same {glue:text}`tw_max_lr_constant_momentum:g`
# by another route, and the two together (one-cycle's default) reach {glue:text}`tw_max_lr_onecycle_cycled:g`: on
# this grid of rates they do not add up.
#
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: train-small-data
#
# New data: train the ReLU network with Adam and one-cycle on `wiggly_curve(n=500, seed=40)` (split as above),
# with `batch_size=10` so that an epoch is still 40 steps, over five seeds. Predict how the mean and the spread of
# the validation MSE will change, then run the cell below (its output is left out on this page; change `n_points` and `batch` to try others).
# ```

# %% tags=["remove-output"]
n_points, batch = 500, 10
small = train_valid_split(*wiggly_curve(n=n_points, seed=40), valid_fraction=0.2, seed=42)
small_run = fit_seeds(lambda: mlp([1, 50, 1]), seeds, small.train, small.valid, epochs=30, batch_size=batch,
                      **recipes["Adam, one-cycle"])
print("final validation MSE per seed:", [round(v, 4) for v in small_run.final_valid_loss.tolist()])

# %% [markdown]
# ```{solution-start} train-small-data
# ```

# %%
glue("tw_small_mean", small_run.final_valid_loss.mean())
glue("tw_small_spread", small_run.final_valid_loss.max() - small_run.final_valid_loss.min());

# %% [markdown]
# With a tenth of the data the validation MSE rises to {glue:text}`tw_small_mean:.3f` on average (from
# {glue:text}`tw_adam_onecycle_mean:.3f`), and the seeds disagree more: a spread of {glue:text}`tw_small_spread:.3f`
# against {glue:text}`tw_adam_onecycle_spread:.3f`. <!-- claim: small-data-worse-and-less-reliable -->
# The network has fewer points to pin its bends to, each batch of 10 gives a noisier gradient, and 100 validation
# points measure the MSE less precisely.
#
# ```{solution-end}
# ```
