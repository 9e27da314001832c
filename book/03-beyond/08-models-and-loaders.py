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
# # A model class, a DataLoader and the loop, by hand
#
# Since chapter 3 two functions of the package have done most of the work: {py:func}`~nnbook.models.mlp`
# built the networks and {py:func}`~nnbook.training.fit` trained them. Every PyTorch user writes both by
# hand many times, and a reader should know exactly what they do. This chapter writes them: a model as a
# class with named layers, a `Dataset` that holds the data, a `DataLoader` that serves it in shuffled
# batches, and the training loop that runs over those batches. Each time, we then check that the package
# computes the same thing, number for number. On the way we open the model up: which numbers it holds,
# and how PyTorch chose them before any training.
#
# **Learning objectives.** After this chapter you can
#
# - write a model as a subclass of `nn.Module` with `__init__` and `forward`, and list its parameters by name;
# - state (and check) how PyTorch initialises a `Linear` layer;
# - write a `Dataset` subclass, wrap it in a shuffling `DataLoader`, and say what one batch contains;
# - write the training loop over a `DataLoader`, with the epoch's loss as a mean over every point, and an
#   evaluation pass in evaluation mode without gradients;
# - run the same loop on a GPU when there is one, by moving the model and every batch to its device;
# - say what `mlp` and `fit` add to the hand-written versions, and what they do not change.

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
# {py:func}`~nnbook.plots.plot_data` and {py:func}`~nnbook.show`, and record every number the text quotes
# with {py:func}`~nnbook.glue`. The next chapter trains a network on these points until it fits them;
# here they serve to show the pieces.

# %% mystnb={"image": {"alt": "100 noisy points around the curve f(x) = x^3 - x^2 + 25 sin(2x) on [-5, 5], a rising cubic with a wave on top."}}
import copy
import math
import warnings

import matplotlib.pyplot as plt
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

import nnbook
from nnbook import glue
from nnbook.data import cubic_sine, cubic_sine_points, xor
from nnbook.models import mlp
from nnbook.plots import plot_data
from nnbook.training import fit

x, y = cubic_sine_points(n=100, seed=42)
grid = torch.linspace(-5, 5, 1001)[:, None]
print("x:", tuple(x.shape), " y:", tuple(y.shape), f" y from {y.min():.0f} to {y.max():.0f}")

ax = plot_data(x, y)
ax.plot(grid, cubic_sine(grid), color="k", lw=1, label="true f(x)")
ax.legend()
nnbook.show(ax.figure)


# %% [markdown]
# ## A model is a class
#
# In PyTorch a model is an object of a class derived from {py:class}`torch.nn.Module`. The class does two things. Its
# `__init__` creates the layers and stores them as attributes; assigning a layer to an attribute
# *registers* it, so that the model knows its parameters by name. Its `forward` says how an input flows
# through those layers. Calling `model(x)` runs `forward(x)` (plus some bookkeeping).
#
# Our multi-layer perceptron (MLP) is described by a *layout*, the list of layer widths from input to
# output: `[1, 10, 10, 10, 1]` is one input number, three hidden layers of 10 units each, and one
# output. The class makes one `Linear` layer for every consecutive pair of widths, names the hidden
# ones `hidden1`, `hidden2`, … and the last one `output`, and puts a ReLU after every hidden layer.
# {py:func}`~nnbook.set_seed` makes the random starting weights the same on every run:

# %%
class MLP(nn.Module):
    """Linear layers between consecutive widths of ``layout``, with a ReLU after every hidden layer.

    >>> MLP([1, 10, 1])(torch.zeros(5, 1)).shape
    torch.Size([5, 1])
    """

    def __init__(self, layout: list[int]) -> None:
        super().__init__()  # nn.Module's own set-up: the registry of layers and parameters
        self.n_hidden = len(layout) - 2
        for i in range(1, self.n_hidden + 1):
            # self.hidden1 = nn.Linear(...), self.hidden2 = ...: each assignment registers a layer by name
            setattr(self, f"hidden{i}", nn.Linear(layout[i - 1], layout[i]))
        self.output = nn.Linear(layout[-2], layout[-1])
        self.relu = nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for i in range(1, self.n_hidden + 1):
            x = self.relu(getattr(self, f"hidden{i}")(x))
        return self.output(x)


