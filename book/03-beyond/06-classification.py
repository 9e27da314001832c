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
# # Classification
#
# Part II fitted curves: the target was a number, and the loss measured how far off the prediction was.
# Many questions have a category for an answer instead: spam or not, tumour or not, inside a region or
# outside it. This chapter moves from the first kind of problem to the second. We begin with one more
# regression, a straight line trained with the plain PyTorch loop, and see where a model that is too simple
# fails. Then we change the model's output into a probability, the loss into cross-entropy, and draw what a
# classifier decides everywhere in the plane. A straight boundary fails on round data; a small network of
# Tanh units gets close to the best that any classifier can do.
#
# **Learning objectives.** After this chapter you can
#
# - write PyTorch's standard training loop (`zero_grad`, forward, loss, `backward`, `step`) from memory;
# - recognise *model bias*: an error that remains because the model is too rigid for the data;
# - explain why a classifier outputs a probability through the sigmoid instead of a hard yes or no;
# - write the binary cross-entropy by hand, and say why `BCEWithLogitsLoss` on logits is the safe form;
# - draw a classifier's decision regions, and tell a linear boundary from a curved one;
# - measure accuracy against the best achievable accuracy of a noisy problem.

# %% tags=["hide-cell"]
# On a fresh Colab or Binder runtime, install the book's package first; elsewhere this does nothing.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("nnbook") is None:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "git+https://github.com/nnbook/nnbook"], check=True)

# %% [markdown]
# ## A line through curved data
#
# The regression data are 100 points around the curve $y = 2x + 3\sin(3x) + 1$, with $x$ drawn from a normal
# distribution of standard deviation 1.5 and noise of standard deviation 2 added to every $y$. The sine makes
# the cloud wavy; the noise makes it thick. {py:func}`~nnbook.data.sine_line_points` draws them from a seed and
# {py:func}`~nnbook.plots.plot_data` plots them. As everywhere in this book, {py:func}`~nnbook.show` displays a figure,
# {py:func}`~nnbook.glue` hands a computed number to the text, and {py:func}`~nnbook.set_seed` fixes the random start of
# a model, so you get exactly the numbers printed here.

# %% mystnb={"image": {"alt": "Scatter plot of 100 points whose y rises with x in a wavy band around the curve y = 2x + 3 sin(3x) + 1."}}
import matplotlib.pyplot as plt
import torch
from torch import nn

import nnbook
from nnbook import glue
from nnbook.animation import Snapshots, curve_animation, show_animation
from nnbook.data import circle_classes, circle_rule, sine_line_points
from nnbook.models import mlp
from nnbook.plots import plot_curve_frames, plot_data, plot_decision_regions, plot_sweep
from nnbook.training import accuracy, fit, fit_seeds

x_reg, y_reg = sine_line_points(n=100, seed=42)
print("x:", tuple(x_reg.shape), " y:", tuple(y_reg.shape))
ax = plot_data(x_reg, y_reg)
ax.set_title("100 noisy points around y = 2x + 3 sin(3x) + 1")
nnbook.show(ax.figure)

# %% [markdown]
# The simplest model is a line, $\hat y = wx + b$. PyTorch's `nn.Linear(in_features=1, out_features=1)` is
# exactly that: one input number per example, one output number, a weight $w$ and a bias $b$. Both start at
# small random values, so before training the line predicts nonsense:

# %% mystnb={"image": {"alt": "The data points and, as crosses, the untrained line's predictions: a nearly flat line far from most points."}}
nnbook.set_seed(0)
line = nn.Linear(in_features=1, out_features=1)
print(f"w = {line.weight.item():.3f}   b = {line.bias.item():.3f}")

with torch.no_grad():
    y_start = line(x_reg)
glue("reg_line_init_mse", ((y_start - y_reg) ** 2).mean().item())

ax = plot_data(x_reg, y_reg, label="targets")
ax.scatter(x_reg[:, 0], y_start[:, 0], marker="x", color="C3", label="predictions before training")
ax.legend()
nnbook.show(ax.figure)

# %% [markdown]
# The mean squared error of these first guesses is {glue:text}`reg_line_init_mse:.2f`.
#
# ### The training loop
#
# Every model in this book is trained by the same five moves, repeated: clear the old gradients, predict,
# measure the loss, compute the gradients, step. In chapter 1 we wrote the step ourselves
# (`a.sub_(lr * a.grad)`), and since chapter 3 the package's {py:func}`~nnbook.training.fit` has done it for us. Here we write the loop
# once more in plain PyTorch, with the optimizer `torch.optim.SGD` stepping every parameter the model has. The
# minus sign is the whole idea of gradient descent: the gradient points uphill, towards a larger loss, so we
# step the other way.
#
# We follow the course notebook this chapter is based on: plain SGD with learning rate 0.01, 100 passes over
# the data (*epochs*), and the current line recorded every 20 epochs; {py:func}`~nnbook.plots.plot_curve_frames`
# draws the recorded lines.

# %% mystnb={"image": {"alt": "The data points with the SGD line drawn every 20 epochs, light to dark: it swings up and tilts towards the cloud."}}
nnbook.set_seed(0)
line = nn.Linear(1, 1)
optimizer = torch.optim.SGD(line.parameters(), lr=0.01)
grid = torch.linspace(x_reg.min().item(), x_reg.max().item(), 200)[:, None]
frames, labels = [], []

for epoch in range(100):
    optimizer.zero_grad()  # 1. clear the gradients (they add up otherwise)
    prediction = line(x_reg)  # 2. forward pass
    loss = ((prediction - y_reg) ** 2).mean()  # 3. mean squared error
    loss.backward()  # 4. backward pass: d loss / d parameter
    optimizer.step()  # 5. parameter -= lr * gradient
    if epoch % 20 == 0:
        print(f"epoch {epoch + 1:3d}   MSE {loss.item():.3f}")
        with torch.no_grad():
            frames.append(line(grid))
        labels.append(f"epoch {epoch + 1}")

