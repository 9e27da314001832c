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
# # Capacity and overfitting
#
# Chapter 6 ended with two failures of the same kind: a line through wavy data, and a straight boundary
# around a round class. Both models were too rigid. This chapter turns the dial the other way. We give the
# models more and more capacity (more units, more layers, more training) and watch the errors change
# character: first the model bias disappears, then a new error appears, **overfitting**, in which the model
# learns the noise of its training points instead of the pattern behind them. A held-out set turns what we
# see in the pictures into a number, and with it we pick models that are "just right".
#
# **Learning objectives.** After this chapter you can
#
# - explain why stacked linear layers are still a line, and what one nonlinear unit adds;
# - recognise overfitting in a fitted curve, in decision regions, and in training and validation curves;
# - hold out data to measure the generalisation gap, and read it over the epochs;
# - get a model "just right" by choosing its size, the number of epochs (early stopping) or weight decay;
# - explain why Adam reaches in a few thousand steps what plain SGD needs tens of thousands for.

# %% tags=["hide-cell"]
# On a fresh Colab or Binder runtime, install the book's package first; elsewhere this does nothing.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("nnbook") is None:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "git+https://github.com/nnbook/nnbook"], check=True)

# %% [markdown]
# ## The data, and a held-out set
#
# We reuse chapter 6's 100 wavy regression points for training. Part II held out one point in five of its
# 5000 and scored every model on them; with that much data and small networks, the validation loss simply
# followed the training loss. With 100 points it will not. We draw a **held-out set** (or *validation set*)
# from the same generator with another seed: 200 points, twice the training set, so that the validation error
# is a fairly precise number. (Every epoch evaluates the model on all of them, so a much larger set would
# slow training down.) We never train on these points; we only evaluate on them. {py:func}`~nnbook.data.sine_line_points` draws both sets, {py:func}`~nnbook.plots.plot_data` plots
# them, {py:func}`~nnbook.glue` hands numbers to the text, {py:func}`~nnbook.show` shows figures, and {py:func}`~nnbook.set_seed`
# fixes each model's random start.

# %%
import matplotlib.pyplot as plt
import torch

import nnbook
from nnbook import glue
from nnbook.data import circle_classes, circle_rule, sine_line_points
from nnbook.models import collapse_linear, mlp
from nnbook.plots import plot_data, plot_decision_regions, plot_loss_curves, plot_model, plot_sweep
from nnbook.training import Callback, EarlyStopping, accuracy, fit, fit_seeds


def truth(x: torch.Tensor) -> torch.Tensor:
    """The noise-free curve behind the regression data."""
    return 2 * x + 3 * torch.sin(3 * x) + 1


x_reg, y_reg = sine_line_points(n=100, seed=42)
x_val, y_val = sine_line_points(n=200, seed=1)
noise_mse = glue("reg_noise_valid_mse", ((truth(x_val) - y_val) ** 2).mean().item())
noise_train_mse = glue("reg_noise_train_mse", ((truth(x_reg) - y_reg) ** 2).mean().item())

ax = plot_data(x_val, y_val, color="C0", s=8, alpha=0.5, label="held out (200)")
plot_data(x_reg, y_reg, ax=ax, color="k", label="training (100)")
ax.legend()
nnbook.show(ax.figure)

# %% [markdown]
# Even the true curve has a validation MSE of {glue:text}`reg_noise_valid_mse:.2f` here: that is the noise,
# and no model can go below it on average. On the 100 training points the true curve scores
# {glue:text}`reg_noise_train_mse:.2f`: the noise of a particular draw of points is a little larger or
# smaller. A model's *training* error must be compared with this second number, its held-out error with
# the first.
#
# ## More layers, still a line
#
# First the rigid end. Chapter 3 showed that two linear layers in a row compute nothing a single one cannot;
# here is the same fact on the wavy data. We stack $\hat y = w_1(w_0 x + b_0) + b_1$ and train it as the course
# notebook this chapter follows does: plain SGD, learning rate 0.01, 1000 epochs. {py:func}`~nnbook.models.mlp` builds the stack
# from a list of widths; `activation=None` leaves nothing between the layers.

# %%
nnbook.set_seed(0)
nested = mlp([1, 1, 1], activation=None)
h_nested = fit(nested, (x_reg, y_reg), (x_val, y_val), epochs=1000, lr=0.01, optimizer="sgd", progress=False)
glue("reg_nested_train_mse", h_nested.last["train_loss"])
glue("reg_nested_valid_mse", h_nested.last["valid_loss"])
flat = collapse_linear(nested)
ones = torch.ones_like(x_reg)
best_line = torch.cat([x_reg, ones], dim=1) @ torch.linalg.lstsq(torch.cat([x_reg, ones], dim=1), y_reg).solution
glue("reg_best_line_mse", ((best_line - y_reg) ** 2).mean().item())
print(nested)
print(f"one equivalent layer: y = {flat.weight.item():.3f} x + {flat.bias.item():.3f}")

# %% [markdown]
# Multiplying out, $w_1(w_0 x + b_0) + b_1 = (w_1 w_0)\,x + (w_1 b_0 + b_1)$: one slope and one intercept.
# However many linear layers we stack, the composition of linear maps is linear, and {py:func}`~nnbook.models.collapse_linear`
# returns the single layer that computes the same thing. The training MSE,
# {glue:text}`reg_nested_train_mse:.2f`, is the best line's error from chapter 6,
# {glue:text}`reg_best_line_mse:.2f`. <!-- claim: stacked-layers-are-the-best-line -->
#
# The fix is to put something that is *not* linear between the layers. With one Tanh unit,
# $\hat y = w_1 \tanh(w_0 x + b_0) + b_1$, the model can bend once: an S-shaped step.

