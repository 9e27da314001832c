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
# # From lines to curves
#
# So far every model in this book drew a straight line. This chapter gives it data that bends and
# watches three models try: a line, two linear layers stacked on top of each other, and the same two
# layers with a ReLU between them. The first two fail in exactly the same way, and working out why
# is the key to what makes a neural network more than a line. The third one bends.
#
# **Learning objectives.** After this chapter you can
#
# - fit a line with {py:func}`~nnbook.training.fit` and SGD, and check it against the closed-form least-squares line;
# - stack layers with {py:func}`~nnbook.models.mlp` and explain, with one line of algebra, why two linear layers are still a line;
# - verify that algebra numerically by collapsing the two layers into one;
# - add a ReLU and watch, epoch by epoch, how the network bends its curve to the data.

# %% tags=["hide-cell"]
# On a fresh Colab or Binder runtime, install the book's package first; elsewhere this does nothing.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("nnbook") is None:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "git+https://github.com/nnbook/nnbook"], check=True)

# %% [markdown]
# ## The data: a wiggly curve
#
# We draw 5000 inputs $x$ uniformly from $[0, 1)$ and compute
#
# $$ y = 0.5 \sin(6x) + x + (x - 0.75)\,\varepsilon, \qquad \varepsilon \sim U(0, 1), $$
#
# then shift and scale $y$ to mean 0 and standard deviation 1. The noise term is a sloppy one on
# purpose: its size grows with the distance from $x = 0.75$, so the cloud is thick at the left edge
# and thin near the right.
#
# One point in five is held out for *validation*: the model never trains on these 1000 points, so its loss on
# them, the *validation loss*, says how well it does on points it has not seen. (Chapter 7,
# {doc}`../03-beyond/07-capacity-overfitting`, shows what goes wrong when a model is judged on its training points
# alone.) Training uses *batches* of 100 points: each step computes the gradient on 100 random training points,
# the minibatches that ended {doc}`chapter 1 <../01-foundations/01-line-by-hand>`.
# {py:func}`~nnbook.data.wiggly_curve` draws the points, {py:func}`~nnbook.data.train_valid_split`
# holds out the validation set, {py:func}`~nnbook.plots.plot_data` plots them, {py:func}`~nnbook.show` shows
# figures, and {py:func}`~nnbook.glue` hands numbers to the text.

# %% mystnb={"image": {"alt": "Scatter plot of the 5000 points over x from 0 to 1: the cloud rises, dips and rises again, thick at the left edge and thin near x = 0.75."}}
import matplotlib.pyplot as plt
import torch

import nnbook
from nnbook import glue
from nnbook.animation import Snapshots, curve_animation, show_animation
from nnbook.data import train_valid_split, wiggly_curve
from nnbook.models import collapse_linear, mlp
from nnbook.plots import LivePlot, plot_data, plot_model
from nnbook.training import fit

x, y = wiggly_curve(n=5000, seed=40)
split = train_valid_split(x, y, valid_fraction=0.2, seed=42)
print("train:", tuple(split.x_train.shape), " valid:", tuple(split.x_valid.shape))
nnbook.show(plot_data(x, y).figure)

# %% [markdown]
# No straight line can follow that: the data rises, dips and rises again. A line is still the
# right place to start, because it tells us how much a curve has to beat.
#
# ## Step 1: a line
#
# A line is a network with one input, one output and no hidden layer: `mlp([1, 1])`, whose random
# start {py:func}`~nnbook.set_seed` fixes. We train it with {py:func}`~nnbook.training.fit`, using plain stochastic
# gradient descent (`optimizer="sgd"`, PyTorch's {py:class}`torch.optim.SGD`: chapter 1's update, on one batch at a time, with no momentum) at a constant learning rate, for
# 10 *epochs*. An epoch is one pass over the training set: here 4000 points in batches of 100, so 40 steps.
# (`fit` runs exactly the loop of chapter 1 for every batch of every epoch; chapter 8 writes it out by hand.)
# A *callback* is an object that `fit` calls at fixed moments of training (before it starts, after every batch,
# after every epoch), so that you can watch or steer training without touching the loop itself; chapter 4 writes one.
# The {py:class}`~nnbook.plots.LivePlot` callback draws two panels while training runs: the data with the model's
# current line, and the training and validation loss so far. In Jupyter they redraw a few times while training runs (here after every epoch); on this
# page you see the final state.

