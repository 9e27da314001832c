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
# - explain why Adam gets much further than plain SGD in the same number of steps;
# - report a result of a long, chaotic training run as a mean and a spread over seeds.

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

# %% mystnb={"image": {"alt": "The 100 training points in black and the 200 held-out points in light blue, both scattered in a wavy band."}}
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

# %% mystnb={"image": {"alt": "Two panels: the stacked linear layers fit a straight line; one Tanh unit fits a single S-shaped step. Neither follows the waves."}}
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
#
# A run this long on so few points is *chaotic*: the last digits of a float, which differ from one CPU to
# another, grow over the epochs until the same seed ends in a visibly different network. One network's
# final errors are therefore a draw, not a property of the recipe. So we train the Adam recipe from five
# seeds at once with {py:func}`~nnbook.training.fit_seeds`, quote the mean and the spread over the five,
# and draw the network of seed 0.

# %% mystnb={"image": {"alt": "Training (dashed) and held-out (solid) MSE on a log scale: SGD falls slowly with spikes; Adam's training curve falls far lower while its held-out curve turns up after a few hundred epochs."}}
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
big_run = fit_seeds(lambda: mlp(deep, activation="tanh"), range(5), (x_reg, y_reg), (x_val, y_val), epochs=2000, lr=0.003)
h_big = big_run.history  # each epoch's mean over the five seeds
big = big_run.model(0)  # the network of seed 0, for the pictures

adam_train = torch.tensor(h_big["train_loss"])
glue("reg_big_params", sum(p.numel() for p in big.parameters()))
sgd_train_mse = glue("reg_sgd_train_mse", h_sgd.last["train_loss"])
glue("reg_adam_epochs_to_sgd", int((adam_train < sgd_train_mse).nonzero()[0]) + 1)
glue("reg_adam_train_mse_same_epochs", h_big["train_loss"][sgd_epochs - 1])
glue("reg_sgd_valid_final", h_sgd.last["valid_loss"])
glue("reg_sgd_valid_best", min(h_sgd["valid_loss"]))
glue("reg_sgd_valid_best_epoch", h_sgd["epoch"][h_sgd["valid_loss"].index(min(h_sgd["valid_loss"]))])
glue("reg_adam_valid_same_epochs", h_big["valid_loss"][sgd_epochs - 1])
glue("reg_adam_valid_best_so_far", min(h_big["valid_loss"][:sgd_epochs]))
ax = plot_loss_curves({"SGD, lr 0.01": h_sgd, "Adam, lr 0.003 (mean of 5 seeds)": h_big})
ax.set_title("6 × 30 Tanh: training (dashed) and held-out (solid) MSE")
nnbook.show(ax.figure)

# %% [markdown]
# ### Why Adam is so much faster here
#
# The network has {glue:text}`reg_big_params` parameters. After {glue:text}`reg_sgd_epochs` epochs SGD has brought its
# training MSE down to {glue:text}`reg_sgd_train_mse:.2f`, still above the true curve's
# {glue:text}`reg_noise_train_mse:.2f` on these points, and its held-out error, though jumpy, is lowest near the end
# ({glue:text}`reg_sgd_valid_best:.2f` at epoch {glue:text}`reg_sgd_valid_best_epoch`, last
# {glue:text}`reg_sgd_valid_final:.2f`): it has not yet started to memorise the points. <!-- claim: sgd-not-yet-overfitting -->
# Adam got as far in its first {glue:text}`reg_adam_epochs_to_sgd` epochs; after {glue:text}`reg_sgd_epochs`
# it is at {glue:text}`reg_adam_train_mse_same_epochs:.2f` on the training points (the mean of the five seeds), <!-- claim: adam-far-ahead-of-sgd -->
# and its held-out error has already turned upwards, from a best of
# {glue:text}`reg_adam_valid_best_so_far:.2f` to {glue:text}`reg_adam_valid_same_epochs:.2f`.
# <!-- claim: adam-already-overfitting -->
# The course notebook gives SGD fifty times our {glue:text}`reg_sgd_epochs` epochs.
#
# Why the difference? SGD moves every weight by the learning rate times its gradient, so a weight moves
# quickly only where its gradient is large. The callback `GradientSizes` above (a {py:class}`~nnbook.training.Callback`
# that `fit` calls after every step) recorded, after every SGD
# step, the typical size of each layer's weight gradient (the root mean square over the layer's weights):

