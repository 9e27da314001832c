"""Splitting data into a training and a validation part, and standardizing it.

>>> import torch
>>> x, y = torch.arange(10.0)[:, None], torch.arange(10.0)[:, None]
>>> split = train_valid_split(x, y, valid_fraction=0.2, seed=42)
>>> split.x_train.shape, split.x_valid.shape
(torch.Size([8, 1]), torch.Size([2, 1]))
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from nnbook._checks import check_seed, check_xy


@dataclass(frozen=True)
class Split:
    """A training set and a validation set, as in-memory tensors.

    >>> s = Split(torch.zeros(3, 1), torch.zeros(3, 1), torch.ones(1, 1), torch.ones(1, 1))
    >>> s.train, s.valid  # doctest: +ELLIPSIS
    ((tensor(...), tensor(...)), (tensor(...), tensor(...)))
    """

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_valid: torch.Tensor
    y_valid: torch.Tensor

    @property
    def train(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The training pair ``(x, y)``."""
        return self.x_train, self.y_train

    @property
    def valid(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The validation pair ``(x, y)``."""
        return self.x_valid, self.y_valid


def train_valid_split(x: torch.Tensor, y: torch.Tensor, valid_fraction: float = 0.2, seed: int = 42) -> Split:
    """Shuffle the rows with ``seed`` and hold out ``valid_fraction`` of them for validation.

    >>> x, y = torch.rand(100, 1), torch.rand(100, 1)
    >>> s = train_valid_split(x, y, valid_fraction=0.25, seed=0)
    >>> len(s.x_train), len(s.x_valid)
    (75, 25)
    """
    check_xy(x, y)
    if isinstance(valid_fraction, bool) or not isinstance(valid_fraction, (int, float)) or not 0 < valid_fraction < 1:
        raise ValueError(
            f"valid_fraction must lie strictly between 0 and 1, got {valid_fraction!r}. "
            "It is the share of rows held out for validation: 0.2 keeps one row in five."
        )
    n = x.shape[0]
    n_valid = round(n * valid_fraction)
    if n_valid < 1 or n_valid >= n:
        raise ValueError(
            f"valid_fraction={valid_fraction} of {n} rows leaves {n_valid} for validation and {n - n_valid} for "
            "training; both need at least one row. Use more data or another fraction."
        )
    order = torch.randperm(n, generator=torch.Generator().manual_seed(check_seed(seed)))
    valid, train = order[:n_valid], order[n_valid:]
    return Split(x[train], y[train], x[valid], y[valid])


def standardize(t: torch.Tensor, like: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Shift and scale the columns of ``t`` to mean 0 and standard deviation 1.

    The mean and standard deviation come from ``like`` when given (use the training set, so the
    validation set is scaled the same way). Returns ``(scaled, mean, std)``; undo with
    ``scaled * std + mean``.

    >>> z, mean, std = standardize(torch.tensor([[1.0], [3.0]]))
    >>> z.squeeze(1).tolist(), float(mean)
    ([-0.7071067690849304, 0.7071067690849304], 2.0)
    """
    ref = t if like is None else like
    mean, std = ref.mean(dim=0, keepdim=True), ref.std(dim=0, keepdim=True)
    if (std == 0).any():
        raise ValueError("a column of the data is constant (standard deviation 0), so it cannot be standardized.")
    return (t - mean) / std, mean, std
