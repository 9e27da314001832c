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
#
# ```{note}
# Run on another computer, your numbers can differ slightly from this page. Processors differ in the last bits
# of floating-point arithmetic (how wide their vector units are, which kernels PyTorch picks for them, in which
# order they add up), and every later step builds on those bits. Chapters 1 and 2 agree to four digits or
# more, and so do most numbers of the book; a long training run that ends up fitting the noise in its data
# (chapters 7 and 9) can end with a loss tens of percent away. The book is built and tested with two kinds of
# kernels, and its sentences are written to hold on both: where a result could tip, the text reports it over
# several seeds or states a bound.
# ```
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
print("the first five rows of x:")
print(x[:5])

# %% [markdown]
# Why the column of ones? A line $y = a_0 u + a_1$ has a slope and an intercept. Writing the input as
# $[u, 1]$ turns both into one multiplication: $[u, 1] \cdot [a_0, a_1] = a_0 u + a_1$. So a whole
# line is a vector `a` of two numbers, and the predictions for all 100 points are one matrix product, `x @ a`.
# {py:func}`~nnbook.plots.plot_data` draws the points, and {py:func}`~nnbook.show` displays the figure:

# %% mystnb={"image": {"alt": "Scatter plot of the 100 points against u: they lie in a narrow band along a rising straight line."}}
ax = plot_data(x, y)
ax.set(xlabel="u", title="100 points near the line y = 3u + 2")
nnbook.show(ax.figure)

# %% [markdown]
# ## Shapes: `x @ m`, not `m @ x`
#
# With the true parameters `m = [3, 2]` the product `x @ m` gives one prediction per point:

# %%
m = torch.tensor([3.0, 2.0])
print("shape of x @ m:", tuple((x @ m).shape))

# %% [markdown]
# The order matters. Written the other way round, the same product fails. {py:class}`~nnbook.expect_error` runs a
# line that is meant to fail: you see the error PyTorch raises, and the chapter carries on, so "Run all" in Jupyter
# does not stop here (a script prints the message instead).

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
# differs a little.) The picture agrees: the orange line is nowhere near the points. <!-- claim: guess-far-off -->

# %% mystnb={"image": {"alt": "The 100 points with the first guess in orange: a much flatter and lower line that misses almost every point."}}
ax = plot_data(x, y)
ax.scatter(x[:, 0], x @ a_start, s=10, color="tab:orange", label="guess a = (0.5, 0.75)")
ax.set(xlabel="u", title=f"first guess: MSE {start_mse:.3f}")
ax.legend()
nnbook.show(ax.figure)

# %% [markdown]
# ## Try it by hand: sliders for the slope and the intercept
#
# Before PyTorch searches for the line, search yourself. {py:func}`~nnbook.sliders.linear_sliders` draws the points
# with a slope slider and an intercept slider, starting at the guess; drag them and the line, its MSE and its mean
# absolute error (MAE, the average size of the misses) follow. The second panel is the MSE *landscape*: the MSE
# of every line in the sliders' ranges, darker where it is lower, with the point your sliders pick (the × marks the
# lowest point of the grid). The sliders compute in the page itself, so they work here without Python, offline too,
# and in Jupyter or Colab alike; {py:func}`~nnbook.sliders.show_sliders` shows them (a script saves them as an HTML
# page).

# %%
from nnbook.sliders import Slider, linear_sliders, show_sliders

slope, intercept = a_start.tolist()  # the sliders start at the guess
line_weights = [Slider("slope", -1, 5, slope), Slider("intercept", -1, 5, intercept)]
line_widget = linear_sliders(x[:, 0], y, x, weights=line_weights, landscape=True, xlabel="u")
show_sliders(line_widget, name="line-sliders")

# %% [markdown]
# ## Autograd: PyTorch finds the downhill direction
#
# To improve the guess we need to know how the MSE changes when each of the two numbers changes: the
# *gradient*. PyTorch computes it for any tensor that asks to be tracked. {py:class}`nn.Parameter <torch.nn.parameter.Parameter>`
# wraps a tensor and switches that tracking on (`requires_grad=True`):

# %%
a = nn.Parameter(a_start.clone())
a

