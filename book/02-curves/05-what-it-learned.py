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
# # What did the network learn?
#
# A network with one hidden layer of 50 ReLU units fits the wiggly curve. In high dimensions, with
# images or text, we could hardly look inside such a network; here the input is a single number, so
# every hidden unit is a function of $x$ that we can simply plot. This chapter opens the network up,
# finds the few units that do most of the work, and writes the prediction as a weighted sum of them.
# Then it varies the two choices we made without discussion: the width of the hidden layer and the
# activation function.
#
# **Learning objectives.** After this chapter you can
#
# - read a one-hidden-layer network as $\hat y(x) = \sum_i w_i\, h_i(x) + b$: learned features $h_i$ mixed by the last layer;
# - find the most important features by the size of their last-layer weights, and say when that ranking is fair;
# - plot the features and the decomposition of the prediction with `nnbook.analysis`;
# - measure, over several seeds, how the hidden size and the activation affect the fit.

# %% tags=["hide-cell"]
# On a fresh Colab or Binder runtime, install the book's package first; elsewhere this does nothing.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("nnbook") is None:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "git+https://github.com/nnbook/nnbook"], check=True)

# %% [markdown]
# ## A network trained with weight decay
#
# The last layer computes $\hat y = \sum_i w_i h_i(x) + b$, where $h_i(x) = \mathrm{relu}(a_i x + c_i)$
# is hidden unit $i$. A large $|w_i|$ suggests that unit $i$ matters, but only if the units are on
# comparable scales: a unit whose output is tiny could carry a huge weight and still contribute
# little. Weight decay, a small pull of every weight towards zero at every step, discourages such
# lopsided pairs, because a large $w_i$ times a tiny $h_i$ costs more than two moderate numbers
# {cite:p}`krogh1992simple`. So we train the network of chapter 3 ({py:func}`~nnbook.models.mlp`, trained by
# {py:func}`~nnbook.training.fit`) once more with `weight_decay=0.1` and `optimizer="adamw"`, which shrinks
# every weight by the same fraction at every step {cite:p}`loshchilov2019decoupled` (chapter 7 uses weight
# decay with plain Adam, and a note there says how the two differ), and otherwise the same recipe, on the same data ({py:func}`~nnbook.data.wiggly_curve`, split by
# {py:func}`~nnbook.data.train_valid_split`). As before, {py:func}`~nnbook.set_seed` fixes the random start,
# {py:func}`~nnbook.glue` hands numbers to the text and {py:func}`~nnbook.show` displays figures.

# %%
from functools import partial

import matplotlib.pyplot as plt
import torch

import nnbook
from nnbook import glue
from nnbook.analysis import feature_decomposition, hidden_features
from nnbook.data import train_valid_split, wiggly_curve
from nnbook.models import mlp
from nnbook.plots import plot_decomposition, plot_seed_curves, plot_sweep, plot_top_features
from nnbook.training import fit, fit_seeds

x, y = wiggly_curve(n=5000, seed=40)
split = train_valid_split(x, y, valid_fraction=0.2, seed=42)

nnbook.set_seed(0)
model = mlp([1, 50, 1])
history = fit(model, split.train, split.valid, epochs=30, lr=0.01, optimizer="adamw", weight_decay=0.1,
              schedule="one_cycle", batch_size=100)
glue("nl_mse_wd", history.last["valid_loss"])

nnbook.set_seed(0)  # chapter 3's network and recipe, without weight decay, for comparison
no_decay = mlp([1, 50, 1])
history_no_decay = fit(no_decay, split.train, split.valid, epochs=30, lr=0.01, optimizer="adam",
                       schedule="one_cycle", batch_size=100, progress=False)
glue("nl_mse_no_wd", history_no_decay.last["valid_loss"]);

