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
# little. Weight decay, a small pull of every weight towards zero at every step, is meant to discourage such
# lopsided pairs, because a large $w_i$ times a tiny $h_i$ costs more than two moderate numbers
# {cite:p}`krogh1992simple`. The course notebook this chapter follows trains with weight decay 0.1 for this
# analysis, and so do we (whether it makes the ranking fairer here is the last exercise's question). We train the network of chapter 3 ({py:func}`~nnbook.models.mlp`, trained by
# {py:func}`~nnbook.training.fit`) once more with `weight_decay=0.1` and `optimizer="adamw"`, which shrinks
# every weight by the same fraction, the step's learning rate times 0.1, at every step {cite:p}`loshchilov2019decoupled` (chapter 7 uses weight
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
# chapter 3's recipe without weight decay: the pull towards zero costs some accuracy. <!-- claim: weight-decay-costs-a-little -->
#
# ## The most important features
#
# {py:func}`~nnbook.analysis.feature_decomposition` takes the 10 hidden units with the largest last-layer weights by
# magnitude, runs the sorted inputs through the first layer and its ReLU, and keeps those units'
# outputs; {py:func}`~nnbook.plots.plot_top_features` plots them. {py:func}`~nnbook.analysis.hidden_features`
# gives the outputs of all 50 units, to count how many are ever active.

# %% mystnb={"image": {"alt": "The outputs of the 10 top hidden units over x, each a hinge: zero on one side of its kink and a straight ramp on the other, each labelled with its last-layer weight."}}
d = feature_decomposition(model, x, k=10)
print("units:  ", d.indices.tolist())
print("weights:", [round(w, 2) for w in d.weights.tolist()])
active = (hidden_features(model, x) > 0).any(dim=0)
glue("nl_active_units", int(active.sum()))
first = model.hidden1
kinks = -first.bias[d.indices] / first.weight[d.indices, 0]  # where a·x + c = 0
glue("nl_top_kinks_inside", int(((kinks >= 0) & (kinks < 1)).sum()))
turns = torch.tensor([torch.pi / 9, 2 * torch.pi / 9])  # where 0.5 sin(6x) + 1.5x, the noise-free mean, turns
glue("nl_top_kinks_at_turns", int(((kinks[:, None] - turns).abs().min(dim=1).values < 0.05).sum()))
nnbook.show(plot_top_features(d).figure)

# %% [markdown]
# Each feature is a hinge: zero on one side of a kink and a straight ramp on the other, because it
# is $\max(a_i x + c_i, 0)$. The kink sits at $x = -c_i / a_i$; for {glue:text}`nl_top_kinks_inside` of the
# 10 main units it lies inside the data's range $[0, 1)$, where a bend can shape the curve, and for
# {glue:text}`nl_top_kinks_at_turns` within 0.05 of the top of the bump or the bottom of the dip, where the noise-free
# curve turns ($x = \pi/9$ and $2\pi/9$). <!-- claim: top-kinks-at-the-turns -->
# Of the 50 units, {glue:text}`nl_active_units` are non-zero <!-- claim: top-kinks-inside-data -->
# somewhere on $[0, 1)$; the others are switched off everywhere on the data and contribute only a
# constant (zero), so they could be removed.
#
# ## The prediction as a weighted sum of features
#
# Read the next figure, drawn by {py:func}`~nnbook.plots.plot_decomposition`, from top to bottom: each panel is one feature multiplied by its weight,
# $w_i h_i(x)$, and the bottom panel adds them up (plus the bias) and lays the sum over the network's
# actual prediction.

# %% mystnb={"image": {"alt": "Stacked panels, one per top unit, each showing its weighted output w\u00b7h(x); the bottom panel draws their sum plus the bias over the network's prediction: the same shape, shifted up a little."}}
glue("nl_topk_recon", d.explained)
rest = d.reconstruction - d.prediction  # minus what the other 40 units add
glue("nl_recon_offset", rest.mean().item())
glue("nl_recon_offset_std", rest.std().item())
nnbook.show(plot_decomposition(d, x, y))

# %% [markdown]
# The bendy curve is nothing but a sum of a few ramps: where one ramp switches on, the slope of the
# sum changes, so the prediction is a chain of straight pieces joined at the kinks. The top 10
# features alone reproduce {glue:text}`nl_topk_recon:.1%` of the variance of the prediction.
# <!-- claim: top-ten-reproduce-prediction -->
# In the bottom panel the sum runs parallel to the prediction, about {glue:text}`nl_recon_offset:.2f` above it: the
# other 40 units together take off that much, and nearly the same amount everywhere (the gap varies by only
# {glue:text}`nl_recon_offset_std:.3f`, one standard deviation, over the data). A share of variance measures the
# shape of the prediction, not its level, so it does not count that offset. <!-- claim: other-units-add-an-offset -->
#
# How many features does it take? The same measure for every $k$:

