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
# # Using nnbook on your own data
#
# The chapters so far trained small networks on data sets the book made for them, almost all with one
# input. Your own problem will look different: a table with several columns, perhaps in different
# units, or a label with more than two classes. This chapter runs the whole workflow on two such
# problems, in the order you would follow on your own data: choose a learning rate, train with early
# stopping, check that the result does not depend on the random start, look at what the network
# learned, and finally predict on new rows, save the model and load it back.
#
# **Learning objectives.** After this chapter you can
#
# - bring a table of numbers (a NumPy array, for example read from a CSV file) into the book's workflow,
#   standardize it and undo the scaling for predictions;
# - pick a learning rate with the learning-rate range test instead of guessing;
# - train with early stopping and train ten seeds of a model at once;
# - analyse what a network with several inputs learned, on the data's own rows and along one input;
# - train a classifier for three classes, draw its decision regions, and predict, save and load a model.

# %% tags=["hide-cell"]
# On a fresh Colab or Binder runtime, install the book's package first; elsewhere this does nothing.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("nnbook") is None:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "git+https://github.com/nnbook/nnbook"], check=True)

# %% [markdown]
# ## A table with three inputs
#
# Here is a stand-in for your data: 800 rows, three input columns and one target, as NumPy arrays. The
# columns have different units on purpose: the first lies between −2 and 2, the second around 50 with a
# spread of 10, the third between 0 and 1. The target depends on all three, one of them through a curve
# and two through a product, plus noise with standard deviation 0.1. With a CSV file you would start
# from `np.loadtxt("data.csv", delimiter=",", skiprows=1)` and split off the columns the same way.
#
# The tools are those of the earlier chapters: {py:func}`~nnbook.models.mlp` builds a network,
# {py:func}`~nnbook.training.fit` trains it, {py:func}`~nnbook.set_seed` fixes its random start,
# {py:func}`~nnbook.plots.plot_losses` and {py:func}`~nnbook.plots.plot_seed_band` draw loss curves,
# {py:func}`~nnbook.show` shows a figure and {py:func}`~nnbook.glue` records each number the text quotes.

# %%
import math
import tempfile
from pathlib import Path

import numpy as np
import torch

import nnbook
from nnbook import glue
from nnbook.analysis import feature_decomposition, plot_contributions, plot_decomposition
from nnbook.data import standardize, train_valid_split
from nnbook.models import Rescaled, load, mlp, save
from nnbook.plots import plot_decision_regions, plot_losses, plot_seed_band
from nnbook.training import EarlyStopping, evaluate, fit, fit_seeds, lr_find, predict

rng = np.random.default_rng(0)
n = 800
table = np.column_stack([rng.uniform(-2, 2, n), rng.normal(50, 10, n), rng.uniform(0, 1, n)])
target = np.sin(1.5 * table[:, 0]) + 0.05 * (table[:, 1] - 50) + 0.5 * table[:, 0] * table[:, 2]
target = target + rng.normal(0, 0.1, n)
names = ["x1", "x2", "x3"]
x = torch.tensor(table, dtype=torch.float32)
y = torch.tensor(target, dtype=torch.float32)[:, None]  # targets are a column: shape (n, 1)
print(x.shape, y.shape)

# %% [markdown]
# {py:func}`~nnbook.data.train_valid_split` holds out a quarter of the rows for validation, and
# {py:func}`~nnbook.data.standardize` scales every column to mean 0 and standard deviation 1, using the
# statistics of the training rows for both parts. Without this step the second column, about 50 times
# larger than the others, would dominate the first layer at the start of training.

# %%
split = train_valid_split(x, y, valid_fraction=0.25, seed=0)
x_train, x_mean, x_std = standardize(split.x_train)
y_train, y_mean, y_std = standardize(split.y_train)
x_valid = (split.x_valid - x_mean) / x_std
y_valid = (split.y_valid - y_mean) / y_std
glue("own_rows_train", len(x_train))
glue("own_rows_valid", len(x_valid))

