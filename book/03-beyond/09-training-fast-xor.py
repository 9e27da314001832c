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
# # MLPs from a layout, Dataset and DataLoader, XOR
#
# This chapter takes a closer look at the pieces we have been using all along. We build a
# multi-layer perceptron (MLP) from a list of layer widths and open it up: which numbers it holds and
# how PyTorch chose them before any training. We write our own `Dataset` and feed it through a
# `DataLoader`, the way PyTorch delivers data to a model. We then train the network with the recipe of
# the course notebook this chapter follows, find it painfully slow, and reach the same quality with
# hundreds of times fewer optimizer steps, mostly by changing how the numbers are scaled. Finally we return to XOR, the smallest problem a line
# cannot solve, and train the same tiny network from {glue:text}`xor_seeds` different random starts at
# once, to see how often it fails, how it fails, and how to make it never fail.
#
# **Learning objectives.** After this chapter you can
#
# - build an MLP from a layout such as `[1, 10, 10, 10, 1]`, name its parameters and their shapes, and
#   state (and check) how PyTorch initialises a `Linear` layer;
# - write a `Dataset` subclass, wrap it in a shuffling `DataLoader`, and say what one batch contains;
# - explain why standardizing the inputs and targets lets Adam use a much larger learning rate, and
#   what full-batch, minibatch and per-sample training cost and buy;
# - train many seeds of a network in one vectorised run, count its failures, and read a decision map.

# %% tags=["hide-cell"]
# On a fresh Colab or Binder runtime, install the book's package first; elsewhere this does nothing.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("nnbook") is None:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "git+https://github.com/nnbook/nnbook"], check=True)

# %% [markdown]
# ## The data: a cubic with a wiggle
#
# The function to learn is
#
# $$ f(x) = x^3 - x^2 + 25 \sin(2x), $$
#
# a cubic trend with a sine wave on top. {py:func}`~nnbook.data.cubic_sine_points` draws 100 inputs
# uniformly from $[-5, 5]$ and adds Gaussian noise with standard deviation 10 to each $f(x)$, all from
# seed 42; {py:func}`~nnbook.data.cubic_sine` is $f$ itself, without noise. We plot both with
# {py:func}`~nnbook.plots.plot_data` and {py:func}`~nnbook.show`, score with
# {py:func}`~nnbook.training.mse` (the mean squared error), and record every number the text quotes
# with {py:func}`~nnbook.glue`.

# %%
import math
import time
from functools import partial

import matplotlib.pyplot as plt
import torch
from torch import nn

import nnbook
from nnbook import glue
from nnbook.data import cubic_sine, cubic_sine_points, standardize, xor
from nnbook.models import Rescaled, mlp
from nnbook.plots import plot_data, plot_losses, plot_model, plot_output_maps, plot_sweep
from nnbook.training import fit, fit_seeds, mse

x, y = cubic_sine_points(n=100, seed=42)
grid = torch.linspace(-5, 5, 1001)[:, None]
noise_mse = glue("mlp_noise_mse", float(mse(cubic_sine(x), y)))
print("x:", tuple(x.shape), " y:", tuple(y.shape), f" y from {y.min():.0f} to {y.max():.0f}")

ax = plot_data(x, y)
ax.plot(grid, cubic_sine(grid), color="k", lw=1, label="true f(x)")
ax.legend()
nnbook.show(ax.figure)

# %% [markdown]
# The noise sets a floor. Even the true function $f$ itself misses these 100 points by a mean squared
# error of {glue:text}`mlp_noise_mse:.1f` (the average of the squared noise; with standard deviation 10
# we would expect about 100, and this particular draw happens to be a little quieter). A model whose
# training MSE is near that floor has captured the function; one far below it has started to memorise
# the noise.
#
# ## An MLP from a layout
#
# A layout lists the widths of the layers, from input to output. `[1, 10, 10, 10, 1]` means one input
# number, three hidden layers of 10 units each, and one output. {py:func}`~nnbook.models.mlp` turns it into a
# `Linear` layer for every consecutive pair of widths, with an activation (ReLU here, as in the course
# notebook) after every hidden layer, and names each piece. {py:func}`~nnbook.set_seed` first makes
# the random starting weights reproducible.

# %%
layout = [1, 10, 10, 10, 1]
nnbook.set_seed(0)
model = mlp(layout, activation="relu")
model