# %%
nnbook.set_seed(0)
one_unit = mlp([1, 1, 1], activation="tanh")
h_one = fit(one_unit, (x_reg, y_reg), (x_val, y_val), epochs=1000, lr=0.01, optimizer="sgd", progress=False)
glue("reg_one_unit_train_mse", h_one.last["train_loss"])
glue("reg_one_unit_valid_mse", h_one.last["valid_loss"])

fig, axes = plt.subplots(1, 2, figsize=(10, 3.4), sharey=True, layout="constrained")
for ax, model, title in zip(axes, (nested, one_unit), ("two stacked linear layers", "one Tanh unit"), strict=True):
    plot_data(x_reg, y_reg, ax=ax)
    plot_model(model, x_reg, ax=ax, n=1000)
    ax.set_title(title)
nnbook.show(fig)


# %% [markdown]
# Nonlinear, but not enough: the single S-curve reaches a training MSE of
# {glue:text}`reg_one_unit_train_mse:.2f`, no better than the line's {glue:text}`reg_nested_train_mse:.2f`.
# One <!-- claim: one-unit-no-better-than-line -->
# bend cannot follow several waves, and its flat tails miss the rising trend at both ends. The model is still
# biased.
#
# ## A big network overfits
#
# Now the other extreme. The course notebook stacks six hidden layers of 30 Tanh units each, thousands of
# parameters for 100 points, and trains them with SGD at learning rate 0.01 for 50,000 epochs. We run
# that recipe for {glue:text}`reg_sgd_epochs` epochs, enough to see where it is heading, next to a faster one: the
# **Adam** optimizer with learning rate 0.003, for 2000 epochs. Both runs record the held-out MSE after every epoch ({py:func}`~nnbook.training.fit` evaluates the
# validation set it is given), and {py:func}`~nnbook.plots.plot_loss_curves` draws several runs' training and
# held-out curves in one picture.

# %%
class GradientSizes(Callback):
    """After every step, the root-mean-square gradient of each layer's weights (one row per step)."""

    def __init__(self) -> None:
        self.rows: list[dict[str, float]] = []

    def after_batch(self, state) -> None:
        weights = ((name, p) for name, p in state.model.named_parameters() if name.endswith("weight"))
        self.rows.append({name.split(".")[0]: p.grad.pow(2).mean().sqrt().item() for name, p in weights})


deep = [1, 30, 30, 30, 30, 30, 30, 1]  # six hidden layers of 30 Tanh units
nnbook.set_seed(0)
big_sgd = mlp(deep, activation="tanh")
sgd_epochs = glue("reg_sgd_epochs", 1000)
sgd_gradients = GradientSizes()
h_sgd = fit(
    big_sgd, (x_reg, y_reg), (x_val, y_val), epochs=sgd_epochs, lr=0.01, optimizer="sgd", callbacks=[sgd_gradients]
)
nnbook.set_seed(0)
big = mlp(deep, activation="tanh")
h_big = fit(big, (x_reg, y_reg), (x_val, y_val), epochs=2000, lr=0.003, optimizer="adam")

glue("reg_big_params", sum(p.numel() for p in big.parameters()))
glue("reg_sgd_train_mse", h_sgd.last["train_loss"])
glue("reg_adam_train_mse_same_epochs", h_big["train_loss"][sgd_epochs - 1])
glue("reg_sgd_valid_final", h_sgd.last["valid_loss"])
glue("reg_sgd_valid_best", min(h_sgd["valid_loss"]))
glue("reg_adam_valid_same_epochs", h_big["valid_loss"][sgd_epochs - 1])
glue("reg_adam_valid_best_so_far", min(h_big["valid_loss"][:sgd_epochs]))
ax = plot_loss_curves({"SGD, lr 0.01": h_sgd, "Adam, lr 0.003": h_big})
ax.set_title("6 × 30 Tanh: training (dashed) and held-out (solid) MSE")
nnbook.show(ax.figure)

# %% [markdown]
# ### Why Adam is so much faster here
#
# The network has {glue:text}`reg_big_params` parameters. After {glue:text}`reg_sgd_epochs` epochs SGD has brought its
# training MSE down to {glue:text}`reg_sgd_train_mse:.2f`, and its held-out error, though jumpy, ends at
# {glue:text}`reg_sgd_valid_final:.2f`, close to its best, {glue:text}`reg_sgd_valid_best:.2f`: it has not yet
# started to memorise the points. <!-- claim: sgd-not-yet-overfitting -->
# Adam, after the same number of epochs, is at {glue:text}`reg_adam_train_mse_same_epochs:.2f` on the
# training points, <!-- claim: adam-far-ahead-of-sgd --> and its held-out error has already turned
# upwards, from a best of {glue:text}`reg_adam_valid_best_so_far:.2f` to
# {glue:text}`reg_adam_valid_same_epochs:.2f`. <!-- claim: adam-already-overfitting -->
# To get as far with SGD, the course notebook runs 50,000 epochs.
#
# Why the difference? SGD moves every weight by the learning rate times its gradient, so a weight moves
# quickly only where its gradient is large. The callback `GradientSizes` above (a {py:class}`~nnbook.training.Callback`
# that `fit` calls after every step) recorded, after every SGD
# step, the typical size of each layer's weight gradient (the root mean square over the layer's weights):

# %%
layers = list(sgd_gradients.rows[0])
sizes = torch.tensor([[row[name] for name in layers] for row in sgd_gradients.rows])
fig, ax = plt.subplots(figsize=(7, 3.4), layout="constrained")
for j, name in enumerate(layers):
    ax.plot(range(1, len(sizes) + 1), sizes[:, j], lw=1, label=name, color=plt.cm.viridis(j / (len(layers) - 1)))
