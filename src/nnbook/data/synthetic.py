"""The synthetic data sets of the book, one function each, every one drawn from an explicit seed.

Each function builds its own ``torch.Generator``, so calling it twice with the same seed
gives the same tensors, whatever else the program has drawn in between.

>>> x, y = line_points(seed=0)
>>> x.shape, y.shape
(torch.Size([100, 2]), torch.Size([100]))
"""

from __future__ import annotations

import math

import torch

from nnbook._arrays import check_array
from nnbook._options import Number, Whole, check_seed

N = Whole(2, hint="It is the number of points to draw (one point has no spread to learn from); try n=100.")
POSITIVE = Number(0, open_low=True)


def _generator(seed: object) -> torch.Generator:
    return torch.Generator().manual_seed(check_seed(seed))


def _size(n: object) -> int:
    return N(n, "n")


def _points(x: object, name: str = "x") -> torch.Tensor:
    return check_array(x, name, shape="scalar")


def line_points(
    n: int = 100, seed: int = 0, true_params: tuple[float, float] = (3.0, 2.0)
) -> tuple[torch.Tensor, torch.Tensor]:
    """Points near the line y = 3u + 2, written as ``y = x @ [3, 2] + noise`` (chapter 1).

    ``x`` has two columns: ``u`` drawn uniformly from [-1, 1] and a column of ones, so the
    second parameter acts as the intercept. The noise is uniform on [0, 1).

    >>> x, y = line_points(n=5, seed=1)
    >>> x[:, 1].tolist()
    [1.0, 1.0, 1.0, 1.0, 1.0]
    """
    n = _size(n)
    g = _generator(seed)
    if isinstance(true_params, (str, bytes)) or len(true_params) != 2:
        raise ValueError(
            f"true_params must be (slope, intercept), two numbers such as (3.0, 2.0); got {true_params!r}."
        )
    true_params = tuple(Number()(p, f"true_params[{i}]") for i, p in enumerate(true_params))
    x = torch.ones(n, 2)
    x[:, 0] = torch.rand(n, generator=g) * 2 - 1
    y = x @ torch.tensor(true_params) + torch.rand(n, generator=g)
    return x, y


def wiggly_curve(n: int = 5000, seed: int = 40) -> tuple[torch.Tensor, torch.Tensor]:
    """The curve y = 0.5 sin(6x) + x + (x − 0.75)·noise, standardized (chapters 3–5).

    ``x`` is uniform on [0, 1); the noise is uniform on [0, 1) and grows away from x = 0.75.
    ``y`` is shifted and scaled to mean 0 and standard deviation 1. Both have shape (n, 1).

    >>> x, y = wiggly_curve()
    >>> x.shape, round(float(y.mean()), 4), round(float(y.std()), 4)
    (torch.Size([5000, 1]), 0.0, 1.0)
    """
    n = _size(n)
    g = _generator(seed)
    x = torch.rand(n, 1, generator=g)
    noise = torch.rand(n, 1, generator=g)
    y = 0.5 * torch.sin(6 * x) + x + (x - 0.75) * noise
    return x, (y - y.mean()) / y.std()


def sine_line_points(n: int = 100, seed: int = 42) -> tuple[torch.Tensor, torch.Tensor]:
    """Noisy points around y = 2x + 3 sin(3x) + 1, with x = 1.5·N(0, 1) (chapters 6–7).

    The noise is N(0, 2²), large on purpose so that a flexible model can overfit it.

    >>> x, y = sine_line_points(n=10)
    >>> x.shape, y.shape
    (torch.Size([10, 1]), torch.Size([10, 1]))
    """
    n = _size(n)
    g = _generator(seed)
    x = 1.5 * torch.randn(n, 1, generator=g)
    y = 2 * x + 3 * torch.sin(3 * x) + 1 + 2 * torch.randn(n, 1, generator=g)
    return x, y


def circle_classes(
    n: int = 200, seed: int = 42, radius: float = math.pi, width: float = 0.7, max_swap: float = 0.3
) -> tuple[torch.Tensor, torch.Tensor]:
    """2-D points labelled 1 inside a circle and 0 outside, with noisy labels near the edge (chapters 6–7).

    Points are 2.5·N(0, I). A point at distance ``d`` from the origin has its label swapped with
    probability ``max_swap · width² / ((d − radius)² + width²)``: likely on the circle, rare far from it.
    Labels are float (0.0 or 1.0), shape (n, 1), ready for ``BCEWithLogitsLoss``.

    >>> x, y = circle_classes(n=8)
    >>> x.shape, y.shape, y.dtype
    (torch.Size([8, 2]), torch.Size([8, 1]), torch.float32)
    """
    n = _size(n)
    g = _generator(seed)
    radius, width = POSITIVE(radius, "radius"), POSITIVE(width, "width")
    max_swap = Number(0, 1, hint="It is a probability.")(max_swap, "max_swap")
    x = 2.5 * torch.randn(n, 2, generator=g)
    inside = circle_rule(x, radius)
    d = x.norm(dim=1, keepdim=True)
    p_swap = max_swap * width**2 / ((d - radius) ** 2 + width**2)
    swapped = torch.rand(n, 1, generator=g) < p_swap
    return x, (inside ^ swapped).float()


def circle_rule(x: torch.Tensor, radius: float = math.pi) -> torch.Tensor:
    """The noise-free rule behind :func:`circle_classes`: True where a point lies inside the circle.

    >>> circle_rule(torch.tensor([[0.0, 0.0], [5.0, 0.0]])).squeeze(1).tolist()
    [True, False]
    """
    x = _points(x)
    if x.dim() != 2 or x.shape[1] != 2:
        raise ValueError(f"x must hold 2-D points, shape (n, 2), got shape {tuple(x.shape)}.")
    return x.norm(dim=1, keepdim=True) < POSITIVE(radius, "radius")


def cubic_sine(x: torch.Tensor) -> torch.Tensor:
    """The true function f(x) = x³ − x² + 25 sin(2x) behind :func:`cubic_sine_points`.

    >>> float(cubic_sine(torch.tensor(0.0)))
    0.0
    """
    x = _points(x)
    return x**3 - x**2 + 25 * torch.sin(2 * x)


def cubic_sine_points(n: int = 100, seed: int = 42, noise_std: float = 10.0) -> tuple[torch.Tensor, torch.Tensor]:
    """Points of f(x) = x³ − x² + 25 sin(2x) plus N(0, 10²) noise, x uniform on [−5, 5] (chapter 8).

    With noise of standard deviation 10, no model can expect a mean squared error much below 100.

    >>> x, y = cubic_sine_points(n=4)
    >>> x.shape, bool((x.abs() <= 5).all())
    (torch.Size([4, 1]), True)
    """
    n = _size(n)
    g = _generator(seed)
    noise_std = Number(0)(noise_std, "noise_std")
    x = torch.rand(n, 1, generator=g) * 10 - 5
    y = cubic_sine(x) + noise_std * torch.randn(n, 1, generator=g)
    return x, y


def xor() -> tuple[torch.Tensor, torch.Tensor]:
    """The four XOR points and their targets: the output is 1 when exactly one input is 1.

    >>> x, y = xor()
    >>> y.squeeze(1).tolist()
    [0.0, 1.0, 1.0, 0.0]
    """
    x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return x, (x[:, :1] != x[:, 1:]).float()