ax = plot_curve_frames(x_reg, y_reg, grid, frames, labels, title="the line every 20 epochs (light = early)")
nnbook.show(ax.figure)

# %% [markdown]
# The colours run in order, from the light early lines to the dark late ones: the line swings up from its
# random start and tilts towards the cloud. The same run as an animation, now driven by the package's `fit`
# loop (which performs the same five moves) and its {py:class}`~nnbook.animation.Snapshots` callback (a *callback*
# is an object that `fit` calls at fixed moments of its loop, here after every epoch), recording the line
# after every fourth epoch. {py:func}`~nnbook.animation.curve_animation` turns the recorded lines into an
# animation and {py:func}`~nnbook.animation.show_animation` plays it:

# %%
nnbook.set_seed(0)
line = nn.Linear(1, 1)
snaps = Snapshots(grid, every=4)
history = fit(line, (x_reg, y_reg), epochs=100, lr=0.01, optimizer="sgd", callbacks=[snaps], progress=False)
glue("reg_line_mse", history.last["train_loss"])
show_animation(curve_animation(x_reg, y_reg, grid, snaps.frames, snaps.labels, title="SGD, lr 0.01,"), name="line-fit")

# %% [markdown]
# ### Model bias
#
# After 100 epochs the MSE is {glue:text}`reg_line_mse:.2f`. Is that the line's fault or the noise's? Two
# reference numbers answer it. The best line of all is the least-squares solution, which we can compute
# directly. On new points no model beats the true curve itself on average: its error is pure noise.

# %% mystnb={"image": {"alt": "The data with the best possible straight line cutting through the waves, and the true wavy curve following them."}}
ones = torch.ones_like(x_reg)
w_b = torch.linalg.lstsq(torch.cat([x_reg, ones], dim=1), y_reg).solution
best_line = torch.cat([x_reg, ones], dim=1) @ w_b
truth = 2 * x_reg + 3 * torch.sin(3 * x_reg) + 1
glue("reg_best_line_mse", ((best_line - y_reg) ** 2).mean().item())
glue("reg_noise_mse", ((truth - y_reg) ** 2).mean().item())

ax = plot_data(x_reg, y_reg)
ax.plot(grid[:, 0], (w_b[0] * grid + w_b[1])[:, 0], color="C3", lw=2, label="best possible line")
ax.plot(grid[:, 0], (2 * grid + 3 * torch.sin(3 * grid) + 1)[:, 0], color="k", lw=1.5, label="true curve")
ax.legend()
nnbook.show(ax.figure)

# %% [markdown]
# The best possible line has MSE {glue:text}`reg_best_line_mse:.2f`, and our SGD line is already close to
# it. <!-- claim: sgd-line-near-best --> The true curve scores {glue:text}`reg_noise_mse:.2f`. No amount of
# training closes the gap between the two: <!-- claim: line-model-bias --> a line cannot bend, so it cuts straight through every wave of the sine. An error that remains
# because the model is too rigid for the data is called **model bias**. More data does not cure it, and
# neither do more epochs; only a more flexible model does. Chapter 7 gives the line that flexibility, and
# then meets the opposite problem.
#
# ## Data with categories: two classes in a circle
#
# The classification data are 200 points in the plane, drawn from a normal distribution with standard
# deviation 2.5 in both directions. A point is class 1 when it lies inside the circle of radius $\pi$ around
# the origin, and class 0 outside. To make the problem realistic, some labels are wrong: a point at distance
# $d$ from the origin has its label swapped with probability
#
# $$p_\text{swap}(d) = 0.3 \cdot \frac{w^2}{(d - \pi)^2 + w^2}, \qquad w = 0.7,$$
#
# which is 0.3 right on the circle and falls off quickly away from it, like real labels that are hardest to
# get right near the border. {py:func}`~nnbook.data.circle_classes` makes these points from a seed;
# {py:func}`~nnbook.data.circle_rule` is the noise-free rule behind them.

# %% mystnb={"image": {"alt": "200 points in the plane: orange class-1 points mostly inside a dashed circle of radius pi, blue class-0 points mostly outside, a few of each on the wrong side near the circle."}}
x_clf, y_clf = circle_classes(n=200, seed=42)
rule = circle_rule(x_clf).float()
swapped = rule != y_clf
glue("clf_n_swapped", int(swapped.sum()))
distance = x_clf.norm(dim=1, keepdim=True)  # a column, like swapped: (200, 1)
glue("clf_swapped_near_circle", int((swapped & ((distance - torch.pi).abs() < 1)).sum()))
print("x:", tuple(x_clf.shape), " y:", tuple(y_clf.shape), " labels:", y_clf.unique().tolist())

fig, ax = plt.subplots(figsize=(4.5, 4.5), layout="constrained")
for label, color in ((0, "C0"), (1, "C1")):
    chosen = y_clf[:, 0] == label
    ax.scatter(x_clf[chosen, 0], x_clf[chosen, 1], s=12, color=color, edgecolor="k", lw=0.3, label=f"class {label}")
ax.add_patch(plt.Circle((0, 0), torch.pi, fill=False, color="k", lw=1, ls="--"))
ax.set(xlabel="$x_1$", ylabel="$x_2$", aspect="equal", title="200 labelled points and the true circle")
ax.legend(loc="upper right", fontsize=8)
nnbook.show(fig)

# %% [markdown]
# Here {glue:text}`clf_n_swapped` of the 200 labels disagree with the circle: the blue dots inside and the
# orange dots outside, {glue:text}`clf_swapped_near_circle` of them within 1 of the dashed line.
# <!-- claim: swapped-labels-near-circle -->
#
# ### The best any classifier can do
#
# Since a swap never happens with probability above 0.3, the label a point most likely carries is always
# the one the circle gives it. So the circle rule itself is the best possible classifier (statisticians call
# it the *Bayes classifier*), and its accuracy is the ceiling for every model in this chapter. Two hundred
# points give a noisy estimate of an accuracy, so we measure on a large fresh sample from the same generator,
# drawn with another seed and never used for training:

