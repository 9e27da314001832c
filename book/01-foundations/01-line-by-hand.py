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
# # Fitting a line by hand
#
# A hundred points lie roughly along a straight line, and we want the line. In this chapter we find it
# with the smallest possible version of the method that trains every neural network in this book:
# guess two numbers, measure how wrong the guess is, ask PyTorch which way is downhill, take a small
# step, and repeat. Nothing is hidden in a library call; the whole training loop fits in six lines.
#
# **Learning objectives.** After this chapter you can
#
# - write the mean squared error (MSE) as one line of tensor code and say what it measures;
# - mark tensors as parameters so that PyTorch's autograd computes their gradient;
# - write the gradient-descent update yourself, and explain why it needs `torch.no_grad()`, `sub_` and `grad.zero_()`;
# - read a matrix-multiplication shape error and fix it;
# - check a gradient-descent answer against the closed-form least-squares solution.

# %% tags=["hide-cell"]
# On a fresh Colab or Binder runtime, install the book's package first; elsewhere this does nothing.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("nnbook") is None:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "git+https://github.com/nnbook/nnbook"], check=True)

# %% [markdown]
# ## The data: points near a line
#
# The `nnbook` package makes the data from an explicit seed with {py:func}`~nnbook.data.line_points`, so you
# get exactly the points printed here.
# Each input row is `[u, 1]`: a number `u` drawn uniformly between −1 and 1, and a constant 1.
# The targets are `y = x @ [3, 2] + noise`, that is $y = 3u + 2$ plus noise drawn uniformly from $[0, 1)$.

# %%
import matplotlib.pyplot as plt
import torch
from torch import nn

import nnbook
from nnbook import glue
from nnbook.animation import curve_animation, show_animation
from nnbook.data import line_points
from nnbook.plots import plot_data

x, y = line_points(n=100, seed=0)
print("x:", tuple(x.shape), " y:", tuple(y.shape))
x[:5]

# %% [markdown]
# Why the column of ones? A line $y = a_0 u + a_1$ has a slope and an intercept. Writing the input as
# $[u, 1]$ turns both into one multiplication: $[u, 1] \cdot [a_0, a_1] = a_0 u + a_1$. So a whole
# line is a vector `a` of two numbers, and the predictions for all 100 points are one matrix product, `x @ a`.
# {py:func}`~nnbook.plots.plot_data` draws the points, and {py:func}`~nnbook.show` displays the figure:

# %%
ax = plot_data(x, y)
ax.set(xlabel="u", title="100 points near the line y = 3u + 2")
nnbook.show(ax.figure)

# %% [markdown]
# ## Shapes: `x @ m`, not `m @ x`
#
# With the true parameters `m = [3, 2]` the product `x @ m` gives one prediction per point:

# %%
m = torch.tensor([3.0, 2.0])
(x @ m).shape

# %% [markdown]
# The order matters. Written the other way round, the same product fails. ({py:class}`~nnbook.expect_error` marks a
# line that is meant to fail: in a notebook you see the full error, and the script version of this chapter
# prints the message and carries on.)

# %% tags=["raises-exception"]
with nnbook.expect_error(RuntimeError):
    m @ x


# %% [markdown]
# The rule for a matrix product is $(a, b) \mathbin{@} (b, c) \to (a, c)$: the *inner* sizes must agree,
# and they disappear. When a 1-D vector stands on the left, PyTorch treats it as a single row, shape
# (1, 2). So `m @ x` asks for $(1, 2) \mathbin{@} (100, 2)$, whose inner sizes are 2 and 100, which is the
# "1x2 and 100x2" in the message. In `x @ m` the vector stands on the right and counts as a column, (2, 1):
# $(100, 2) \mathbin{@} (2, 1) \to (100, 1)$, and PyTorch drops the helper axis again, giving 100 predictions.
# The general habit that avoids the error: **rows are examples, columns are features**, and the
# parameters sit on the right, `x @ weights`.
#
# ## How wrong is a guess? The mean squared error
#
# Before fitting anything we need a number that says how bad a line is. The mean squared error takes each
# point's miss (prediction minus target), squares it so that misses above and below both count, and
# averages over the points:
#
# $$\text{MSE}(\hat y, y) = \frac{1}{n}\sum_{i=1}^{n} (\hat y_i - y_i)^2 .$$
#
# In PyTorch this is one line:

