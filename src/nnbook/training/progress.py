"""Progress while training: a live table in notebooks (like fastai's), a progress bar in a terminal.

In a notebook the table is one output that is updated in place, so the saved page keeps its
final state: a readable table of the logged epochs. Long runs log about 20 evenly spaced epochs.

>>> log_epochs(5)
[1, 2, 3, 4, 5]
>>> log_epochs(1000)[:3], log_epochs(1000)[-1]
([1, 50, 100], 1000)
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from nnbook._callbacks import Callback
from nnbook.display import in_notebook

if TYPE_CHECKING:  # pragma: no cover
    from nnbook._callbacks import TrainState


def log_epochs(epochs: int, rows: int = 20) -> list[int]:
    """The epochs (1-based) that a progress table shows: all of them for short runs, ~``rows`` otherwise.

    >>> log_epochs(40)[:4]
    [1, 2, 4, 6]
    """
    if epochs <= 30:
        return list(range(1, epochs + 1))
    step = -(-epochs // rows)
    return sorted({1, epochs, *range(step, epochs + 1, step)})


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1e-3 and value != 0 else f"{value:.4f}"
    return str(value)


class ProgressTable(Callback):
    """Show training progress: an HTML table in notebooks, a tqdm bar in a terminal.

    ``fit`` adds it when ``progress=True`` (the default); pass ``progress=False`` for silence.

    >>> import torch
    >>> from nnbook.training import fit
    >>> table = ProgressTable()
    >>> x = torch.rand(10, 1)
    >>> _ = fit(torch.nn.Linear(1, 1), (x, x), epochs=3, lr=0.1, progress=False, callbacks=[table])
    >>> [row["epoch"] for row in table.rows]
    [1, 2, 3]
    """

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self._handle = None
        self._bar = None

    def before_fit(self, state: TrainState) -> None:
        self.rows = []
        offset = state.first_epoch - 1  # a second Learner.fit continues the epoch count
        self._logged = {offset + e for e in log_epochs(state.epochs - offset)}
        if in_notebook():
            from IPython.display import HTML, display

            self._handle = display(HTML("<em>training…</em>"), display_id=True)
        else:
            from tqdm import tqdm

            self._bar = tqdm(total=state.epochs - offset, unit="epoch", file=sys.stderr, leave=True, dynamic_ncols=True)

    def after_epoch(self, state: TrainState) -> None:
        row = state.history.last
        if self._bar is not None:
            self._bar.update(1)
            self._bar.set_postfix(
                {k: _cell(v) for k, v in row.items() if k not in ("epoch", "time", "lr")}, refresh=False
            )
        if state.epoch in self._logged or state.stop:
            self.rows.append(row)
            if self._handle is not None:
                self._update()

    def after_fit(self, state: TrainState) -> None:
        if self._bar is not None:
            self._bar.close()
        if state.history.diverged or state.history.interrupted:
            if self._handle is not None:
                self._update(note=state.history.message)
            else:
                print(state.history.message, file=sys.stderr)

    def to_html(self, note: str = "") -> str:
        """The table as HTML (what the notebook shows).

        >>> ProgressTable().to_html()
        '<table class="nnbook-progress"><thead><tr></tr></thead><tbody></tbody></table>'
        """
        head = "".join(f"<th>{k}</th>" for k in (self.rows[0] if self.rows else []))
        body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in r.values()) + "</tr>" for r in self.rows)
        html = f'<table class="nnbook-progress"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        return html + (f"<p><strong>{note}</strong></p>" if note else "")

    def _update(self, note: str = "") -> None:
        from IPython.display import HTML

        self._handle.update(HTML(self.to_html(note)))