ax.set(xlabel="SGD step (= epoch)", ylabel="RMS gradient of the layer's weights", yscale="log")
ax.set_title("6 × 30 Tanh with SGD: gradient size per layer")
ax.legend(fontsize=7, ncols=2)
nnbook.show(fig)

hidden = sizes[:, :-1]  # the six hidden layers; the last column is the output layer
glue("reg_grad_output_over_hidden_start", float(sizes[0, -1] / hidden[0].max()))
glue("reg_grad_flat_drop", float(sizes.max(dim=1).values.min() / sizes[0].max()))
glue("reg_grad_flat_step", int(sizes.max(dim=1).values.argmin()) + 1)
glue("reg_grad_layer_spread", float((sizes.max(dim=1).values / sizes.min(dim=1).values).max()))
second_half = sizes[len(sizes) // 2 :]
glue("reg_grad_first_largest_percent", 100 * float((second_half.argmax(dim=1) == 0).float().mean()))

# %% [markdown]
# Two things stand out. At the start, the output layer's gradient is
# {glue:text}`reg_grad_output_over_hidden_start:.0f` times the largest of the hidden layers'.
# The first hidden layer's gradient is not small: in the <!-- claim: output-gradient-largest-at-start -->
# second half of training it is the largest of all seven layers at
# {glue:text}`reg_grad_first_largest_percent:.0f` % of the steps. <!-- claim: first-layer-gradient-not-tiny --> And there are flat stretches: around step
# {glue:text}`reg_grad_flat_step`, even the largest gradient of any layer has fallen to
# {glue:text}`reg_grad_flat_drop:.2f` of the largest at the start. <!-- claim: sgd-flat-stretch -->
# Across layers and steps the sizes differ by up to a factor of {glue:text}`reg_grad_layer_spread:.0f`.
# <!-- claim: gradient-sizes-differ-widely -->
# One learning rate cannot suit them all: a rate small enough for the steep steps (the spikes in the SGD
# curve above are steps that were too large) crawls through the flat stretches. Adam
# {cite:p}`kingma2015adam` divides each weight's gradient by a running average of its own recent size, so a
# weight with a consistently small gradient still moves by roughly the learning rate per step, and flat
# stretches are crossed in tens of steps instead of thousands. Only the optimizer changed: the same
# network, the same data, full batches.

# %%
seconds_per_epoch = sum(h_sgd["time"]) / len(h_sgd)
glue("reg_seed_recipe_estimate_seconds", 50_000 * seconds_per_epoch)
fast_seconds = glue("reg_fast_recipe_seconds", sum(h_big["time"]))

# %% [markdown]
# On this computer the notebook's 50,000 SGD epochs would take about
# {glue:text}`reg_seed_recipe_estimate_seconds:.0f` s; the Adam run took
# {glue:text}`reg_fast_recipe_seconds:.1f` s.
#
# ### Overfitting, seen
#
# The training points alone make the Adam network look excellent. Its curve drawn on a dense grid of 1000
# points between the data ({py:func}`~nnbook.plots.plot_model` with `n=1000`) tells another story:

# %%
glue("reg_overfit_train_mse", h_big.last["train_loss"])
glue("reg_overfit_valid_mse", h_big.last["valid_loss"])

ax = plot_data(x_reg, y_reg, color="k", label="training points")
with torch.no_grad():
    ax.scatter(x_reg[:, 0], big(x_reg)[:, 0], marker="x", color="C3", label="predictions at the training points")
plot_model(big, x_reg, ax=ax, n=1000, lw=1.2, label="the network on a dense grid")
plot_model(truth, x_reg, ax=ax, n=1000, color="C2", lw=1.5, ls="--", label="true curve")
ax.set_title("6 × 30 Tanh network after 2000 Adam epochs")
ax.legend(fontsize=8)
nnbook.show(ax.figure)

# %% [markdown]
# The curve swerves to pass near individual points. That is **overfitting**: the model has memorised the
# noise of its training set. Its training MSE, {glue:text}`reg_overfit_train_mse:.2f`, is far below the
# {glue:text}`reg_noise_train_mse:.2f` that the true curve itself scores on the same 100 points, which no
# honest model can beat; <!-- claim: overfit-below-training-noise --> on the held-out points its MSE is
# {glue:text}`reg_overfit_valid_mse:.2f`, against the true curve's {glue:text}`reg_noise_valid_mse:.2f`.
# <!-- claim: overfit-worse-than-truth-held-out -->
#
# Where does it swerve most? Apart from one deep swerve on the left, the many sharp spikes crowd the middle
# of the range, where the points are densest, and the outermost ends are smooth. To measure it, we cut the range into ten equal bins and
# compare, bin by bin, the number of training points with how much the curve bends there (the average
# size of its second derivative on the dense grid):

# %%
dense_x = torch.linspace(float(x_reg.min()), float(x_reg.max()), 1000)[:, None]
step = float(dense_x[1, 0] - dense_x[0, 0])
with torch.no_grad():
    curve = big(dense_x)[:, 0]
bending = ((curve[2:] - 2 * curve[1:-1] + curve[:-2]) / step**2).abs()  # |second derivative|, inner grid points
edges = torch.linspace(float(x_reg.min()), float(x_reg.max()), 11)
bin_of_point = torch.bucketize(x_reg[:, 0], edges[1:-1])
bin_of_grid = torch.bucketize(dense_x[1:-1, 0], edges[1:-1])
counts = torch.bincount(bin_of_point, minlength=10).float()
bend = torch.stack([bending[bin_of_grid == k].mean() for k in range(10)])

by_count = counts.argsort()
glue("reg_bend_dense_over_sparse", float(bend[by_count[-4:]].mean() / bend[by_count[:4]].mean()))
glue("reg_bend_count_correlation", float(torch.corrcoef(torch.stack([counts, bend]))[0, 1]))

fig, ax = plt.subplots(figsize=(5.5, 3.2), layout="constrained")
ax.scatter(counts, bend)
for k in range(10):
    ax.annotate(f"{edges[k]:.1f}…{edges[k + 1]:.1f}", (counts[k], bend[k]), fontsize=6, xytext=(3, 2), textcoords="offset points")
ax.set(xlabel="training points in the bin", ylabel="mean |curvature| of the network", yscale="log")
ax.set_title("ten bins of x: data density against bending")
nnbook.show(fig)

# %% [markdown]
# The four densest bins bend on average {glue:text}`reg_bend_dense_over_sparse:.0f` times as much as the four
# sparsest, and across the ten bins the correlation between point count and bending is
# {glue:text}`reg_bend_count_correlation:.2f`. <!-- claim: spikes-in-dense-data -->
# Where points are close together, neighbours whose noise pulls in opposite directions sit only a short
# distance apart, and a network that passes near each of them must turn sharply in between. At the ends,
# where one or two points decide the shape, the curve is smooth, but nothing holds it to the true curve
# either. More data would help in both places (exercise {ref}`ex-capacity-more-data`).
#
# ### Overfitting, measured
#
# The loss curves above show it over time. For the first epochs the training and held-out errors fall
# together: the network is learning the wave. Then they part. Training MSE keeps falling, held-out MSE
# turns up: it is lowest, {glue:text}`reg_adam_valid_best:.2f`, at epoch
# {glue:text}`reg_adam_valid_best_epoch`, and ends at {glue:text}`reg_overfit_valid_mse:.2f`.
# The vertical distance between the two curves is the <!-- claim: train-and-held-out-part -->
# **generalisation gap**:

# %%
gap = torch.tensor(h_big["valid_loss"]) - torch.tensor(h_big["train_loss"])
fig, ax = plt.subplots(figsize=(6, 3), layout="constrained")
ax.plot(h_big["epoch"], gap)
ax.set(xlabel="epoch", ylabel="held-out MSE − training MSE", title="the generalisation gap, 6 × 30 Tanh with Adam")
glue("reg_overfit_ratio", h_big.last["valid_loss"] / h_big.last["train_loss"])
glue("reg_adam_valid_best", min(h_big["valid_loss"]))
glue("reg_adam_valid_best_epoch", h_big["epoch"][h_big["valid_loss"].index(min(h_big["valid_loss"]))])
nnbook.show(fig)

# %% [markdown]
# At the end the held-out error is {glue:text}`reg_overfit_ratio:.1f` times the training error.
# A gap this large means the training error no longer says anything about how the model will do on new data. <!-- claim: big-net-overfits -->
#
# ## Getting it just right
#
# The course notebook leaves "a model that is just right" as an exercise. Here are three solutions, each
# turning a different dial.
#
# **Size.** A network with less capacity cannot memorise 100 noisy points, but can still follow the wave:
# one hidden layer of 10 Tanh units, {glue:text}`reg_small_params` parameters in place of
# {glue:text}`reg_big_params`.
#
# **Epochs.** Keep the big network, but stop training when the held-out error stops improving. The
# {py:class}`~nnbook.training.EarlyStopping` callback watches the validation loss after every epoch, stops when it has not improved for
# `patience` epochs, and restores the weights of the best epoch.

# %%
nnbook.set_seed(0)
small = mlp([1, 10, 1], activation="tanh")
glue("reg_small_params", sum(p.numel() for p in small.parameters()))
h_small = fit(small, (x_reg, y_reg), (x_val, y_val), epochs=2000, lr=0.01, progress=False)
glue("reg_justright_train_mse", h_small.last["train_loss"])
glue("reg_justright_valid_mse", h_small.last["valid_loss"])

nnbook.set_seed(0)
stopped = mlp(deep, activation="tanh")
stopper = EarlyStopping(patience=100)
h_stop = fit(stopped, (x_reg, y_reg), (x_val, y_val), epochs=2000, lr=0.003, callbacks=[stopper], progress=False)
glue("reg_earlystop_epoch", stopper.best_epoch)
glue("reg_earlystop_valid_mse", stopper.best_loss)

fig, axes = plt.subplots(1, 3, figsize=(13, 3.4), sharey=True, layout="constrained")
titles = ("overfit: 6 × 30, 2000 epochs", "size: 1-10-1", "epochs: 6 × 30, early stopping")
for ax, model, title in zip(axes, (big, small, stopped), titles, strict=True):
    plot_data(x_reg, y_reg, ax=ax)
    plot_model(truth, x_reg, ax=ax, n=1000, color="C2", lw=1.2, ls="--", label="true curve")
    plot_model(model, x_reg, ax=ax, n=1000)
    ax.set_title(title)
axes[0].legend(fontsize=8)
nnbook.show(fig)

# %% [markdown]
# Both follow the true curve without chasing single points. The small network reaches a held-out MSE of
# {glue:text}`reg_justright_valid_mse:.2f` (training {glue:text}`reg_justright_train_mse:.2f`): its training
# error is at the training points' noise level, {glue:text}`reg_noise_train_mse:.2f`, instead of far below
# it, and its gap is a fraction of the overfit network's. <!-- claim: small-net-just-right -->
# Early stopping picked epoch {glue:text}`reg_earlystop_epoch` of the big network, with held-out MSE
# {glue:text}`reg_earlystop_valid_mse:.2f`, far better than the {glue:text}`reg_overfit_valid_mse:.2f` of
# training on. <!-- claim: early-stopping-rescues-regression --> (Its number is slightly flattering: the held-out set chose the
# epoch, so it is no longer completely unseen. A third, untouched *test* set gives the honest figure.)
#
# All the regression runs in one picture, training dashed and held-out solid:

# %%
runs = {"two linear layers": h_nested, "one Tanh unit": h_one, "6 × 30 Tanh": h_big}
runs.update({"1-10-1 Tanh": h_small, "6 × 30, early stop": h_stop})
ax = plot_loss_curves(runs, title="regression: training (dashed) and held-out (solid) MSE")
ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1))
ax.axhline(noise_mse, color="k", lw=0.8, ls=":")
nnbook.show(ax.figure)