# %%
x_test, y_test = circle_classes(n=5000, seed=2)
bayes_acc = glue("clf_bayes_acc", (circle_rule(x_test).float() == y_test).float().mean().item())
glue("clf_swap_percent", 100 * (1 - bayes_acc))
majority = y_test.mean().item()
majority_acc = glue("clf_majority_acc", max(majority, 1 - majority))
# the standard error of a share measured on len(y_test) points
glue("clf_bayes_se", (bayes_acc * (1 - bayes_acc) / len(y_test)) ** 0.5);

# %% [markdown]
# The circle rule is right on {glue:text}`clf_bayes_acc:.3f` of the fresh points; the other
# {glue:text}`clf_swap_percent:.1f` % carry a swapped label, and no classifier can predict a coin flip. The
# sample estimate agrees with the exact value. The distance $d$ of a point from the origin follows a Rayleigh
# distribution with density $f(d) = (d/\sigma^2)\,e^{-d^2/2\sigma^2}$, $\sigma = 2.5$, so the best accuracy is
# $1 - \int_0^\infty p_\text{swap}(d)\,f(d)\,\mathrm{d}d$, which a fine grid evaluates:

# %%
d = torch.linspace(0, 30, 300_001, dtype=torch.float64)
density = d / 2.5**2 * torch.exp(-(d**2) / (2 * 2.5**2))
p_swap = 0.3 * 0.7**2 / ((d - torch.pi) ** 2 + 0.7**2)
bayes_exact = glue("clf_bayes_acc_exact", 1 - torch.trapezoid(p_swap * density, d).item())

# %% [markdown]
# The exact ceiling is {glue:text}`clf_bayes_acc_exact:.4f`; the 5000-point estimate differs from it by
# sampling noise (its standard error for 5000 points is {glue:text}`clf_bayes_se:.4f`). <!-- claim: bayes-estimate-agrees --> At the other end, always answering with the more common class scores
# {glue:text}`clf_majority_acc:.3f`. A useful classifier lands between the two, and a good one close to the
# ceiling.
#
# ## From a yes/no answer to a probability
#
# The answer is 0 or 1, but the model should not output 0 or 1 directly. Suppose it computed a score
# $z = w_1 x_1 + w_2 x_2 + b$ and answered "1 if $z > 0$". That step function is flat everywhere except at
# 0, where it jumps. Its derivative is 0 wherever it exists, so the gradient tells every weight "changing
# you changes nothing", and gradient descent never moves. PyTorch does not even try: a comparison produces
# a tensor with no link back to the weights. ({py:func}`~nnbook.expect_error` marks the line that is meant to fail:
# the page and the notebook show the error and the chapter carries on to the next cell, so "Run all" reaches
# the end; the script version prints the error and carries on too.)

# %% tags=["raises-exception"]
z = torch.linspace(-6, 6, 7, requires_grad=True)
hard = (z > 0).float()
print("requires_grad:", hard.requires_grad)
with nnbook.expect_error(RuntimeError):
    hard.sum().backward()

# %% [markdown]
# The fix is a soft step. The **sigmoid** $\sigma(z) = 1/(1 + e^{-z})$ rises smoothly from 0 to 1, is exactly
# ½ at $z = 0$, and has a derivative, $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$, that is positive everywhere.
# We read its output as the probability of class 1. The probability of class 0 is then
# $1 - \sigma(z) = \sigma(-z)$: multiply the top and bottom of $1 - \frac{1}{1 + e^{-z}} = \frac{e^{-z}}{1 + e^{-z}}$
# by $e^{z}$. Flipping the sign of the score swaps the two classes. Autograd computes the derivative for us:

# %% mystnb={"image": {"alt": "Left: the hard threshold jumps from 0 to 1 at zero while the sigmoid rises smoothly. Right: the threshold's derivative is zero everywhere, the sigmoid's is a bump peaking at 0.25."}}
z = torch.linspace(-8, 8, 401, requires_grad=True)
soft = torch.sigmoid(z)
soft.sum().backward()  # each output depends only on its own input, so z.grad is sigma'(z)

fig, (ax_f, ax_d) = plt.subplots(1, 2, figsize=(9, 3), layout="constrained")
ax_f.plot(z.detach(), (z > 0).float().detach(), label="hard threshold")
ax_f.plot(z.detach(), soft.detach(), label="sigmoid")
ax_f.set(xlabel="score z", ylabel="output", title="the functions")
ax_d.plot(z.detach(), torch.zeros_like(z).detach(), label="threshold: 0 (undefined at z = 0)")
ax_d.plot(z.detach(), z.grad, label="sigmoid: σ(z)(1 − σ(z))")
ax_d.set(xlabel="score z", ylabel="derivative", title="their derivatives")
for a in (ax_f, ax_d):
    a.grid(alpha=0.3)
    a.legend(fontsize=8, loc="upper left")
nnbook.show(fig)

# %% [markdown]
# **A useful derivative**, one that exists almost everywhere and is not zero everywhere as the threshold's is, is
# what training by gradient descent needs: it is why every piece of a neural network, activations and losses alike,
# is smooth (or, like ReLU, smooth except at single points) and slopes somewhere.
#
# ## Logistic regression
#
# A linear model followed by a sigmoid is called *logistic regression*. It takes two inputs now, the
# coordinates of a point:

# %%
nnbook.set_seed(0)
model_clf = nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())
with torch.no_grad():
    p = model_clf(x_clf)
print("probabilities:", p[:5, 0].tolist())
print("decisions:    ", (p[:5, 0] > 0.5).tolist())