# %% [markdown]
# That leaves {glue:text}`own_rows_train` rows for training and {glue:text}`own_rows_valid` for validation.
#
# ## Choosing the learning rate
#
# Rather than guess, run the learning-rate range test with {py:func}`~nnbook.training.lr_find`: it trains a
# copy of the model for a few dozen steps while the learning rate grows from 10⁻⁷ to 10, and records the
# loss at each rate. The loss falls once the rate is large enough to make progress and shoots up when the
# rate is too large. The suggestion is a tenth of the rate with the lowest loss: safely on the falling
# side.

# %%
nnbook.set_seed(0)
finder = lr_find(mlp([3, 32, 1]), (x_train, y_train), batch_size=64)
lr = finder.suggestion
glue("own_lr", lr)
nnbook.show(finder.plot())

# %% [markdown]
# The test suggests a learning rate of {glue:text}`own_lr:.2g`. The loss is still falling there: it is a
# rate at which training makes fast progress, not yet the rate at which it ends best, as the next two
# sections show.
#
# ## Training with early stopping
#
# We train a network with one hidden layer of 32 ReLU units. We do not know in advance how many epochs
# it needs, so we allow many and let {py:class}`~nnbook.training.EarlyStopping` end training once the
# validation loss has not improved for 20 epochs; it then restores the weights of the best epoch.

# %%
nnbook.set_seed(0)
net = mlp([3, 32, 1])
stopper = EarlyStopping(patience=20)
history = fit(net, (x_train, y_train), (x_valid, y_valid), epochs=300, lr=lr, batch_size=64,
              callbacks=[stopper], progress=False)
glue("own_epochs_run", len(history))
glue("own_best_epoch", stopper.best_epoch)
glue("own_best_valid_loss", stopper.best)
glue("own_restored_valid_loss", evaluate(net, (x_valid, y_valid), ["mse"])["mse"])
nnbook.show(plot_losses(history, title="3 inputs, early stopping"))

# %% [markdown]
# Training stopped after {glue:text}`own_epochs_run` of the allowed 300 epochs; the best validation loss
# came at epoch {glue:text}`own_best_epoch`, and those are the weights the network now holds: its
# validation loss now is {glue:text}`own_restored_valid_loss:.4f`, the best epoch's
# {glue:text}`own_best_valid_loss:.4f`. <!-- claim: early-stopping-restores-the-best -->
#
# The network works in standardized units. {py:class}`~nnbook.models.Rescaled` wraps it so that it takes and
# returns the original units, and {py:func}`~nnbook.training.evaluate` scores it on the validation rows in
# those units. The noise we added has a variance of 0.1² = 0.01, so no model can expect a mean squared error
# below that.

# %%
model = Rescaled(net, x_mean, x_std, y_mean, y_std)
scores = evaluate(model, (split.x_valid, split.y_valid), ["mse", "mae"])
glue("own_valid_mse", scores["mse"])
glue("own_valid_mae", scores["mae"])
print(scores)

# %% [markdown]
# The validation MSE in the data's units is {glue:text}`own_valid_mse:.4f`, within a factor of 2.5
# of the noise floor of 0.01. <!-- claim: regression-near-the-noise-floor --> At a constant rate this large the weights keep bouncing around the
# minimum, and early stopping keeps the best bounce.
#
# ## Ten seeds at once
#
# Was that a lucky start? {py:func}`~nnbook.training.fit_seeds` trains ten copies of the same network, each from
# its own random initialisation, in one vectorised run, with the same options as `fit`. Every seed gets
# the same 100 epochs, and this time a cosine schedule: the rate starts at the suggestion and falls
# smoothly to zero, so that each seed settles into its minimum instead of bouncing around it.

# %%
run = fit_seeds(lambda: mlp([3, 32, 1]), range(10), (x_train, y_train), (x_valid, y_valid),
                epochs=100, lr=lr, batch_size=64, schedule="cosine")
final = run.final_valid_loss * float(y_std) ** 2  # back to the data's units
glue("own_seeds_min", final.min())
glue("own_seeds_max", final.max())
glue("own_seeds_median", final.median())
glue("own_seeds_diverged", int(run.diverged.sum()))
nnbook.show(plot_seed_band(run, label="10 seeds"))