# %% [markdown]
# The dotted line is the held-out noise level. The rigid models sit high (held-out
# {glue:text}`reg_nested_valid_mse:.2f` and {glue:text}`reg_one_unit_valid_mse:.2f`), with training and held-out
# errors close together: they are biased, not overfit. <!-- claim: rigid-models-biased-not-overfit -->
# The big network's curves split wide apart; the small network ends with both errors close to each other
# and close to the noise.
#
# ## The same story for classification
#
# Back to the circle data of chapter 6 ({py:func}`~nnbook.data.circle_classes`, with
# {py:func}`~nnbook.data.circle_rule` as the best possible classifier), with a held-out set of 200 points drawn with another
# seed, and the 5000 fresh points for accuracy ({py:func}`~nnbook.training.accuracy`). For classification the loss is the binary cross-entropy (BCE), so
# "held-out loss" now means held-out BCE.

# %%
x_clf, y_clf = circle_classes(n=200, seed=42)
x_cval, y_cval = circle_classes(n=200, seed=1)
x_test, y_test = circle_classes(n=5000, seed=2)
clf_train, clf_valid = (x_clf, y_clf), (x_cval, y_cval)


def test_accuracy(model: torch.nn.Module) -> float:
    """Accuracy on the 5000 fresh points."""
    with torch.no_grad():
        return accuracy(model(x_test), y_test).item()