# %% [markdown]
# Now every operation on `a` is recorded. Calling {py:meth}`~torch.Tensor.backward` on the loss walks back through that record
# and stores $\partial\,\text{MSE} / \partial a$ in `a.grad` (this is backpropagation {cite:p}`rumelhart1986learning`):

# %%
loss = mse(x @ a, y)
loss.backward()
glue("gd_grad_slope", a.grad[0].item())
glue("gd_grad_intercept", a.grad[1].item())
a.grad

# %% [markdown]
# Both entries are negative ({glue:text}`gd_grad_slope:.2f` and {glue:text}`gd_grad_intercept:.2f`): increasing
# either the slope or the intercept makes the loss smaller, which matches the picture. <!-- claim: gradient-points-up-both -->
# For this small model we can also derive the gradient on paper,
# $\nabla_a \text{MSE} = \frac{2}{n} x^\top (x a - y)$, and check that autograd agrees:

# %%
by_hand = 2 / len(x) * x.T @ (x @ a_start - y)
glue("gd_grad_by_hand_maxerr", (a.grad - by_hand).abs().max().item())
print("autograd and the formula agree:", torch.allclose(a.grad, by_hand))

# %% [markdown]
# One detail matters for the loop below: `backward()` *adds* to `a.grad` instead of replacing it.
# Run it a second time and the stored gradient doubles: <!-- claim: backward-adds -->

# %%
first = a.grad.clone()
mse(x @ a, y).backward()
ratio = a.grad / first
glue("gd_grad_ratio_min", ratio.min().item())
glue("gd_grad_ratio_max", ratio.max().item())
a.grad.zero_()  # start clean again
print("gradient after two backward calls / after one:", ratio.tolist())


# %% [markdown]
# ## The update loop, written by hand
#
# Gradient descent {cite:p}`cauchy1847methode` moves the parameters a small step *against* the gradient,
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
# - {py:class}`torch.no_grad` switches the recording off. The update is not part of the model, and its
#   gradient is never needed; PyTorch even refuses to change a tracked parameter in place while recording.
# - `a.sub_(lr * a.grad)` ({py:meth}`~torch.Tensor.sub_`) subtracts the step *in place* (the trailing underscore is PyTorch's mark for
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
glue("gd_mse_step10", losses[10])
glue("gd_drop_first10_percent", 100 * (losses[0] - losses[10]) / (losses[0] - final_mse))
glue("gd_drop_last50", losses[50] - final_mse);

# %% [markdown]
# After 100 steps the MSE is {glue:text}`gd_final_mse:.4f` and the line is
# $y \approx$ {glue:text}`gd_slope:.3f` $u\,+$ {glue:text}`gd_intercept:.3f`. The loss fell fast at first
# and then flattened out: the first 10 steps took it from {glue:text}`gd_start_mse:.2f` to
# {glue:text}`gd_mse_step10:.3f`, {glue:text}`gd_drop_first10_percent:.0f` % of the whole way down, and the last 50
# steps lowered it by only {glue:text}`gd_drop_last50:.4f`. <!-- claim: loss-fast-then-flat -->
# The line now runs through the middle of the cloud:
#
# The two panels come from one {py:func}`matplotlib.pyplot.subplots` call:

# %% mystnb={"image": {"alt": "Left: the MSE over 100 steps of gradient descent on a log scale, falling steeply at first and then levelling off. Right: the points with the starting line in orange and the fitted line in red, which runs through the middle of the cloud."}}
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
# `(x @ a).detach()` ({py:meth}`~torch.Tensor.detach`) gives matplotlib the predictions without the gradient record:
# a tensor that shares their memory (no copy is made) but is no longer tracked. Matplotlib converts its input to a
# NumPy array, and PyTorch refuses that conversion for a tensor that still records gradients.
#
# ## How large can a step be?
#
# Why fast, then slow? And why a learning rate of 0.1, not 1 or 10? For a linear model the MSE is a bowl
# with a simple shape, and one line of algebra answers both. Write $a^*$ for the bottom of the bowl and
# $H = \frac{2}{n} x^\top x$ for its *curvature* (the matrix of second derivatives). The gradient at any $a$ is
# $H (a - a^*)$, so one step of gradient descent does this to the distance from the bottom:
#
# $$ a - a^* \;\leftarrow\; (I - \text{lr}\, H)\,(a - a^*). $$
#
# Along each of $H$'s two eigenvectors, the directions in which the bowl curves most and least, the distance is
# multiplied by the same number at every step, $1 - \text{lr}\cdot\lambda$, where $\lambda$ is that direction's
# eigenvalue. The distance shrinks only if that factor lies between −1 and 1, that is, if
#
# $$ 0 < \text{lr} < \frac{2}{\lambda_{\max}} . $$
#
# Beyond that limit every step overshoots the bottom by more than it started with, and the loss grows without
# bound. {py:func}`torch.linalg.eigvalsh` gives the two eigenvalues for our points (NumPy's
# {py:func}`numpy.linalg.eigvalsh` does the same for arrays):