# %% [markdown]
# The validation MSE is {glue:text}`nl_mse_wd:.3f`, a little above the {glue:text}`nl_mse_no_wd:.3f` of
# chapter 3's recipe without weight decay <!-- claim: weight-decay-costs-a-little -->: the pull towards zero
# flattens the curve's sharpest bends slightly. In
# exchange the weights are easier to compare, which is what we need next.
#
# ## The most important features
#
# {py:func}`~nnbook.analysis.feature_decomposition` takes the 10 hidden units with the largest last-layer weights by
# magnitude, runs the sorted inputs through the first layer and its ReLU, and keeps those units'
# outputs; {py:func}`~nnbook.plots.plot_top_features` plots them. {py:func}`~nnbook.analysis.hidden_features`
# gives the outputs of all 50 units, to count how many are ever active.

# %%
d = feature_decomposition(model, x, k=10)
print("units:  ", d.indices.tolist())
print("weights:", [round(w, 2) for w in d.weights.tolist()])
active = (hidden_features(model, x) > 0).any(dim=0)
glue("nl_active_units", int(active.sum()))
first = model.hidden1
kinks = -first.bias[d.indices] / first.weight[d.indices, 0]  # where a·x + c = 0
glue("nl_top_kinks_inside", int(((kinks >= 0) & (kinks < 1)).sum()))
nnbook.show(plot_top_features(d).figure)

# %% [markdown]
# Each feature is a hinge: zero on one side of a kink and a straight ramp on the other, because it
# is $\max(a_i x + c_i, 0)$. The kink sits at $x = -c_i / a_i$; for {glue:text}`nl_top_kinks_inside` of the
# 10 main units it lies inside the data's range $[0, 1)$, where a bend can shape the curve.
# Of the 50 units, {glue:text}`nl_active_units` are non-zero <!-- claim: top-kinks-inside-data -->
# somewhere on $[0, 1)$; the others are switched off everywhere on the data and contribute only a
# constant (zero), so they could be removed.
#
# ## The prediction as a weighted sum of features
#
# Read the next figure, drawn by {py:func}`~nnbook.plots.plot_decomposition`, from top to bottom: each panel is one feature multiplied by its weight,
# $w_i h_i(x)$, and the bottom panel adds them up (plus the bias) and lays the sum over the network's
# actual prediction.

# %%
glue("nl_topk_recon", d.explained)
nnbook.show(plot_decomposition(d, x, y))

# %% [markdown]
# The bendy curve is nothing but a sum of a few ramps: where one ramp switches on, the slope of the
# sum changes, so the prediction is a chain of straight pieces joined at the kinks. The top 10
# features alone reproduce {glue:text}`nl_topk_recon:.1%` of the variance of the prediction.
# <!-- claim: top-ten-reproduce-prediction -->
#
# How many features does it take? The same measure for every $k$:

# %%
ks = list(range(1, 51))
explained = [feature_decomposition(model, x, k=k).explained for k in ks]
k90 = next(k for k, e in zip(ks, explained, strict=True) if e >= 0.9)
glue("nl_k_for_90", k90)
dip = min(range(k90, 10), key=lambda i: explained[i])  # the lowest share among k = k90 + 1, ..., 10
glue("nl_k_dip_k", dip + 1)
glue("nl_k_dip_share", explained[dip])
fig, ax = plt.subplots(figsize=(5.5, 3.2), layout="constrained")
ax.plot(ks, explained, "o-", ms=3)
ax.set(xlabel="k, the number of top features kept", ylabel="share of the prediction's variance", ylim=(0, 1.05))
nnbook.show(fig)