glue("clf_bayes_acc", (circle_rule(x_test).float() == y_test).float().mean().item())

# %% [markdown]
# ### Too small: two Tanh units
#
# The course notebook first tries two hidden Tanh units, trained with SGD for 10,000 epochs. We use Adam at
# learning rate 0.03 for 1000 epochs instead.

# %%
nnbook.set_seed(0)
tiny = mlp([2, 2, 1], activation="tanh")
h_tiny = fit(tiny, clf_train, clf_valid, epochs=1000, lr=0.03, loss="bce", metrics=["accuracy"], progress=False)
glue("clf_tiny_acc", test_accuracy(tiny))
ax = plot_decision_regions(tiny, x_clf, y_clf)
ax.set_title("2-2-1 Tanh: two soft steps")
nnbook.show(ax.figure)

# %% [markdown]
# Each hidden unit is a soft step across one line; two of them can cut out a band or a wedge, but not a
# closed region, as {py:func}`~nnbook.plots.plot_decision_regions` shows. Accuracy on the fresh points: {glue:text}`clf_tiny_acc:.3f`, better than the line of
# chapter 6, but far below the best possible {glue:text}`clf_bayes_acc:.3f`. <!-- claim: tiny-classifier-too-small -->
# Not nonlinear enough.
#
# ### Too big: six layers of 50
#
# The course notebook's big classifier has six hidden layers of 50 Tanh units (the first takes the two
# coordinates, then five layers map 50 units to 50) and trains with SGD for 30,000 epochs. With Adam at
# learning rate 0.001, 1000 epochs are enough to overfit:

# %%
wide = [2, 50, 50, 50, 50, 50, 50, 1]
nnbook.set_seed(0)
huge = mlp(wide, activation="tanh")
h_huge = fit(huge, clf_train, clf_valid, epochs=1000, lr=0.001, loss="bce", metrics=["accuracy"])
glue("clf_overfit_train_loss", h_huge.last["train_loss"])
glue("clf_overfit_valid_best", min(h_huge["valid_loss"]))
glue("clf_overfit_valid_best_epoch", h_huge["epoch"][h_huge["valid_loss"].index(min(h_huge["valid_loss"]))])
glue("clf_overfit_valid_loss", h_huge.last["valid_loss"])
glue("clf_overfit_acc", test_accuracy(huge))
with torch.no_grad():
    glue("clf_overfit_train_acc", accuracy(huge(x_clf), y_clf).item())
glue("clf_seed_recipe_estimate_seconds", 30_000 * sum(h_huge["time"]) / len(h_huge))
glue("clf_fast_recipe_seconds", sum(h_huge["time"]))

fig, (ax_a, ax_b) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
plot_decision_regions(huge, x_clf, y_clf, ax=ax_a)
ax_a.set_title("6 × 50 Tanh after 1000 Adam epochs")
plot_decision_regions(huge, x_test[:1000], y_test[:1000], ax=ax_b)
ax_b.set_title("the same regions, 1000 fresh points")
nnbook.show(fig)

# %% [markdown]
# This is what overfitting looks like in a decision map: the boundary leaves the circle to grab single
# points. Small islands and thin fingers appear around the swapped labels, both inside and outside the circle,
# and far from the data the regions take arbitrary shapes that no point asked for. On its own 200 points the
# network is right {glue:text}`clf_overfit_train_acc:.3f` of the time, more than the best possible
# {glue:text}`clf_bayes_acc:.3f`: it has learned which labels were swapped, which is pure noise. (Large
# networks can memorise even labels that are entirely random {cite:p}`zhang2017understanding`.) On fresh
# points its accuracy drops to {glue:text}`clf_overfit_acc:.3f`. <!-- claim: big-classifier-learns-swapped-labels --> (The SGD recipe would take about
# {glue:text}`clf_seed_recipe_estimate_seconds:.0f` s here; this run took
# {glue:text}`clf_fast_recipe_seconds:.1f` s.)
#
# The loss curves show it as before:

# %%
ax = plot_loss_curves({"2-2-1": h_tiny, "6 × 50": h_huge})
ax.set_title("classification: training (dashed) and held-out (solid) BCE")
nnbook.show(ax.figure)