# %%
import math

curvature = 2 / len(x) * x.T @ x
lam_min, lam_max = torch.linalg.eigvalsh(curvature).tolist()
glue("gd_eig_min", lam_min)
glue("gd_eig_max", lam_max)
glue("gd_lr_limit", 2 / lam_max)
glue("gd_factor_steep", 1 - lr * lam_max)
glue("gd_factor_shallow", 1 - lr * lam_min)
glue("gd_tenfold_steps_steep", -1 / math.log10(1 - lr * lam_max))
glue("gd_tenfold_steps_shallow", -1 / math.log10(1 - lr * lam_min))
u = x[:, 0]
glue("gd_mean_u", u.mean().item())
glue("gd_two_mean_u2", 2 * u.pow(2).mean().item())
glue("gd_eig_excess", lam_max - 2)
print(f"eigenvalues {lam_min:.3f} and {lam_max:.3f}; largest stable learning rate 2 / {lam_max:.3f} = {2 / lam_max:.3f}")

# %% [markdown]
# Where do they come from? $H$ is twice the matrix of averages $\begin{pmatrix} \overline{u^2} & \bar u \\ \bar u & 1
# \end{pmatrix}$. If $u$ averaged exactly zero, the two columns would not interact and the eigenvalues would be the
# columns' own curvatures: 2 for the column of ones (its squares average to 1) and $2\,\overline{u^2} =$
# {glue:text}`gd_two_mean_u2:.3f` for $u$ (about 2/3 for $u$ uniform on $[-1, 1]$): the spread of $u$ sets the
# smaller eigenvalue. Our $u$ averages {glue:text}`gd_mean_u:.3f`, not quite zero, and that small overlap of the two
# columns pushes the eigenvalues apart: the largest becomes {glue:text}`gd_eig_max:.4f`, {glue:text}`gd_eig_excess:.4f`
# above 2, and the smallest, {glue:text}`gd_eig_min:.3f`, lies as far below $2\,\overline{u^2}$ (the two always add
# up to $2 + 2\,\overline{u^2}$). <!-- claim: eigenvalues-from-the-columns -->
# So gradient descent on these points is stable only below a learning rate of {glue:text}`gd_lr_limit:.3f`, just
# under 1. <!-- claim: lr-limit-just-under-one -->
# At our learning rate of 0.1 the distance along the steep direction shrinks by a factor of
# {glue:text}`gd_factor_steep:.3f` per step, along the shallow one only by {glue:text}`gd_factor_shallow:.3f`:
# the steep part of the error shrinks tenfold every {glue:text}`gd_tenfold_steps_steep:.0f` steps, the shallow part
# only every {glue:text}`gd_tenfold_steps_shallow:.0f`. That is the
# fast-then-slow shape of the loss curve. <!-- claim: steep-direction-shrinks-faster -->
#
# ## Checking against the exact answer
#
# For a linear model and the MSE there is a closed-form answer: the least-squares solution, which
# {py:func}`torch.linalg.lstsq` computes directly. No neural network has such a shortcut, which is why the rest of
# the book trains by gradient descent, but here it tells us how close our 100 steps came to the best line.

# %%
x64, y64 = x.double(), y.double()
a_best = torch.linalg.lstsq(x64, y64[:, None]).solution[:, 0]
lstsq_mse = glue("gd_lstsq_mse", mse(x64 @ a_best, y64).item())
glue("lstsq_slope", a_best[0].item())
glue("lstsq_intercept", a_best[1].item())
gap = glue("gd_gap_percent", 100 * (final_mse / lstsq_mse - 1))
assert final_mse <= 1.01 * lstsq_mse, "100 steps should reach the least-squares MSE within 1 %"