# %% mystnb={"image": {"alt": "The share of the prediction's variance reproduced by the top k features, for k from 1 to 50: it rises unevenly, passes 90 % at a handful of features, falls back below it for a few more, and stays near 100 % from k = 10 on."}}
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

# %% mystnb={"image": {"alt": "The validation MSE of each seed against the number of hidden units, 2 to 500 on a log axis: at 2, 5 and 10 units several seeds sit at the straight line's level; from 50 units on every seed is low."}}
sizes = [2, 5, 10, 50, 500]
by_size = {}
for hidden in sizes:
    run = fit_seeds(partial(mlp, [1, hidden, 1]), range(3), split.train, split.valid,
                    epochs=20, lr=0.03, optimizer="adam", schedule="one_cycle", batch_size=100)
    by_size[hidden] = run.final_valid_loss
    glue(f"nl_ext_hidden_{hidden}", run.final_valid_loss.mean())
    stuck = run.final_valid_loss >= 0.75
    h = torch.stack([hidden_features(run.model(i), x) > 0 for i in range(3)])  # (seed, point, unit): is it on?
    bends = h.any(dim=1) & ~h.all(dim=1)  # on somewhere and off somewhere: its kink is inside the data
    glue(f"nl_ext_stuck_bending_{hidden}", int(bends[stuck].sum()))
    if hidden == 500:
        glue("nl_ext_hidden_500_train", run.final_train_loss.mean())
small = torch.cat([by_size[h] for h in (2, 5, 10)])
glue("nl_ext_small_runs", len(small))
glue("nl_ext_small_stuck", int((small >= 0.75).sum()))
glue("nl_ext_hidden_50_worst", by_size[50].max())
bent = {h: by_size[h][by_size[h] < 0.75] for h in (5, 10)}  # the runs that left the straight line
glue("nl_ext_bent_5_best", bent[5].min())
glue("nl_ext_bent_10_best", bent[10].min())
for hidden in sizes:
    print(f"{hidden:4d} hidden units: validation MSE per seed", [round(v, 3) for v in by_size[hidden].tolist()])
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
# that outputs zero everywhere gets zero gradient and never recovers. In none of the stuck runs does a single
# unit bend inside the data. <!-- claim: stuck-runs-bend-nowhere --> On average 2 units give
# {glue:text}`nl_ext_hidden_2:.3f`, 5 give {glue:text}`nl_ext_hidden_5:.3f` and 10 give
# {glue:text}`nl_ext_hidden_10:.3f`. <!-- claim: wider-is-better-up-to-fifty --> With 50 units
# ({glue:text}`nl_ext_hidden_50:.3f`) every seed fits, with a worst seed of
# {glue:text}`nl_ext_hidden_50_worst:.3f`, and 500 ({glue:text}`nl_ext_hidden_500:.3f`) adds little: the
# curve has one bump and one dip, and with 4000 training points even 500 units do not overfit
# noticeably (their training MSE is {glue:text}`nl_ext_hidden_500_train:.3f`). <!-- claim: five-hundred-adds-little -->
# Width buys accuracy as well as reliability: the small networks that did leave the line still fit worse, the best
# 5-unit run at {glue:text}`nl_ext_bent_5_best:.3f` and the best 10-unit run at {glue:text}`nl_ext_bent_10_best:.3f`,
# against {glue:text}`nl_ext_hidden_50_worst:.3f` for the worst 50-unit run. <!-- claim: width-buys-accuracy-too -->
#
# ## Extension: which activation?
#
# Next the activation, with 50 hidden units and the same recipe: ReLU, Tanh, Sigmoid, LeakyReLU (a
# ReLU with a small slope for negative inputs) and PReLU (whose negative slope is learned). A second figure
# draws every seed's curve for each activation with {py:func}`~nnbook.plots.plot_seed_curves`.

# %% mystnb={"image": {"alt": "The validation MSE of each seed for each activation: low for ReLU, LeakyReLU and PReLU, a little higher for Tanh, far higher for Sigmoid."}}
activations = ["relu", "tanh", "sigmoid", "leaky_relu", "prelu"]
by_act, act_runs = {}, {}
for act in activations:
    act_runs[act] = fit_seeds(partial(mlp, [1, 50, 1], activation=act), range(3), split.train, split.valid,
                              epochs=20, lr=0.03, optimizer="adam", schedule="one_cycle", batch_size=100)
    by_act[act] = act_runs[act].final_valid_loss
    glue(f"nl_ext_act_{act}", act_runs[act].final_valid_loss.mean())
nnbook.show(plot_sweep(by_act, xlabel="activation").figure)