layout = [1, 10, 10, 10, 1]
nnbook.set_seed(0)  # the random starting weights are the same on every run
model = MLP(layout)
model

# %% [markdown]
# The names make the model easy to inspect: `model.hidden2` is the second hidden layer. Its learnable
# numbers are listed by {py:meth}`~torch.nn.Module.named_parameters`, in the order the layers were registered, which is the
# order the data meets them:

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
# ### The package builds the same model
#
# {py:func}`~nnbook.models.mlp` is this class written once for every layout and activation. It returns a
# {py:class}`torch.nn.Sequential`, a ready-made `Module` whose `forward` runs its layers in order, with the same names.
# If it really builds the same model, three things hold: the parameters have the same names and shapes,
# the weights of one model load into the other (`state_dict()` is the dictionary of every parameter by
# name, and `load_state_dict` copies such a dictionary in), and after loading, both compute the same
# outputs.

# %%
packaged = mlp(layout, activation="relu")
ours = [(name, tuple(p.shape)) for name, p in model.named_parameters()]
theirs = [(name, tuple(p.shape)) for name, p in packaged.named_parameters()]
glue("mlp_class_same_shapes", int(ours == theirs))
print("same names and shapes:", ours == theirs)

packaged.load_state_dict(model.state_dict())  # fails loudly if a name or a shape differs
with torch.no_grad():
    class_difference = glue("mlp_class_max_difference", float((packaged(grid) - model(grid)).abs().max()))
print("largest difference between the two models' outputs on 1001 inputs:", class_difference)
packaged


# %% [markdown]
# The names and shapes agree, the weights load, and the largest difference between the outputs on 1001
# inputs is {glue:text}`mlp_class_max_difference`: not small, but exactly zero. <!-- claim: mlp-is-the-class -->
# From here on `mlp(layout)` is shorthand for the class above.
#
# ### The XOR network as a class
#
# The last part of the next chapter trains the smallest network that can compute XOR, the function of
# two bits that is 1 when exactly one of them is 1: two inputs, two sigmoid hidden units, one output.
# The course notebook that chapter follows writes it as a class with its layers spelled out one by one,
# the other common style ({py:func}`~nnbook.data.xor` returns the four points and their targets):