# %% [markdown]
# The least-squares line is $y \approx$ {glue:text}`lstsq_slope:.3f` $u\,+$ {glue:text}`lstsq_intercept:.3f`
# with MSE {glue:text}`gd_lstsq_mse:.4f`. Gradient descent ended {glue:text}`gd_gap_percent:.3f` % above
# that minimum: for practical purposes it found the best line. <!-- claim: gd-reaches-least-squares -->
#
# Two things are worth noticing. First, the intercept is close to 2.5, not 2: the noise is uniform on
# $[0, 1)$, so it lifts every point by 0.5 on average, and the best line follows. <!-- claim: intercept-near-2-5 -->
# Second, the best MSE, {glue:text}`gd_lstsq_mse:.4f`, sits close to the variance of that noise,
# $1/12 \approx 0.083$, because no line can predict the random part of each point. <!-- claim: mse-near-noise-variance -->
# The course notebook reached 0.0713 on its own draw of points; ours has a slightly different least-squares
# minimum, and gradient descent reaches it just the same.
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

glue("gd_move_first_step", (frames[1] - frames[0]).abs().mean().item())
glue("gd_move_last_ten_steps", (frames[-1] - frames[-2]).abs().mean().item())
anim = curve_animation(x, y, x, frames, labels, title="gradient descent,")
show_animation(anim, name="line-fit")

# %% [markdown]
# Press play: the line first swings up steeply, then creeps the last bit of the way. The very first step moves
# the predictions by {glue:text}`gd_move_first_step:.3f` on average, the last ten steps together by only
# {glue:text}`gd_move_last_ten_steps:.4f`, because the gradient shrinks as the line nears the minimum. <!-- claim: first-step-moves-most -->
#
# ## What comes next
#
# Two things change on the way from this line to a real network.
#
# - **Minibatches.** Here every step looked at all 100 points. With millions of examples one step would
#   need the whole data set in memory and take a long time. Instead each step uses a small random *batch*
#   of examples: the gradient is noisier but far cheaper, and many more steps fit in the same time. This is
#   *stochastic* gradient descent, used from Part II on. (The last exercise below tries it.)
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
# - On a bowl with curvature $H$, a step multiplies the distance to the minimum by $1 - \text{lr}\cdot\lambda$ along
#   each eigenvector; it is stable only for learning rates below $2/\lambda_{\max}$, here {glue:text}`gd_lr_limit:.3f`.
# - 100 steps at learning rate 0.1 reached MSE {glue:text}`gd_final_mse:.4f`, within
#   {glue:text}`gd_gap_percent:.3f` % of the least-squares optimum {glue:text}`gd_lstsq_mse:.4f`.
#
# ## Exercises
#
# Each exercise asks you to predict first, then change the code and run it. The solutions run the same code; they
# are folded away so that you can try first.
#
# ```{exercise}
# :label: line-shapes
#
# Predict the shape of each product, or whether it fails, *before* running it:
# `x @ m`, `m @ x`, `m @ x.T`, `x.T @ x`, `x @ x`. Then check your predictions in a cell of your own, with
# `nnbook.expect_error(RuntimeError)` around the ones you expect to fail.
# ```
#
# ```{solution-start} line-shapes
# ```
#
# Use $(a, b) \mathbin{@} (b, c) \to (a, c)$, with a 1-D vector counting as a row on the left and a column on
# the right (the helper axis is dropped from the result). `x @ m` and `m @ x.T` both give the 100 predictions,
# shape (100,); `x.T @ x` gives (2, 2), the matrix behind the curvature $H$ above; `m @ x` and `x @ x` fail,
# because their inner sizes are 2 and 100.

# %%
for name, product in [("x @ m", lambda: x @ m), ("m @ x.T", lambda: m @ x.T), ("x.T @ x", lambda: x.T @ x)]:
    print(f"{name:8s} → {tuple(product().shape)}")
for name, product in [("m @ x", lambda: m @ x), ("x @ x", lambda: x @ x)]:
    try:
        product()
    except RuntimeError as error:
        print(f"{name:8s} → RuntimeError ({error})")