# %% [markdown]
# All outputs lie between 0 and 1; comparing with ½ turns them into decisions. The comparison is only used
# *after* training, to read off an answer, never inside the loss.
#
# ### Decision regions
#
# To see what a classifier decides everywhere, we evaluate it on a fine grid covering the data and shade
# the area where it says class 1. Three steps: `torch.meshgrid` makes a 200 × 200 grid of points, the
# model scores all 40,000 of them in one call, and matplotlib's `contourf` colours each place by the
# decision there. We score with the logit $z$ of `model_clf[0]`, the linear layer before the sigmoid: since
# $\sigma(z) > ½$ exactly when $z > 0$, the logit and the probability draw the same regions.

# %% mystnb={"image": {"alt": "Decision regions of the untrained logistic regression: the plane split by one straight line into a blue and an orange half, with the circle data on top."}}
g1, g2 = torch.meshgrid(torch.linspace(-8, 8, 200), torch.linspace(-8, 8, 200), indexing="xy")
grid_points = torch.stack([g1.flatten(), g2.flatten()], dim=1)  # one row per grid point: (40000, 2)
with torch.no_grad():
    decision = (model_clf[0](grid_points) > 0).float().reshape(g1.shape)  # 1 where the model says class 1

fig, ax = plt.subplots(figsize=(4.5, 4.5), layout="constrained")
ax.contourf(g1, g2, decision, levels=[-0.5, 0.5, 1.5], colors=["#c6dbef", "#fdd0a2"])
for label, color in ((0, "C0"), (1, "C1")):
    chosen = y_clf[:, 0] == label
    ax.scatter(x_clf[chosen, 0], x_clf[chosen, 1], s=12, color=color, edgecolor="k", lw=0.3, label=f"class {label}")
ax.set(xlabel="$x_1$", ylabel="$x_2$", aspect="equal", title="logistic regression before training")
ax.legend(loc="upper right", fontsize=8)
nnbook.show(fig)

# %% [markdown]
# The boundary between the two regions is where $w_1 x_1 + w_2 x_2 + b = 0$: a straight line. Training can
# move and turn that line, but never bend it. From here on {py:func}`~nnbook.plots.plot_decision_regions` does
# these steps for us: it fits the grid to the data, shades the regions, draws the boundary as a black line
# and adds the points.
#
# ### Cross-entropy, written by hand
#
# Why not the squared error, $(p - y)^2$, as for regression? The loss of choice is the **binary
# cross-entropy** instead {cite:p}`goodfellow2016deep`:
#
# $$L = -\frac{1}{n} \sum_{i=1}^{n} \Big[\, y_i \log p_i + (1 - y_i) \log(1 - p_i) \,\Big].$$
#
# For a point of class 1 only the first term counts, $-\log p_i$: zero when the model is sure and right
# ($p_i = 1$), and growing without bound as $p_i \to 0$, when the model is sure and wrong. Class 0 mirrors it
# with $-\log(1 - p_i)$. The difference from the squared error shows in the gradient that reaches the score
# $z$. For a point of class 1, the chain rule through $p = \sigma(z)$ gives
# $\partial (p - 1)^2 / \partial z = 2(p - 1)\,p(1 - p)$ for the squared error and
# $\partial (-\log p) / \partial z = p - 1$ for the cross-entropy. Autograd computes both:

# %% mystnb={"image": {"alt": "Log-scale plot of the gradient each loss gives a point of class 1 against its score: the cross-entropy's stays near 1 for confidently wrong scores, the squared error's collapses towards zero there."}}
z = torch.linspace(-10, 10, 401, requires_grad=True)
p = torch.sigmoid(z)  # every point is of class 1, so z << 0 is confidently wrong
(grad_mse,) = torch.autograd.grad(((p - 1) ** 2).sum(), z, retain_graph=True)
(grad_bce,) = torch.autograd.grad((-torch.log(p)).sum(), z)
glue("clf_grad_mse_at_minus10", abs(grad_mse[0].item()))
glue("clf_grad_bce_at_minus10", abs(grad_bce[0].item()))
glue("clf_grad_mse_max", grad_mse.abs().max().item())

fig, ax = plt.subplots(figsize=(6.5, 3.2), layout="constrained")
ax.plot(z.detach(), grad_bce.abs(), label="cross-entropy: |p − 1|")
ax.plot(z.detach(), grad_mse.abs(), label="squared error: |2(p − 1) p (1 − p)|")
ax.set(xlabel="score z of a point of class 1 (left: confidently wrong)", ylabel="|d loss / d z|", yscale="log")
ax.set_title("the push each loss gives a wrong score")
ax.grid(alpha=0.3)
ax.legend(fontsize=8)
nnbook.show(fig)

# %% [markdown]
# When the model is confidently wrong, at $z = -10$, the squared error's gradient is only
# {glue:text}`clf_grad_mse_at_minus10:.1e`: the factor $p(1 - p)$, the sigmoid's flat tail, smothers it, and
# a confidently wrong model barely learns. The cross-entropy's gradient there is
# {glue:text}`clf_grad_bce_at_minus10:.4f`, its largest: the more wrong the model, the harder the push.
# (The squared error's gradient never exceeds <!-- claim: mse-gradient-vanishes-when-wrong -->
# {glue:text}`clf_grad_mse_max:.2f`, anywhere.) The logarithm cancels the sigmoid's flat tail, which is why
# the cross-entropy is the loss for probabilities. We train with exactly the course notebook's recipe: SGD,
# learning rate 0.01, 1000 epochs.

# %%
nnbook.set_seed(0)
model_clf = nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())
optimizer = torch.optim.SGD(model_clf.parameters(), lr=0.01)