# %% mystnb={"image": {"alt": "Log-scale gradient size of each of the seven layers over 1000 SGD steps: the output layer starts highest, all layers dip in a flat stretch early on, and the first hidden layer leads later."}}
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
glue("reg_grad_overall_spread", float(sizes.max() / sizes.min()))
second_half = sizes[len(sizes) // 2 :]
glue("reg_grad_first_largest_percent", 100 * float((second_half.argmax(dim=1) == 0).float().mean()));

# %% [markdown]
# Two things stand out. At the start, the output layer's gradient is
# {glue:text}`reg_grad_output_over_hidden_start:.0f` times the largest of the hidden layers'.
# The first hidden layer's gradient is not small: in the <!-- claim: output-gradient-largest-at-start -->
# second half of training it is the largest of all seven layers at
# {glue:text}`reg_grad_first_largest_percent:.0f` % of the steps. <!-- claim: first-layer-gradient-not-tiny --> And there are flat stretches: around step
# {glue:text}`reg_grad_flat_step`, even the largest gradient of any layer has fallen to
# {glue:text}`reg_grad_flat_drop:.2f` of the largest at the start. <!-- claim: sgd-flat-stretch -->
# Within one step, the layers' gradients differ by up to a factor of {glue:text}`reg_grad_layer_spread:.0f`;
# across all layers and steps, by a factor of {glue:text}`reg_grad_overall_spread:.0f`.
# <!-- claim: gradient-sizes-differ-widely -->
# One learning rate cannot suit them all: a rate small enough for the steep steps (the spikes in the SGD
# curve above are steps that were too large) crawls through the flat stretches. Adam
# {cite:p}`kingma2015adam` divides each weight's gradient by a running average of its own recent size, so a
# weight with a consistently small gradient still moves by roughly the learning rate per step, and the
# flat stretches no longer hold training up. Two things changed between the runs: the
# optimizer, and the learning rate, from 0.01 to 0.003. The smaller rate cannot be what makes Adam
# faster: for SGD it would only shrink every step. The network, the data and the full batches are the same.

# %%
seconds_per_epoch = sum(h_sgd["time"]) / len(h_sgd)
glue("reg_seed_recipe_estimate_seconds", 50_000 * seconds_per_epoch)
glue("reg_fast_recipe_seconds", big_run.seconds);

# %% [markdown]
# On this computer the notebook's 50,000 SGD epochs would take about
# {glue:text}`reg_seed_recipe_estimate_seconds:.0f` s; the Adam runs, all five seeds together, took
# {glue:text}`reg_fast_recipe_seconds:.1f` s.
#
# ### Overfitting, seen
#
# The training points alone make the Adam network look excellent. Its curve drawn on a dense grid of 1000
# points between the data ({py:func}`~nnbook.plots.plot_model` with `n=1000`) tells another story:

# %% mystnb={"image": {"alt": "The training points, the overfit network's predictions at them (crosses, almost on the points) and its curve on a dense grid, which swerves sharply between points, against the smooth dashed true curve."}}
final_train, final_valid = big_run.final_train_loss, big_run.final_valid_loss
glue("reg_overfit_train_mse", final_train.mean().item())
glue("reg_overfit_train_max", final_train.max().item())
glue("reg_overfit_train_min", final_train.min().item())
glue("reg_overfit_valid_mse", final_valid.mean().item())
glue("reg_overfit_valid_min", final_valid.min().item())
glue("reg_overfit_valid_max", final_valid.max().item())
glue("reg_overfit_train_percent_of_noise", 100 * final_train.mean().item() / noise_train_mse)

ax = plot_data(x_reg, y_reg, color="k", label="training points")
with torch.no_grad():
    ax.scatter(x_reg[:, 0], big(x_reg)[:, 0], marker="x", color="C3", label="predictions at the training points")
plot_model(big, x_reg, ax=ax, n=1000, lw=1.2, label="the network on a dense grid")
plot_model(truth, x_reg, ax=ax, n=1000, color="C2", lw=1.5, ls="--", label="true curve")
ax.set_title("6 × 30 Tanh network after 2000 Adam epochs (seed 0)")
ax.legend(fontsize=8)
nnbook.show(ax.figure)

# %% [markdown]
# The curve swerves to pass near individual points. That is **overfitting**: the model has memorised the
# noise of its training set. Over the five seeds its training MSE ends between
# {glue:text}`reg_overfit_train_min:.2f` and {glue:text}`reg_overfit_train_max:.2f` (mean
# {glue:text}`reg_overfit_train_mse:.2f`), {glue:text}`reg_overfit_train_percent_of_noise:.0f` % of the
# {glue:text}`reg_noise_train_mse:.2f` that the true curve itself scores on the same 100 points. A model
# fitted to these points can slip a little below the true curve's score by chance; this far below, it is
# fitting the noise. <!-- claim: overfit-below-training-noise --> On the held-out points its MSE is between
# {glue:text}`reg_overfit_valid_min:.2f` and {glue:text}`reg_overfit_valid_max:.2f` (mean
# {glue:text}`reg_overfit_valid_mse:.2f`), against the true curve's {glue:text}`reg_noise_valid_mse:.2f`.
# <!-- claim: overfit-worse-than-truth-held-out -->
#
# Where is the overfitting most severe? Two measurements answer it, bin by bin: we cut the range of $x$
# into ten equal bins and compare, for each, the number of training points with how far the network is
# from the true curve there (the mean squared difference on the dense grid) and how much it bends (the mean
# size of its second derivative), each averaged over the five seeds:

# %% mystnb={"image": {"alt": "Two scatter plots over ten bins of x. Left: the squared distance from the true curve is largest in the two sparse bins at the left end; the sparse bins at the right end stay close. Right: bending is largest in the densest bins."}}
dense_x = torch.linspace(float(x_reg.min()), float(x_reg.max()), 1000)[:, None]
step = float(dense_x[1, 0] - dense_x[0, 0])
curves = big_run.predict(dense_x)[:, :, 0]  # (5 seeds, 1000 grid points)
off_truth = (curves - truth(dense_x)[:, 0]) ** 2  # squared distance from the true curve
bending = ((curves[:, 2:] - 2 * curves[:, 1:-1] + curves[:, :-2]) / step**2).abs()  # |second derivative|
edges = torch.linspace(float(x_reg.min()), float(x_reg.max()), 11)
bin_of_point = torch.bucketize(x_reg[:, 0], edges[1:-1])
bin_of_grid = torch.bucketize(dense_x[:, 0], edges[1:-1])
counts = torch.bincount(bin_of_point, minlength=10).float()
error = torch.stack([off_truth[:, bin_of_grid == k].mean() for k in range(10)])
bend = torch.stack([bending[:, bin_of_grid[1:-1] == k].mean() for k in range(10)])

by_count = counts.argsort()
sparse, dense = by_count[:4], by_count[-4:]
worst, second = error.argsort(descending=True)[:2]
glue("reg_error_worst_bin_points", int(counts[worst]))
glue("reg_error_second_bin_points", int(counts[second]))
glue("reg_error_second_bin_right", float(edges[second + 1]))
glue("reg_error_worst_over_median", float(error[worst] / error.sort().values[4:6].mean()))  # median of ten: mean of the middle two
glue("reg_error_count_correlation", float(torch.corrcoef(torch.stack([counts, error]))[0, 1]))
glue("reg_error_worst_bin_left", float(edges[worst]))
glue("reg_error_worst_bin_right", float(edges[worst + 1]))
glue("reg_bend_dense_over_sparse", float(bend[dense].mean() / bend[sparse].mean()))
glue("reg_bend_count_correlation", float(torch.corrcoef(torch.stack([counts, bend]))[0, 1]))

fig, (ax_e, ax_b) = plt.subplots(1, 2, figsize=(10, 3.3), layout="constrained")
for ax, values, label in ((ax_e, error, "mean (network − truth)²"), (ax_b, bend, "mean |curvature|")):
    ax.scatter(counts, values)
    for k in range(10):
        ax.annotate(f"{edges[k]:.1f}…{edges[k + 1]:.1f}", (counts[k], values[k]), fontsize=6, xytext=(3, 2), textcoords="offset points")
    ax.set(xlabel="training points in the bin", ylabel=label, yscale="log")
ax_e.set_title("ten bins of x: how wrong the network is")
ax_b.set_title("ten bins of x: how much it bends")
nnbook.show(fig)

# %% [markdown]
# By its distance from the true curve, the overfitting is most severe at the left end, where the training
# points are sparse: the worst bin, from {glue:text}`reg_error_worst_bin_left:.1f` to
# {glue:text}`reg_error_worst_bin_right:.1f`, holds only {glue:text}`reg_error_worst_bin_points` points and its
# mean squared distance from the true curve is {glue:text}`reg_error_worst_over_median:.1f` times the median bin's;
# the bin to its left, with {glue:text}`reg_error_second_bin_points` points, comes second. <!-- claim: error-worst-where-data-sparse -->
# There, one or two noisy points decide the shape, and nothing
# else holds the curve to the truth. Sparseness alone does not decide it: the sparse bins at the right end
# stay close to the truth (correlation between point count and squared distance only
# {glue:text}`reg_error_count_correlation:.2f`). The bending tells the
# opposite story: the four densest bins bend on average {glue:text}`reg_bend_dense_over_sparse:.1f` times as
# much as the four sparsest (correlation between point count and bending
# {glue:text}`reg_bend_count_correlation:.2f`). <!-- claim: spikes-in-dense-data --> Where points are close
# together, neighbours whose noise pulls in opposite directions sit a short distance apart, and a network
# that passes near each must turn sharply in between; but with many points around, these swerves stay
# small. More data helps in both places (exercise {ref}`ex-capacity-more-data`).
#
# ### Overfitting, measured
#
# The loss curves above show it over time. For the first epochs the training and held-out errors fall
# together: the network is learning the wave. Then they part. Training MSE keeps falling, held-out MSE
# turns up: averaged over the seeds it is lowest, {glue:text}`reg_adam_valid_best:.2f`, at epoch
# {glue:text}`reg_adam_valid_best_epoch`, and ends at {glue:text}`reg_overfit_valid_mse:.2f`.
# The vertical distance between the two curves is the <!-- claim: train-and-held-out-part -->
# **generalisation gap**:

# %% mystnb={"image": {"alt": "The generalisation gap of five seeds over 2000 epochs: it jumps in the first few dozen epochs and dips, then grows for every seed over the rest of training, with spikes."}}
gap = big_run.valid_loss - big_run.train_loss  # (epochs, seeds)
fig, ax = plt.subplots(figsize=(6, 3), layout="constrained")
ax.plot(range(1, len(gap) + 1), gap, lw=0.8)
ax.set(xlabel="epoch", ylabel="held-out MSE − training MSE", title="the generalisation gap, 6 × 30 Tanh with Adam, 5 seeds")
glue("reg_overfit_ratio", h_big.last["valid_loss"] / h_big.last["train_loss"])
glue("reg_overfit_ratio_min", float((final_valid / final_train).min()))
glue("reg_adam_valid_best", min(h_big["valid_loss"]))
glue("reg_adam_valid_best_epoch", h_big["epoch"][h_big["valid_loss"].index(min(h_big["valid_loss"]))])
nnbook.show(fig)

# %% [markdown]
# At the end the mean held-out error is {glue:text}`reg_overfit_ratio:.1f` times the mean training error,
# and at least {glue:text}`reg_overfit_ratio_min:.1f` times for every seed. A gap this large means the
# training error no longer says anything about how the model will do on new data. <!-- claim: big-net-overfits -->
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

# %% mystnb={"image": {"alt": "Three panels: the overfit 6 x 30 network swerves between points; the 1-10-1 network and the early-stopped 6 x 30 network follow the dashed true curve without swerving, the early-stopped one flat at both ends."}}
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

# %% mystnb={"image": {"alt": "Training (dashed) and held-out (solid) MSE of the five regression models, with a dotted line at the held-out noise level: only the big network's curves split far apart."}}
runs = {"two linear layers": h_nested, "one Tanh unit": h_one, "6 × 30 Tanh (mean of 5 seeds)": h_big}
runs.update({"1-10-1 Tanh": h_small, "6 × 30, early stop": h_stop})
ax = plot_loss_curves(runs, title="regression: training (dashed) and held-out (solid) MSE")
ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1))
ax.axhline(noise_mse, color="k", lw=0.8, ls=":")
nnbook.show(ax.figure)