# %% [markdown]
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: line-forget-zero
#
# Delete `a.grad.zero_()` from `update` (the cell below is a copy you can edit), predict what the loss will do over
# 100 steps, then run it. Why?
# ```

# %%
def update_without_zeroing(a: nn.Parameter, lr: float) -> float:
    """update() without a.grad.zero_(): every backward() adds to the gradients of all earlier steps."""
    loss = mse(x @ a, y)
    loss.backward()
    with torch.no_grad():
        a.sub_(lr * a.grad)
    return loss.item()


# %% [markdown]
# ```{solution-start} line-forget-zero
# ```
#
# Because `backward()` adds to `a.grad`, each step moves by the *sum* of every gradient seen so far. That sum keeps
# pushing in the old direction long after the line has passed the minimum, like a ball rolling in a bowl without
# friction, so the loss falls, rises again and keeps swinging instead of settling.

# %% mystnb={"image": {"alt": "The MSE per step on a log scale: the correct loop falls and flattens; the loop without a.grad.zero_() falls, rises again and keeps swinging."}}
from itertools import pairwise

a = nn.Parameter(a_start.clone())
swinging = [update_without_zeroing(a, lr) for _ in range(100)]
rises = sum(later > earlier for earlier, later in pairwise(swinging))
glue("gd_nozero_rises", rises)
glue("gd_nozero_final_mse", mse(x @ a, y).item())
glue("gd_nozero_max_late", max(swinging[50:]))
fig, ax = plt.subplots(figsize=(6, 3), layout="constrained")
ax.plot(losses, label="update (gradient zeroed)")
ax.plot(swinging, label="without a.grad.zero_()")
ax.set(xlabel="step", ylabel="MSE", yscale="log")
ax.legend()
nnbook.show(fig)

# %% [markdown]
# Without zeroing, the loss rose again in {glue:text}`gd_nozero_rises` of the 99 steps, and after 100 steps it is
# {glue:text}`gd_nozero_final_mse:.3f`, far above the {glue:text}`gd_final_mse:.4f` of the correct loop. <!-- claim: no-zeroing-keeps-swinging -->
# Clearing the gradient makes each step use only the current slope of the loss.
#
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: line-learning-rate
#
# Use the stability limit of this chapter, {glue:text}`gd_lr_limit:.3f`, to predict what 100 steps do at
# `lr = 0.01`, `lr = 1.0` and `lr = 1.1`: which converge, which diverge, and roughly how fast? Then set `lr_try`
# below and run it (on this page its output is left out, so that it does not give the answer away).
# ```

# %% tags=["remove-output"]
lr_try = 0.01  # try 0.01, 1.0 and 1.1
a = nn.Parameter(a_start.clone())
trial = [update(a, lr_try) for _ in range(100)]
print(f"lr {lr_try}: MSE after 100 steps {mse(x @ a, y).item():.4g}")  # update() returns the loss before its step

# %% [markdown]
# ```{solution-start} line-learning-rate
# ```
#
# The factor per step along each direction is $1 - \text{lr}\cdot\lambda$. At 0.01 both factors are close to 1
# (the shallow one {glue:text}`gd_lr001_factor_shallow:.4f`), so the loss falls steadily but slowly. At 1.0 the
# steep factor is {glue:text}`gd_lr1_factor:.3f`: just beyond −1, so the intercept jumps across the minimum at every
# step and lands a little farther out each time. At 1.1 the steep factor is {glue:text}`gd_lr11_factor:.3f`, and the
# distance grows by about a fifth per step.

# %%
final_at, runs_at = {}, {}
for lr_test in (0.01, 1.0, 1.1):
    a = nn.Parameter(a_start.clone())
    runs_at[lr_test] = [update(a, lr_test) for _ in range(100)] + [mse(x @ a, y).item()]
    final_at[lr_test] = runs_at[lr_test][-1]
    print(f"lr {lr_test:4}: factor along the steep direction {1 - lr_test * lam_max:+.3f}, "
          f"MSE after 100 steps {final_at[lr_test]:.4g}")
