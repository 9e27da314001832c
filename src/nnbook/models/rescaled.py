"""A model trained on standardized data, wrapped so that it takes and returns the original units.

>>> import torch
>>> from nnbook.data import standardize
>>> x = torch.tensor([[0.0], [10.0]]); y = 100 * x
>>> xs, mx, sx = standardize(x); ys, my, sy = standardize(y)
>>> model = Rescaled(torch.nn.Identity(), mx, sx, my, sy)  # the identity maps xs exactly to ys here
>>> model(x).squeeze(1).tolist()
[0.0, 1000.0]
"""

from __future__ import annotations

import torch
from torch import nn


class Rescaled(nn.Module):
    """``y = model((x − x_mean) / x_std) · y_std + y_mean``: standardize the input, undo it on the output.

    Train ``model`` on standardized tensors (see :func:`nnbook.data.standardize`), then wrap it to
    predict, plot and score in the units of the data. The statistics are stored as buffers, so they
    follow the model to another device. The wrapped model is ``self.model``.

    >>> m = Rescaled(nn.Identity(), x_mean=2.0, x_std=4.0, y_mean=10.0, y_std=3.0)
    >>> m(torch.tensor([[6.0]])).tolist()  # (6 − 2) / 4 · 3 + 10
    [[13.0]]
    """

    def __init__(
        self,
        model: nn.Module,
        x_mean: torch.Tensor | float,
        x_std: torch.Tensor | float,
        y_mean: torch.Tensor | float,
        y_std: torch.Tensor | float,
    ) -> None:
        super().__init__()
        if not isinstance(model, nn.Module):
            raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}.")
        stats = {"x_mean": x_mean, "x_std": x_std, "y_mean": y_mean, "y_std": y_std}
        for name, value in stats.items():
            try:
                value = torch.as_tensor(value, dtype=torch.float32).detach()
            except (TypeError, ValueError, RuntimeError) as err:
                raise TypeError(
                    f"{name} must be a number or a tensor such as standardize() returns, got {type(value).__name__}."
                ) from err
            if not torch.isfinite(value).all():
                raise ValueError(f"{name} contains NaN or infinite values: {value.tolist()}.")
            if name.endswith("std") and (value <= 0).any():
                raise ValueError(
                    f"{name} must be > 0, got {value.tolist()}. Pass the standard deviation that standardize() returned."
                )
            self.register_buffer(name, value)
        for side in ("x", "y"):
            mean, std = getattr(self, f"{side}_mean"), getattr(self, f"{side}_std")
            if mean.numel() > 1 and std.numel() > 1 and mean.numel() != std.numel():
                raise ValueError(
                    f"{side}_mean has {mean.numel()} values but {side}_std {std.numel()}: give one of each per column."
                )
        first = next((m for m in model.modules() if isinstance(m, nn.Linear)), None)
        columns = max(self.x_mean.numel(), self.x_std.numel())
        if first is not None and columns > 1 and columns != first.in_features:
            raise ValueError(
                f"the statistics describe {columns} input columns but the model takes {first.in_features}: "
                "pass the mean and std of the inputs the model was trained on."
            )
        self.model = model

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model((x - self.x_mean) / self.x_std) * self.y_std + self.y_mean