# %% mystnb={"image": {"alt": "Five panels of the data with every seed's curve for ReLU, Tanh, Sigmoid, LeakyReLU and PReLU: the ReLU-like curves are straight pieces that follow the data, Tanh is smooth and follows the bump and the dip but falls short of the last rise, Sigmoid rises and then stays flat across the bump and the dip."}}
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
# Sigmoid networks draw smooth curves.
#
# Why does Sigmoid lag so far? Not because its output is never negative: a ReLU's never is either, and it fits best.
# Look instead at how the units start. PyTorch draws each first-layer weight and bias of `nn.Linear` uniformly from
# $\pm 1/\sqrt{\text{inputs}}$, here $\pm 1$, so over the data each unit sees $z = a x + c$ move through a window at
# most 1 wide. The sigmoid is nearly straight over such a window; the tanh, $\tanh(z) = 2\sigma(2z) - 1$, is the same
# curve squeezed twice as steep; a ReLU unit has its kink inside the data or not at all. The next cell measures, for
# each activation at the start of training, how much of a unit's variation over $[0, 1)$ a straight line misses (on
# average over the units), and then trains the Sigmoid network again from a start whose first-layer weights and
# biases are four times as large.

# %%
on_data = torch.linspace(0, 1, 200)[:, None]
line_basis = torch.cat([on_data, torch.ones_like(on_data)], dim=1)


def curvature_share(net: torch.nn.Module) -> float:
    """The average share of a hidden unit's variance over [0, 1) that its closest straight line misses."""
    h = hidden_features(net, on_data)
    missed = (h - line_basis @ torch.linalg.lstsq(line_basis, h).solution).pow(2).mean(dim=0)
    varies = h.var(dim=0) > 0  # a unit that is zero everywhere has nothing to miss
    return (missed[varies] / h.var(dim=0, unbiased=False)[varies]).mean().item()


for act in ("relu", "tanh", "sigmoid"):
    nnbook.set_seed(0)
    glue(f"nl_start_curvature_{act}", curvature_share(mlp([1, 50, 1], activation=act)))


def steep_sigmoid_net() -> torch.nn.Module:
    """The 50-unit Sigmoid network, with its first-layer weights and biases four times PyTorch's default."""
    net = mlp([1, 50, 1], activation="sigmoid")
    with torch.no_grad():
        net.hidden1.weight.mul_(4)
        net.hidden1.bias.mul_(4)
    return net


steep = fit_seeds(steep_sigmoid_net, range(3), split.train, split.valid, epochs=20, lr=0.03, optimizer="adam",
                  schedule="one_cycle", batch_size=100, progress=False)
glue("nl_ext_act_sigmoid_steep", steep.final_valid_loss.mean());

# %% [markdown]
# At the start a straight line misses only {glue:text}`nl_start_curvature_sigmoid:.2%` of a Sigmoid unit's
# variation over the data, against {glue:text}`nl_start_curvature_tanh:.1%` for a Tanh unit and
# {glue:text}`nl_start_curvature_relu:.0%` for a ReLU unit. <!-- claim: sigmoid-units-start-straight -->
# A network of nearly straight units is nearly a line, and it must first grow its weights before it can bend. Started
# with weights four times as large, the Sigmoid network reaches {glue:text}`nl_ext_act_sigmoid_steep:.3f` in the same
# 20 epochs, level with Tanh's {glue:text}`nl_ext_act_tanh:.3f` instead of {glue:text}`nl_ext_act_sigmoid:.3f`. <!-- claim: steep-start-rescues-sigmoid -->
# So within this budget the start decides much of the ranking: the default start suits the ReLU.
#
# ## Summary
#
# - A one-hidden-layer network predicts $\sum_i w_i h_i(x) + b$: its hidden units are learned features, here ReLU hinges, mixed linearly by the last layer.
# - Ranking the units by their last-layer weights $|w_i|$ is fair only when their outputs have comparable scales; $|w_i| \cdot \text{std}(h_i)$ ranks them by what they contribute. The top 10 reproduce {glue:text}`nl_topk_recon:.1%` of the prediction's variance.
# - The prediction of a ReLU network is piecewise linear, with its kinks gathered at the bump and the dip.
# - With a few hidden units, many seeds never leave the straight line, and those that do still fit worse; 50 units fit reliably, 500 add little. Within the same 20 epochs ReLU-like activations fit best, Tanh follows, Sigmoid lags far behind, mostly because its units start out nearly straight over the data.
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
# Of the nine runs with 2, 5 or 10 hidden units, {glue:text}`nl_ext_small_stuck` ended at 0.75 or worse, no
# better than the straight line, after 20 epochs. Predict: is that a matter of training time? Train the three 5-unit seeds for
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
glue("ex_small_long_best", small_long.final_valid_loss.min())
stuck_on = [hidden_features(small_long.model(i), x) > 0 for i in range(3) if small_long.final_valid_loss[i] >= 0.75]
glue("ex_small_long_stuck_on_everywhere", sum(int(on.all(dim=0).sum()) for on in stuck_on))
glue("ex_small_long_stuck_bending", sum(int((on.any(dim=0) & ~on.all(dim=0)).sum()) for on in stuck_on))
print("validation MSE per seed:", [round(v, 3) for v in small_long.final_valid_loss.tolist()])