# %% mystnb={"image": {"alt": "Left: the data with the line after 10 epochs of SGD, straight through the rising cloud. Right: the training and validation loss per epoch, both levelling off after a few epochs."}}
nnbook.set_seed(0)
line = mlp([1, 1])
history = fit(
    line, split.train, split.valid, epochs=10, lr=0.1, optimizer="sgd", batch_size=100,
    metrics=["mae"], callbacks=[LivePlot(x, y, title="a line,")],
)
mse_line = glue("nl_mse_line", history.last["valid_loss"])

# %% [markdown]
# Is this the best a line can do? For a line we do not need gradient descent at all: least squares
# has a closed-form answer. We put a column of ones next to $x$ (for the intercept), let
# {py:func}`torch.linalg.lstsq` (the counterpart of NumPy's {py:func}`numpy.linalg.lstsq`) solve for the slope and
# intercept on the training points, and score that line
# on the validation points, exactly as we scored the trained one.

# %%
design = torch.cat([split.x_train, torch.ones_like(split.x_train)], dim=1).double()
solution = torch.linalg.lstsq(design, split.y_train.double()).solution
slope, intercept = solution.float()[:, 0]
lstsq_pred = split.x_valid * slope + intercept
mse_lstsq = glue("nl_mse_lstsq", float(((lstsq_pred - split.y_valid) ** 2).mean()))
glue("nl_line_gap", mse_line - mse_lstsq)
valid_var = glue("nl_valid_var", split.y_valid.var().item())
glue("nl_line_explained", 1 - mse_line / valid_var)
glue("nl_lstsq_slope", float(slope))
glue("nl_line_slope", line.output.weight.item());

# %% [markdown]
# The trained line reaches a validation MSE of {glue:text}`nl_mse_line:.4f`; the closed-form line
# scores {glue:text}`nl_mse_lstsq:.4f`, a difference of {glue:text}`nl_line_gap:.5f`. The slopes agree
# too ({glue:text}`nl_line_slope:.3f` against {glue:text}`nl_lstsq_slope:.3f`). <!-- claim: sgd-line-is-least-squares-line -->
# The course notebook this chapter follows asks for an MSE "around 0.76", and that is what any line gets here: SGD
# has found the best line, and the best line is simply not good enough. The validation targets have a variance of
# {glue:text}`nl_valid_var:.3f` (all 5000 targets were scaled to variance 1), so the line explains only
# {glue:text}`nl_line_explained:.0%` of it. <!-- claim: line-explains-little -->
#
# ## Step 2: two linear layers
#
# A natural next guess: more layers, more power. `mlp([1, 50, 1], activation=None)` stacks a linear
# layer from 1 to 50 numbers and a second one from 50 back to 1, with nothing in between. It has
# {glue:text}`nl_params_two_linear` parameters instead of 2. We train it, and a version with 500 hidden numbers,
# with SGD and the one-cycle learning-rate schedule {cite:p}`smith2018disciplined`, which raises the learning rate
# over the first quarter of training and lowers it again afterwards. PyTorch's version of it also switches on
# *momentum* for SGD: each step then follows a running sum of recent gradients instead of the current gradient alone.
# The next chapter looks closely at both.
# {py:func}`~nnbook.plots.plot_model` draws each trained model over the data. In a notebook `fit` shows a table with
# one row per epoch (the `train_loss` column is the average over the epoch's batches); a script shows a progress bar.