glue("reg_earlystop_train_mse", h_stop["train_loss"][stopper.best_epoch - 1])
for name, train_mse, valid_mse in (
    ("nested", h_nested.last["train_loss"], h_nested.last["valid_loss"]),
    ("one_unit", h_one.last["train_loss"], h_one.last["valid_loss"]),
    ("overfit", h_big.last["train_loss"], h_big.last["valid_loss"]),
    ("justright", h_small.last["train_loss"], h_small.last["valid_loss"]),
    ("earlystop", h_stop["train_loss"][stopper.best_epoch - 1], stopper.best_loss),
):
    glue(f"reg_{name}_gap", valid_mse - train_mse)

# %% [markdown]
# The dotted line is the held-out noise level. The table gathers the final errors (for early stopping,
# those of the epoch it kept):
#
# | model | training MSE | held-out MSE | gap |
# | :-- | --: | --: | --: |
# | the true curve (the noise) | {glue:text}`reg_noise_train_mse:.2f` | {glue:text}`reg_noise_valid_mse:.2f` | |
# | two linear layers | {glue:text}`reg_nested_train_mse:.2f` | {glue:text}`reg_nested_valid_mse:.2f` | {glue:text}`reg_nested_gap:.2f` |
# | one Tanh unit | {glue:text}`reg_one_unit_train_mse:.2f` | {glue:text}`reg_one_unit_valid_mse:.2f` | {glue:text}`reg_one_unit_gap:.2f` |
# | 6 × 30 Tanh, 2000 epochs (mean of 5 seeds) | {glue:text}`reg_overfit_train_mse:.2f` | {glue:text}`reg_overfit_valid_mse:.2f` | {glue:text}`reg_overfit_gap:.2f` |
# | 1-10-1 Tanh | {glue:text}`reg_justright_train_mse:.2f` | {glue:text}`reg_justright_valid_mse:.2f` | {glue:text}`reg_justright_gap:.2f` |
# | 6 × 30 Tanh, early stopping | {glue:text}`reg_earlystop_train_mse:.2f` | {glue:text}`reg_earlystop_valid_mse:.2f` | {glue:text}`reg_earlystop_gap:.2f` |
#
# The rigid models are already wrong on their own training points, at about twice the noise there: they
# are biased, and the held-out points only confirm it. <!-- claim: rigid-models-biased-not-overfit -->
# The big network is the opposite: far below the noise on its training points, far above it on new ones,
# with the largest gap by far. The small network and the early-stopped one come closest to the noise on both
# sets. <!-- claim: regression-table-ranks -->
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