# %% [markdown]
# The held-out BCE of the big network falls during the first epochs, to {glue:text}`clf_overfit_valid_best:.3f`
# at epoch {glue:text}`clf_overfit_valid_best_epoch`, then climbs to {glue:text}`clf_overfit_valid_loss:.3f`
# while its training BCE sinks to {glue:text}`clf_overfit_train_loss:.3f`. <!-- claim: classifier-held-out-climbs --> Cross-entropy punishes confident mistakes hard, and an overfit
# network is confidently wrong on every fresh point that falls into one of its islands.
#
# ### Just right: a smaller network with weight decay
#
# The third dial is **weight decay** {cite:p}`krogh1992simple`: at every step, each weight is also pulled a
# little towards zero (the optimizer adds $\lambda w$ to its gradient, which is the gradient of the penalty
# $\tfrac{\lambda}{2}\lVert w \rVert^2$). Large weights make Tanh units switch abruptly, which is what sharp islands need; small weights
# keep them in their gentle middle range, so the boundary stays smooth. We combine it with a moderate size,
# 16 hidden units, and compare five seeds with and without weight decay using {py:func}`~nnbook.training.fit_seeds`, and
# show one dot per seed with {py:func}`~nnbook.plots.plot_sweep`.
#
# ```{note}
# Chapter 5 also used weight decay, but with `optimizer="adamw"`; here it is `weight_decay` with Adam. The
# two differ. Adam with weight decay adds $\lambda w$ to the gradient *before* Adam divides by its running
# estimate of the gradient's size, so weights with large, steady gradients are hardly decayed at all and
# the pull is uneven. AdamW {cite:p}`loshchilov2019decoupled` applies the decay *after*, directly to the
# weights: each weight shrinks by the same fraction, $\text{lr}\cdot\lambda$, per step. With plain SGD the
# two are the same thing. The numbers differ too: a decay of 0.003 with Adam and 0.1 with AdamW are not
# comparable strengths.
# ```

# %%
medium = [2, 16, 1]
plain = fit_seeds(lambda: mlp(medium, "tanh"), range(5), clf_train, clf_valid, epochs=500, lr=0.01, loss="bce")
decayed = fit_seeds(
    lambda: mlp(medium, "tanh"), range(5), clf_train, clf_valid, epochs=500, lr=0.01, loss="bce", weight_decay=3e-3
)
glue("clf_nowd_valid_loss_mean", plain.final_valid_loss.mean().item())
glue("clf_wd_valid_loss_mean", decayed.final_valid_loss.mean().item())
glue("clf_nowd_valid_loss_std", plain.final_valid_loss.std().item())
glue("clf_wd_valid_loss_std", decayed.final_valid_loss.std().item())
ax = plot_sweep(
    {"no weight decay": plain.final_valid_loss, "weight decay 0.003": decayed.final_valid_loss},
    ylabel="held-out BCE after 500 epochs",
)
ax.set_title("2-16-1 Tanh, five seeds each")
nnbook.show(ax.figure)

# %% [markdown]
# Without weight decay the five seeds end at an average held-out BCE of {glue:text}`clf_nowd_valid_loss_mean:.3f`
# and scatter (standard deviation {glue:text}`clf_nowd_valid_loss_std:.3f`); with it, at
# {glue:text}`clf_wd_valid_loss_mean:.3f`, and the seeds agree more closely (standard deviation
# {glue:text}`clf_wd_valid_loss_std:.3f`). <!-- claim: weight-decay-helps-every-seed --> Here is one of them in full,
# next to early stopping applied to the big network:

# %%
nnbook.set_seed(0)
right = mlp(medium, activation="tanh")
h_right = fit(right, clf_train, clf_valid, epochs=500, lr=0.01, loss="bce", weight_decay=3e-3, progress=False)
glue("clf_justright_valid_loss", h_right.last["valid_loss"])
glue("clf_justright_acc", test_accuracy(right))

nnbook.set_seed(0)
huge_stopped = mlp(wide, activation="tanh")
stopper = EarlyStopping(patience=50)
fit(huge_stopped, clf_train, clf_valid, epochs=1000, lr=0.001, loss="bce", callbacks=[stopper], progress=False)
glue("clf_earlystop_epoch", stopper.best_epoch)
glue("clf_earlystop_valid_loss", stopper.best_loss)
glue("clf_earlystop_acc", test_accuracy(huge_stopped))

fig, (ax_a, ax_b) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
panels = ((ax_a, right, "2-16-1 Tanh, weight decay 0.003"), (ax_b, huge_stopped, "6 × 50 Tanh, early stopping"))
for ax, model, title in panels:
    plot_decision_regions(model, x_clf, y_clf, ax=ax)
    ax.add_patch(plt.Circle((0, 0), torch.pi, fill=False, color="k", lw=1, ls="--"))
    ax.set_title(title)
nnbook.show(fig)