# %% mystnb={"image": {"alt": "Two panels of the data, each with a trained model of two linear layers without activation, 50 hidden numbers on the left and 500 on the right: both draw a straight line."}}
two_linear, two_linear_history = {}, {}
for hidden in (50, 500):
    nnbook.set_seed(0)
    two_linear[hidden] = mlp([1, hidden, 1], activation=None)
    h = fit(two_linear[hidden], split.train, split.valid, epochs=10, lr=0.01, optimizer="sgd",
            schedule="one_cycle", batch_size=100, metrics=["mae"])
    two_linear_history[hidden] = h
    name = "nl_mse_two_linear" if hidden == 50 else "nl_mse_two_linear_500"
    glue(name, h.last["valid_loss"])
    glue(name.replace("mse", "params"), sum(p.numel() for p in two_linear[hidden].parameters()))

peak = {hidden: max(h["train_loss"] + h["valid_loss"]) for hidden, h in two_linear_history.items()}
glue("nl_two_linear_50_peak", peak[50])
glue("nl_two_linear_500_peak", peak[500])
glue("nl_two_linear_gap", max(abs(h.last["valid_loss"] - mse_line) for h in two_linear_history.values()))
for column in ("train_loss", "valid_loss"):
    losses = two_linear_history[500][column]
    worst = max(range(len(losses)), key=losses.__getitem__)
    glue(f"nl_two_linear_500_peak_{column}", losses[worst])
    glue(f"nl_two_linear_500_peak_{column}_epoch", worst + 1)
train_500 = two_linear_history[500]["train_loss"]
spike_end = two_linear_history[500].rows[train_500.index(max(train_500))]  # the epoch of the worst training loss
glue("nl_two_linear_500_spike_end_valid", spike_end["valid_loss"])
glue("nl_two_linear_500_spike_end_lr", spike_end["lr"])
glue("nl_two_linear_500_peak_lr", max(two_linear_history[500].lrs))

fig, axes = plt.subplots(1, 2, figsize=(10, 3.5), sharey=True, layout="constrained")
for ax, (hidden, model) in zip(axes, two_linear.items(), strict=True):
    plot_data(x, y, ax=ax)
    plot_model(model, x, ax=ax, label=f"two linear layers, hidden {hidden}")
    ax.legend()
nnbook.show(fig)

# %% [markdown]
# With 50 hidden numbers the validation MSE is {glue:text}`nl_mse_two_linear:.4f`, with 500 it is
# {glue:text}`nl_mse_two_linear_500:.4f`: both within {glue:text}`nl_two_linear_gap:.4f` of the line's
# {glue:text}`nl_mse_line:.4f`, so no better than a line. <!-- claim: two-linear-no-better-than-a-line -->
# And the picture shows why. Both models draw a straight line.
#
# The tables also show that the wider model is the less stable one. With 500 hidden numbers the losses spike:
# the validation loss jumps to {glue:text}`nl_two_linear_500_peak_valid_loss:.1f` in epoch
# {glue:text}`nl_two_linear_500_peak_valid_loss_epoch` and the training loss to
# {glue:text}`nl_two_linear_500_peak_train_loss:.1f` in epoch {glue:text}`nl_two_linear_500_peak_train_loss_epoch`,
# where the 50-wide model never goes above {glue:text}`nl_two_linear_50_peak:.2f`. <!-- claim: hidden-500-spikes -->
# The learning rate is then near its peak, and a step that suits the 50-wide model overshoots in the wider one,
# because every one of its 500 paths from input to output adds to the same change of slope. It recovers while the
# rate is still near its peak: at the end of epoch {glue:text}`nl_two_linear_500_peak_train_loss_epoch`, at a rate of
# {glue:text}`nl_two_linear_500_spike_end_lr:.4f` (the peak is {glue:text}`nl_two_linear_500_peak_lr:.2f`), its
# validation loss is back to {glue:text}`nl_two_linear_500_spike_end_valid:.2f`. <!-- claim: hidden-500-recovers-at-the-peak -->
# It ends on the line like the other. Chapter 4 measures how large a rate this model tolerates.
#
# ### Why two linear layers are one linear layer
#
# Write the first layer as $h = x W_1 + b_1$, with $W_1$ of shape $1 \times 50$ and $b_1$ of length 50,
# and the second as $y = h W_2 + b_2$, with $W_2$ of shape $50 \times 1$. Substitute the first into the
# second:
#
# $$ y = (x W_1 + b_1) W_2 + b_2 = x \,\underbrace{(W_1 W_2)}_{Q} + \underbrace{(b_1 W_2 + b_2)}_{r}. $$
#
# $Q = W_1 W_2$ is a $1 \times 1$ matrix, a slope, and $r = b_1 W_2 + b_2$ is a single number, an
# intercept. However many hidden numbers we use, and however many linear layers we stack, the model
# is $y = xQ + r$: a line with a slope and an intercept, only written with far more parameters than
# it needs.
#
# {py:func}`~nnbook.models.collapse_linear` does that multiplication: it returns the single `nn.Linear` with
# weight $Q$ and bias $r$. If the algebra is right, it predicts exactly what the two-layer model
# predicts, on every point.