# %% [markdown]
# {glue:text}`nl_k_for_90` features already give 90 %. <!-- claim: few-features-give-ninety-percent -->
# Adding features does not always help, though: with {glue:text}`nl_k_dip_k` the share dips to
# {glue:text}`nl_k_dip_share:.0%`, because the terms of some units partly cancel each other and one of them alone
# overshoots; all 10 together give {glue:text}`nl_topk_recon:.1%`. <!-- claim: share-not-monotone-in-k -->
#
# ## Extension: how wide a hidden layer?
#
# Now the two choices we never questioned. First the width: 2, 5, 10, 50 or 500 hidden ReLU units,
# three seeds each, all trained together per width with {py:func}`~nnbook.training.fit_seeds`. To keep the sweep quick we use
# 20 epochs with a peak learning rate of 0.03 (Adam, one-cycle); on the 50-unit network this shorter,
# hotter recipe fits as well as the 30 epochs of chapter 3 (compare {glue:text}`nl_ext_hidden_50:.3f` below
# with {glue:text}`nl_mse_no_wd:.3f`). <!-- claim: short-recipe-fits-as-well -->
# `fit_seeds` wants a function that builds a fresh network; `partial(mlp, [1, hidden, 1])` is one.
# {py:func}`~nnbook.plots.plot_sweep` then shows one dot per seed for each width.

# %%
sizes = [2, 5, 10, 50, 500]
by_size = {}
for hidden in sizes:
    run = fit_seeds(partial(mlp, [1, hidden, 1]), range(3), split.train, split.valid,
                    epochs=20, lr=0.03, optimizer="adam", schedule="one_cycle", batch_size=100)
    by_size[hidden] = run.final_valid_loss
    glue(f"nl_ext_hidden_{hidden}", run.final_valid_loss.mean())
small = torch.cat([by_size[h] for h in (2, 5, 10)])
glue("nl_ext_small_runs", len(small))
glue("nl_ext_small_stuck", int((small >= 0.75).sum()))
glue("nl_ext_hidden_50_worst", by_size[50].max())
ones = torch.ones_like(split.train[0])
design = torch.cat([split.train[0], ones], dim=1)
line_fit = torch.linalg.lstsq(design, split.train[1]).solution
glue("nl_line_mse", ((torch.cat([split.valid[0], torch.ones_like(split.valid[0])], dim=1) @ line_fit - split.valid[1]) ** 2).mean())
nnbook.show(plot_sweep(by_size, xlabel="hidden units", log_x=True).figure)

# %% [markdown]
# The small networks are not just less accurate, they are unreliable. Of the
# {glue:text}`nl_ext_small_runs` runs with 2, 5 or 10 units, {glue:text}`nl_ext_small_stuck` ended at
# a validation MSE of 0.75 or worse, no better than the straight line ({glue:text}`nl_line_mse:.3f`).
# With few hinges, it takes only a few bad starts to leave <!-- claim: small-networks-unreliable -->
# nothing that can bend: a unit whose kink lies outside $[0, 1)$ is a plain line on the data, and a unit
# that outputs zero everywhere gets zero gradient and never recovers. On average 2 units give
# {glue:text}`nl_ext_hidden_2:.3f`, 5 give {glue:text}`nl_ext_hidden_5:.3f` and 10 give
# {glue:text}`nl_ext_hidden_10:.3f`. <!-- claim: wider-is-better-up-to-fifty --> With 50 units
# ({glue:text}`nl_ext_hidden_50:.3f`) every seed fits, with a worst seed of
# {glue:text}`nl_ext_hidden_50_worst:.3f`, and 500 ({glue:text}`nl_ext_hidden_500:.3f`) adds little: the
# curve has one bump and one dip, and with 4000 training points even 500 units do not overfit
# noticeably. <!-- claim: five-hundred-adds-little --> Width here buys reliability more than accuracy.
#
# ## Extension: which activation?
#
# Next the activation, with 50 hidden units and the same recipe: ReLU, Tanh, Sigmoid, LeakyReLU (a
# ReLU with a small slope for negative inputs) and PReLU (whose negative slope is learned). A second figure
# draws every seed's curve for each activation with {py:func}`~nnbook.plots.plot_seed_curves`.