glue("gd_lr1_mse_step50", runs_at[1.0][50])
glue("gd_lr001_factor_shallow", 1 - 0.01 * lam_min)
glue("gd_lr1_factor", 1 - 1.0 * lam_max)
glue("gd_lr11_factor", 1 - 1.1 * lam_max)
glue("gd_lr001_mse", final_at[0.01])
glue("gd_lr1_mse", final_at[1.0])
glue("gd_lr11_mse", final_at[1.1]);

# %% [markdown]
# After 100 steps the loss is {glue:text}`gd_lr001_mse:.3f` at 0.01, still far above the minimum
# {glue:text}`gd_lstsq_mse:.4f` (it needs about ten times as many steps). At 1.0 it is {glue:text}`gd_lr1_mse:.3f`,
# higher than the {glue:text}`gd_lr1_mse_step50:.3f` it had at step 50: the shallow part of the error has gone, but
# the steep part grows by a fraction of a percent per step, so the loss creeps upwards for ever. At 1.1 it has
# exploded to {glue:text}`gd_lr11_mse:.3g`. <!-- claim: lr-outcomes-match-the-limit -->
# A learning rate of 1.0 already fails because the limit, {glue:text}`gd_lr_limit:.3f`, lies just below it.
#
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: line-new-noise
#
# New data: make 100 points with `x_new, _ = line_points(n=100, seed=1)` and targets `y_new = x_new @ [3, 2]` plus *normal*
# noise with standard deviation 0.5 (`0.5 * torch.randn(100, generator=torch.Generator().manual_seed(1))`).
# Before fitting, predict the intercept and the MSE the best line will reach. Then fit a line to `x_new` and
# `y_new` with 200 steps of this chapter's loop.
# ```
#
# ```{solution-start} line-new-noise
# ```
#
# Normal noise has mean 0, so the intercept should stay near 2 this time, and its variance is $0.5^2 = 0.25$, so the
# best MSE should land near 0.25.

# %%
x_new, _ = line_points(n=100, seed=1)
noise = 0.5 * torch.randn(100, generator=torch.Generator().manual_seed(1))
y_new = x_new @ torch.tensor([3.0, 2.0]) + noise
a = nn.Parameter(a_start.clone())
for _ in range(200):
    loss = mse(x_new @ a, y_new)
    loss.backward()
    with torch.no_grad():
        a.sub_(lr * a.grad)
        a.grad.zero_()
glue("gd_new_intercept", a[1].item())
glue("gd_new_noise_mean", noise.mean().item())
glue("gd_new_mse", mse(x_new @ a, y_new).item());


# %% [markdown]
# The fitted intercept is {glue:text}`gd_new_intercept:.3f` and the MSE {glue:text}`gd_new_mse:.3f`: the
# intercept follows the mean of the noise actually drawn ({glue:text}`gd_new_noise_mean:.3f` here, 0.5 before) and the
# MSE its variance. <!-- claim: normal-noise-floor -->
#
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: line-no-grad
#
# Predict what happens, then try each in a copy of `update`: (a) `a -= lr * a.grad` *outside*
# `torch.no_grad()`; (b) `a = a - lr * a.grad` *inside* it, with the rest of `update` unchanged; (c) the same as
# (b) written at the top level of a loop, without `update`, and without `a.grad.zero_()`. Call your copy with
# `update_to_edit(nn.Parameter(a_start.clone()), lr)`.
# ```

# %%
def update_to_edit(a: nn.Parameter, lr: float) -> float:
    """A copy of update() to change for (a) and (b)."""
    loss = mse(x @ a, y)
    loss.backward()
    with torch.no_grad():
        a.sub_(lr * a.grad)
        a.grad.zero_()
    return loss.item()


# %% [markdown]
# ```{solution-start} line-no-grad
# ```

# %% tags=["raises-exception"]
a = nn.Parameter(a_start.clone())
mse(x @ a, y).backward()
with nnbook.expect_error(RuntimeError):  # (a)
    a -= lr * a.grad


# %% [markdown]
# (a) PyTorch refuses at once: changing a tracked leaf tensor in place while recording would corrupt the record
# that `backward()` needs.

# %% tags=["raises-exception"]
def update_rebinding(a: nn.Parameter, lr: float) -> float:
    loss = mse(x @ a, y)
    loss.backward()
    with torch.no_grad():
        a = a - lr * a.grad  # a new tensor, bound to the local name a
        a.grad.zero_()
    return loss.item()