# %%
flat = collapse_linear(two_linear[50])
with torch.no_grad():
    collapse_maxerr = (two_linear[50](x) - flat(x)).abs().max()
    collapse_maxerr_500 = (two_linear[500](x) - collapse_linear(two_linear[500])(x)).abs().max()
glue("nl_collapse_maxerr", float(collapse_maxerr))
glue("nl_collapse_maxerr_500", float(collapse_maxerr_500))
glue("nl_collapse_maxerr_any", float(max(collapse_maxerr, collapse_maxerr_500)))
glue("nl_collapse_slope", flat.weight.item())
print(flat)

# %% [markdown]
# Over all 5000 points the largest difference between the two-layer model and its collapsed line is
# {glue:text}`nl_collapse_maxerr:.1e` (and {glue:text}`nl_collapse_maxerr_500:.1e` for the 500-wide one): nothing
# beyond the rounding error of 32-bit floats. <!-- claim: two-linear-collapses-to-one -->
# The collapsed slope, {glue:text}`nl_collapse_slope:.3f`, is close to the least-squares slope
# {glue:text}`nl_lstsq_slope:.3f`. <!-- claim: collapsed-slope-is-least-squares-slope -->
# Extra linear layers bought nothing but parameters.
#
# ## Step 3: add a nonlinearity
#
# The fix is one module. Put a ReLU, $\mathrm{relu}(z) = \max(z, 0)$, between the layers: `mlp([1, 50, 1])`
# (ReLU is the default activation). Now the hidden numbers are $\max(x W_1 + b_1, 0)$, and the algebra
# above no longer goes through: the maximum does not pass through the multiplication by $W_2$.
#
# We train for 30 epochs with *Adam* {cite:p}`kingma2015adam` and the one-cycle schedule. Adam is gradient descent
# with two running averages per weight, one of its gradients and one of their squares; it steps along the first,
# divided by the square root of the second, so that every weight moves at a similar pace whether its gradients
# are large or small (`optimizer="adam"` uses {py:class}`torch.optim.Adam`). {doc}`Chapter 4 <04-training-well>` compares it with SGD. This time we also record the
# model's curve after every epoch with the {py:class}`~nnbook.animation.Snapshots` callback, to replay the whole
# fit afterwards.