# %% [markdown]
# Over the ten seeds the validation MSE ranges from {glue:text}`own_seeds_min:.4f` to
# {glue:text}`own_seeds_max:.4f` (median {glue:text}`own_seeds_median:.4f`), and
# {glue:text}`own_seeds_diverged` seeds diverged: the result does not hinge on one lucky start, and with
# the falling rate even the median seed ends below the early-stopped network above. <!-- claim: seeds-agree-and-settle-lower -->
#
# ## What the network learned
#
# As in chapter 5, the output is a weighted sum of the hidden units, $w_1 h_1(x) + \dots + w_{32} h_{32}(x) + b$.
# With three inputs no single curve shows a unit, so {py:func}`~nnbook.analysis.feature_decomposition` first
# works on the validation rows themselves: it keeps the 8 units with the largest weights and measures how
# much of the prediction's variance their weighted sum reproduces on those rows.
# {py:func}`~nnbook.analysis.plot_contributions` shows how much each unit's term varies over the rows.

# %%
d = feature_decomposition(model, split.x_valid, k=8, names=names)
glue("own_top8_explained", d.explained)
nnbook.show(plot_contributions(d))

# %% [markdown]
# The top 8 of the 32 units reproduce {glue:text}`own_top8_explained:.1%` of the variance of the
# prediction on the validation rows. <!-- claim: top-eight-units-reproduce-most --> To see the units as curves, look along one input with the others
# held fixed: `along=0` runs along the first input, with the second and third held at their medians
# (the axis label says where). {py:func}`~nnbook.analysis.plot_decomposition` then draws each term and
# their sum.

# %%
d_x1 = feature_decomposition(model, split.x_valid, k=8, along=0, names=names)
glue("own_slice_explained", d_x1.explained)
nnbook.show(plot_decomposition(d_x1))

# %% [markdown]
# Along the first input, with the other two fixed, the same 8 units give
# {glue:text}`own_slice_explained:.1%` of the prediction's variance: in this slice the curve is a
# sum of a few hinges, as in chapter 5. <!-- claim: slice-is-a-sum-of-hinges --> (Along another input, or with other inputs held elsewhere,
# other units matter: each slice is one view of the whole.)
#
# ## Three classes
#
# A classifier for $K$ classes ends in $K$ outputs, one score (logit) per class, and trains with the
# cross-entropy loss on labels 0, 1, …, K − 1. Our stand-in data: 600 points in the plane, labelled by
# the third of the circle (the angle) they lie in, with 5 % of the labels replaced at random.

# %%
g = torch.Generator().manual_seed(1)
points = torch.randn(600, 2, generator=g)
angle = torch.atan2(points[:, 1], points[:, 0])
labels = ((angle + math.pi) / (2 * math.pi / 3)).long().clamp(max=2)
noisy = torch.rand(600, generator=g) < 0.05
labels[noisy] = torch.randint(0, 3, (int(noisy.sum()),), generator=g)
classes = train_valid_split(points, labels[:, None], valid_fraction=0.25, seed=0)

nnbook.set_seed(0)
classifier = mlp([2, 32, 3])
clf_history = fit(classifier, classes.train, classes.valid, epochs=60, lr=0.01, batch_size=64,
                  loss="cross_entropy", metrics=["accuracy"], progress=False)
glue("own_clf_accuracy", clf_history.last["accuracy"])
around_origin = 0.3 * torch.stack([torch.cos(angle), torch.sin(angle)], dim=1)[:200]  # points near the origin
glue("own_classes_near_origin", len(predict(classifier, around_origin, output="labels").unique()))
nnbook.show(plot_decision_regions(classifier, classes.x_valid, classes.y_valid))

# %% [markdown]
# {py:func}`~nnbook.plots.plot_decision_regions` shades the class the network predicts at each place and
# draws the validation points in their true colours. The three regions meet near the origin, as the
# rule does: on a small circle of radius 0.3 around it the network predicts
# {glue:text}`own_classes_near_origin` different classes. <!-- claim: three-regions-meet-near-the-origin --> Validation accuracy: {glue:text}`own_clf_accuracy:.3f`; with 5 % of the labels replaced
# at random (two thirds of them by a wrong class), about 0.97 is the best one can expect. <!-- claim: classifier-near-its-ceiling -->
#
# ## Predict, save, load
#
# {py:func}`~nnbook.training.predict` runs a model on new rows: in evaluation mode, without gradients,
# and it returns a CPU tensor. For a classifier it gives the logits, the class probabilities, or the
# predicted labels.