with nnbook.expect_error(AttributeError):  # (b)
    update_rebinding(nn.Parameter(a_start.clone()), lr)

# %% [markdown]
# (b) `a - lr * a.grad` builds a *new* tensor and rebinds the name `a` to it. Made under `no_grad`, the new tensor
# tracks nothing and has no gradient, so `a.grad` is `None` and the very next line fails with an `AttributeError`.
# (Even without that line, the caller's parameter would never change: only the function's local name was moved.)

# %% tags=["raises-exception"]
a = nn.Parameter(a_start.clone())
with nnbook.expect_error(RuntimeError):  # (c)
    for _ in range(2):
        loss = mse(x @ a, y)
        loss.backward()
        with torch.no_grad():
            a = a - lr * a.grad


# %% [markdown]
# (c) The first step works and rebinds `a` to a plain tensor. In the second step the loss no longer depends on any
# tracked tensor, so `backward()` raises a `RuntimeError`: there is nothing to compute a gradient for. The in-place
# `a.sub_(…)` keeps the same parameter object alive from step to step, which is why `update` uses it.
#
# ```{solution-end}
# ```
#
# ```{exercise}
# :label: line-minibatch
#
# Change `update` so that each step uses 20 randomly chosen points instead of all 100 (hint:
# `idx = torch.randint(0, len(x), (20,))`, then `x[idx]` and `y[idx]`). Predict how the loss curve will look,
# then run 100 steps and plot it next to the full-batch curve.
# ```

# %%
def update_to_batch(a: nn.Parameter, lr: float) -> float:
    """A copy of update() to change: compute the loss on 20 random points instead of all 100."""
    loss = mse(x @ a, y)
    loss.backward()
    with torch.no_grad():
        a.sub_(lr * a.grad)
        a.grad.zero_()
    return loss.item()


a = nn.Parameter(a_start.clone())
batch_losses = [update_to_batch(a, lr) for _ in range(100)]
print(f"MSE after 100 steps: {mse(x @ a, y).item():.4f}")


# %% [markdown]
# ```{solution-start} line-minibatch
# ```

# %% mystnb={"image": {"alt": "The MSE on all points per step: full-batch steps give a smooth falling curve; steps on 20 random points fall as fast but then jitter up and down near the bottom."}}
def update_minibatch(a: nn.Parameter, lr: float, generator: torch.Generator) -> float:
    """One step on 20 random points; returns the loss on all points before the step."""
    idx = torch.randint(0, len(x), (20,), generator=generator)
    mse(x[idx] @ a, y[idx]).backward()
    with torch.no_grad():
        full = mse(x @ a, y).item()
        a.sub_(lr * a.grad)
        a.grad.zero_()
    return full


generator = torch.Generator().manual_seed(0)
a = nn.Parameter(a_start.clone())
noisy = [update_minibatch(a, lr, generator) for _ in range(100)]
glue("gd_minibatch_final_mse", mse(x @ a, y).item())
glue("gd_minibatch_rises", sum(later > earlier for earlier, later in pairwise(noisy)))
glue("gd_fullbatch_rises", sum(later > earlier for earlier, later in pairwise(losses)))
fig, ax = plt.subplots(figsize=(6, 3), layout="constrained")
ax.plot(losses, label="all 100 points per step")
ax.plot(noisy, label="20 random points per step")
ax.set(xlabel="step", ylabel="MSE on all points", yscale="log")
ax.legend()
nnbook.show(fig)

# %% [markdown]
# The line still gets close to the least-squares line (MSE {glue:text}`gd_minibatch_final_mse:.4f` against
# {glue:text}`gd_lstsq_mse:.4f`), but the loss on all points rose in {glue:text}`gd_minibatch_rises` of the 99
# steps, where the full-batch loss rose in {glue:text}`gd_fullbatch_rises`: each step sees a different sample, so its
# gradient points only roughly downhill, and near the minimum the parameters keep jittering. <!-- claim: minibatch-jitters -->
# Smaller learning rates, or lowering the rate towards the end, calm the jitter. This trade of noisier steps for
# much cheaper ones is what makes training on large data sets possible.
#
# ```{solution-end}
# ```
