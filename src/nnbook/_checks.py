"""Input checks shared by the package, written to teach: each error says what was wrong and how to fix it."""

from __future__ import annotations

import math
from numbers import Integral

import torch


def check_seed(seed: object) -> int:
    """Return ``seed`` if it is a whole number, else raise a ``TypeError`` that says so.

    >>> check_seed(42)
    42
    """
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise TypeError(
            f"seed must be a whole number such as 42, got {seed!r} ({type(seed).__name__}). "
            "Pass an int, for example seed=0."
        )
    return int(seed)


def check_positive_int(value: object, name: str, hint: str = "") -> int:
    """Return ``value`` if it is an int ≥ 1, else raise a clear error.

    >>> check_positive_int(30, "epochs")
    30
    """
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be a whole number ≥ 1, got {value!r} ({type(value).__name__}).{hint}")
    if value < 1:
        raise ValueError(f"{name} must be ≥ 1, got {value}.{hint}")
    return int(value)


def check_learning_rate(lr: object) -> float:
    """Return ``lr`` as a float if it is a finite number > 0, else raise ``ValueError``.

    >>> check_learning_rate(0.1)
    0.1
    """
    if isinstance(lr, bool) or not isinstance(lr, (int, float)):
        raise TypeError(f"the learning rate must be a number such as 0.01, got {lr!r} ({type(lr).__name__}).")
    if not math.isfinite(lr) or lr <= 0:
        raise ValueError(
            f"the learning rate must be a finite number > 0, got lr={lr}. "
            "Typical values lie between 1e-4 and 1; try lr=0.01."
        )
    return float(lr)


def as_float_tensor(t: object, name: str) -> torch.Tensor:
    """Turn ``t`` into a float32 tensor with at least one row, refusing empty or NaN data.

    >>> as_float_tensor([[1.0], [2.0]], "x").shape
    torch.Size([2, 1])
    """
    if not isinstance(t, torch.Tensor):
        try:
            t = torch.as_tensor(t)
        except (TypeError, ValueError, RuntimeError) as err:
            raise TypeError(f"{name} must be a tensor or an array of numbers, got {type(t).__name__}.") from err
    var = name.split()[-1]  # "train x" -> "x", for the code in the hint
    if t.dtype == torch.bool or not (
        t.is_floating_point() or t.dtype in (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8)
    ):
        raise TypeError(
            f"{name} has dtype {t.dtype}, but a float tensor is needed here. Convert it with {var}.float()."
        )
    if t.dim() == 0 or t.shape[0] == 0:
        raise ValueError(
            f"{name} is empty (shape {tuple(t.shape)}): there is nothing to train on. Check how it was built."
        )
    if t.is_floating_point() and not torch.isfinite(t).all():
        bad = int((~torch.isfinite(t)).sum())
        raise ValueError(
            f"{name} contains {bad} NaN or infinite value(s). Remove those rows first, for example "
            f"keep = torch.isfinite({var}).all(dim=1); {var} = {var}[keep]."
        )
    return t.float() if t.dtype != torch.float32 else t


def check_xy(x: torch.Tensor, y: torch.Tensor) -> None:
    """Check that inputs and targets are 2-D tables with one row per example.

    >>> check_xy(torch.zeros(5, 1), torch.zeros(5, 1))
    """
    for t, name in ((x, "x"), (y, "y")):
        if not isinstance(t, torch.Tensor):
            raise TypeError(
                f"{name} must be a torch tensor, got {type(t).__name__}. "
                f"Convert it with torch.tensor({name}, dtype=torch.float32)."
            )
        if t.dim() == 1:
            raise ValueError(
                f"{name} is 1-D with shape {tuple(t.shape)}, but a table of shape (n, features) is needed: "
                f"one row per example. Add the feature axis with {name}[:, None] or {name}.view(-1, 1)."
            )
    if x.shape[0] != y.shape[0]:
        raise ValueError(
            f"x has {x.shape[0]} rows but y has {y.shape[0]}: every example needs exactly one target. "
            "Check that x and y come from the same data set and split."
        )