# %%
activations = ["relu", "tanh", "sigmoid", "leaky_relu", "prelu"]
by_act, act_runs = {}, {}
for act in activations:
    act_runs[act] = fit_seeds(partial(mlp, [1, 50, 1], activation=act), range(3), split.train, split.valid,
                              epochs=20, lr=0.03, optimizer="adam", schedule="one_cycle", batch_size=100)
    by_act[act] = act_runs[act].final_valid_loss
    glue(f"nl_ext_act_{act}", act_runs[act].final_valid_loss.mean())
nnbook.show(plot_sweep(by_act, xlabel="activation").figure)

fig, axes = plt.subplots(1, len(activations), figsize=(15, 3), sharey=True, layout="constrained")
for ax, act in zip(axes, activations, strict=True):
    plot_seed_curves(act_runs[act], x, y, ax=ax)
    ax.set_title(act)
nnbook.show(fig)

# %% [markdown]
# The ReLU family (ReLU {glue:text}`nl_ext_act_relu:.3f`, LeakyReLU {glue:text}`nl_ext_act_leaky_relu:.3f`,
# PReLU {glue:text}`nl_ext_act_prelu:.3f`) fits the curve best within this budget; Tanh comes next
# ({glue:text}`nl_ext_act_tanh:.3f`) and Sigmoid lags far behind ({glue:text}`nl_ext_act_sigmoid:.3f`).
# The curves in the second <!-- claim: relu-family-best-sigmoid-last -->
# figure show the difference in kind: ReLU networks draw straight pieces joined at kinks, Tanh and
# Sigmoid networks draw smooth curves. Two properties of the sigmoid slow it down: its slope is at most ¼,
# a factor by which every gradient that passes through it is multiplied, and its output is never
# negative, so all the weights of the next layer receive updates of the same sign from one point.
#
# ## Summary
#
# - A one-hidden-layer network predicts $\sum_i w_i h_i(x) + b$: its hidden units are learned features, here ReLU hinges, mixed linearly by the last layer.
# - With weight decay the last-layer weights rank the features fairly; the top 10 reproduce {glue:text}`nl_topk_recon:.1%` of the prediction's variance.
# - The prediction of a ReLU network is piecewise linear, with its kinks placed where the data bends.
# - With a few hidden units, many seeds never leave the straight line; 50 units fit reliably. Within the same 20 epochs ReLU-like activations fit best, Tanh follows, Sigmoid lags far behind.
#
# ## Exercises
#
# :::{exercise} What did it learn?
# :label: ex-learned-words
#
# Describe in words what the hidden layer of the ReLU network learned, and how the last layer turns it into
# the bump and the dip of the prediction.
# :::
#
# :::{solution} ex-learned-words
# :class: dropdown
#
# A set of hinge functions of $x$, each zero on one side of its kink and a ramp on the other. The
# last layer adds them with positive and negative weights so that the slope of the sum changes at
# every kink: up the first rise, over the bump, down into the dip and up again. The top 10 of them
# reproduce {glue:text}`nl_topk_recon:.1%` of the prediction's variance.
# :::
#
# :::{exercise} More epochs for small networks?
# :label: ex-learned-small-longer
#
# Of the nine runs with 2, 5 or 10 hidden units, {glue:text}`nl_ext_small_stuck` stayed at the straight line
# after 20 epochs. Predict: is that a matter of training time? Train the three 5-unit seeds for
# {glue:text}`ex_small_long_epochs` epochs instead of 20 (edit `epochs` below) and count how many still end at
# 0.75 or worse.
# :::

# %%
# Starter: the 5-unit networks of the sweep; change epochs and rerun.
small_epochs = 20
small_run = fit_seeds(partial(mlp, [1, 5, 1]), range(3), split.train, split.valid,
                      epochs=small_epochs, lr=0.03, optimizer="adam", schedule="one_cycle", batch_size=100)
print("validation MSE per seed:", [round(v, 3) for v in small_run.final_valid_loss.tolist()])

# %% [markdown]
# ```{solution-start} ex-learned-small-longer
# :class: dropdown
# ```