# %% mystnb={"image": {"alt": "Left: the data with the ReLU network's curve after 30 epochs, which follows the bump and the dip. Right: the training and validation loss per epoch, falling far below the line's level."}}
nnbook.set_seed(0)
relu_net = mlp([1, 50, 1])
grid = torch.linspace(0, 1, 200)[:, None]
snaps = Snapshots(grid, on="epoch")
history = fit(
    relu_net, split.train, split.valid, epochs=30, lr=0.01, optimizer="adam", schedule="one_cycle",
    batch_size=100, metrics=["mae"], callbacks=[LivePlot(x, y, title="with a ReLU,"), snaps],
)
glue("nl_mse_relu", history.last["valid_loss"])
glue("nl_relu_explained", 1 - history.last["valid_loss"] / valid_var);

# %% [markdown]
# The curve now follows the bump and the dip. After 30 epochs the validation MSE is
# {glue:text}`nl_mse_relu:.3f`, against {glue:text}`nl_mse_line:.3f` for the best line: the network explains about
# {glue:text}`nl_relu_explained:.0%` of the validation targets' variance. <!-- claim: relu-network-bends -->
# The course notebook reports about 0.18 for this step, and we reach that.
#
# {py:func}`~nnbook.animation.curve_animation` turns the snapshots into an animation, one frame per epoch, and
# {py:func}`~nnbook.animation.show_animation` plays it. Press play, or step through it.

# %%
show_animation(curve_animation(x, y, grid, snaps.frames, snaps.labels, title="ReLU network,"), name="relu-fit")

# %% [markdown]
# To describe what the animation shows, three numbers per frame help: the curve's *level* (its mean over the
# grid), its *tilt* (the slope of the straight line closest to it) and its *bend* (how far, on average, it departs
# from that line).

# %%
from itertools import pairwise


def level_tilt_bend(curve: torch.Tensor) -> tuple[float, float, float]:
    """The mean of a curve over the grid, the slope of its closest line, and its RMS distance from that line."""
    on_grid = torch.cat([grid, torch.ones_like(grid)], dim=1)
    best_line = torch.linalg.lstsq(on_grid, curve).solution
    bend = (curve - on_grid @ best_line).pow(2).mean().sqrt()
    return curve.mean().item(), best_line[0].item(), bend.item()


shape = [level_tilt_bend(frame) for frame in snaps.frames]  # frame 0 is before training, frame k after epoch k
moves = [(b - a).abs().mean().item() for a, b in pairwise(snaps.frames)]
for k in (0, 1, 2, 4, 8, 14, 30):
    level, tilt, bend = shape[k]
    print(f"{snaps.labels[k]:>15s}: level {level:+.3f}  tilt {tilt:.2f}  bend {bend:.3f}")
glue("nl_level_start", shape[0][0])
glue("nl_level_epoch1", shape[1][0])
glue("nl_tilt_epoch1", shape[1][1])
glue("nl_tilt_epoch4", shape[4][1])
glue("nl_bend_epoch4", shape[4][2])
glue("nl_bend_epoch14", shape[14][2])
glue("nl_bend_final", shape[-1][2])
glue("nl_move_epoch1", moves[0])
glue("nl_move_largest", max(moves))
glue("nl_move_last3_max", max(moves[-3:]));