glue("clf_bayes_acc", (circle_rule(x_test).float() == y_test).float().mean().item());

# %% [markdown]
# ### Too small: two Tanh units
#
# The course notebook first tries two hidden Tanh units, trained with SGD for 10,000 epochs. We use Adam at
# learning rate 0.03 for 1000 epochs instead.

# %% mystnb={"image": {"alt": "Decision regions of the 2-2-1 Tanh network: a wedge between two soft boundaries, not a closed region around the circle."}}
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
# learning rate 0.001, 1000 epochs are enough to overfit. This run is chaotic too, so again we train five
# seeds at once and draw seed 0. (Before you look at its map, try exercise {ref}`ex-capacity-map`.)

# %% mystnb={"image": {"alt": "Decision regions of the overfit 6 x 50 Tanh network: a star-shaped region with arms and narrow slits reaching for single points, far from round, on the training points and on 1000 fresh points."}}
wide = [2, 50, 50, 50, 50, 50, 50, 1]
huge_run = fit_seeds(lambda: mlp(wide, activation="tanh"), range(5), clf_train, clf_valid, epochs=1000, lr=0.001, loss="bce")
h_huge = huge_run.history  # each epoch's mean over the five seeds
huge = huge_run.model(0)
glue("clf_overfit_train_loss", h_huge.last["train_loss"])
glue("clf_overfit_valid_best", min(h_huge["valid_loss"]))
glue("clf_overfit_valid_best_epoch", h_huge["epoch"][h_huge["valid_loss"].index(min(h_huge["valid_loss"]))])
glue("clf_overfit_valid_loss", h_huge.last["valid_loss"])
glue("clf_overfit_valid_min", huge_run.final_valid_loss.min().item())
glue("clf_overfit_valid_max", huge_run.final_valid_loss.max().item())
glue("clf_overfit_acc", huge_run.evaluate(accuracy, x_test, y_test).mean().item())
glue("clf_overfit_train_acc", huge_run.evaluate(accuracy, x_clf, y_clf).mean().item())
swapped = circle_rule(x_clf).float() != y_clf  # the training labels the circle rule gets wrong
glue("clf_rule_train_acc", 1 - swapped.float().mean().item())
glue("clf_n_swapped_train", int(swapped.sum()))
predicted = huge_run.predict(x_clf) > 0  # (5 seeds, 200, 1): each seed's decisions on its training points
glue("clf_overfit_swapped_learned", (predicted == y_clf.bool())[:, swapped[:, 0]].float().sum(dim=1).mean().item())