# %% [markdown]
# After {glue:text}`ex_small_long_epochs` epochs, {glue:text}`ex_small_long_stuck` of the three 5-unit seeds
# still end at 0.75 or worse, against {glue:text}`ex_small_short_stuck` after 20 epochs.
# Time does not rescue them: a unit that is switched off on all the <!-- claim: longer-training-no-rescue -->
# data receives no gradient, however long we train, and a unit that is on over all the data is a straight line
# there, whose gradient can only move the line. The stuck networks have {glue:text}`ex_small_long_stuck_on_everywhere`
# units of the second kind and {glue:text}`ex_small_long_stuck_bending` that bend inside the data. <!-- claim: stuck-units-off-or-straight -->
# A network with few units has no spare ones. The cure
# is width (or a start that puts the kinks inside the data), not epochs. The seed that had bent is another matter: with
# the longer training it improves to {glue:text}`ex_small_long_best:.3f`, close to the 50-unit networks, so a small
# network that bends is slow rather than unable. <!-- claim: longer-training-helps-the-bent-seed -->
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
# behind. Here much of Sigmoid's lag came from its start: its units begin nearly straight over the data, and with
# a steeper start it caught up with Tanh ({glue:text}`nl_ext_act_sigmoid_steep:.3f`). The ReLU
# {cite:p}`nair2010rectified` was a good idea for other reasons too: it is the cheapest function to compute; its
# slope is exactly 1 wherever it is active, so in a deep network the gradients are not multiplied by a factor below
# 1 at every layer, as they are through Tanh (slope at most 1) and Sigmoid (at most ¼) units; and its kinks make the
# model easy to read, as this chapter did.
# :::
#
# :::{exercise} Without weight decay
# :label: ex-learned-no-decay
#
# Repeat the feature analysis on the network trained without weight decay (`no_decay`, above). Predict: is
# ranking the units by $|w_i|$ still fair? Compare the top 10 by $|w_i|$ with the top 10 by the size of each
# unit's actual contribution, $|w_i|$ times the spread of its feature over the data, for both networks, and then
# for five seeds of each recipe (`fit_seeds(...).model(i)` gives seed `i`'s network).
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
five = {"with decay": dict(optimizer="adamw", weight_decay=0.1), "without decay": dict(optimizer="adam")}
overlaps = {}
for name, recipe in five.items():
    seeds_run = fit_seeds(partial(mlp, [1, 50, 1]), range(5), split.train, split.valid, epochs=30, lr=0.01,
                          schedule="one_cycle", batch_size=100, progress=False, **recipe)
    overlaps[name] = [ranking_overlap(seeds_run.model(i)) for i in range(5)]
    glue(f"ex_mse_seeds_{'wd' if name == 'with decay' else 'no_wd'}", seeds_run.final_valid_loss.mean())
    print(f"{name:14s} overlap per seed: {overlaps[name]}   validation MSE per seed:",
          [round(v, 3) for v in seeds_run.final_valid_loss.tolist()])
glue("ex_overlap_seeds_wd", sum(overlaps["with decay"]) / 5)
glue("ex_overlap_seeds_no_wd", sum(overlaps["without decay"]) / 5);

# %% [markdown]
# With weight decay, {glue:text}`ex_overlap_wd` of the top 10 by $|w_i|$ are also among the top 10 by
# contribution; without it, {glue:text}`ex_overlap_no_wd`. <!-- claim: both-rankings-agree-here -->
# So for these two networks the ranking by $|w_i|$ is fair even without decay. Over five seeds the difference
# shows: the two top 10s share {glue:text}`ex_overlap_seeds_wd:.1f` units on average with decay and
# {glue:text}`ex_overlap_seeds_no_wd:.1f` without. <!-- claim: decay-makes-the-ranking-fairer-over-seeds -->
# Weight decay makes the ranking by $|w_i|$ more trustworthy, not certain, and it costs some accuracy (a mean validation MSE of {glue:text}`ex_mse_seeds_wd:.3f` against {glue:text}`ex_mse_seeds_no_wd:.3f`). <!-- claim: decay-costs-accuracy-over-seeds -->
# The product $|w_i| \cdot \text{std}(h_i)$ is the safer ranking whenever the scales are unknown.
#
# ```{solution-end}
# ```