# %%
def mse(prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean squared error: the average of the squared misses."""
    return ((prediction - target) ** 2).mean()


# %% [markdown]
# Our first guess is a slope of 0.5 and an intercept of 0.75, far too flat and too low
# ({py:func}`~nnbook.glue` records the computed number so that the text can quote it):

# %%
a_start = torch.tensor([0.5, 0.75])
start_mse = glue("gd_start_mse", mse(x @ a_start, y).item())

# %% [markdown]
# The guess misses by an MSE of {glue:text}`gd_start_mse:.3f`. (The course notebook this chapter follows
# started from the same guess and got 5.286; its points came from a different random draw, so the number
# differs a little.) The picture agrees: the orange line is nowhere near the points.

# %%
ax = plot_data(x, y)
ax.scatter(x[:, 0], x @ a_start, s=10, color="tab:orange", label="guess a = (0.5, 0.75)")
ax.set(xlabel="u", title=f"first guess: MSE {start_mse:.3f}")
ax.legend()
nnbook.show(ax.figure)

# %% [markdown]
# ## Autograd: PyTorch finds the downhill direction
#
# To improve the guess we need to know how the MSE changes when each of the two numbers changes: the
# *gradient*. PyTorch computes it for any tensor that asks to be tracked. `nn.Parameter` wraps a tensor and
# switches that tracking on (`requires_grad=True`):

# %%
a = nn.Parameter(a_start.clone())
a

# %% [markdown]
# Now every operation on `a` is recorded. Calling `backward()` on the loss walks back through that record
# and stores $\partial\,\text{MSE} / \partial a$ in `a.grad`:

# %%
loss = mse(x @ a, y)
loss.backward()
a.grad

# %% [markdown]
# Both entries are negative: increasing either the slope or the intercept makes the loss smaller, which
# matches the picture. For this small model we can also derive the gradient on paper,
# $\nabla_a \text{MSE} = \frac{2}{n} x^\top (x a - y)$, and check that autograd agrees:

# %%
by_hand = 2 / len(x) * x.T @ (x @ a_start - y)
torch.allclose(a.grad, by_hand)

# %% [markdown]
# One detail matters for the loop below: `backward()` *adds* to `a.grad` instead of replacing it.
# Run it a second time and the stored gradient doubles:

# %%
first = a.grad.clone()
mse(x @ a, y).backward()
print("gradient after two backward calls / after one:", (a.grad / first).tolist())
a.grad.zero_()  # start clean again


# %% [markdown]
# ## The update loop, written by hand
#
# Gradient descent moves the parameters a small step *against* the gradient,
# $a \leftarrow a - \text{lr} \cdot \nabla_a \text{MSE}$, where the learning rate `lr` sets the step size.
# Here is one step as a function:

# %%
def update(a: nn.Parameter, lr: float) -> float:
    """One gradient-descent step on the MSE of the line ``x @ a``; returns the loss before the step."""
    loss = mse(x @ a, y)
    loss.backward()
    with torch.no_grad():
        a.sub_(lr * a.grad)
        a.grad.zero_()
    return loss.item()


# %% [markdown]
# Each of the three lines after `backward()` has a job:
#
# - `torch.no_grad()` switches the recording off. The update is not part of the model, and its
#   gradient is never needed; PyTorch even refuses to change a tracked parameter in place while recording.
# - `a.sub_(lr * a.grad)` subtracts the step *in place* (the trailing underscore is PyTorch's mark for
#   in-place operations), so `a` stays the same `Parameter` object that the next step tracks again.
# - `a.grad.zero_()` clears the gradient, because `backward()` adds to whatever is stored there.
#
# With a learning rate of 0.1 we take 100 steps from the guess and print the loss every 10 steps:

# %%
lr = 0.1
a = nn.Parameter(a_start.clone())
losses = []
for step in range(100):
    losses.append(update(a, lr))
    if step % 10 == 0:
        print(f"step {step:3d}   MSE {losses[-1]:.4f}")

glue("gd_slope", a[0].item())
glue("gd_intercept", a[1].item())
final_mse = glue("gd_final_mse", mse(x @ a, y).item())

# %% [markdown]
# After 100 steps the MSE is {glue:text}`gd_final_mse:.4f` and the line is
# $y \approx$ {glue:text}`gd_slope:.3f` $u\,+$ {glue:text}`gd_intercept:.3f`. The loss fell fast at first
# and then flattened out, and the line now runs through the middle of the cloud:

# %%
fig, (ax_loss, ax_fit) = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
ax_loss.plot(losses)
ax_loss.set(xlabel="step", ylabel="MSE", yscale="log", title="loss during gradient descent")
plot_data(x, y, ax=ax_fit)
ax_fit.scatter(x[:, 0], x @ a_start, s=8, color="tab:orange", label="start")
ax_fit.scatter(x[:, 0], (x @ a).detach(), s=8, color="tab:red", label="after 100 steps")
ax_fit.set(xlabel="u", title=f"fitted line: MSE {final_mse:.4f}")
ax_fit.legend()
nnbook.show(fig)

# %% [markdown]
# `(x @ a).detach()` hands matplotlib a copy of the predictions without the gradient record, which it
# cannot draw from.
#
# ## Checking against the exact answer
#
# For a linear model and the MSE there is a closed-form answer: the least-squares solution, which
# `torch.linalg.lstsq` computes directly. No neural network has such a shortcut, which is why the rest of
# the book trains by gradient descent, but here it tells us how close our 100 steps came to the best line.

# %%
# The last bits of lstsq's answer can differ from run to run; in float64, rounded to 10 decimals, they do not.
x64, y64 = x.double(), y.double()
a_best = torch.linalg.lstsq(x64, y64[:, None]).solution[:, 0]
lstsq_mse = glue("gd_lstsq_mse", round(mse(x64 @ a_best, y64).item(), 10))
glue("lstsq_slope", round(a_best[0].item(), 10))
glue("lstsq_intercept", round(a_best[1].item(), 10))
gap = glue("gd_gap_percent", 100 * (final_mse / lstsq_mse - 1))
assert final_mse <= 1.01 * lstsq_mse, "100 steps should reach the least-squares MSE within 1 %"

# %% [markdown]
# The least-squares line is $y \approx$ {glue:text}`lstsq_slope:.3f` $u\,+$ {glue:text}`lstsq_intercept:.3f`
# with MSE {glue:text}`gd_lstsq_mse:.4f`. Gradient descent ended {glue:text}`gd_gap_percent:.3f` % above
# that minimum: for practical purposes it found the best line.
#
# Two things are worth noticing. First, the intercept is close to 2.5, not 2: the noise is uniform on
# $[0, 1)$, so it lifts every point by 0.5 on average, and the best line follows. Second, the MSE cannot fall
# much below the variance of that noise, $1/12 \approx 0.083$, because no line can predict the random part
# of each point. The course notebook reached 0.0713 on its own draw of points; ours has a slightly
# different least-squares minimum, and gradient descent reaches it just the same.
#
# ## Watching the line move
#
# An animation shows what the loop does. We start again from the guess, run the same `update` function, and
# keep a copy of the line's predictions: after every step at first, while the line moves fast, then after every
# tenth step. {py:func}`~nnbook.animation.curve_animation` turns the copies into an animation and
# {py:func}`~nnbook.animation.show_animation` plays it:

# %%
a = nn.Parameter(a_start.clone())
frames, labels = [(x @ a).detach().clone()], ["start"]
for step in range(1, 101):
    update(a, lr)
    if step <= 10 or step % 10 == 0:
        frames.append((x @ a).detach().clone())
        labels.append(f"step {step}")

anim = curve_animation(x, y, x, frames, labels, title="gradient descent,")
show_animation(anim, name="line-fit")

# %% [markdown]
# Press play: the line first swings up steeply, because the first gradients are large, then creeps the
# last bit of the way, because the gradient shrinks as the line nears the minimum.
#
# ## What comes next
#
# Two things change on the way from this line to a real network.
#
# - **Minibatches.** Here every step looked at all 100 points. With millions of examples one step would
#   need the whole data set in memory and take a long time. Instead each step uses a small random *batch*
#   of examples: the gradient is noisier but far cheaper, and many more steps fit in the same time. This is
#   *stochastic* gradient descent, used from Part II on.
# - **Cross-entropy.** The MSE suits numbers. When the target is a class ("cat" or "dog", inside or outside
#   a circle), the model outputs a probability, and the loss of choice is the cross-entropy (also called the
#   negative log-likelihood): it punishes a confident wrong answer heavily, and a correct but hesitant one
#   a little. Part III uses it.
#
# The next chapter first takes the same hand-written loop to real data: 143 years of global temperatures.
#
# ## Summary
#
# - A line $y = a_0 u + a_1$ is the product `x @ a` once each input row carries a constant 1; rows are
#   examples, columns are features, and parameters stand on the right.
# - The MSE averages squared misses. From the guess (0.5, 0.75) it was {glue:text}`gd_start_mse:.3f`.
# - `nn.Parameter` makes PyTorch track a tensor; `loss.backward()` stores the gradient in `.grad`,
#   *adding* to what is there.
# - One gradient-descent step: compute the loss, `backward()`, then inside `torch.no_grad()` subtract
#   `lr * grad` in place and zero the gradient.
# - 100 steps at learning rate 0.1 reached MSE {glue:text}`gd_final_mse:.4f`, within
#   {glue:text}`gd_gap_percent:.3f` % of the least-squares optimum {glue:text}`gd_lstsq_mse:.4f`.
#
# ## Exercises
#
# **1. Shapes.** Predict the shape of each product, or the error, before running it:
# `x @ m`, `m @ x`, `m @ x.T`, `x.T @ x`, `x @ x`.
#
# ```{admonition} Solution
# :class: dropdown
#
# Use $(a, b) \mathbin{@} (b, c) \to (a, c)$, with a 1-D vector counting as a row on the left and a column on
# the right (the helper axis is dropped from the result).
# `x @ m`: (100, 2) @ (2,) gives shape (100,). `m @ x`: (2,) @ (100, 2) fails, inner sizes 2 and 100.
# `m @ x.T`: (2,) @ (2, 100) gives (100,), the same 100 predictions as `x @ m`. `x.T @ x`: (2, 100) @ (100, 2)
# gives (2, 2), the matrix that appears in the least-squares formula. `x @ x`: (100, 2) @ (100, 2) fails,
# inner sizes 2 and 100.
# ```
#
# **2. Forget to clear the gradient.** Delete `a.grad.zero_()` from `update` and run the 100 steps again.
# What happens to the loss, and why?
#
# ```{admonition} Solution
# :class: dropdown
#
# The loss no longer settles: it falls, then rises again, and keeps swinging up and down for all 100 steps
# while the slope and intercept overshoot back and forth. Because `backward()` adds to `a.grad`, each step
# moves by the *sum* of every gradient seen so far. That sum keeps pushing in the old direction long after
# the line has passed the minimum, like a ball rolling in a bowl without friction. Clearing the gradient
# makes each step use only the current slope of the loss.
# ```
#
# **3. Learning rate.** Run the loop with `lr = 0.01`, `lr = 1.0` and `lr = 1.1`. What do you see?
#
# ```{admonition} Solution
# :class: dropdown
#
# With 0.01 the steps are ten times smaller: after 100 steps the loss is still far above the minimum, and
# you would need about ten times as many steps. With 1.0 the loss never settles: the intercept jumps past the
# minimum to the other side at every step, landing a little higher each time. With 1.1 the jumps grow by a
# fifth at every step and the loss explodes to astronomically large values within 100 steps. For the MSE of a
# linear model the largest safe learning rate is $2/\lambda_{\max}$, where $\lambda_{\max}$ is the largest eigenvalue of
# $\frac{2}{n} x^\top x$. The column of ones alone contributes about 2 to it here, so the limit is close to
# 1.0, and 1.0 already diverges. (Check it with `torch.linalg.eigvalsh(2 * x.T @ x / len(x))`.)
# ```
#
# **4. Why not zero?** Why does the MSE stop near 0.08 and not at 0, and why is the fitted intercept near
# 2.5 rather than the 2 used to make the data?
#
# ```{admonition} Solution
# :class: dropdown
#
# Each target contains a random number drawn uniformly from $[0, 1)$. A line cannot predict that random part,
# so its misses stay. The best the line can do is to predict the noise's average, 0.5, which lifts the intercept
# from 2 to about 2.5. What remains is the noise minus its mean, whose average square is the variance of a
# uniform $[0, 1)$ number, $1/12 \approx 0.083$. On a finite draw of 100 points the minimum lands a little
# above or below that value: {glue:text}`gd_lstsq_mse:.4f` here, 0.0713 in the course notebook's draw.
# ```
#
# **5. Why `no_grad`?** What goes wrong if you write `a -= lr * a.grad` outside `torch.no_grad()`? And what
# if you write `a = a - lr * a.grad` inside it?
#
# ```{admonition} Solution
# :class: dropdown
#
# Outside `no_grad`, PyTorch refuses: an in-place change of a leaf tensor that requires a gradient would corrupt
# the record it needs for `backward()`, so it raises a `RuntimeError`. Inside `no_grad`, `a = a - lr * a.grad`
# runs, but it builds a *new* tensor and rebinds the name `a` to it. The new tensor does not require a
# gradient, so the next `backward()` has no parameter to fill and `a.grad` is `None`. The in-place `sub_` keeps
# the same parameter object alive from step to step.
# ```
#
# **6. Minibatches.** Change `update` so that each step uses 20 randomly chosen points instead of all 100
# (hint: `idx = torch.randint(0, len(x), (20,))`). How does the loss curve look?
#
# ```{admonition} Solution
# :class: dropdown
#
# Compute the loss on `x[idx]` and `y[idx]` instead of `x` and `y`; everything else stays. The line still
# reaches the neighbourhood of the least-squares line, but the loss curve is jagged: each step sees a
# different sample, so its gradient points only roughly downhill, and near the minimum the parameters keep
# jittering. Smaller learning rates, or lowering the rate towards the end, calm the jitter. This trade of
# noisier steps for much cheaper ones is what makes training on large data sets possible.
# ```