for epoch in range(1000):
    optimizer.zero_grad()
    p = model_clf(x_clf)
    loss = (-y_clf * torch.log(p) - (1 - y_clf) * torch.log(1 - p)).mean()
    loss.backward()
    optimizer.step()
    if epoch % 100 == 0:
        print(f"epoch {epoch + 1:4d}   cross-entropy {loss.item():.4f}")

# %% [markdown]
# PyTorch has this loss built in. The version to use is `nn.BCEWithLogitsLoss`, which takes the **logits**
# $z$ and applies the sigmoid itself. On our trained model it gives the same number as the hand-written
# formula:

# %%
with torch.no_grad():
    logits = model_clf[0](x_clf)
    by_hand = (-y_clf * torch.log(torch.sigmoid(logits)) - (1 - y_clf) * torch.log(1 - torch.sigmoid(logits))).mean()
    built_in = nn.BCEWithLogitsLoss()(logits, y_clf)
glue("clf_hand_loss", by_hand.item())
glue("clf_builtin_loss", built_in.item())
print(f"by hand {by_hand.item():.6f}   BCEWithLogitsLoss {built_in.item():.6f}")

# %% [markdown]
# ### Why logits are the safe form
#
# Both give {glue:text}`clf_hand_loss:.4f` here. <!-- claim: hand-bce-equals-builtin -->
# The difference shows when the model becomes confident. A float32 number can store values as small as
# {glue:text}`clf_float32_tiny:.1e` at full precision, but next to 1 it can only tell apart numbers
# {glue:text}`clf_float32_eps:.1e` apart (about seven significant digits). So
# $\sigma(-20) \approx$ {glue:text}`clf_sigmoid_minus20:.1e` is stored accurately, while $\sigma(20)$,
# which falls short of 1 by that same tiny amount, is stored as exactly 1.0, and $\sigma(-200) \approx$ {glue:text}`clf_sigmoid_minus200:.1e`,
# smaller than any float32, as exactly 0. <!-- claim: float32-rounds-sigmoid --> The hand-written loss then
# takes $\log 0 = -\infty$. The table below computes, for five logits, the loss of the training loop above,
# both terms of the formula exactly as written, for a point labelled 0 and for one labelled 1, next to
# `BCEWithLogitsLoss`:

# %%
glue("clf_float32_tiny", torch.finfo(torch.float32).tiny)
glue("clf_float32_eps", torch.finfo(torch.float32).eps)
z = torch.tensor([-200.0, -20.0, 0.0, 20.0, 200.0])
p = torch.sigmoid(z)
glue("clf_sigmoid_minus20", p[1].item())
glue("clf_sigmoid_20_is_one", int(p[3].item() == 1.0))
glue("clf_sigmoid_minus200_is_zero", int(p[0].item() == 0.0))
glue("clf_sigmoid_minus200", torch.sigmoid(torch.tensor(-200.0, dtype=torch.float64)).item())  # in float64
bce = nn.BCEWithLogitsLoss(reduction="none")  # one loss per point instead of the mean


