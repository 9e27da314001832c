"""The record of a training run: one row per epoch with losses, metrics, learning rate and time.

>>> h = History()
>>> h.append({"epoch": 1, "train_loss": 0.5})
>>> h["train_loss"], h.last["epoch"]
([0.5], 1)
"""

from __future__ import annotations

from typing import Any


class History:
    """Per-epoch rows (dicts) plus the learning rate at every step.

    ``history["valid_loss"]`` is the column as a list; ``history.last`` the final row. A column a
    callback added in some epochs only reads None in the others.
    ``diverged`` is True when training stopped because the loss became NaN or infinite (for
    ``fit_seeds``: when every seed did), ``interrupted`` when Ctrl-C stopped it, and ``message``
    says why training stopped early. For ``fit_seeds`` the rows hold the mean over the seeds that
    have not diverged, and ``per_model[column]`` one tensor per epoch with every seed's value.

    >>> h = History(); h.append({"epoch": 1, "valid_loss": 0.2}); len(h)
    1
    """

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.lrs: list[float] = []
        self.diverged = False
        self.interrupted = False
        self.message = ""
        self.per_model: dict[str, list[Any]] = {}

    def append(self, row: dict[str, Any]) -> None:
        """Add the row of one finished epoch."""
        self.rows.append(row)

    def __getitem__(self, column: str) -> list[Any]:
        if not isinstance(column, str):
            raise TypeError(f"index a History by a column name such as 'valid_loss', got {column!r}.")
        if self.rows and column not in self.columns:
            raise KeyError(f"history has no column {column!r}; it has {self.columns}.")
        return [row.get(column) for row in self.rows]

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def columns(self) -> list[str]:
        """The column names, in order.

        >>> h = History(); h.append({"epoch": 1, "train_loss": 0.1}); h.columns
        ['epoch', 'train_loss']
        """
        return list(dict.fromkeys(k for row in self.rows for k in row))

    @property
    def last(self) -> dict[str, Any]:
        """The last epoch's row (a ``ValueError`` if no epoch finished)."""
        if not self.rows:
            raise ValueError("no epoch has finished yet, so the history is empty.")
        return self.rows[-1]

    def __repr__(self) -> str:
        if not self.rows:
            return "History(empty)" + (", interrupted" if self.interrupted else "")
        last = ", ".join(f"{k}={_fmt(v)}" for k, v in self.last.items())
        return f"History({len(self)} epochs; last: {last})"


def _fmt(value: Any) -> str:
    return f"{value:.4f}" if isinstance(value, float) else str(value)