# %% [markdown]
# - **Epoch 1** moves the curve by {glue:text}`nl_move_epoch1:.3f` on average, as much as any epoch (the largest
#   move of all is {glue:text}`nl_move_largest:.3f`), but almost all of it is a shift: the nearly flat random curve
#   drops from a level of {glue:text}`nl_level_start:+.2f` to {glue:text}`nl_level_epoch1:+.2f`, the middle of the
#   data, and tilts only a little (slope {glue:text}`nl_tilt_epoch1:.2f`). <!-- claim: epoch1-shifts-the-level -->
# - **Epochs 2 to 4** tilt it into the line of step 1: by epoch 4 its slope is {glue:text}`nl_tilt_epoch4:.2f`,
#   close to the least-squares slope {glue:text}`nl_lstsq_slope:.2f`, while it is still nearly straight
#   (bend {glue:text}`nl_bend_epoch4:.3f`). <!-- claim: epochs-2-to-4-tilt -->
# - **From epoch 5 on** it grows its bends, the bump and then the dip: the bend rises to
#   {glue:text}`nl_bend_epoch14:.2f` by epoch 14, close to its final {glue:text}`nl_bend_final:.2f`. <!-- claim: bends-grow-after-the-tilt -->
# - **In the last epochs** the learning rate is almost zero, and none of the last three epochs moves the curve by
#   more than {glue:text}`nl_move_last3_max:.3f`. <!-- claim: last-epochs-barely-move -->
#
# The crude trend first, the details later, at least with this schedule, whose first epochs take small steps: the
# next chapter looks at these stages more closely, asks what becomes of them without one-cycle's warm-up, and
# measures how much of this result depends on the schedule, the optimizer and the random seed.
#
# ## Summary
#
# - A line fitted by SGD matches the closed-form least-squares line, and it reaches a validation MSE of only {glue:text}`nl_mse_line:.3f` on this data.
# - Two stacked linear layers are still a line: $y = x W_1 W_2 + (b_1 W_2 + b_2)$. `collapse_linear` turns them into one layer that predicts the same values up to the rounding of 32-bit floats (at most {glue:text}`nl_collapse_maxerr_any:.1e` apart). The 500-wide version also spiked to a loss of {glue:text}`nl_two_linear_500_peak:.1f` on the way.
# - One ReLU between the layers is enough to bend the curve: validation MSE {glue:text}`nl_mse_relu:.3f`.
# - With one-cycle's slow start, the network first shifts its curve to the data's level, then tilts it into the best line, then bends it.
# - *Validation* points are held out from training; an *epoch* is one pass over the training set; *Adam* scales each weight's step by its recent gradients.
# - `LivePlot` shows a fit while it happens; `Snapshots` and `curve_animation` replay it afterwards.
#
# ## Exercises
#
# Each exercise asks you to predict first, then change the code or the data and run it. The solutions run the same
# code; they are folded away so that you can try first.
#
# ```{exercise}
# :label: curves-adam-linear
#
# Does Adam matter for the two-linear model? Predict whether training `mlp([1, 500, 1], activation=None)` with
# `optimizer="adam"` (same learning rate 0.01, one-cycle, 10 epochs) changes (a) its final validation MSE and (b)
# the spike. Then run the cell below, which trains both widths with Adam (on this page its tables are left out,
# so that they do not give the answer away).
# ```

# %% tags=["remove-output"]
adam_linear = {}
for hidden in (50, 500):
    nnbook.set_seed(0)
    adam_linear[hidden] = fit(mlp([1, hidden, 1], activation=None), split.train, split.valid, epochs=10, lr=0.01,
                              optimizer="adam", schedule="one_cycle", batch_size=100)

# %% [markdown]
# ```{solution-start} curves-adam-linear
# ```
#
# (a) No optimizer can help the final MSE: the model is a line, and SGD already found the best line. (b) The spike
# is another matter. Adam divides each weight's step by the size of its recent gradients, so one large gradient
# no longer produces one huge step.

# %%
glue("nl_adam_two_linear_mse", adam_linear[50].last["valid_loss"])
glue("nl_adam_two_linear_500_mse", adam_linear[500].last["valid_loss"])
glue("nl_adam_two_linear_500_peak", max(adam_linear[500]["train_loss"] + adam_linear[500]["valid_loss"]));