# %% [markdown]
# The names make the model easy to inspect: `model.hidden2` is the second hidden layer. Its learnable
# numbers are listed by `named_parameters()`, in the order the data meets them.

# %%
for name, p in model.named_parameters():
    print(f"{name:15s} shape {str(tuple(p.shape)):9s} {p.numel():4d} numbers")
n_params = glue("mlp_n_params", sum(p.numel() for p in model.parameters()))

# %% [markdown]
# Every `Linear(n_in, n_out)` holds a weight matrix of shape `(n_out, n_in)` and a bias vector of
# length `n_out`, and computes `x @ weight.T + bias`. The matrix is stored output-first, so that row
# $i$ holds the weights of unit $i$. In total the network has {glue:text}`mlp_n_params` parameters:
# $1\cdot 10 + 10$ for the first layer, $10\cdot 10 + 10$ for each of the two middle ones and
# $10 \cdot 1 + 1$ for the output.
#
# ### How the weights start
#
# Before training, every number is random, but not arbitrary. PyTorch's `nn.Linear` initialises its
# weight with `kaiming_uniform_(weight, a=√5)`. Kaiming's uniform rule draws from $U(-b, b)$ with
# $b = \text{gain}\cdot\sqrt{3/\text{fan\_in}}$, where `fan_in` is the number of inputs of the layer
# and, for this choice of $a$, $\text{gain} = \sqrt{2/(1 + a^2)} = \sqrt{1/3}$. The two square roots
# of three cancel:
#
# $$ w \sim U\!\left(-\tfrac{1}{\sqrt{\text{fan\_in}}},\ \tfrac{1}{\sqrt{\text{fan\_in}}}\right),
# \qquad b \sim U\!\left(-\tfrac{1}{\sqrt{\text{fan\_in}}},\ \tfrac{1}{\sqrt{\text{fan\_in}}}\right), $$
#
# and the bias is drawn from the same interval. The first layer has one input, so its numbers lie in
# $[-1, 1]$; the layers with ten inputs stay within $\pm 1/\sqrt{10} \approx 0.316$. The rule keeps
# the size of a unit's sum roughly independent of how many inputs it adds up. Let us check it on our
# model:

# %%
for name, layer in model.named_children():
    if isinstance(layer, nn.Linear):
        bound = 1 / math.sqrt(layer.in_features)
        print(
            f"{name:8s} fan_in {layer.in_features:2d}  bound {bound:.3f}  "
            f"largest |w| {layer.weight.abs().max():.3f}  largest |b| {layer.bias.abs().max():.3f}"
        )

# %% [markdown]
# Every number sits inside its bound. A few dozen numbers cannot show the *shape* of the
# distribution, so we also draw one large layer, `Linear(10, 100_000)`, and compare its million
# weights with the uniform distribution: a flat histogram between $\pm b$, with standard deviation
# $b/\sqrt{3}$.

# %%
nnbook.set_seed(1)
big = nn.Linear(10, 100_000)
bound = 1 / math.sqrt(10)
w = big.weight.detach().flatten()
glue("init_std_ratio", float(w.std() / (bound / math.sqrt(3))))
glue("init_max_ratio", float(w.abs().max() / bound))
glue("init_bias_max_ratio", float(big.bias.detach().abs().max() / bound))

fig, ax = plt.subplots(figsize=(5, 3), layout="constrained")
ax.hist(w.numpy(), bins=60, density=True, color="#9a9a9a", label="weights of Linear(10, 100000)")
ax.hlines(1 / (2 * bound), -bound, bound, color="#d62728", lw=2, label="U(−1/√10, 1/√10)")
ax.set(xlabel="weight", ylabel="density")
ax.legend(fontsize=8, loc="lower center")
nnbook.show(fig)

# %% [markdown]
# The histogram is flat, its standard deviation is {glue:text}`init_std_ratio:.4f` times $b/\sqrt{3}$,
# and the largest weight reaches {glue:text}`init_max_ratio:.5f` of the bound (the largest bias
# {glue:text}`init_bias_max_ratio:.4f`): exactly the uniform rule above.
#
# ## A `Dataset` and a `DataLoader`
#
# PyTorch separates *holding* data from *serving* it. A `Dataset` holds it and answers two
# questions: how many examples there are (`__len__`) and what example number `i` is (`__getitem__`).
# A `DataLoader` serves it: it asks the dataset for examples in a (possibly shuffled) order, stacks
# them into batches, and hands the batches out one by one. Our dataset is a few lines:

# %%
from torch.utils.data import DataLoader, Dataset


class PointsDataset(Dataset):
    """Pairs (x[i], y[i]) kept in memory; item i is the i-th pair, each a tensor of shape (1,)."""

    def __init__(self, x: torch.Tensor, y: torch.Tensor) -> None:
        if len(x) != len(y):
            raise ValueError(f"x has {len(x)} rows but y has {len(y)}; they must pair up one to one.")
        self.x, self.y = x, y

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.x[i], self.y[i]


points = PointsDataset(x, y)
print(len(points), "examples; example 0 is", points[0])

# %% [markdown]
# We keep `x` and `y` as columns of shape `(100, 1)`, so every example is a pair of shape-`(1,)`
# tensors and every batch comes out as `(batch, 1)`, the shape the model's output has. Had we kept
# `y` as a flat vector of shape `(100,)`, the loss would compare a `(25, 1)` prediction with a `(25,)`
# target and broadcast them into a `(25, 25)` table of every prediction minus every target: no error,
# just a wrong loss. (The course notebook avoids this by reshaping inside the training loop.)
#
# The loader below serves batches of 25 in a new random order every epoch. We give it its own seeded
# random generator, so the shuffles are the same every time the chapter runs.

# %%
loader = DataLoader(points, batch_size=25, shuffle=True, generator=torch.Generator().manual_seed(0))
xb, yb = next(iter(loader))
print("one batch:", tuple(xb.shape), tuple(yb.shape))
print("its first three x:", xb[:3, 0].tolist())
print("its first three y:", yb[:3, 0].tolist())

for epoch in (1, 2):
    batches = list(loader)
    seen = torch.cat([b[0] for b in batches])
    print(
        f"epoch {epoch}: {len(batches)} batches of {[len(b[0]) for b in batches]}, "
        f"first x {seen[0, 0]:+.3f}, every point exactly once: {torch.equal(seen.sort(0).values, x.sort(0).values)}"
    )

# %% [markdown]
# One epoch is four batches of 25 that together contain every point exactly once; the next epoch
# visits them again in another order. The loader is also where the `collate` step happens: it took
# 25 separate `(1,)`-shaped items and stacked them into one `(25, 1)` tensor.
#
# ## The course recipe, and why it is slow
#
# The course notebook trains this network with mean squared error and Adam at learning rate
# $10^{-4}$, batches of 25, for 50,000 epochs, on the raw numbers. {py:func}`~nnbook.training.fit`
# accepts the loader directly
# (`fit(model, loader, ...)`), but for speed we give it the tensors and `batch_size=25`: it then
# shuffles an index and slices the tensors, the same batches without building them one item at a
# time. We cannot afford 50,000 epochs in this chapter, so we run the recipe for a fraction of them
# and watch the learning curve ({py:func}`~nnbook.plots.plot_losses`) and the fitted curve
# ({py:func}`~nnbook.plots.plot_model`).

# %%
seed_epochs = glue("mlp_seed_recipe_epochs", 1000)
nnbook.set_seed(0)
slow = mlp(layout, activation="relu")
history = fit(slow, (x, y), epochs=seed_epochs, lr=1e-4, batch_size=25)
with torch.no_grad():
    seed_mse = glue("mlp_seed_recipe_mse", float(mse(slow(x), y)))
glue("mlp_seed_recipe_full_seconds", sum(history["time"]) / seed_epochs * 50_000)