# %%
new_points = torch.tensor([[2.0, 0.5], [-1.0, 1.0], [-0.5, -2.0]])
print(predict(classifier, new_points, output="labels"))
print(predict(classifier, new_points, output="probabilities").round(decimals=3))
new_rows = torch.tensor([[0.5, 60.0, 0.2], [-1.5, 45.0, 0.9]])
print(predict(model, new_rows))

# %% [markdown]
# {py:func}`~nnbook.models.save` writes the model's layout and weights to a file, and
# {py:func}`~nnbook.models.load` rebuilds it, here the regression model with its scaling. The loaded model
# predicts exactly what the original does.

# %%
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "three-inputs.pt"
    save(model, path)
    again = load(path)
difference = (predict(again, split.x_valid) - predict(model, split.x_valid)).abs().max()
glue("own_reload_difference", float(difference))
print(again)

# %% [markdown]
# The largest difference between the two models' predictions on the validation rows is
# {glue:text}`own_reload_difference:.1g`. <!-- claim: loaded-model-predicts-the-same -->
#
# ## Summary
#
# - Bring your data in as float tensors with one row per example and targets as a column; standardize
#   the inputs and targets with the training rows' statistics, and wrap the network in `Rescaled` to work
#   in the data's units.
# - `lr_find` suggests a learning rate; `EarlyStopping` chooses the number of epochs; `fit_seeds` shows
#   whether the result depends on the random start.
# - `feature_decomposition` works for any number of inputs: on the data's own rows, or along one input
#   with the others held fixed (`along=`).
# - A classifier for $K$ classes has $K$ outputs and trains with `loss="cross_entropy"`;
#   `plot_decision_regions` draws its regions.
# - `predict`, `save` and `load` take a trained model out of the notebook.
#
# ## Exercises
#
# Each exercise asks you to predict first, then run or change the code. The solutions run the same code;
# they are folded away so that you can try first.
#
# :::{exercise} Which input matters?
# :label: ex-own-which-input
#
# Look at the formula that made the target, in the first code cell. Predict: along which input, with the
# other two held at their medians, does the prediction move most over the range of the data? Then run
# `feature_decomposition(model, split.x_valid, k=8, along=j)` for `j = 0, 1, 2` (the cell below does the
# first), plot `d.prediction` against the slice's input for each, and compare with the formula.
# :::

# %%
# Starter: the slice along the first input; loop over j = 0, 1, 2 and plot each.
d_j = feature_decomposition(model, split.x_valid, k=8, along=0, names=names)
print(f"along {names[0]}: the prediction moves by {float(d_j.prediction.max() - d_j.prediction.min()):.2f}")

# %% [markdown]
# ```{solution-start} ex-own-which-input
# :class: dropdown
# ```
#
# For each slice the cell measures how far the prediction moves (its largest minus its smallest value) and
# does the same for the formula without noise, on the same rows.

# %%
import matplotlib.pyplot as plt


def formula(rows: torch.Tensor) -> torch.Tensor:
    """The target of the first code cell without its noise."""
    return torch.sin(1.5 * rows[:, 0]) + 0.05 * (rows[:, 1] - 50) + 0.5 * rows[:, 0] * rows[:, 2]


def moves(d) -> tuple[float, float]:
    """How far the network's prediction and the formula move along the slice ``d``."""
    truth = formula(d.x)
    return float(d.prediction.max() - d.prediction.min()), float(truth.max() - truth.min())


fig, axes = plt.subplots(1, 3, figsize=(10, 3), sharey=True, layout="constrained")
for j, ax in enumerate(axes):
    d_j = feature_decomposition(model, split.x_valid, k=8, along=j, names=names)
    network_move, formula_move = moves(d_j)
    glue(f"ex_own_move_{names[j]}", network_move)
    glue(f"ex_own_formula_move_{names[j]}", formula_move)
    ax.plot(d_j.x[:, j], d_j.prediction, label="network")
    ax.plot(d_j.x[:, j], formula(d_j.x), "--", label="formula, no noise")
    ax.set(xlabel=names[j], title=f"moves by {network_move:.2f}")