fig, (ax_a, ax_b) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
plot_decision_regions(huge, x_clf, y_clf, ax=ax_a)
ax_a.add_patch(plt.Circle((0, 0), torch.pi, fill=False, color="k", lw=1, ls="--"))
ax_a.set_title("6 × 50 Tanh after 1000 Adam epochs (seed 0)")
plot_decision_regions(huge, x_test[:1000], y_test[:1000], ax=ax_b)
ax_b.set_title("the same regions, 1000 fresh points")
nnbook.show(fig)

# %% [markdown]
# This is what overfitting looks like in a decision map: the boundary leaves the dashed circle to take in
# or leave out single points, in bulges, arms and narrow slits, and its shape has nothing round left
# about it. On its own 200 points the network is right {glue:text}`clf_overfit_train_acc:.3f` of the time
# (mean of the five seeds), more than the circle rule itself, which is right on
# {glue:text}`clf_rule_train_acc:.3f` of these points: of the {glue:text}`clf_n_swapped_train` training labels
# that were swapped, the network reproduces {glue:text}`clf_overfit_swapped_learned:.1f` on average. It has
# learned which labels were swapped, which is pure noise. (Large networks can memorise even labels that are
# entirely random {cite:p}`zhang2017understanding`.) On fresh points its accuracy drops to
# {glue:text}`clf_overfit_acc:.3f`, below the {glue:text}`clf_bayes_acc:.3f` of the circle rule there.
# <!-- claim: big-classifier-learns-swapped-labels -->
#
# The loss curves show it as before:

# %% mystnb={"image": {"alt": "Training (dashed) and held-out (solid) BCE: the 2-2-1 curves stay together and high; for the 6 x 50 network the training loss sinks while the held-out loss falls, then climbs."}}
ax = plot_loss_curves({"2-2-1": h_tiny, "6 × 50 (mean of 5 seeds)": h_huge})
ax.set_title("classification: training (dashed) and held-out (solid) BCE")
nnbook.show(ax.figure)

# %% [markdown]
# The held-out BCE of the big network falls during the first epochs, to {glue:text}`clf_overfit_valid_best:.3f`
# at epoch {glue:text}`clf_overfit_valid_best_epoch` (the mean of the seeds), then climbs: after 1000 epochs it
# is between {glue:text}`clf_overfit_valid_min:.2f` and {glue:text}`clf_overfit_valid_max:.2f` (mean
# {glue:text}`clf_overfit_valid_loss:.2f`), while the training BCE sinks to
# {glue:text}`clf_overfit_train_loss:.3f`. <!-- claim: classifier-held-out-climbs --> Cross-entropy punishes
# confident mistakes hard, and an overfit network is confidently wrong on every fresh point that falls into
# one of its bulges or slits; how many such points the 200 held-out ones happen to contain decides much of
# the final number, which is why it scatters so widely between seeds.
#
# ### Just right: a smaller network with weight decay
#
# The third dial is **weight decay** {cite:p}`krogh1992simple`: at every step, each weight is also pulled a
# little towards zero (the optimizer adds $\lambda w$ to its gradient, which is the gradient of the penalty
# $\tfrac{\lambda}{2}\lVert w \rVert^2$). Large weights make Tanh units switch abruptly, which is what sharp bulges and slits need; small weights
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

# %% mystnb={"image": {"alt": "One dot per seed of held-out BCE after 500 epochs: without weight decay the five seeds scatter; with weight decay 0.003 they sit lower and close together."}}
medium = [2, 16, 1]
plain = fit_seeds(lambda: mlp(medium, "tanh"), range(5), clf_train, clf_valid, epochs=500, lr=0.01, loss="bce")
decayed = fit_seeds(
    lambda: mlp(medium, "tanh"), range(5), clf_train, clf_valid, epochs=500, lr=0.01, loss="bce", weight_decay=3e-3
)
glue("clf_nowd_valid_loss_mean", plain.final_valid_loss.mean().item())
glue("clf_wd_valid_loss_mean", decayed.final_valid_loss.mean().item())
glue("clf_nowd_valid_loss_std", plain.final_valid_loss.std().item())
glue("clf_wd_valid_loss_std", decayed.final_valid_loss.std().item())
glue("clf_nowd_valid_loss_min", plain.final_valid_loss.min().item())
glue("clf_wd_valid_loss_max", decayed.final_valid_loss.max().item())
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
# {glue:text}`clf_wd_valid_loss_std:.3f`); even the worst seed with it, {glue:text}`clf_wd_valid_loss_max:.3f`,
# beats the best without, {glue:text}`clf_nowd_valid_loss_min:.3f`. <!-- claim: weight-decay-helps-every-seed --> Here is one of them in full,
# next to early stopping applied to the big network:

# %% mystnb={"image": {"alt": "Two panels: the 2-16-1 network with weight decay draws a smooth, nearly round boundary close to the dashed circle; the early-stopped 6 x 50 network a round-ish one too."}}
nnbook.set_seed(0)
right = mlp(medium, activation="tanh")
h_right = fit(right, clf_train, clf_valid, epochs=500, lr=0.01, loss="bce", weight_decay=3e-3, progress=False)
glue("clf_justright_valid_loss", h_right.last["valid_loss"])
glue("clf_justright_acc", test_accuracy(right))