# %% [markdown]
# The small network with weight decay draws a smooth, nearly round boundary. Its held-out BCE is
# {glue:text}`clf_justright_valid_loss:.3f`, against {glue:text}`clf_overfit_valid_loss:.3f` for the overfit
# network, and it classifies {glue:text}`clf_justright_acc:.3f` of the fresh points correctly, close to the
# ceiling of {glue:text}`clf_bayes_acc:.3f`. <!-- claim: just-right-classifier --> Early stopping rescues the
# big network too: stopped at epoch {glue:text}`clf_earlystop_epoch`, before the islands formed, it has
# held-out BCE {glue:text}`clf_earlystop_valid_loss:.3f` and accuracy {glue:text}`clf_earlystop_acc:.3f`.
# <!-- claim: early-stopping-rescues-classifier -->
#
# ## What changed from the course notebook, and why it is faster
#
# The course notebook trains its big networks with plain SGD at learning rate 0.01: 50,000 full-batch epochs
# for the regression network and 30,000 for the classifier. We kept its architectures and its data and
# changed the optimizer to Adam (learning rate 0.003 and 0.001). Adam scales each weight's step by the size of
# that weight's own recent gradients, so the flat stretches, where every gradient is small, no longer hold
# training up. The same overfitting appears after 2000 and 1000 epochs instead of 50,000 and 30,000, and the
# whole chapter runs in seconds.
#
# ## Summary
#
# - Stacked linear layers collapse into one: depth needs a nonlinearity between the layers. One Tanh unit
#   bends once, which is not enough for the waves.
# - A 6 × 30 Tanh network fitted to 100 noisy points overfits: training MSE {glue:text}`reg_overfit_train_mse:.2f`,
#   far below the true curve's {glue:text}`reg_noise_train_mse:.2f` on the same points, against held-out MSE
#   {glue:text}`reg_overfit_valid_mse:.2f`. Its curve bends hardest where the training points are densest.
#   A 1-10-1 network reaches held-out {glue:text}`reg_justright_valid_mse:.2f`.
# - For the circles, 2-2-1 is too small ({glue:text}`clf_tiny_acc:.3f`); 6 × 50 overfits, with islands around swapped
#   labels and held-out BCE {glue:text}`clf_overfit_valid_loss:.3f`; 2-16-1 with weight decay gets
#   {glue:text}`clf_justright_valid_loss:.3f` and accuracy {glue:text}`clf_justright_acc:.3f`.
# - A held-out set measures overfitting: training and validation curves part, and the gap between them grows.
# - Three dials fix it: a smaller model, fewer epochs (early stopping on the held-out loss), and weight decay.
#   Weight decay with Adam and with AdamW are two different pulls towards zero.
# - Adam reaches in 1000–2000 epochs what plain SGD at 0.01 needs 30,000–50,000 for: SGD's gradients shrink
#   on flat stretches and differ widely between layers, and one learning rate cannot suit them all.
#
# ## Exercises
#
# :::{exercise} Why still a line?
# :label: ex-capacity-line
#
# Why are two stacked `nn.Linear(1, 1)` layers still a line? Would a ReLU between them be enough to make
# them bend, and how many bends could that model make?
# :::
#
# :::{solution} ex-capacity-line
# :class: dropdown
#
# The second layer applies $w_1 \cdot (\ldots) + b_1$ to the output of the first, $w_0 x + b_0$, which gives
# $(w_1 w_0) x + (w_1 b_0 + b_1)$: a slope and an intercept, so a line. The same holds for matrices and any
# number of layers: a composition of linear maps is one linear map (`collapse_linear` computes it). A ReLU
# between the layers breaks the collapse, but with a single hidden unit the model is
# $w_1 \max(w_0 x + b_0, 0) + b_1$: flat on one side of one kink and a line on the other, one bend in all.
# More units give more bends.
# :::
#
# :::{exercise} Where is overfitting most severe?
# :label: ex-capacity-more-data
#
# The course notebook asks where the overfitting of the 6 × 30 network is most severe, and how more data
# might help. Answer the first part from the measurement in this chapter. For the second, predict, then
# train the same network with the same recipe on 1000 points drawn with `sine_line_points(n=1000, seed=3)`
# for {glue:text}`reg_sgd_epochs` epochs, and compare its training and held-out MSE with the noise levels.
# :::
#
# ```{solution-start} ex-capacity-more-data
# :class: dropdown
# ```
#
# The curve bends hardest where the training points are densest (the four densest bins bend
# {glue:text}`reg_bend_dense_over_sparse:.0f` times as much as the four sparsest): there, neighbouring points
# with opposite noise are close together, and the network turns sharply to pass near each. At the sparse ends
# it is smooth but unconstrained. More data helps in both places: with many points near every $x$, the
# curve can no longer pass near each of them, so fitting their average, the true curve, becomes the best
# the network can do.

# %%
x_more, y_more = sine_line_points(n=1000, seed=3)
glue("ex_more_noise_train", ((truth(x_more) - y_more) ** 2).mean().item())
nnbook.set_seed(0)
more = mlp(deep, activation="tanh")
h_more = fit(more, (x_more, y_more), (x_val, y_val), epochs=sgd_epochs, lr=0.003, progress=False)
glue("ex_more_train_mse", h_more.last["train_loss"])
glue("ex_more_valid_mse", h_more.last["valid_loss"])

# %% [markdown]
# After the same {glue:text}`reg_sgd_epochs` epochs, the network trained on 1000 points ends at training MSE
# {glue:text}`ex_more_train_mse:.2f` (the true curve scores {glue:text}`ex_more_noise_train:.2f` on these
# points) and held-out MSE {glue:text}`ex_more_valid_mse:.2f` (noise level {glue:text}`reg_noise_valid_mse:.2f`).
# Trained on 100 points it was at {glue:text}`reg_adam_train_mse_same_epochs:.2f` and
# {glue:text}`reg_adam_valid_same_epochs:.2f` at that epoch: with ten times the data, the same network no
# longer overfits. <!-- claim: more-data-stops-overfitting -->
#
# ```{solution-end}
# ```
#
# :::{exercise} Overfitting in a decision map
# :label: ex-capacity-map
#
# Before you look at the 6 × 50 classifier's map: predict what overfitting looks like in a decision map of
# the circle data, and what a just-right classifier does with the swapped training labels.
# :::
#
# :::{solution} ex-capacity-map
# :class: dropdown
#
# Islands and fingers: small regions of one class inside the other, each drawn around one or a few training
# points whose labels were swapped, and a boundary that wanders off the circle to include or exclude single
# points. The 6 × 50 map shows exactly that. A just-right classifier draws one smooth closed curve near the
# circle and accepts that it misclassifies the swapped training points; that is the price of being right on
# new ones.
# :::
#
# :::{exercise} Weight decay for the regression network
# :label: ex-capacity-weight-decay
#
# Train the 6 × 30 network with `optimizer="adamw"`, `lr=0.003` and `weight_decay=0.3` for 2000 epochs, for
# three seeds with `fit_seeds` (the cell below). Predict first: will every seed's held-out MSE beat the unregularised
# network's {glue:text}`reg_overfit_valid_mse:.2f`, and will it match the small network's
# {glue:text}`reg_justright_valid_mse:.2f`?
# :::

