"""The record of a training run: one row per epoch with losses, metrics, learning rate and time.

>>> h = History()
>>> h.append({"epoch": 1, "train_loss": 0.5})
>>> h["train_loss"], h.last["epoch"]
([0.5], 1)
"""

from __future__ import annotations

from typing import Any


class History:
    """Per-epoch rows (dicts with the same keys) plus the learning rate at every step.

    ``history["valid_loss"]`` is the column as a list; ``history.last`` the final row.
    ``diverged`` is True when training stopped because the loss became NaN or infinite.

    >>> h = History(); h.append({"epoch": 1, "valid_loss": 0.2}); len(h)
    1
    """

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.lrs: list[float] = []
        self.diverged = False
        self.message = ""

    def append(self, row: dict[str, Any]) -> None:
        """Add the row of one finished epoch."""
        self.rows.append(row)

    def __getitem__(self, column: str) -> list[Any]:
        if self.rows and column not in self.rows[0]:
            raise KeyError(f"history has no column {column!r}; it has {list(self.rows[0])}.")
        return [row[column] for row in self.rows]

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def columns(self) -> list[str]:
        """The column names, in order.

        >>> h = History(); h.append({"epoch": 1, "train_loss": 0.1}); h.columns
        ['epoch', 'train_loss']
        """
        return list(self.rows[0]) if self.rows else []

    @property
    def last(self) -> dict[str, Any]:
        """The last epoch's row (a ``ValueError`` if no epoch finished)."""
        if not self.rows:
            raise ValueError("no epoch has finished yet, so the history is empty.")
        return self.rows[-1]

    def __repr__(self) -> str:
        if not self.rows:
            return "History(empty)"
        last = ", ".join(f"{k}={_fmt(v)}" for k, v in self.last.items())
        return f"History({len(self)} epochs; last: {last})"


def _fmt(value: Any) -> str:
    return f"{value:.4f}" if isinstance(value, float) else str(value)