# %%
small_long_epochs = glue("ex_small_long_epochs", 60)
small_long = fit_seeds(partial(mlp, [1, 5, 1]), range(3), split.train, split.valid,
                       epochs=small_long_epochs, lr=0.03, optimizer="adam", schedule="one_cycle", batch_size=100)
glue("ex_small_long_stuck", int((small_long.final_valid_loss >= 0.75).sum()))
glue("ex_small_short_stuck", int((by_size[5] >= 0.75).sum()))
print("validation MSE per seed:", [round(v, 3) for v in small_long.final_valid_loss.tolist()])


# %% [markdown]
# After {glue:text}`ex_small_long_epochs` epochs, {glue:text}`ex_small_long_stuck` of the three 5-unit seeds
# still end at 0.75 or worse, against {glue:text}`ex_small_short_stuck` after 20 epochs.
# Time does not rescue them: a unit that is switched off on all the <!-- claim: longer-training-no-rescue -->
# data receives no gradient, however long we train, and a network with few units has no spare ones. The cure
# is width (or a start that keeps every unit alive), not epochs.
#
# ```{solution-end}
# ```
#
# :::{exercise} Activation
# :label: ex-learned-activation
#
# What effect does the choice of nonlinearity have? Early neural networks used smooth functions like Tanh and
# Sigmoid almost exclusively; was the ReLU a good idea?
# :::
#
# :::{solution} ex-learned-activation
# :class: dropdown
#
# With the same budget of 20 epochs, ReLU ({glue:text}`nl_ext_act_relu:.3f`), LeakyReLU
# ({glue:text}`nl_ext_act_leaky_relu:.3f`) and PReLU ({glue:text}`nl_ext_act_prelu:.3f`) fit best, Tanh
# ({glue:text}`nl_ext_act_tanh:.3f`) is behind and Sigmoid ({glue:text}`nl_ext_act_sigmoid:.3f`) far
# behind. The ReLU {cite:p}`nair2010rectified` was a good idea for other reasons too: it is the cheapest
# function to compute, its slope is exactly 1 wherever it is active, so gradients are not multiplied by a
# factor below 1 at every layer as they are through Tanh and Sigmoid units, and its kinks make the model
# easy to read, as this chapter did.
# :::
#
# :::{exercise} Without weight decay
# :label: ex-learned-no-decay
#
# Repeat the feature analysis on the network trained without weight decay (`no_decay`, above). Predict: is
# ranking the units by $|w_i|$ still fair? Compare the top 10 by $|w_i|$ with the top 10 by the size of each
# unit's actual contribution, $|w_i|$ times the spread of its feature over the data, for both networks.
# :::
#
# ```{solution-start} ex-learned-no-decay
# :class: dropdown
# ```
#
# Without weight decay nothing stops a unit from having a small output range and a large weight, or the
# reverse, and then the ranking by $|w_i|$ would mix up the two. The check multiplies each weight by the
# spread of its feature:

# %%
def ranking_overlap(net: torch.nn.Module) -> int:
    """How many of the 10 units with the largest |w| are also among the 10 largest contributions |w|·std(h)."""
    w = net.output.weight.detach()[0].abs()
    contribution = w * hidden_features(net, x).std(dim=0)
    return len(set(w.topk(10).indices.tolist()) & set(contribution.topk(10).indices.tolist()))


glue("ex_overlap_wd", ranking_overlap(model))
glue("ex_overlap_no_wd", ranking_overlap(no_decay))

# %% [markdown]
# With weight decay, {glue:text}`ex_overlap_wd` of the top 10 by $|w_i|$ are also among the top 10 by
# contribution; without it, {glue:text}`ex_overlap_no_wd`. <!-- claim: both-rankings-agree-here -->
# So here the ranking by $|w_i|$ happens to be fair even without decay. That is not guaranteed; weight decay makes it the rule,
# and the product $|w_i| \cdot \text{std}(h_i)$ is the safer ranking whenever the scales are unknown.
#
# ```{solution-end}
# ```