# %%
class XOR(nn.Module):
    """Two inputs, two sigmoid hidden units, one linear output: the smallest network that can fit XOR."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden = nn.Linear(2, 2)
        self.sigmoid = nn.Sigmoid()
        self.output = nn.Linear(2, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.output(self.sigmoid(self.hidden(x)))


x_xor, y_xor = xor()
nnbook.set_seed(0)
xor_net = XOR()
for name, p in xor_net.named_parameters():
    print(f"{name:14s} {tuple(p.shape)}")

same_net = mlp([2, 2, 1], activation="sigmoid")
# the names differ (hidden.weight here, hidden1.weight there): pair the parameters by position instead
same_net.load_state_dict(dict(zip(same_net.state_dict(), xor_net.state_dict().values(), strict=True)))
with torch.no_grad():
    glue("xor_class_max_difference", float((same_net(x_xor) - xor_net(x_xor)).abs().max()))
    print("outputs on the four XOR points:", xor_net(x_xor)[:, 0].tolist())

# %% [markdown]
# Its nine parameters are a `(2, 2)` weight and two biases for the hidden layer, a `(1, 2)` weight and one
# bias for the output. `mlp([2, 2, 1], activation="sigmoid")` has the same parameters under other names;
# loaded with the same numbers it gives the same outputs on the four points (largest difference
# {glue:text}`xor_class_max_difference`). <!-- claim: xor-class-is-mlp -->
#
# ## How the weights start
#
# Before training, every number is random, but not arbitrary. PyTorch's {py:class}`torch.nn.Linear` initialises its
# weight with {py:func}`~torch.nn.init.kaiming_uniform_` (`a=√5`), a variant of the rule of {cite:t}`he2015delving`.
# Kaiming's uniform rule draws from $U(-b, b)$ with $b = \text{gain}\cdot\sqrt{3/\text{fan\_in}}$, where
# `fan_in` is the number of inputs of the layer. The rule was derived for layers followed by a *leaky ReLU*,
# an activation that multiplies negative inputs by a small slope $a$ instead of setting them to zero, and
# its gain, $\sqrt{2/(1 + a^2)}$, makes up for the part of the signal the activation removes. PyTorch does
# not mean $a$ as a slope here: $a = \sqrt{5}$ is simply the value that turns the gain into
# $\sqrt{2/6} = \sqrt{1/3}$. The two square roots of three then cancel:
#
# $$ w \sim U\!\left(-\tfrac{1}{\sqrt{\text{fan\_in}}},\ \tfrac{1}{\sqrt{\text{fan\_in}}}\right),
# \qquad b \sim U\!\left(-\tfrac{1}{\sqrt{\text{fan\_in}}},\ \tfrac{1}{\sqrt{\text{fan\_in}}}\right), $$
#
# and the bias is drawn from the same interval. The first layer has one input, so its numbers lie in
# $[-1, 1]$; the layers with ten inputs stay within $\pm 1/\sqrt{10} \approx 0.316$. Scaling by
# $1/\sqrt{\text{fan\_in}}$ keeps the size of a unit's weighted sum roughly independent of how many
# inputs it adds up, the idea behind the initialisations of {cite:t}`glorot2010understanding`
# and of He et al. Let us check the bound on our model:

# %%
inside = []
for name, layer in model.named_children():
    if isinstance(layer, nn.Linear):
        bound = 1 / math.sqrt(layer.in_features)
        largest_w, largest_b = float(layer.weight.detach().abs().max()), float(layer.bias.detach().abs().max())
        inside.append(max(largest_w, largest_b) <= bound)
        print(f"{name:8s} fan_in {layer.in_features:2d}  bound {bound:.3f}  largest |w| {largest_w:.3f}  largest |b| {largest_b:.3f}")
glue("init_layers_inside_bound", int(all(inside)));

# %% [markdown]
# Every number sits inside its bound. <!-- claim: init-within-bound -->
# A few dozen numbers cannot show the *shape* of the distribution, so we also draw one large layer,
# `Linear(10, 100_000)`, and compare its million weights with the uniform distribution: a flat histogram
# between $\pm b$, with standard deviation $b/\sqrt{3}$.

# %% mystnb={"image": {"alt": "A flat histogram of one million weights between -0.316 and 0.316, matching the red line of the uniform density."}}
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
# {glue:text}`init_bias_max_ratio:.4f`): the uniform rule above, to within a fraction of a
# percent. <!-- claim: init-is-uniform -->
#
# ## A `Dataset` and a `DataLoader`
#
# PyTorch separates *holding* data from *serving* it. A {py:class}`~torch.utils.data.Dataset` holds it and answers two
# questions: how many examples there are (`__len__`) and what example number `i` is (`__getitem__`).
# A {py:class}`~torch.utils.data.DataLoader` serves it: it asks the dataset for examples in a (possibly shuffled) order, stacks
# them into batches, and hands the batches out one by one. Our dataset is a few lines:

# %%
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
# target and broadcast them into a `(25, 25)` table of every prediction minus every target: a warning,
# and a wrong loss (exercise {ref}`ex-loader-flat-target` measures how wrong).
#
# The loader below serves batches of 25 in a new random order every epoch. We give it its own seeded
# random generator, so the shuffles are the same every time the chapter runs. A function that builds
# the loader lets us make the very same sequence of batches again later.

# %%
def shuffled_batches(dataset: Dataset, batch_size: int = 25) -> DataLoader:
    """A DataLoader that shuffles ``dataset`` with its own seeded generator: the same batches on every run."""
    return DataLoader(dataset, batch_size=batch_size, shuffle=True, generator=torch.Generator().manual_seed(0))


loader = shuffled_batches(points)
every_point_once = []
for epoch in (1, 2):
    batches = list(loader)
    seen = torch.cat([xb for xb, _ in batches])
    every_point_once.append(torch.equal(seen.sort(0).values, x.sort(0).values))
    print(
        f"epoch {epoch}: {len(batches)} batches of shapes {[tuple(xb.shape) for xb, _ in batches]}, "
        f"first x {seen[0, 0]:+.3f}, every point exactly once: {every_point_once[-1]}"
    )
glue("loader_every_point_once", int(all(every_point_once)));


# %% [markdown]
# One epoch is four batches of 25 that together contain every point exactly once; the next epoch
# visits them again in another order. <!-- claim: loader-visits-every-point -->
# The loader is also where the *collate* step happens: it took 25 separate `(1,)`-shaped items and
# stacked them into one `(25, 1)` tensor.
#
# ## The training loop, by hand
#
# Training over a loader is two nested loops: for every epoch, for every batch, the five moves of
# chapter 6 (clear the gradients, predict, measure the loss, compute the gradients, step). One more
# line keeps the books: the loss of a batch is the *mean* over its points, so to report the mean over
# the whole epoch we add up each batch's loss times its size, and divide by the number of points at
# the end. (With four equal batches this is the average of the four batch losses; with a smaller last
# batch, a plain average would count its points too heavily.) The loss is the mean squared error and
# the optimizer Adam {cite:p}`kingma2015adam`, as in the course notebook, here at learning rate $10^{-2}$
# (the course's $10^{-4}$ barely moves the loss in a few epochs; the next chapter shows why).
#
# After every epoch the loop also measures the model on 100 fresh points it never trains on, drawn from the
# same function with another seed. That *evaluation pass* differs from training in two lines.
# `model.eval()` puts the model in **evaluation mode**: some layers behave differently while training and
# while predicting (dropout, which switches off random units during training only, and batch normalization,
# which uses the batch's own statistics during training only), and `eval()` switches them to their
# prediction behaviour; `model.train()` switches back before the next epoch. Our MLP has no such layer, so
# here the two calls change nothing, but a loop without them evaluates such a model wrongly, without any
# error. And `torch.no_grad()` tells autograd not to record the operations, since no gradient is needed to
# evaluate: it saves the memory and time of building the graph.

# %%
def evaluate(model: nn.Module, loader: DataLoader, device: str = "cpu") -> float:
    """The mean loss of ``model`` over every point of ``loader``, in evaluation mode and without gradients."""
    loss_fn = nn.MSELoss()
    model.eval()  # layers such as dropout switch to their prediction behaviour
    total, count = 0.0, 0
    with torch.no_grad():  # no graph, no gradients: evaluating only
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            total += loss_fn(model(xb), yb).item() * len(xb)
            count += len(xb)
    return total / count


def train_by_hand(
    model: nn.Module,
    loader: DataLoader,
    optimizer: torch.optim.Optimizer,
    epochs: int,
    valid: DataLoader | None = None,
    device: str = "cpu",
) -> dict[str, list[float]]:
    """Train ``model`` on the batches of ``loader``; the mean training (and held-out) loss of every epoch."""
    loss_fn = nn.MSELoss()
    losses = {"train": [], "valid": []}
    for _epoch in range(epochs):  # one epoch: one pass over every batch
        model.train()  # back to training behaviour after the evaluation pass
        total, count = 0.0, 0
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)  # the batch goes where the model is
            optimizer.zero_grad()  # 1. clear the gradients of the last step
            prediction = model(xb)  # 2. forward pass
            loss = loss_fn(prediction, yb)  # 3. the batch's mean squared error
            loss.backward()  # 4. gradients of the batch loss
            optimizer.step()  # 5. move every parameter
            total += loss.item() * len(xb)  # batch mean × batch size = the batch's sum
            count += len(xb)
        losses["train"].append(total / count)  # the mean over every point of the epoch
        if valid is not None:
            losses["valid"].append(evaluate(model, valid, device))
    return losses


device = "cuda" if torch.cuda.is_available() else "cpu"  # a GPU if there is one
x_val, y_val = cubic_sine_points(n=100, seed=1)
held_out = DataLoader(PointsDataset(x_val, y_val), batch_size=50)  # no shuffling needed to evaluate

loop_epochs = glue("loop_epochs", 50)
nnbook.set_seed(0)
by_hand = MLP(layout).to(device)  # move the model first, then give its parameters to the optimizer
start = copy.deepcopy(by_hand.state_dict())  # the initial weights, kept for the comparison below
optimizer = torch.optim.Adam(by_hand.parameters(), lr=1e-2)
hand = train_by_hand(by_hand, shuffled_batches(points), optimizer, loop_epochs, valid=held_out, device=device)
print(f"training on {device}")
print("mean training loss, epochs 1-3:", [round(v, 1) for v in hand["train"][:3]], "... last:", round(hand["train"][-1], 1))
print("held-out loss,      epochs 1-3:", [round(v, 1) for v in hand["valid"][:3]], "... last:", round(hand["valid"][-1], 1))
glue("loop_first_loss", hand["train"][0])
glue("loop_last_loss", hand["train"][-1])
glue("loop_last_valid_loss", hand["valid"][-1])
glue("loop_noise_mse", float(nn.functional.mse_loss(cubic_sine(x), y)));

# %% [markdown]
# ### On a GPU
#
# The line `device = ...` of the last cell picks the *device*: `"cuda"`, a graphics card, when PyTorch finds one, and
# the CPU otherwise (this page was computed on a CPU). A GPU computes only on tensors in its own memory, and
# an operation on a tensor on the CPU and one on the GPU is an error. So two things move there: the model,
# once, with `model.to(device)`, which moves every parameter (do it before creating the optimizer, so that
# the optimizer holds the moved parameters), and every batch, as it comes out of the loader, with
# `xb.to(device)`. The loader itself stays on the CPU; each batch is copied over when it is needed. The
# numbers that come back, such as `loss.item()`, are plain Python floats. Nothing else changes: the same
# loop runs on either device. For a network this small the CPU is as fast; a GPU pays off for large models
# and large batches.
#
# ### `fit` runs the same loop
#
# {py:func}`~nnbook.training.fit` accepts a `DataLoader` and runs exactly these moves over its batches. To check
# it, we give it the same four things: the same initial weights (loaded from the copy we kept), the same
# optimizer (Adam at $10^{-2}$), and the same batch order (a fresh loader with a generator seeded the same
# way replays the same shuffles) and the same held-out points. Its `device=` option does what our two
# `.to(device)` lines do (left out, it picks a GPU when there is one, like our `device` line), and it moves the
# model back to where it was when training ends.

# %% mystnb={"image": {"alt": "Training and held-out loss per epoch of the hand-written loop (thick light lines) and of fit (thin dashed black lines): the two lie on top of each other, both falling."}}
by_fit = mlp(layout, activation="relu").to(device)
by_fit.load_state_dict(start)
history = fit(
    by_fit, shuffled_batches(points), (x_val, y_val), epochs=loop_epochs, lr=1e-2, optimizer="adam", device=device, progress=False
)


def largest_relative_difference(ours: list[float], theirs: list[float]) -> float:
    ours, theirs = torch.tensor(ours, dtype=torch.float64), torch.tensor(theirs, dtype=torch.float64)
    return float(((theirs - ours).abs() / theirs).max())


glue("loop_fit_max_rel_difference", largest_relative_difference(hand["train"], history["train_loss"]))
glue("loop_fit_max_rel_difference_valid", largest_relative_difference(hand["valid"], history["valid_loss"]))
with torch.no_grad():
    pairs = zip(by_hand.parameters(), by_fit.parameters(), strict=True)
    glue("loop_fit_max_weight_difference", max(float((a - b).abs().max()) for a, b in pairs))

fused_by_hand = MLP(layout).to(device)  # our loop once more, from the same start, with PyTorch's fused Adam
fused_by_hand.load_state_dict(start)
fused_adam = torch.optim.Adam(fused_by_hand.parameters(), lr=1e-2, fused=True)
train_by_hand(fused_by_hand, shuffled_batches(points), fused_adam, loop_epochs, device=device)
with torch.no_grad():
    pairs = zip(fused_by_hand.parameters(), by_fit.parameters(), strict=True)
    glue("loop_fused_max_weight_difference", max(float((a - b).abs().max()) for a, b in pairs))

fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
ax.plot(range(1, loop_epochs + 1), hand["train"], lw=4, alpha=0.4, label="hand-written loop: training")
ax.plot(range(1, loop_epochs + 1), hand["valid"], lw=4, alpha=0.4, label="hand-written loop: held out")
ax.plot(history["epoch"], history["train_loss"], "k--", lw=1, label="fit")
ax.plot(history["epoch"], history["valid_loss"], "k--", lw=1)
ax.set(xlabel="epoch", ylabel="mean loss (MSE)", title="the same loop, twice")
ax.legend()
nnbook.show(fig)

# %% [markdown]
# The curves of the two loops lie on top of each other: over {glue:text}`loop_epochs` epochs the per-epoch
# training losses differ by at most a fraction {glue:text}`loop_fit_max_rel_difference:.1e` of their size, the
# held-out losses by {glue:text}`loop_fit_max_rel_difference_valid:.1e`, and the trained weights by at most
# {glue:text}`loop_fit_max_weight_difference:.1e`, the rounding of 32-bit floats. The package asks PyTorch for
# its *fused* Adam, which updates all the parameters in one combined operation instead of one tensor after
# another, and adds up the same numbers in another order: hence the last digits of the weights. Our loop
# with `torch.optim.Adam(..., fused=True)` ends on the same weights as `fit` (largest difference
# {glue:text}`loop_fused_max_weight_difference`). The losses differ for one more reason: `fit` averages an
# epoch's batch losses in 32-bit floats, our loop in Python's 64-bit floats.
# <!-- claim: fit-is-the-hand-loop -->
# What `fit` adds is around the loop, not in it: metrics, a learning-rate schedule, a progress table, a check
# that stops a diverging run, callbacks, and, when it is given tensors instead of a loader, batches sliced
# straight from the tensors, which is faster than collecting them point by point (the next chapter
# measures it).
#
# The training loss falls to less than a third of its start, from {glue:text}`loop_first_loss:.0f` in the
# first epoch to {glue:text}`loop_last_loss:.0f` in epoch {glue:text}`loop_epochs` (held out:
# {glue:text}`loop_last_valid_loss:.0f`), <!-- claim: hand-loop-learns --> yet it is still far above
# {glue:text}`loop_noise_mse:.0f`, the MSE of the true function $f$ itself on these points, all of it noise.
# How to get there, and why the course's learning rate needs 50,000 epochs for it, is where the next chapter
# starts.
#
# ## Summary
#
# - A model is a subclass of `nn.Module`: `__init__` registers named layers, `forward` chains them.
#   `named_parameters()` lists every weight and bias by name; here {glue:text}`mlp_n_params` numbers.
# - `mlp(layout)` builds the same model: same names and shapes, and with the same weights the same outputs.
# - `nn.Linear` starts its weights and biases from $U(-1/\sqrt{\text{fan\_in}},\, 1/\sqrt{\text{fan\_in}})$.
# - A `Dataset` answers `len` and `[i]`; a `DataLoader` shuffles, stacks items into batches and serves
#   them. Keep targets as `(n, 1)` columns so that predictions and targets line up.
# - The training loop over a loader: for every epoch, for every batch, `zero_grad`, forward, loss,
#   `backward`, `step`; the epoch's loss is the batch losses weighted by batch size. The evaluation pass
#   runs in `model.eval()` mode inside `torch.no_grad()`, and `model.train()` switches back.
# - On a GPU, `device = "cuda" if torch.cuda.is_available() else "cpu"`, then `model.to(device)` once and
#   `xb.to(device)` for every batch; `fit(..., device=device)` does the same.
# - `fit` runs exactly this loop, and gives the same losses from the same weights, optimizer and batches.
#
# ## Exercises
#
# :::{exercise} Count before you run
# :label: ex-loader-count
#
# Without running code, work out how many parameters `mlp([2, 8, 8, 3])` has and the shapes of
# `hidden2.weight` and `output.bias`. Then check your answer in the cell below.
# :::

# %% tags=["remove-output"]
# Starter: check your count here.
check = mlp([2, 8, 8, 3])
print(sum(p.numel() for p in check.parameters()), tuple(check.hidden2.weight.shape), tuple(check.output.bias.shape))

# %% [markdown]
# ```{solution-start} ex-loader-count
# :class: dropdown
# ```
#
# Layer by layer: $2\cdot 8 + 8 = 24$, $8 \cdot 8 + 8 = 72$, $8 \cdot 3 + 3 = 27$, in total
# {glue:text}`ex_count_params`. `hidden2.weight` has shape `(8, 8)` (outputs first, inputs second) and
# `output.bias` has shape `(3,)`.

# %%
glue("ex_count_params", sum(p.numel() for p in mlp([2, 8, 8, 3]).parameters()));


# %% [markdown]
# ```{solution-end}
# ```
#
# :::{exercise} Your own activation
# :label: ex-loader-activation
#
# Change the `MLP` class so that it takes the activation as a second argument, for example
# `MLP(layout, nn.Tanh)`, and show that it builds the same model as `mlp(layout, activation="tanh")`:
# same names and shapes, and the same outputs once the weights are loaded. Which lines of the class have
# to change, and does the activation appear among the parameters?
# :::
#
# ```{solution-start} ex-loader-activation
# :class: dropdown
# ```
#
# Three lines change: `__init__` takes the activation class, stores one instance of it, `self.act =
# activation()`, and `forward` calls `self.act` instead of `self.relu`. An activation without learnable
# numbers adds no parameters, so the names and shapes stay those of the `Linear` layers. (A `PReLU`,
# whose negative slope is learned, would add one parameter per use; `mlp` makes one `PReLU` per hidden
# layer, so a class that shares one would differ.)

# %%
class MLPWith(nn.Module):
    """``MLP`` with the activation as an argument: ``MLPWith([1, 10, 1], nn.Tanh)``."""

    def __init__(self, layout: list[int], activation: type[nn.Module] = nn.ReLU) -> None:
        super().__init__()
        self.n_hidden = len(layout) - 2
        for i in range(1, self.n_hidden + 1):
            setattr(self, f"hidden{i}", nn.Linear(layout[i - 1], layout[i]))
        self.output = nn.Linear(layout[-2], layout[-1])
        self.act = activation()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for i in range(1, self.n_hidden + 1):
            x = self.act(getattr(self, f"hidden{i}")(x))
        return self.output(x)


mine, package = MLPWith(layout, nn.Tanh), mlp(layout, activation="tanh")
package.load_state_dict(mine.state_dict())
with torch.no_grad():
    print("largest difference:", glue("ex_activation_max_difference", float((mine(grid) - package(grid)).abs().max())))

# %% [markdown]
# The weights load and the outputs agree exactly (largest difference
# {glue:text}`ex_activation_max_difference`).
#
# ```{solution-end}
# ```
#
# :::{exercise} A smaller last batch
# :label: ex-loader-last-batch
#
# With `batch_size=30` the 100 points come in batches of 30, 30, 30 and 10. Predict: for an untrained
# model, is the plain average of the four batch losses equal to the mean squared error over all 100 points,
# and if not, which way is it off? Compute both with `shuffled_batches(points, 30)`.
# :::
#
# ```{solution-start} ex-loader-last-batch
# :class: dropdown
# ```
#
# They differ. The plain average gives the last batch's 10 points the same say as 30 points of another
# batch, so it is pulled towards whichever batch happens to be last; the weighted mean is the loss over
# all points, whatever the batch sizes.

# %%
nnbook.set_seed(0)
untrained = MLP(layout)
with torch.no_grad():
    batch_losses = [(float(nn.functional.mse_loss(untrained(xb), yb)), len(xb)) for xb, yb in shuffled_batches(points, 30)]
    all_points = glue("ex_last_batch_true_mse", float(nn.functional.mse_loss(untrained(x), y)))
plain = glue("ex_last_batch_plain_mean", sum(loss for loss, _ in batch_losses) / len(batch_losses))
weighted = glue("ex_last_batch_weighted_mean", sum(loss * n for loss, n in batch_losses) / 100)
print("batch sizes", [n for _, n in batch_losses], f" plain average {plain:.1f}  weighted {weighted:.1f}  all points {all_points:.1f}")

# %% [markdown]
# The weighted mean, {glue:text}`ex_last_batch_weighted_mean:.1f`, is the MSE over all points
# ({glue:text}`ex_last_batch_true_mse:.1f`); the plain average of the batch losses is
# {glue:text}`ex_last_batch_plain_mean:.1f`. <!-- claim: plain-mean-of-batches-is-off -->
#
# ```{solution-end}
# ```
#
# :::{exercise} A flat target
# :label: ex-loader-flat-target
#
# Predict what happens when the targets are a flat vector, `y[:, 0]`, of shape `(100,)`: (a) in the
# hand-written loss `nn.MSELoss()(prediction, y[:, 0])` for a `(100, 1)` prediction, (b) in
# `fit(model, (x, y[:, 0]), ...)`. Then try both: for (a) use the best possible prediction, the true
# function `cubic_sine(x)`, and compare with the loss against the column `y`.
# :::
#
# ```{solution-start} ex-loader-flat-target
# :class: dropdown
# ```
#
# (a) `nn.MSELoss` broadcasts the `(100, 1)` prediction against the `(100,)` target into a `(100, 100)`
# table, every prediction minus every target, and averages that: PyTorch warns, but computes a number.
# (b) `fit` checks the shapes before training and refuses, with a message that says how to add the
# missing axis, `y[:, None]`.

# %%
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    best = cubic_sine(x)  # the true function: the best prediction there is, shape (100, 1)
    flat = glue("ex_flat_loss", float(nn.MSELoss()(best, y[:, 0])))
    right = glue("ex_column_loss", float(nn.MSELoss()(best, y)))
print(f"flat target: {flat:.1f}   column target: {right:.1f}   warnings: {len(caught)}")
try:
    fit(MLP(layout), (x, y[:, 0]), epochs=1, lr=1e-3, progress=False)
except ValueError as err:
    print("fit refused:", str(err)[:120], "...")

# %% [markdown]
# Against the flat target even the true function scores {glue:text}`ex_flat_loss:.0f`, against
# {glue:text}`ex_column_loss:.0f` for the correct comparison: <!-- claim: flat-target-loss-is-wrong -->
# the broadcast loss compares every prediction with every target, so the best any network can do
# against it is to predict the mean of `y` everywhere. Training against it "works" and ends with a flat
# line.
#
# ```{solution-end}
# ```
#
# :::{exercise} Your own data set
# :label: ex-loader-xor
#
# Apply the chapter to new data: wrap the four XOR points (`x_xor, y_xor`) in a `PointsDataset`, serve
# them in shuffled batches of 2, and train an `XOR()` network with `train_by_hand` and AdamW at learning
# rate 0.03 for 300 epochs. Before running, predict: will the epoch loss go down at every epoch? Compare
# with full batches of 4, from the same start.
# :::

# %%
# Starter: the pieces are all defined above.
xor_points = PointsDataset(x_xor, y_xor)
print(len(xor_points), "points; batches of 2 give", len(shuffled_batches(xor_points, 2)), "steps per epoch")

# %% [markdown]
# ```{solution-start} ex-loader-xor
# :class: dropdown
# ```

# %% mystnb={"image": {"alt": "Log-scale training loss of the XOR network over 300 epochs, with batches of 2 and of 4: both jitter; the full-batch run falls to a tiny loss, the batches-of-2 run stays higher."}}
xor_curves = {}
for batch_size in (2, 4):
    nnbook.set_seed(0)
    net = XOR()
    optimizer = torch.optim.AdamW(net.parameters(), lr=0.03)
    xor_curves[batch_size] = train_by_hand(net, shuffled_batches(xor_points, batch_size), optimizer, 300)["train"]
rises = {b: sum(later > earlier for earlier, later in zip(c, c[1:], strict=False)) for b, c in xor_curves.items()}
glue("ex_xor_rises_batch2", rises[2])
glue("ex_xor_rises_batch4", rises[4])
glue("ex_xor_last_loss_batch2", xor_curves[2][-1])
glue("ex_xor_last_loss_batch4", xor_curves[4][-1])
fig, ax = plt.subplots(figsize=(5, 3), layout="constrained")
for batch_size, curve in xor_curves.items():
    ax.plot(range(1, 301), curve, label=f"batches of {batch_size}")
ax.set(xlabel="epoch", ylabel="mean training loss", yscale="log", title="XOR, trained by hand")
ax.legend()
nnbook.show(fig)

# %% [markdown]
# The loop and the loader need no change: a `Dataset` of four points is served like one of a hundred.
# The loss does not go down at every epoch. With batches of 2 it rises from one epoch to the next
# {glue:text}`ex_xor_rises_batch2` times in 299, with full batches {glue:text}`ex_xor_rises_batch4`
# times: <!-- claim: xor-small-batches-jitter --> fewer, because every step sees the whole problem, but
# not none, because Adam's momentum carries the weights past a minimum and back.
# Where the two runs end differs more: from the same start, the full-batch run has solved XOR after 300 epochs
# (loss {glue:text}`ex_xor_last_loss_batch4:.0e`), the run with batches of 2 has not (loss
# {glue:text}`ex_xor_last_loss_batch2:.2f`). <!-- claim: xor-batch-of-two-not-solved-yet --> The next chapter shows
# that this small network fails from some starts even with full batches.
#
# ```{solution-end}
# ```