# %%
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
# After {glue:text}`mlp_seed_recipe_epochs` epochs the training MSE is still {glue:text}`mlp_seed_recipe_mse:.0f`,
# and the network has found only the overall rising trend, drawn with a few straight pieces, and none of
# the wiggles. The loss is falling, but slowly:
# the course notebook needed all 50,000 epochs to get down to about 90 (it prints the sum of the four
# batch losses of an epoch, about 362, which is four times the mean). At the pace measured here those
# 50,000 epochs would take about {glue:text}`mlp_seed_recipe_full_seconds:.0f` seconds.
#
# Why so slow? Look at the scales. The targets span more than 200 (their range is printed at the top
# of the chapter), but a freshly initialised network outputs numbers of size one or less: its weights are below 1 and its inputs are below 5. To
# reach outputs of ±100 the weights have to grow by orders of magnitude. Adam moves each weight by at
# most about the learning rate per step, whatever the size of the gradient (it divides the gradient by
# a running estimate of its own size). With $10^{-4}$ per step, growing a weight by 10 takes
# at least 100,000 steps. The loss is not hard to minimise; the optimizer simply walks the
# distance in tiny steps.
#
# ## The same quality, fast
#
# Four changes fix this. Each one addresses a specific reason for slowness.
#
# 1. **Standardize x and y** (subtract the mean, divide by the standard deviation, with
#    {py:func}`~nnbook.data.standardize`). The targets now have spread 1, a size the network produces straight
#    from its initialisation, so no weight has to travel far. The inputs now lie within about ±1.7, on
#    the same scale as the first layer's weights and biases, so that the places where the first
#    layer's units bend fall inside the data.
# 2. **Raise the learning rate from $10^{-4}$ to $3\cdot 10^{-2}$.** Once the numbers are of size one,
#    a step of a few hundredths is a small fraction of a typical weight: big enough to make progress
#    in hundreds of steps instead of hundreds of thousands, small enough that the loss still goes down
#    smoothly.
# 3. **Use the full batch.** With 100 points in memory the exact gradient costs about as much as a
#    minibatch one, so one step per epoch is the cheapest epoch; with well-scaled numbers the exact
#    gradient also tolerates the large step well.
# 4. **Use GELU instead of ReLU.** GELU is a smoothed ReLU: it bends gently at zero and lets a little
#    gradient through for negative inputs. A ReLU unit whose input is negative for every data point
#    outputs zero and receives zero gradient, so it never recovers; in a network only 10 units wide,
#    losing a few of them can stall training on a poor curve, and whether that happens depends on the
#    seed. GELU units cannot die that way.
#
# We train on the standardized tensors and wrap the trained network in {py:class}`~nnbook.models.Rescaled`, which standardizes
# its input and undoes the scaling of its output, so that we can score and plot it in the original
# units.

# %%
xs, x_mean, x_std = standardize(x)
ys, y_mean, y_std = standardize(y)
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

# %%
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
# {glue:text}`mlp_fast_mse:.1f`: at the noise floor of {glue:text}`mlp_noise_mse:.1f`, and better than
# the course notebook's result after 50,000 epochs of four steps each. The curve follows the wiggles,
# and its MSE against the true function on a dense grid is only {glue:text}`mlp_fast_truth_mse:.1f`:
# what it learned is mostly $f$, not the noise. The loss on the left is in standardized units;
# multiplying by $\text{std}(y)^2$ converts it back.
#
# How much does each change matter, and is seed 0 just lucky? We undo one change at a time and train
# every variant from eight seeds at once with {py:func}`~nnbook.training.fit_seeds` (one vectorised
# run trains all eight), for the same {glue:text}`mlp_fast_epochs` epochs, and plot every seed's result
# with {py:func}`~nnbook.plots.plot_sweep`.

# %%
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


ablation = {}
for label, change in ablation_cfgs.items():
    cfg = {**fast_cfg, **change}
    # partial(mlp, layout, activation=...) is a function that builds a fresh model each time it is called
    run = fit_seeds(
        partial(mlp, layout, activation=cfg["activation"]),
        range(8),
        (xs, ys) if cfg["scaled"] else (x, y),
        epochs=fast_epochs,
        lr=cfg["lr"],
    )
    ablation[label] = seeds_mse(run, cfg["scaled"])
    print(f"{label.replace(chr(10), ' '):22s} MSE per seed {[round(v) for v in ablation[label].tolist()]}")
glue("mlp_fast_worst_seed_mse", float(ablation["fast recipe"].max()))
glue("mlp_relu_worst_seed_mse", float(ablation["ReLU\n(course)"].max()))

ax = plot_sweep(ablation, ylabel="training MSE (original units)")
ax.axhline(noise_mse, color="k", ls=":", label="noise floor")
ax.set(yscale="log", title=f"undoing one change at a time ({fast_epochs} epochs, 8 seeds)")
ax.legend(fontsize=8)
nnbook.show(ax.figure)