nnbook.set_seed(0)
huge_stopped = mlp(wide, activation="tanh")
stopper = EarlyStopping(patience=50)
h_stopped = fit(huge_stopped, clf_train, clf_valid, epochs=1000, lr=0.001, loss="bce", callbacks=[stopper], progress=False)
glue("clf_seed_recipe_estimate_seconds", 30_000 * sum(h_stopped["time"]) / len(h_stopped))
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
# big network too: stopped at epoch {glue:text}`clf_earlystop_epoch`, before the bulges and slits formed, it has
# held-out BCE {glue:text}`clf_earlystop_valid_loss:.3f` and accuracy {glue:text}`clf_earlystop_acc:.3f`.
# <!-- claim: early-stopping-rescues-classifier -->
#
# ## What changed from the course notebook, and why it is faster
#
# The course notebook trains its big networks with plain SGD at learning rate 0.01: 50,000 full-batch epochs
# for the regression network and 30,000 for the classifier, which would take about
# {glue:text}`reg_seed_recipe_estimate_seconds:.0f` s and {glue:text}`clf_seed_recipe_estimate_seconds:.0f` s on
# this computer. We kept its architectures and its data and changed the optimizer to Adam (learning rate
# 0.003 and 0.001). Adam scales each weight's step by the size of that weight's own recent gradients, so the
# flat stretches, where every gradient is small, no longer hold training up: on the regression network,
# SGD's first {glue:text}`reg_sgd_epochs` epochs got only as far as Adam's first
# {glue:text}`reg_adam_epochs_to_sgd`. The overfitting the course notebook shows appears here after 2000 and 1000
# Adam epochs, and the whole chapter runs in seconds. (The repository's `bench/bench_course_recipes.py` runs
# the two SGD recipes in full, for a reader who wants to see where they end.)
#
# ## Summary
#
# - Stacked linear layers collapse into one: depth needs a nonlinearity between the layers. One Tanh unit
#   bends once, which is not enough for the waves.
# - A 6 × 30 Tanh network fitted to 100 noisy points overfits: training MSE {glue:text}`reg_overfit_train_mse:.2f`
#   (mean of five seeds), far below the true curve's {glue:text}`reg_noise_train_mse:.2f` on the same points,
#   against held-out MSE {glue:text}`reg_overfit_valid_mse:.2f`. It is furthest from the true curve at the sparse
#   left end, and bends hardest where the points are dense. A 1-10-1 network reaches held-out
#   {glue:text}`reg_justright_valid_mse:.2f`.
# - Long training of a big network is chaotic: the same seed ends elsewhere on another CPU, so its errors are
#   quoted as a mean and a spread over seeds.
# - For the circles, 2-2-1 is too small ({glue:text}`clf_tiny_acc:.3f`); 6 × 50 overfits, with a boundary that
#   bends around swapped labels and held-out BCE {glue:text}`clf_overfit_valid_loss:.2f`; 2-16-1 with weight
#   decay gets {glue:text}`clf_justright_valid_loss:.3f` and accuracy {glue:text}`clf_justright_acc:.3f`.
# - A held-out set measures overfitting: training and validation curves part, and the gap between them grows.
# - Three dials fix it: a smaller model, fewer epochs (early stopping on the held-out loss), and weight decay.
#   Weight decay with Adam and with AdamW are two different pulls towards zero.
# - Adam reached in {glue:text}`reg_adam_epochs_to_sgd` epochs what plain SGD at 0.01 reached in
#   {glue:text}`reg_sgd_epochs`: SGD's gradients shrink on flat stretches and differ widely between layers,
#   and one learning rate cannot suit them all.
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
# Measured by what matters, the distance from the true curve, the overfitting is most severe at the sparse
# left end: the worst bin there holds
# {glue:text}`reg_error_worst_bin_points` points, and one or two noisy points decide the curve. (The sparse right
# end stays close, so sparseness alone does not decide it.) Where the points are dense the curve bends hardest
# ({glue:text}`reg_bend_dense_over_sparse:.1f` times as much), to pass near neighbours whose noise differs,
# but those swerves stay small. More data helps in both places: with many points near every $x$, the curve
# can no longer pass near each of them, so fitting their average, the true curve, becomes the best the
# network can do.

# %%
x_more, y_more = sine_line_points(n=1000, seed=3)
glue("ex_more_noise_train", ((truth(x_more) - y_more) ** 2).mean().item())
nnbook.set_seed(0)
more = mlp(deep, activation="tanh")
h_more = fit(more, (x_more, y_more), (x_val, y_val), epochs=sgd_epochs, lr=0.003, progress=False)
glue("ex_more_train_mse", h_more.last["train_loss"])
glue("ex_more_valid_mse", h_more.last["valid_loss"]);

# %% [markdown]
# After the same {glue:text}`reg_sgd_epochs` epochs, the network trained on 1000 points ends at training MSE
# {glue:text}`ex_more_train_mse:.2f` (the true curve scores {glue:text}`ex_more_noise_train:.2f` on these
# points) and held-out MSE {glue:text}`ex_more_valid_mse:.2f` (noise level {glue:text}`reg_noise_valid_mse:.2f`).
# Trained on 100 points it was at {glue:text}`reg_adam_train_mse_same_epochs:.2f` and
# {glue:text}`reg_adam_valid_same_epochs:.2f` at that epoch (the mean of five seeds): with ten times the data,
# the same network no longer overfits. <!-- claim: more-data-stops-overfitting -->
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
# A boundary that wanders off the circle to include or exclude single training points whose labels were
# swapped: bulges and arms that reach out for a point of class 1 outside the circle, slits that cut in
# to leave out a point of class 0 inside it, and, if the network has room, small islands of one class
# inside the other. The 6 × 50 map shows the bulges, arms and slits. A just-right classifier draws one
# smooth closed curve near the circle and accepts that it misclassifies the swapped training points; that
# is the price of being right on new ones.
# :::
#
# :::{exercise} Weight decay for the regression network
# :label: ex-capacity-weight-decay
#
# Train the 6 × 30 network with `optimizer="adamw"`, `lr=0.003` and `weight_decay=0.3` for 2000 epochs, for
# three seeds with `fit_seeds` (the cell below). Predict first: will every seed's held-out MSE beat the unregularised
# network's mean, {glue:text}`reg_overfit_valid_mse:.2f`, and will it match the small network's
# {glue:text}`reg_justright_valid_mse:.2f`?
# :::