# %%
# Starter: change weight_decay (or the seeds) and rerun.
decayed_reg = fit_seeds(
    lambda: mlp(deep, activation="tanh"),
    range(3),
    (x_reg, y_reg),
    (x_val, y_val),
    epochs=2000,
    lr=0.003,
    optimizer="adamw",
    weight_decay=0.3,
)
print("training MSE per seed:", [round(v, 2) for v in decayed_reg.final_train_loss.tolist()])
print("held-out MSE per seed:", [round(v, 2) for v in decayed_reg.final_valid_loss.tolist()])

# %% [markdown]
# ```{solution-start} ex-capacity-weight-decay
# :class: dropdown
# ```

# %%
glue("ex_wd_valid_worst", decayed_reg.final_valid_loss.max().item())
glue("ex_wd_valid_best", decayed_reg.final_valid_loss.min().item())
glue("ex_wd_train_worst", decayed_reg.final_train_loss.max().item())
glue("ex_wd_worst_over_small_percent", 100 * (decayed_reg.final_valid_loss.max().item() / h_small.last["valid_loss"] - 1))

# %% [markdown]
# Every seed improves on the unregularised network: the held-out MSE ranges from
# {glue:text}`ex_wd_valid_best:.2f` to {glue:text}`ex_wd_valid_worst:.2f`, depending on the seed: the best seed
# matches the small network's {glue:text}`reg_justright_valid_mse:.2f`, the worst is
# {glue:text}`ex_wd_worst_over_small_percent:.0f` % above it. The training MSE stays below the true
# curve's {glue:text}`reg_noise_train_mse:.2f` on these points (at most {glue:text}`ex_wd_train_worst:.2f`):
# the decay holds the network back, but some memorising remains. <!-- claim: weight-decay-helps-regression -->
# Weight decay is a continuous dial; its best strength depends on the network and the data, and it is
# found like the number of epochs: by watching the held-out loss.
#
# ```{solution-end}
# ```
#
# :::{exercise} Just right, your way
# :label: ex-capacity-your-way
#
# Design another model that gets the classification "just right", for example two hidden layers of 16 Tanh
# units with weight decay 0.01. Edit the cell below, and compare its held-out BCE and accuracy with the
# 2-16-1 model's {glue:text}`clf_justright_valid_loss:.3f` and {glue:text}`clf_justright_acc:.3f`.
# :::

# %%
# Starter: your layout and weight decay.
nnbook.set_seed(0)
yours = mlp([2, 16, 16, 1], activation="tanh")
h_yours = fit(yours, clf_train, clf_valid, epochs=500, lr=0.01, loss="bce", weight_decay=1e-2, progress=False)
print(f"held-out BCE {h_yours.last['valid_loss']:.3f}, accuracy on the fresh points {test_accuracy(yours):.3f}")

# %% [markdown]
# ```{solution-start} ex-capacity-your-way
# :class: dropdown
# ```

# %%
glue("ex_yours_valid_loss", h_yours.last["valid_loss"])
glue("ex_yours_acc", test_accuracy(yours))

# %% [markdown]
# The two-layer model with weight decay ends at held-out BCE {glue:text}`ex_yours_valid_loss:.3f` and
# accuracy {glue:text}`ex_yours_acc:.3f`, within a few hundredths of the 2-16-1 model and far from the overfit
# network's {glue:text}`clf_overfit_valid_loss:.3f`. <!-- claim: another-just-right-design -->
# Many designs work. What they share is a balance: enough capacity to draw a closed curve, and something (a
# small size, weight decay, or an early stop) that keeps them from spending the rest of their capacity on
# the swapped labels.
#
# ```{solution-end}
# ```
#
# :::{exercise} Does early stopping flatter itself?
# :label: ex-capacity-early-stop
#
# Early stopping chose its epoch by looking at the held-out loss. Predict: on the 5000 fresh points, will the
# early-stopped 6 × 50 classifier's BCE be higher or lower than the held-out BCE,
# {glue:text}`clf_earlystop_valid_loss:.3f`, that chose it? Then compute it.
# :::
#
# ```{solution-start} ex-capacity-early-stop
# :class: dropdown
# ```
#
# Among all epochs, early stopping keeps the one with the lowest held-out loss, and part of that low value is
# luck: at that epoch the model happened to suit these 200 held-out points. The honest number comes from
# points that played no part in any choice, a *test set*; here the 5000 fresh points.

# %%
with torch.no_grad():
    test_bce = glue("ex_earlystop_test_bce", torch.nn.functional.binary_cross_entropy_with_logits(huge_stopped(x_test), y_test).item())
print(f"held-out BCE that chose the epoch {stopper.best_loss:.3f}, BCE on 5000 fresh points {test_bce:.3f}")

# %% [markdown]
# On the fresh points the BCE is {glue:text}`ex_earlystop_test_bce:.3f`, higher than the
# {glue:text}`clf_earlystop_valid_loss:.3f` that chose the epoch. <!-- claim: early-stopping-flatters -->
# With 200 held-out points and one choice (the epoch) the optimism is modest, but it grows with every
# setting tuned against the same held-out data.
#
# ```{solution-end}
# ```