def loop_loss(p: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The training loop's cross-entropy, one value per point: both terms, as written."""
    return -y * torch.log(p) - (1 - y) * torch.log(1 - p)


zeros, ones = torch.zeros_like(z), torch.ones_like(z)
hand_0, safe_0 = loop_loss(p, zeros), bce(z, zeros)  # every point labelled 0
hand_1, safe_1 = loop_loss(p, ones), bce(z, ones)  # every point labelled 1

print("   logit   probability   y=0 by hand  y=0 built-in   y=1 by hand  y=1 built-in")
for i in range(len(z)):
    row = [hand_0[i], safe_0[i], hand_1[i], safe_1[i]]
    print(f"{z[i]:8.0f}  {p[i]:12.8f}" + "".join(f"  {v + 0:12.4f}" for v in row))  # + 0 prints -0 as 0
glue("clf_hand_loss_at_20_is_inf", int(torch.isinf(hand_0[3]).item()))
glue("clf_safe_loss_at_20", safe_0[3].item())
glue("clf_hand_loss_right_is_nan", int(torch.isnan(hand_1[3:]).all() and torch.isnan(hand_0[0])))
glue("clf_safe_loss_right", float(safe_1[3:].max()))
glue("clf_hand_loss_minus20_wrong", hand_1[1].item())  # float32 still stores sigma(-20)
glue("clf_hand_loss_minus20_right", hand_0[1].item());

# %% [markdown]
# Two kinds of point break the hand-written loss, once float32 rounds their probability to exactly 0 or 1 (at
# $z = -20$ it does not, and the by-hand columns give {glue:text}`clf_hand_loss_minus20_wrong:.1f` and
# {glue:text}`clf_hand_loss_minus20_right:.1f`, as they should). <!-- claim: hand-loss-right-until-rounding -->
# A confidently *wrong* one makes it infinite (the
# built-in one gives {glue:text}`clf_safe_loss_at_20:.1f` for $z = 20$ and label 0, which is $z$ itself). <!-- claim: hand-loss-infinite-builtin-finite -->
# A confidently *right* one makes it `nan`: for a point
# labelled 1 at $z = 20$, the term that should vanish is $0 \cdot \log(1 - 1) = 0 \cdot (-\infty)$, which is
# not a number, and one `nan` in the mean makes the whole loss `nan`. The built-in loss gives at most
# {glue:text}`clf_safe_loss_right:.1e` for those points, as good as zero. <!-- claim: hand-loss-nan-when-confidently-right -->
# A training run that makes a model confident is therefore bound to break the hand-written loss sooner or
# later. And the gradient of a confidently wrong point is worse still:

# %%
z = torch.tensor([20.0], requires_grad=True)
y = torch.tensor([0.0])
(-y * torch.log(torch.sigmoid(z)) - (1 - y) * torch.log(1 - torch.sigmoid(z))).sum().backward()
print("gradient by hand:          ", z.grad.item())
glue("clf_hand_grad_is_nan", int(torch.isnan(z.grad).item()))
z.grad = None
nn.BCEWithLogitsLoss()(z, y).backward()
print("gradient, BCEWithLogitsLoss:", z.grad.item())
glue("clf_safe_grad", z.grad.item());

# %% [markdown]
# The hand-written gradient is `nan` (infinity times zero), and one `nan` spreads into every weight at the
# next step. The built-in loss never forms the probability. It uses the identity
# $-\log \sigma(z) = \log(1 + e^{-z})$ (and, with $1 - \sigma(z) = \sigma(-z)$,
# $-\log(1 - \sigma(z)) = \log(1 + e^{z})$) and evaluates it as $\max(-z, 0) + \log(1 + e^{-|z|})$, in which
# the exponential never overflows; its gradient is simply $\sigma(z) - y$, here
# {glue:text}`clf_safe_grad:.1f`. <!-- claim: hand-gradient-nan-builtin-one --> That is why models in
# this book end with a plain linear layer that outputs logits, and why `fit(..., loss="bce")` uses
# `BCEWithLogitsLoss`: the sigmoid belongs to the loss during training, and to us when we want a probability.
#
# ### The linear boundary fails
#
# Back to the hand-trained model. Its decision regions and its accuracy on the fresh sample:

# %% mystnb={"image": {"alt": "Decision regions of logistic regression after 1000 SGD epochs: a straight boundary that cannot separate the round class."}}
with torch.no_grad():
    glue("clf_acc_linear_sgd", accuracy(model_clf[0](x_test), y_test).item())
ax = plot_decision_regions(model_clf[0], x_clf, y_clf)
ax.set_title("logistic regression after 1000 SGD epochs")
nnbook.show(ax.figure)

# %% [markdown]
# It is right on {glue:text}`clf_acc_linear_sgd:.3f` of the fresh points ({py:func}`~nnbook.training.accuracy`
# counts the points whose logit has the right sign). Maybe 1000 small SGD steps were
# not enough? We train the same model to convergence with the package's `fit` loop: logits out, `loss="bce"`,
# the Adam optimizer (which divides each parameter's step by the size of its recent gradients, so every parameter
# moves by about the learning rate at most) and accuracy
# tracked after every epoch.

# %% mystnb={"image": {"alt": "Decision regions of the best line: still a single straight boundary, with orange and blue points on both sides."}}
nnbook.set_seed(0)
logistic = nn.Linear(2, 1)
history = fit(logistic, (x_clf, y_clf), epochs=500, lr=0.05, loss="bce", metrics=["accuracy"])
with torch.no_grad():
    clf_acc_linear = glue("clf_acc_linear", accuracy(logistic(x_test), y_test).item())
glue("clf_train_acc_linear", history.last["accuracy"])
ax = plot_decision_regions(logistic, x_clf, y_clf)
ax.set_title("the best line")
nnbook.show(ax.figure)

# %% [markdown]
# Fully trained, the line classifies {glue:text}`clf_train_acc_linear:.3f` of its own training points
# correctly, and {glue:text}`clf_acc_linear:.3f` of the fresh ones: barely better than always answering
# with the majority class ({glue:text}`clf_majority_acc:.3f`), and far from the ceiling of
# {glue:text}`clf_bayes_acc:.3f`. <!-- claim: line-classifier-fails --> The training did not fail; the model did. The classes are separated by a
# circle, and no straight line separates the inside of a circle from the outside. This is model bias again,
# in a classifier: a straight decision boundary where the data need a round one.
#
# ## Tanh networks draw curved boundaries
#
# The remedy is the one that turned lines into curves in Part II: put a layer of nonlinear units between the input and the
# output. Each Tanh unit in the hidden layer computes a soft step across its own line in the plane; the output
# layer adds these up, and a sum of soft steps across lines in different directions can enclose a round region.
# We take 16 Tanh units, built by {py:func}`~nnbook.models.mlp` from the layout `[2, 16, 1]`, and train it with Adam for 300 epochs.

# %% mystnb={"image": {"alt": "Two panels: the 2-16-1 Tanh network's decision region is a closed curve close to the dashed true circle, on the training points and on 1000 fresh points."}}
nnbook.set_seed(0)
net = mlp([2, 16, 1], activation="tanh")
history = fit(net, (x_clf, y_clf), epochs=300, lr=0.01, loss="bce", metrics=["accuracy"])
with torch.no_grad():
    acc_mlp = glue("clf_acc_mlp", accuracy(net(x_test), y_test).item())
glue("clf_gap_to_bayes", bayes_acc - acc_mlp)

fig, (ax_a, ax_b) = plt.subplots(1, 2, figsize=(9, 4), layout="constrained")
plot_decision_regions(net, x_clf, y_clf, ax=ax_a)
ax_a.add_patch(plt.Circle((0, 0), torch.pi, fill=False, color="k", lw=1, ls="--"))
ax_a.set_title("2-16-1 Tanh network (dashed: true circle)")
plot_decision_regions(net, x_test[:1000], y_test[:1000], ax=ax_b)
ax_b.set_title("the same regions, 1000 fresh points")
nnbook.show(fig)

# %% [markdown]
# The boundary is now a closed curve close to the true circle, and the network is right on
# {glue:text}`clf_acc_mlp:.3f` of the fresh points: only {glue:text}`clf_gap_to_bayes:.3f` below the best
# possible {glue:text}`clf_bayes_acc:.3f`. <!-- claim: tanh-net-near-ceiling --> It is close to the limit that the label noise sets; the remaining
# difference comes from learning a circle from 200 noisy points.
#
# One trained network could be a lucky draw. {py:func}`~nnbook.training.fit_seeds` trains ten copies from ten different random
# starts in one vectorised run, and {py:func}`~nnbook.plots.plot_sweep` shows one dot per seed:

# %% mystnb={"image": {"alt": "One dot per seed for the ten 2-16-1 Tanh networks, all close to the dashed line of the best possible accuracy and far above the dotted line of the best line."}}
run = fit_seeds(lambda: mlp([2, 16, 1], activation="tanh"), range(10), (x_clf, y_clf), epochs=300, lr=0.01, loss="bce")
accs = run.evaluate(accuracy, x_test, y_test)
glue("clf_acc_mlp_seeds_min", accs.min().item())
glue("clf_acc_mlp_seeds_max", accs.max().item())
ax = plot_sweep({"2-16-1 Tanh, 10 seeds": accs}, ylabel="accuracy on 5000 fresh points")
ax.axhline(bayes_acc, color="k", ls="--", lw=1, label="circle rule (best possible)")
ax.axhline(clf_acc_linear, color="C0", ls=":", label="best line")
ax.legend(fontsize=8)
nnbook.show(ax.figure)


# %% [markdown]
# Every seed lands between {glue:text}`clf_acc_mlp_seeds_min:.3f` and {glue:text}`clf_acc_mlp_seeds_max:.3f`,
# far above the best line: the success is the architecture's, not luck's. <!-- claim: every-seed-succeeds --> Why 16 units and 300 epochs, and what happens with a much
# bigger network trained much longer, is the subject of the next chapter.
#
# ## Summary
#
# - The training loop has five moves: `zero_grad`, forward, loss, `backward`, `step`. The optimizer applies
#   $w \leftarrow w - \text{lr} \cdot \partial L / \partial w$ to every parameter.
# - A line fitted to wavy data stops at MSE {glue:text}`reg_line_mse:.2f`, near the best line's
#   {glue:text}`reg_best_line_mse:.2f` but far from the noise level {glue:text}`reg_noise_mse:.2f`. That
#   remaining error is **model bias**: the model is too rigid, and only a more flexible model removes it.
# - A hard threshold has zero gradient, so classifiers output a probability through the sigmoid, and are
#   trained with the binary cross-entropy.
# - The squared error's gradient vanishes when a sigmoid output is confidently wrong; the cross-entropy's
#   does not. Compute it from logits with `BCEWithLogitsLoss`: the hand-written form on probabilities turns
#   predictions so confident that float32 rounds their probability to 0 or 1 into `inf` losses and `nan` gradients
#   when they are wrong, and into `nan` when they are right.
# - With noisy labels even a perfect classifier errs; here the circle rule scores {glue:text}`clf_bayes_acc:.3f`
#   on 5000 fresh points. A linear boundary reaches only {glue:text}`clf_acc_linear:.3f`; a 2-16-1 Tanh network
#   reaches {glue:text}`clf_acc_mlp:.3f`, close to the ceiling.
#
# ## Exercises
#
# :::{exercise} Features in and out
# :label: ex-clf-features
#
# What do `in_features` and `out_features` of `nn.Linear` mean? Which values would the first and the last
# layer need for a classifier that sorts 28 × 28-pixel images into ten classes?
# :::
#
# :::{solution} ex-clf-features
# :class: dropdown
#
# `in_features` is the number of numbers that describe one example (the columns of `x`), `out_features` the
# number of numbers the layer computes for it. The layer holds a weight matrix of shape
# `(out_features, in_features)` and one bias per output. In this chapter the classifier's first layer has
# `in_features=2` because a point has two coordinates, and the hidden layer of the network has
# `out_features=16` because it computes 16 hidden units. An image of 28 × 28 pixels, flattened, gives
# `in_features=784` for the first layer; a classifier among ten classes ends with `out_features=10`, one
# score per class.
# :::
#
# :::{exercise} The minus sign
# :label: ex-clf-minus-sign
#
# The update is $w_{i+1} = w_i - \text{lr} \cdot \partial L/\partial w$. Why the minus sign? Predict what
# happens to the line's MSE if the optimizer adds the gradient instead, then try it: `torch.optim.SGD`
# does exactly that with `maximize=True`.
# :::

# %%
# Starter: the training loop of this chapter, with the sign of the step as a switch.
def train_line(maximize: bool, epochs: int = 20) -> list[float]:
    nnbook.set_seed(0)
    line = nn.Linear(1, 1)
    optimizer = torch.optim.SGD(line.parameters(), lr=0.01, maximize=maximize)
    losses = []
    for _epoch in range(epochs):
        optimizer.zero_grad()
        loss = ((line(x_reg) - y_reg) ** 2).mean()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


print("first and last MSE, minus sign:", [round(v, 2) for v in train_line(False)[::19]])

# %% [markdown]
# ```{solution-start} ex-clf-minus-sign
# :class: dropdown
# ```
#
# The gradient points in the direction in which the loss grows fastest. We want the loss to shrink, so we
# step the opposite way. With a plus sign the same loop climbs the loss, and the line runs away from the
# data:

# %%
downhill, uphill = train_line(False), train_line(True)
glue("ex_minus_start", downhill[0])
glue("ex_minus_end", downhill[-1])
glue("ex_plus_end", uphill[-1])
print(f"start {downhill[0]:.2f}   after 19 steps: minus sign {downhill[-1]:.2f}, plus sign {uphill[-1]:.3g}")

# %% [markdown]
# From the same start, {glue:text}`ex_minus_start:.2f`, nineteen steps with the minus sign bring the MSE down to
# {glue:text}`ex_minus_end:.2f`; with the plus sign it grows to {glue:text}`ex_plus_end:.3g`.
# (Chapter 1's loop makes the step by hand, `a.sub_(lr * a.grad)` inside <!-- claim: plus-sign-climbs -->
# `torch.no_grad()`; the uphill version would be `a.add_(lr * a.grad)`, also inside `torch.no_grad()`,
# because changing a parameter that autograd tracks is otherwise an error.)
#
# ```{solution-end}
# ```
#
# :::{exercise} More data for the line?
# :label: ex-clf-more-data
#
# The best possible line scored MSE {glue:text}`reg_best_line_mse:.2f`, far above the noise. Predict: with
# 1000 points instead of 100 (`sine_line_points(n=1000, seed=3)`), does the best line get closer to the
# noise level? Compute the least-squares line on the larger set.
# :::
#
# ```{solution-start} ex-clf-more-data
# :class: dropdown
# ```

# %%
x_big, y_big = sine_line_points(n=1000, seed=3)
design = torch.cat([x_big, torch.ones_like(x_big)], dim=1)
fit_big = design @ torch.linalg.lstsq(design, y_big).solution
glue("ex_more_best_line_mse", ((fit_big - y_big) ** 2).mean().item())
glue("ex_more_noise_mse", ((2 * x_big + 3 * torch.sin(3 * x_big) + 1 - y_big) ** 2).mean().item());


# %% [markdown]
# No. On 1000 points the best line scores {glue:text}`ex_more_best_line_mse:.2f` and the noise
# {glue:text}`ex_more_noise_mse:.2f`: the gap stays. <!-- claim: more-data-no-cure-for-bias -->
# More data only pins down the same best line more precisely; it cannot make a line follow the waves of
# $3\sin(3x)$. That is model bias, and the cure is a more flexible model.
#
# ```{solution-end}
# ```
#
# :::{exercise} Why not threshold while training?
# :label: ex-clf-threshold
#
# Why can't the model output `1 if z > 0 else 0` during training?
# :::
#
# :::{solution} ex-clf-threshold
# :class: dropdown
#
# The threshold is a step function: nudging any weight a little changes $z$ a little, which almost never
# moves $z$ across 0, so the output and the loss do not change at all. The derivative of the loss with respect
# to every weight is therefore 0 (and undefined exactly at the jump), and gradient descent receives no signal
# about which way to move. PyTorch reflects this: `(z > 0)` returns a tensor detached from the computation, and
# calling `backward()` on it raises an error. The sigmoid is a smooth stand-in whose derivative is positive
# everywhere, so every weight learns which way to go. The threshold comes back only after training, to turn
# probabilities into decisions.
# :::
#
# :::{exercise} Rescue the linear classifier
# :label: ex-clf-rescue
#
# The linear classifier failed because its boundary is a straight line. Without adding a hidden layer, change
# its *input* so that a linear model can draw the circle: which single number, computed from $x_1$ and
# $x_2$, would you feed it? Train logistic regression on it and measure the accuracy on the fresh points.
# :::
#
# ```{solution-start} ex-clf-rescue
# :class: dropdown
# ```
#
# The squared distance from the origin, $r^2 = x_1^2 + x_2^2$: the circle $r^2 = \pi^2$ becomes a threshold
# on one number, and a linear model on $r^2$ finds it.

# %%
def squared_radius(x: torch.Tensor) -> torch.Tensor:
    return (x**2).sum(dim=1, keepdim=True)


nnbook.set_seed(0)
on_r2 = nn.Linear(1, 1)
fit(on_r2, (squared_radius(x_clf), y_clf), epochs=2000, lr=0.05, loss="bce", progress=False)
with torch.no_grad():
    glue("ex_r2_acc", accuracy(on_r2(squared_radius(x_test)), y_test).item())


# %% [markdown]
# On the fresh points it is right {glue:text}`ex_r2_acc:.3f` of the time, close to the circle rule's
# {glue:text}`clf_bayes_acc:.3f` and far above the line on $(x_1, x_2)$. <!-- claim: r2-feature-rescues-line -->
# Choosing features by hand works when we know the shape of the answer; a network learns them.
#
# ```{solution-end}
# ```
#
# :::{exercise} The safe loss by hand
# :label: ex-clf-softplus
#
# Write the binary cross-entropy directly from logits with `torch.nn.functional.softplus`
# ($\text{softplus}(a) = \log(1 + e^{a})$), using $-\log \sigma(z) = \log(1 + e^{-z})$ and
# $1 - \sigma(z) = \sigma(-z)$. Predict its value for the logits $\pm 200$ with the wrong labels, then check
# it against `nn.BCEWithLogitsLoss`.
# :::

# %%
# Starter: fill in the body, then compare with nn.BCEWithLogitsLoss()(z, y).
def bce_from_logits(z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return torch.tensor(float("nan"))  # your version here


print(bce_from_logits(torch.tensor([200.0, -200.0]), torch.tensor([0.0, 1.0])))


# %% [markdown]
# ```{solution-start} ex-clf-softplus
# :class: dropdown
# ```
#
# Since $-\log \sigma(z) = \text{softplus}(-z)$ and $-\log(1 - \sigma(z)) = -\log \sigma(-z) = \text{softplus}(z)$:

# %%
def bce_from_logits(z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (y * nn.functional.softplus(-z) + (1 - y) * nn.functional.softplus(z)).mean()


wrong_z, wrong_y = torch.tensor([200.0, -200.0]), torch.tensor([0.0, 1.0])
glue("ex_softplus_loss", bce_from_logits(wrong_z, wrong_y).item())
glue("ex_softplus_vs_builtin", abs(bce_from_logits(wrong_z, wrong_y) - nn.BCEWithLogitsLoss()(wrong_z, wrong_y)).item());

# %% [markdown]
# Each point is wrong by a score of 200, so each loses $\log(1 + e^{200}) \approx 200$: the mean is
# {glue:text}`ex_softplus_loss:.1f`, finite, and equal to `nn.BCEWithLogitsLoss` on the same inputs (difference
# {glue:text}`ex_softplus_vs_builtin`). <!-- claim: softplus-loss-is-safe --> PyTorch's `softplus` is
# computed in the stable form (for large inputs it returns the input itself), so nothing overflows.
#
# ```{solution-end}
# ```