# %% tags=["remove-output"]
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
glue("ex_wd_worst_over_small_percent", 100 * (decayed_reg.final_valid_loss.max().item() / h_small.last["valid_loss"] - 1));

# %% [markdown]
# Every seed improves on the unregularised network's mean, {glue:text}`reg_overfit_valid_mse:.2f`: the
# held-out MSE ranges from {glue:text}`ex_wd_valid_best:.2f` to {glue:text}`ex_wd_valid_worst:.2f`, depending on
# the seed: the best seed matches the small network's {glue:text}`reg_justright_valid_mse:.2f`, the worst is
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

# %% tags=["remove-output"]
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
glue("ex_yours_acc", test_accuracy(yours));

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
# Among all epochs, early stopping keeps the one with the lowest held-out loss, so part of that low value can
# be luck: at that epoch the model may happen to suit these 200 held-out points. The honest number comes from
# points that played no part in any choice, a *test set*; here the 5000 fresh points.

# %%
with torch.no_grad():
    test_bce = glue("ex_earlystop_test_bce", torch.nn.functional.binary_cross_entropy_with_logits(huge_stopped(x_test), y_test).item())
print(f"held-out BCE that chose the epoch {stopper.best_loss:.3f}, BCE on 5000 fresh points {test_bce:.3f}")


# %% [markdown]
# Is the choice of the epoch to blame? Two measurements tell: the same run again, scored on the fresh
# points after every epoch, and the true probabilities behind the labels, scored on both sets.

# %%
class FreshLoss(Callback):
    """The BCE on the 5000 fresh points after every epoch."""

    def __init__(self) -> None:
        self.values: list[float] = []

    def after_epoch(self, state) -> None:
        with torch.no_grad():
            self.values.append(torch.nn.functional.binary_cross_entropy_with_logits(state.model(x_test), y_test).item())


def true_probability(x: torch.Tensor) -> torch.Tensor:
    """The probability of class 1 that circle_classes draws each label from (its default radius, width, max_swap)."""
    swap = 0.3 * 0.7**2 / ((x.norm(dim=1, keepdim=True) - torch.pi) ** 2 + 0.7**2)
    return torch.where(circle_rule(x), 1 - swap, swap)


nnbook.set_seed(0)  # the early-stopped run again, now scored on the fresh points after every epoch
fresh = FreshLoss()
again = mlp(wide, activation="tanh")
fit(again, clf_train, clf_valid, epochs=1000, lr=0.001, loss="bce", callbacks=[EarlyStopping(patience=50), fresh], progress=False)
glue("ex_test_best_epoch", min(range(len(fresh.values)), key=fresh.values.__getitem__) + 1)
glue("ex_test_best_bce", min(fresh.values))
glue("ex_test_bce_at_chosen", fresh.values[stopper.best_epoch - 1])
glue("ex_truth_valid_bce", torch.nn.functional.binary_cross_entropy(true_probability(x_cval), y_cval).item())
glue("ex_truth_test_bce", torch.nn.functional.binary_cross_entropy(true_probability(x_test), y_test).item());

# %% [markdown]
# On the fresh points the BCE is {glue:text}`ex_earlystop_test_bce:.3f`, higher than the
# {glue:text}`clf_earlystop_valid_loss:.3f` that chose the epoch. Had the fresh points themselves chosen the
# epoch, the best would have been epoch {glue:text}`ex_test_best_epoch` with {glue:text}`ex_test_best_bce:.4f`, against
# {glue:text}`ex_earlystop_test_bce:.4f` at the chosen one. And the 200 held-out points are simply easier: even
# the true probabilities behind the labels score {glue:text}`ex_truth_valid_bce:.3f` on them and
# {glue:text}`ex_truth_test_bce:.3f` on the fresh points. <!-- claim: early-stopping-choice-costs-little --> Most
# of the difference is the luck of drawing 200 points, not the choice. With one choice (the epoch) the
# optimism is small, but it grows with every setting tuned against the same held-out data.
#
# ```{solution-end}
# ```
