"""Small workloads shared by the unit tests: data sets a reader would bring, and a Dataset of their own."""

from __future__ import annotations

import torch
from torch.utils.data import Dataset

from nnbook.data import train_valid_split, wiggly_curve


def small_split():
    return train_valid_split(*wiggly_curve(n=400), seed=42)


def curve_split():
    return train_valid_split(*wiggly_curve(n=2000), seed=42)


def regression3(n: int = 300) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(1)
    x = torch.randn(n, 3, generator=g)
    y = x @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.1 * torch.randn(n, 1, generator=g)
    return x, y


def three_classes(n: int = 300) -> tuple[torch.Tensor, torch.Tensor]:
    x, _ = regression3(n)
    return x, (x[:, 0] > 0).long() + (x[:, 1] > 0).long()  # labels 0, 1, 2 as a 1-D long tensor


class Rows(Dataset):
    """A reader's Dataset over tensors: item i is (x[i], y[i])."""

    def __init__(self, x: torch.Tensor, y: torch.Tensor) -> None:
        self.x, self.y = x, y

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.x[i], self.y[i]


class Stream(torch.utils.data.IterableDataset):
    """A reader's streaming data: no length, no random access."""

    def __init__(self, x: torch.Tensor, y: torch.Tensor) -> None:
        self.x, self.y = x, y

    def __iter__(self):
        return iter(zip(self.x, self.y, strict=True))