# %% [markdown]
# With Adam the two models end at {glue:text}`nl_adam_two_linear_mse:.4f` and
# {glue:text}`nl_adam_two_linear_500_mse:.4f`, the same as with SGD ({glue:text}`nl_mse_two_linear:.4f` and
# {glue:text}`nl_mse_two_linear_500:.4f`): still the best line and no better. <!-- claim: adam-two-linear-same-line -->
# But the 500-wide model trains smoothly: its loss never goes above {glue:text}`nl_adam_two_linear_500_peak:.2f`,
# where SGD spiked to {glue:text}`nl_two_linear_500_peak:.1f`. <!-- claim: adam-avoids-the-spike -->
# So Adam matters for *how* this model trains, not for what it can learn.
#
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: curves-deep-collapse
#
# Build `mlp([1, 8, 8, 8, 1], activation=None)`, collapse it with `collapse_linear`, and check the largest
# difference on `x`. Predict first: will four linear layers still collapse into one? Then try `collapse_linear` on
# `mlp([1, 8, 1])` (with a ReLU) and predict what happens.
# ```
#
# ```{solution-start} curves-deep-collapse
# ```

# %%
nnbook.set_seed(1)
deep = mlp([1, 8, 8, 8, 1], activation=None)
with torch.no_grad():
    glue("nl_deep_collapse_maxerr", (deep(x) - collapse_linear(deep)(x)).abs().max().item())

# %% [markdown]
# The four linear layers collapse just as well, with a largest difference of
# {glue:text}`nl_deep_collapse_maxerr:.1e`: each layer multiplies into the slope and adds into the intercept. <!-- claim: deep-linear-stack-collapses -->
# With a ReLU there is no single linear layer that computes the same function, which is the point of the
# activation, and `collapse_linear` says so ({py:class}`~nnbook.expect_error` shows the error and carries on):

# %% tags=["raises-exception"]
with nnbook.expect_error(TypeError):
    collapse_linear(mlp([1, 8, 1]))

# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: curves-width
#
# A ReLU network with one input is a chain of straight pieces: each hidden unit can add one kink, where its
# $x w_i + b_i$ crosses zero. Predict how `mlp([1, 3, 1])` will fit the wiggly curve, trained with the recipe of
# step 3. How many kinks can it have, and will its MSE get close to the 50-wide network's? The cell below trains
# it (its table is left out on this page); change `width` and rerun.
# ```

# %% tags=["remove-output"]
width = 3
nnbook.set_seed(0)
narrow = mlp([1, width, 1])
narrow_history = fit(narrow, split.train, split.valid, epochs=30, lr=0.01, optimizer="adam", schedule="one_cycle",
                     batch_size=100)

# %% [markdown]
# ```{solution-start} curves-width
# ```

# %% mystnb={"image": {"alt": "The data with the curves of the 3-unit network, in blue, a steep rise to x \u2248 0.2 and then an almost flat line that cuts across the bump and the dip, and of the 50-unit network, in red, which follows them."}}
with torch.no_grad():
    kinks = -narrow.hidden1.bias / narrow.hidden1.weight[:, 0]  # where each unit's x·w + b crosses zero
glue("nl_narrow_kinks_inside", int(((kinks > 0) & (kinks < 1)).sum()))
glue("nl_mse_narrow", narrow_history.last["valid_loss"])
fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
plot_data(x, y, ax=ax)
plot_model(narrow, x, ax=ax, label=f"{width} hidden units", color="tab:blue")
plot_model(relu_net, x, ax=ax, label="50 hidden units")
ax.legend()
nnbook.show(fig)

# %% [markdown]
# At most three kinks, so at most four straight pieces, and here training put only
# {glue:text}`nl_narrow_kinks_inside` of the kinks inside $[0, 1]$, where the data is: too few for the bump and the
# dip. <!-- claim: three-units-few-kinks -->
# Its validation MSE is
# {glue:text}`nl_mse_narrow:.3f`, between the line's {glue:text}`nl_mse_line:.3f` and the 50-wide network's
# {glue:text}`nl_mse_relu:.3f`. <!-- claim: three-units-between-line-and-fifty -->
#
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: curves-new-data
#
# New data: two full sine waves, `y = sin(4πx)` plus a little noise, made by the cell below. Predict how well a
# line does on it, and whether the ReLU network of step 3, with the same recipe, fits it. Then train both.
# ```