axes[0].set_ylabel("prediction")
axes[0].legend()
nnbook.show(fig)

x2_column = split.x_valid[:, 1]
glue("ex_own_x2_span", float(x2_column.max() - x2_column.min()))
glue("ex_own_x1_held", float(split.x_valid[:, 0].median()))
tilted = feature_decomposition(model, split.x_valid, k=8, along=2, at=[1.5, 50.0, 0.5], names=names)
tilted_move, tilted_formula_move = moves(tilted)
glue("ex_own_move_x3_tilted", tilted_move)
glue("ex_own_formula_move_x3_tilted", tilted_formula_move)

# %% [markdown]
# Over the validation rows, the prediction moves by {glue:text}`ex_own_move_x2:.2f` along x2,
# {glue:text}`ex_own_move_x1:.2f` along x1 and only {glue:text}`ex_own_move_x3:.2f` along x3: the second
# input moves it most and the third barely at all. <!-- claim: x2-moves-the-prediction-most --> The formula,
# without noise, moves by {glue:text}`ex_own_formula_move_x2:.2f`, {glue:text}`ex_own_formula_move_x1:.2f`
# and {glue:text}`ex_own_formula_move_x3:.2f` on the same slices: the same order, and the network's
# moves are close to the formula's. <!-- claim: slices-match-the-formula -->
#
# If you predicted x1, the small coefficient of x2 misled you: 0.05 per unit adds up over the
# {glue:text}`ex_own_x2_span:.0f` units that x2 spans in the data, while the sine of x1 can only swing between
# −1 and 1. Which input matters depends on the range it takes in your data, not on the size of its
# coefficient. The third input enters only through the product $0.5\,x_1 x_3$, and on its slice x1 is held at
# its median, {glue:text}`ex_own_x1_held:.2f`, where the product is nearly 0. Hold x1 at 1.5 instead
# (`at=[1.5, 50.0, 0.5]`) and the x3 slice moves by {glue:text}`ex_own_move_x3_tilted:.2f` (the formula:
# {glue:text}`ex_own_formula_move_x3_tilted:.2f`). <!-- claim: x3-matters-where-x1-is-large --> Each slice is
# one view: an input that does nothing in one place can matter in another.
#
# ```{solution-end}
# ```
#
# :::{exercise} More classes
# :label: ex-own-quadrants
#
# Label the points by the quarter of the circle they lie in (4 classes), with 5 % of the labels replaced at
# random as before, and train `mlp([2, 32, 4])`. Predict first: which lines of the three-class code change?
# The cell below holds the labelling rule; edit it, then train as in the three-class section.
# :::

# %%
# Starter: the three-class labelling rule; edit it for four classes, then train and draw the regions.
quarter_labels = ((angle + math.pi) / (2 * math.pi / 3)).long().clamp(max=2)
print("points per class:", torch.bincount(quarter_labels).tolist())

# %% [markdown]
# ```{solution-start} ex-own-quadrants
# :class: dropdown
# ```
#
# Only the labels (divide the circle by 4, clamp at 3, and draw the random replacements from 4 classes) and
# the last width of the layout (4). The loss, the metric, `plot_decision_regions` and `predict` handle any
# number of classes.

# %%
g4 = torch.Generator().manual_seed(2)
quarter_labels = ((angle + math.pi) / (2 * math.pi / 4)).long().clamp(max=3)
quarter_noisy = torch.rand(600, generator=g4) < 0.05
quarter_labels[quarter_noisy] = torch.randint(0, 4, (int(quarter_noisy.sum()),), generator=g4)
quarters = train_valid_split(points, quarter_labels[:, None], valid_fraction=0.25, seed=0)

nnbook.set_seed(0)
quarter_classifier = mlp([2, 32, 4])
quarter_history = fit(quarter_classifier, quarters.train, quarters.valid, epochs=60, lr=0.01, batch_size=64,
                      loss="cross_entropy", metrics=["accuracy"], progress=False)
glue("ex_own_quarter_accuracy", quarter_history.last["accuracy"])
glue("ex_own_quarter_ceiling", 1 - 0.05 * 3 / 4)  # a replaced label is wrong 3 times in 4
glue("ex_own_quarter_near_origin", len(predict(quarter_classifier, around_origin, output="labels").unique()))
nnbook.show(plot_decision_regions(quarter_classifier, quarters.x_valid, quarters.y_valid))