# %% [markdown]
# Each change earns its place. Going back to the course's learning rate loses everything: in
# {glue:text}`mlp_fast_epochs` steps of $10^{-4}$ the network has barely left its starting point. On the
# raw numbers the large step still gets somewhere, but slowly and unevenly, because one step size
# cannot suit an output layer that must produce values of ±100 and a first layer fed inputs of ±5. With
# ReLU, some seeds end far above the floor (the worst at {glue:text}`mlp_relu_worst_seed_mse:.0f`): a
# ReLU unit whose input is negative for every point is switched off for good, and in layers only 10
# units wide, losing the wrong few leaves too few bends; with GELU every seed lands near it (the worst at
# {glue:text}`mlp_fast_worst_seed_mse:.0f`).
#
# ## Full batch, minibatches, or one point at a time
#
# How much data should one optimizer step see? We compare three answers for the same small budget of
# 10 epochs (10 passes over the data), with the fast recipe's model, scaling and learning rate:
#
# - **full batch**: one step per epoch on all 100 points;
# - **minibatches of 25**, sliced from the tensors: four steps per epoch;
# - **one point per step**, served by our `DataLoader` with `batch_size=1`: 100 steps per epoch.

# %%
compare_epochs = glue("mlp_compare_epochs", 10)
one_by_one = DataLoader(PointsDataset(xs, ys), batch_size=1, shuffle=True, generator=torch.Generator().manual_seed(0))
configs = {  # name: (training data, batch size for slicing, steps per epoch)
    "full batch": ((xs, ys), None, 1),
    "batches of 25 (slices)": ((xs, ys), 25, 4),
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
glue("mlp_per_sample_vs_fast_speedup", compare["1 point per step (DataLoader)"][2] / fast_seconds)

# %%
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
# from the same data. Per second, the picture turns around: the per-sample loader took
# {glue:text}`mlp_per_sample_seconds:.2f` s, against {glue:text}`mlp_minibatch_seconds:.2f` s for the
# sliced batches of 25 and {glue:text}`mlp_full_batch_seconds:.2f` s for the full batch. A step costs
# about the same whether it sees 1 point or 100 (for a network this small the time goes into Python and
# into launching many tiny operations, not into arithmetic), and a `DataLoader` adds its own per-item
# work on top: calling `__getitem__` 100 times and stacking the results. In the time the per-sample
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

# %%
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
    print(f"{group:10s}", "  ".join(f"{label} {float(v.median()):.0f}" for label, v in sweep[group].items()))
glue("mlp_sweep_seconds", time.perf_counter() - start)
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
    glue(f"mlp_sweep_{name}", float(sweep[group][label].median()))

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
#   {glue:text}`mlp_sweep_one_layer:.0f`): ten bends are too few for a cubic with two and a half sine
#   waves on top. The three-layer recipe ({glue:text}`mlp_sweep_base:.0f`), two wide layers of 50
#   ({glue:text}`mlp_sweep_wide:.0f`) and five narrow layers ({glue:text}`mlp_sweep_deep:.0f`) all get
#   close: once there are enough units, how they are arranged matters little for this curve.
# - **Activation.** With the same budget ReLU ({glue:text}`mlp_sweep_relu:.0f`) and tanh
#   ({glue:text}`mlp_sweep_tanh:.0f`) lag behind GELU, and sigmoid is worst
#   ({glue:text}`mlp_sweep_sigmoid:.0f`). Narrow ReLU layers lose units that are off for every point;
#   a tanh network with small initial weights is nearly a straight line at first and needs time to
#   grow out of it; sigmoid combines that with a gradient of at most ¼ per layer.
# - **Optimizer.** AdamW ({glue:text}`mlp_sweep_adamw:.0f`) is Adam with weight decay applied
#   directly to the weights; a decay of 0.01 is too weak to matter in 150 steps. Plain SGD
#   ({glue:text}`mlp_sweep_sgd:.0f`) is far behind, and momentum ({glue:text}`mlp_sweep_momentum:.0f`)
#   closes part of the gap: Adam's per-parameter step sizes are worth a lot on a network whose layers
#   see gradients of very different sizes.
# - **Batch size.** Batches of 25 ({glue:text}`mlp_sweep_batch25:.0f`) take four times as many steps
#   as the full batch and do no better at this learning rate: near the minimum the noise of a
#   25-point gradient keeps the weights jittering, and each epoch costs four times as much.
#
# ## XOR from many random starts
#
# XOR is the function that is 1 when exactly one of its two inputs is 1; {py:func}`~nnbook.data.xor`
# returns its four points and targets. The points cannot be
# split by a line, so a network needs a hidden layer. The course notebook uses the smallest one that
# can work: two sigmoid units, `Linear(2, 2)` → `Sigmoid` → `Linear(2, 1)`, trained with mean squared
# error and AdamW at learning rate 0.03 (PyTorch's default weight decay of 0.01) for 1000 full-batch
# steps. Its run ended at a loss of 0.1647: it did not solve XOR. Was that bad luck, or is the
# recipe unreliable? One run cannot tell. So we train the same recipe from {glue:text}`xor_seeds`
# different seeds, all at once: `fit_seeds` stacks the {glue:text}`xor_seeds` networks into one
# vectorised model, so the whole ensemble costs about as much as a few single runs.

# %%
x_xor, y_xor = xor()
n_seeds = glue("xor_seeds", 200)


def course_xor() -> nn.Module:
    """The course notebook's network: two sigmoid hidden units and a linear output."""
    return nn.Sequential(nn.Linear(2, 2), nn.Sigmoid(), nn.Linear(2, 1))


xor_run = fit_seeds(
    course_xor, range(n_seeds), (x_xor, y_xor), epochs=1000, lr=0.03, optimizer="adamw", weight_decay=0.01
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
# notebook's run was not unusual bad luck: roughly one start in six fails. The final losses of the
# failed seeds are not scattered; they pile up at a few values.

# %%
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

# %% [markdown]
# The solved seeds sit far left: the worst of them ends at {glue:text}`xor_solved_worst:.1e`. The failures gather near
# $1/8 = 0.125$ ({glue:text}`xor_fail_eighth` seeds) and $1/6 \approx 0.167$
# ({glue:text}`xor_fail_sixth` seeds); the rest ({glue:text}`xor_fail_other`) lie in between, on their
# way from one plateau to another. These exact fractions are a clue. Let us look at what a representative
# network of each kind outputs on the four points, and at its map over the unit square.

# %%
picks = {
    "solved": int(solved.nonzero()[0]),
    "stuck near 1/8": int(near_eighth.nonzero()[0]),
    "stuck near 1/6": int(near_sixth.nonzero()[0]),
}
print("targets (0,0) (0,1) (1,0) (1,1):", y_xor[:, 0].tolist())
for kind, i in picks.items():
    out = xor_run.model(i)(x_xor)[:, 0].detach()
    print(f"seed {i:3d}, {kind:15s} loss {float(final[i]):.4f}  outputs {[round(v, 2) for v in out.tolist()]}")
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
# - **Stuck near 1/6**: the network gets one corner right and gives the other three the same value,
#   about ⅔. That is the best possible if the output can only rise along one direction across the
#   square: with the points ordered (0,0), then (0,1) and (1,0), then (1,1), targets 0, 1, 1, 0 cannot
#   be followed by a function that only goes up, and the best compromise, 0, ⅔, ⅔, ⅔, has mean squared
#   error $(\tfrac19 + \tfrac19 + \tfrac49)/4 = \tfrac16$. Both hidden units ended up drawing
#   essentially the same line, so the network has the power of one unit. The course notebook's run
#   (0.1647) is of this kind.
# - **Stuck near 1/8**: two corners are right and the other two are averaged to ½:
#   $(\tfrac14 + \tfrac14)/4 = \tfrac18$. The two units draw different lines, but in the wrong places:
#   together they split the square into three regions with one point each in two of them and two
#   points with different targets in the third.
#
# In each stuck state, moving one unit a little makes no single step better (the gradient points
# nowhere useful, or is tiny because a sigmoid is saturated), so 1000 steps of AdamW do not get out.
#
# ### A fix that solves every seed
#
# The two-unit network has exactly enough units to draw XOR's two lines and no spare one. If both
# units get caught on the same line, or on wrong lines, nothing else can take over. The fix is to give
# the network spare units: four hidden sigmoid units instead of two, with everything else (loss,
# AdamW, learning rate, weight decay, 1000 steps, the same {glue:text}`xor_seeds` seeds) unchanged.

# %%
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
# ends at a loss of {glue:text}`xor_fixed_worst:.1e`. The maps show the three seeds with the highest
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
# - `mlp(layout)` builds `Linear` layers between consecutive widths, with named layers; a
#   `Linear(n_in, n_out)` holds an `(n_out, n_in)` weight and an `n_out` bias, here
#   {glue:text}`mlp_n_params` numbers in all.
# - PyTorch starts both from $U(-1/\sqrt{\text{fan\_in}},\, 1/\sqrt{\text{fan\_in}})$
#   (`kaiming_uniform_` with $a = \sqrt5$); we checked the bound and the flat shape.
# - A `Dataset` answers `len` and `[i]`; a `DataLoader` shuffles, stacks items into batches and serves
#   them. Keep targets as `(n, 1)` columns so that predictions and targets line up.
# - The course recipe (raw numbers, Adam at $10^{-4}$) needs about 50,000 epochs because Adam's steps
#   are about the learning rate in size and the weights must grow far. Standardizing x and y and
#   raising the learning rate to $10^{-2}$ reaches MSE {glue:text}`mlp_fast_mse:.1f` (noise floor
#   {glue:text}`mlp_noise_mse:.1f`) in {glue:text}`mlp_fast_epochs` epochs.
# - Smaller batches make more progress per epoch; per second, sliced in-memory batches beat a
#   per-item `DataLoader` by a wide margin.
# - The course XOR network solves XOR from only {glue:text}`xor_seed_solved` of {glue:text}`xor_seeds`
#   seeds; its failures sit at losses 1/6 and 1/8, where its two units cannot draw two useful lines.
#   With four hidden units every seed solves it.
#
# ## Exercises
#
# 1. **Parameters.** Without running code: how many parameters does `mlp([2, 8, 8, 3])` have, and
#    what are the shapes of `hidden2.weight` and `output.bias`?
#
# ```{admonition} Solution
# :class: dropdown
#
# Layer by layer: $2\cdot 8 + 8 = 24$, $8 \cdot 8 + 8 = 72$, $8 \cdot 3 + 3 = 27$, in total 123.
# `hidden2.weight` has shape `(8, 8)` (outputs first, inputs second) and `output.bias` has shape `(3,)`.
# Check with `sum(p.numel() for p in mlp([2, 8, 8, 3]).parameters())`.
# ```
#
# 2. **What are these parameters, and how were they initialised?** The course notebook prints the
#    list of its network's parameters and asks what they are and how they were initialised.
#
# ```{admonition} Solution
# :class: dropdown
#
# They come in the order the data meets them: the first layer's weight `(10, 1)` and bias `(10,)`,
# the two middle layers' weights `(10, 10)` and biases `(10,)`, and the output layer's weight `(1, 10)`
# and bias `(1,)`. Each is drawn uniformly from $\pm 1/\sqrt{\text{fan\_in}}$: the first layer's numbers
# lie in $[-1, 1]$ (one input), all the others within $\pm 0.316$ (ten inputs). The notebook's printout
# shows exactly this pattern, and the histogram in this chapter confirms the flat shape.
# ```
#
# 3. **A wrong shape.** Train `mlp([1, 10, 1])` with `fit` on `(x, y[:, 0])`, i.e. with the target as a
#    flat vector. What happens, and what would have happened with a hand-written loop and
#    `nn.MSELoss()`?
#
# ```{admonition} Solution
# :class: dropdown
#
# `fit` checks the shapes before training and refuses: the error says that `y` is 1-D with shape
# `(100,)` and shows how to add the missing axis, `y[:, None]`. A hand-written loop would run: `nn.MSELoss()` on a
# `(100, 1)` prediction and a `(100,)` target broadcasts to `(100, 100)` (PyTorch only warns), the
# loss averages every prediction against every target, and the best any network can do against that
# loss is to predict the mean of `y` everywhere. The training "works" and the result is a flat line.
# ```
#
# 4. **Layout.** In the sweep, why does one hidden layer of 10 units do so much worse than the
#    others, and why do the wide `[1, 50, 50, 1]` and the deep `[1, 10, 10, 10, 10, 10, 1]` do about as
#    well as the recipe? What would you expect with many more epochs?
#
# ```{admonition} Solution
# :class: dropdown
#
# With one input, each hidden unit of the first layer contributes one bend to the curve (a ReLU one
# sharp kink, a GELU one soft elbow). One layer of 10 units can bend only 10 times, and it has to place
# those bends well with the gradient alone; for a cubic with two and a half sine periods on top, that
# is not enough in 150 epochs. Stacking layers multiplies the possible bends (a unit of the second
# layer combines the bent curves of the first), so the three-layer recipe, two wide layers and five
# narrow ones all have plenty. Given many more epochs the larger networks go *below* the noise floor:
# their training MSE keeps falling because they start to bend towards individual noisy points. That is
# overfitting, and it is only visible with a held-out set, as in the previous chapter.
# ```
#
# 5. **Activation.** Why do ReLU, tanh and sigmoid lag behind GELU at this budget?
#
# ```{admonition} Solution
# :class: dropdown
#
# *ReLU*: a unit whose input is negative for all 100 points outputs 0 and gets zero gradient, so it
# never comes back. With only 10 units per layer, losing a few leaves too few bends, and which ones
# die depends on the seed (the ablation shows the spread). *Tanh*: it is smooth and centred, but near
# zero it is almost the identity; with small initial weights the whole network starts as nearly a
# straight line and needs many steps to grow weights large enough to bend (given 400 epochs it does
# reach the floor). *Sigmoid*: it has the same near-linear start, its slope is at most ¼, so each
# layer shrinks the gradient by four or more, and its outputs are all positive, which makes the next
# layer's updates move in lock-step. *GELU* is curved right at zero, so the network bends from the
# first step, and it never switches a unit off completely.
# ```
#
# 6. **Optimizer.** Plain SGD in the sweep uses a learning rate of 0.1, not Adam's 0.03. Why are the
#    two numbers not comparable, and what does momentum add?
#
# ```{admonition} Solution
# :class: dropdown
#
# SGD's step is the learning rate times the gradient, so its size depends on how steep the loss is;
# Adam's step is about the learning rate itself, whatever the gradient (it divides by a running
# estimate of the gradient's size, parameter by parameter). The two learning rates therefore measure
# different things. One rate must suit every parameter in SGD, and gradients of different layers
# differ a lot in size, so the rate that is safe for the steepest layer is slow for the others.
# Momentum averages successive gradients: it builds up speed along directions that stay consistent and
# damps directions that flip sign, which closes part of the gap. AdamW differs from Adam only in how
# weight decay is applied (directly to the weights, not through the gradient); with a decay of 0.01
# and so few steps the weights shrink by a negligible amount, hence the same result.
# ```
#
# 7. **Batch configuration.** The course notebook asks what changes with all the data in one batch.
#    From the experiments in this chapter, when would you use full batches and when small ones?
#
# ```{admonition} Solution
# :class: dropdown
#
# Full batches give the exact gradient and one step per epoch. Per epoch they make the least progress
# early on (the 10-epoch comparison), but each epoch is cheapest, and with well-scaled numbers and a
# large learning rate they converge smoothly (the sweep). Small batches give noisy gradients but many
# steps per epoch: that helps early, and when data is plentiful (a batch already points roughly the
# right way), but near a minimum the noise keeps the weights jittering unless the learning rate is
# lowered. Single points are the extreme: the most steps, the noisiest, and per second by far the
# slowest, because a step costs about the same for 1 point as for 100. With 100 points in memory,
# the full batch is the sensible choice; minibatches matter for large data sets, where one exact
# gradient would be too expensive.
# ```
#
# 8. **Other XOR fixes.** Keep two hidden units. Which changes might rescue the failing seeds: a tanh
#    activation, a higher learning rate, more epochs? Try them with `fit_seeds` over 200 seeds.
#
# ```{admonition} Solution
# :class: dropdown
#
# Run, for example,
# `fit_seeds(lambda: mlp([2, 2, 1], activation="tanh"), range(200), xor(), epochs=1000, lr=0.03, optimizer="adamw", weight_decay=0.01)`
# and count `final_train_loss < 0.01`. None of these removes every failure: tanh and a higher learning
# rate change which seeds fail and how many, and more epochs let a few slow seeds finish, but the
# stuck states at 1/6 and 1/8 remain for some starts, because with two units they are genuine traps.
# Adding units is what removes them: `mlp([2, 4, 1], activation="sigmoid")` solves all 200 seeds, as
# shown above.
# ```
