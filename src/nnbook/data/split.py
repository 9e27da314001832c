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

from nnbook._arrays import check_array, check_same_rows, check_xy, is_integer_dtype, to_tensor
from nnbook._options import Number, check_seed

VALID_FRACTION = Number(
    0, 1, open_low=True, open_high=True, hint="It is the share of rows held out for validation: 0.2 keeps one in five."
)


@dataclass(frozen=True)
class Split:
    """A training set and a validation set, as in-memory tensors.

    >>> s = Split(torch.zeros(3, 1), torch.zeros(3, 1), torch.ones(1, 1), torch.ones(1, 1))
    >>> x, y = s.valid  # the pair that fit() takes as valid=
    >>> x.shape, y.tolist()
    (torch.Size([1, 1]), [[1.0]])
    """

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_valid: torch.Tensor
    y_valid: torch.Tensor

    def __post_init__(self) -> None:
        for part in ("train", "valid"):
            x, y = getattr(self, f"x_{part}"), getattr(self, f"y_{part}")
            if not isinstance(x, torch.Tensor) or not isinstance(y, torch.Tensor):
                kinds = f"{type(x).__name__} and {type(y).__name__}"
                raise TypeError(f"Split needs tensors; x_{part} and y_{part} are {kinds}. Use torch.as_tensor(...).")
            if x.dim() == 0 or y.dim() == 0 or len(x) != len(y):
                raise ValueError(
                    f"x_{part} has shape {tuple(x.shape)} and y_{part} {tuple(y.shape)}: they need the same number "
                    "of rows, one target per example."
                )
        if self.x_train.shape[1:] != self.x_valid.shape[1:]:
            raise ValueError(
                f"x_train has rows of shape {tuple(self.x_train.shape[1:])} but x_valid {tuple(self.x_valid.shape[1:])}: "
                "both parts must have the same columns."
            )

    def __iter__(self):
        raise TypeError(
            "a Split is not four arrays to unpack (as scikit-learn's train_test_split returns): use its parts, "
            "split.x_train, split.y_train, split.x_valid, split.y_valid, or the pairs split.train and split.valid; "
            "fit(model, split, …) takes it whole."
        )

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

    ``x`` and ``y`` are tables with one row per example; class labels (an integer tensor) may also
    be 1-D, as ``fit(..., loss="cross_entropy")`` takes them.

    >>> x, y = torch.rand(100, 1), torch.rand(100, 1)
    >>> s = train_valid_split(x, y, valid_fraction=0.25, seed=0)
    >>> len(s.x_train), len(s.x_valid)
    (75, 25)
    """
    check_same_rows(x, y)
    x, y = to_tensor(x, "x"), to_tensor(y, "y")
    x, y = check_xy(x, y, labels_1d=is_integer_dtype(y))  # class labels 0 … K − 1 may be 1-D
    valid_fraction = VALID_FRACTION(valid_fraction, "valid_fraction")
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
    t = check_array(t, "t", shape="any")
    ref = t if like is None else check_array(like, "like", shape="any")
    if ref.shape[1:] != t.shape[1:]:
        raise ValueError(
            f"t has rows of shape {tuple(t.shape[1:])} but like has {tuple(ref.shape[1:])}: "
            "like must have the same columns (it is usually the training set of the same data)."
        )
    if len(ref) < 2:
        raise ValueError(
            f"{'like' if like is not None else 't'} has {len(ref)} row(s); a standard deviation needs at least 2 rows."
        )
    mean, std = ref.mean(dim=0, keepdim=True), ref.std(dim=0, keepdim=True)
    if (std == 0).any():
        constant = (std.reshape(-1) == 0).nonzero()[:, 0].tolist()
        raise ValueError(
            f"column(s) {constant} of {'like' if like is not None else 't'} are constant (standard deviation 0), so "
            "they cannot be scaled to standard deviation 1. A constant column tells the model nothing: drop it, "
            f"for example t = t[:, std[0] > 0] with std = t.std(dim=0, keepdim=True)."
        )
    return (t - mean) / std, mean, std