# %% [markdown]
# Validation accuracy: {glue:text}`ex_own_quarter_accuracy:.3f`, close to the
# {glue:text}`ex_own_quarter_ceiling:.3f` that the replaced labels leave as the best one can expect, <!-- claim: four-classes-near-their-ceiling --> and on the small circle around the origin the network
# predicts {glue:text}`ex_own_quarter_near_origin` classes: the four regions meet there, as the quadrants
# do. <!-- claim: four-regions-meet-near-the-origin -->
#
# ```{solution-end}
# ```
#
# :::{exercise} Early stopping and seeds together
# :label: ex-own-stop-seeds
#
# The cell below trains the ten seeds of the regression at the constant suggested rate and passes
# `callbacks=[EarlyStopping(patience=20)]` to `fit_seeds`. Predict before you run it: does every seed stop
# at its own epoch, and which weights does each seed end with?
# :::

# %%
stop_all = EarlyStopping(patience=20)
stopped_run = fit_seeds(lambda: mlp([3, 32, 1]), range(10), (x_train, y_train), (x_valid, y_valid),
                        epochs=300, lr=lr, batch_size=64, callbacks=[stop_all])
print(f"trained {len(stopped_run.history)} epochs; best epoch {stop_all.best_epoch}")

# %% [markdown]
# ```{solution-start} ex-own-stop-seeds
# :class: dropdown
# ```
#
# The seeds train in one loop, so they stop together: the callback watches the validation loss of the
# whole run (the mean over the seeds that have not diverged), and at the end it gives every seed its
# weights of that one best epoch. The cell checks all three against the run's own records.

# %%
per_seed = stopped_run.valid_loss  # (epochs, seeds)
own_best = per_seed.argmin(dim=0) + 1  # each seed's own best epoch
mean_best = int(torch.tensor(stopped_run.history["valid_loss"]).argmin()) + 1
restored = ((stopped_run.predict(x_valid) - y_valid) ** 2).mean(dim=(1, 2))  # each seed's loss now
glue("ex_own_stop_epochs", len(stopped_run.history))
glue("ex_own_stop_seeds_trained_all", int(torch.isfinite(per_seed).all(dim=0).sum()))
glue("ex_own_stop_best", stop_all.best_epoch)
glue("ex_own_stop_mean_best", mean_best)
at_best = per_seed[stop_all.best_epoch - 1]  # each seed's loss recorded at the shared best epoch
glue("ex_own_stop_seeds_restored", int(((restored - at_best).abs() <= 1e-6 * at_best).sum()))
glue("ex_own_stop_own_best_differs", int((own_best != stop_all.best_epoch).sum()))
glue("ex_own_stop_own_best_later", int((own_best > stop_all.best_epoch).sum()))
glue("ex_own_stop_own_best_min", int(own_best.min()))
glue("ex_own_stop_own_best_max", int(own_best.max()))

# %% [markdown]
# All {glue:text}`ex_own_stop_seeds_trained_all` seeds trained for the same
# {glue:text}`ex_own_stop_epochs` epochs. The callback's best epoch, {glue:text}`ex_own_stop_best`, is the
# epoch of the lowest mean validation loss ({glue:text}`ex_own_stop_mean_best`), and every seed now holds its
# weights of that epoch: for {glue:text}`ex_own_stop_seeds_restored` of the ten seeds the validation loss now
# equals the one recorded there. <!-- claim: seeds-stop-together-at-the-mean-best --> Yet
# {glue:text}`ex_own_stop_own_best_differs` of the ten seeds had their own best epoch elsewhere, between epoch
# {glue:text}`ex_own_stop_own_best_min` and {glue:text}`ex_own_stop_own_best_max`, and
# {glue:text}`ex_own_stop_own_best_later` were still improving after the shared best.
# To let each seed stop at its own best epoch, train them one <!-- claim: seeds-have-their-own-best-epochs -->
# at a time with `fit`, or record every seed's validation loss per epoch (`run.valid_loss`) and pick each
# seed's best epoch from it.
#
# ```{solution-end}
# ```