# %%
g_new = torch.Generator().manual_seed(7)
x_waves = torch.rand(5000, 1, generator=g_new)
y_waves = torch.sin(4 * torch.pi * x_waves) + 0.1 * torch.randn(5000, 1, generator=g_new)
waves = train_valid_split(x_waves, y_waves, valid_fraction=0.2, seed=42)

# %% [markdown]
# ```{solution-start} curves-new-data
# ```
#
# A line can only follow the overall trend. Two full waves average to zero, but they are not trendless: each wave is
# above zero in its first half and below it in its second, so within each wave the later points lie lower, and the
# best line slopes down. On $[0, 1)$ its slope is $-3/\pi \approx -0.95$, and it explains
# $3/(2\pi^2) \approx 15\,\%$ of the variance of $\sin(4\pi x)$ (a little less with the noise): some, but not
# much. The ReLU network needs more kinks than before, but 50 units are plenty.

# %% mystnb={"image": {"alt": "The two-wave data with the ReLU network's curve, which follows the first wave and the second crest, then runs straight down through the second trough and misses it."}}
nnbook.set_seed(0)
line_waves_net = mlp([1, 1])
line_waves = fit(line_waves_net, waves.train, waves.valid, epochs=10, lr=0.1, optimizer="sgd", batch_size=100,
                 progress=False)
nnbook.set_seed(0)
relu_waves_net = mlp([1, 50, 1])
relu_waves = fit(relu_waves_net, waves.train, waves.valid, epochs=30, lr=0.01, optimizer="adam",
                 schedule="one_cycle", batch_size=100, progress=False)
glue("nl_waves_var", waves.y_valid.var().item())
glue("nl_waves_line_mse", line_waves.last["valid_loss"])
glue("nl_waves_line_slope", line_waves_net.output.weight.item())
glue("nl_waves_relu_mse", relu_waves.last["valid_loss"])
glue("nl_waves_line_explained", 1 - line_waves.last["valid_loss"] / waves.y_valid.var().item())
glue("nl_waves_relu_explained", 1 - relu_waves.last["valid_loss"] / waves.y_valid.var().item())
with torch.no_grad():
    waves_sq_err = (relu_waves_net(waves.x_valid) - waves.y_valid).pow(2)[:, 0]
last_quarter = waves.x_valid[:, 0] >= 0.75
glue("nl_waves_relu_mse_last_quarter", waves_sq_err[last_quarter].mean().item())
glue("nl_waves_relu_mse_rest", waves_sq_err[~last_quarter].mean().item())
fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
plot_data(x_waves, y_waves, ax=ax)
plot_model(relu_waves_net, x_waves, ax=ax, label="ReLU network")
ax.legend()
nnbook.show(fig)

# %% [markdown]
# The line's validation MSE, {glue:text}`nl_waves_line_mse:.3f`, is not far below the variance of the targets,
# {glue:text}`nl_waves_var:.3f`: it explains {glue:text}`nl_waves_line_explained:.0%` of it, close to the
# $3/(2\pi^2)$ worked out above, with a slope of {glue:text}`nl_waves_line_slope:.2f`. <!-- claim: line-misses-the-waves -->
# The ReLU network reaches {glue:text}`nl_waves_relu_mse:.3f` and explains
# {glue:text}`nl_waves_relu_explained:.0%`, but it is still well above the noise's variance of 0.01: the plot shows
# that after the second crest it runs straight through the second trough. <!-- claim: relu-follows-the-waves-roughly -->
# Its MSE on the last quarter of $x$ is {glue:text}`nl_waves_relu_mse_last_quarter:.3f`, against
# {glue:text}`nl_waves_relu_mse_rest:.3f` on the rest. <!-- claim: relu-misses-the-second-trough -->
# Two full waves need more bends than our curve; try a larger peak rate, such as `lr=0.1`, and compare.
#
# ```{solution-end}
# ```
