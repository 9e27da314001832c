"""The one place where a reader's data becomes a tensor, and the one check every data path uses.

:func:`to_tensor` converts (tensors pass unchanged; NumPy arrays and lists of numbers are
converted); it is the single conversion point, where another kind of input is turned into a
tensor too. :func:`check_array`, in the spirit of scikit-learn's ``check_array``, checks the
name, number of dimensions, columns, dtype and finiteness, so that the same mistake gets the
same message in ``fit``, ``predict``, the data helpers, the plots and the analysis.

>>> check_array([[1.0], [2.0]], "x").shape
torch.Size([2, 1])
>>> check_array([1.0, float("nan")], "y", shape="column")
Traceback (most recent call last):
ValueError: y contains 1 NaN or infinite value(s), first in row 1: remove those rows first, for example keep = torch.isfinite(y).all(dim=1); y = y[keep].
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

SHAPES = ("table", "column", "labels", "any", "scalar")
DTYPES = ("float", "number", "labels")


def to_tensor(value: object, name: str) -> torch.Tensor:
    """``value`` as a tensor: the single point where reader input becomes one.

    Tensors pass unchanged; NumPy arrays, (nested) lists of numbers and pandas DataFrames or Series
    of numbers are converted. Text, None and dicts are refused with the fix (for a table, naming the
    column).

    >>> to_tensor([1, 2], "y").dtype
    torch.int64
    """
    if isinstance(value, torch.Tensor):
        return value
    if type(value).__module__.startswith("pandas"):  # a DataFrame or Series: errors name the column
        from nnbook.data.tables import frame_to_tensor

        return frame_to_tensor(value, name)
    if isinstance(value, np.ndarray) and value.dtype.kind in "USO":
        try:
            value = value.astype(np.float64)
        except (TypeError, ValueError):
            raise TypeError(
                f"{name} holds text (NumPy dtype {value.dtype}), not numbers. Convert its columns to numbers first, "
                "for example np.asarray(values, dtype=float); number categories 0, 1, 2 … ."
            ) from None
    if value is None or isinstance(value, (str, bytes, dict)):
        raise TypeError(
            f"{name} must be a tensor, a NumPy array or a list of numbers, got {type(value).__name__}. "
            f"Build it with torch.tensor(..., dtype=torch.float32)."
        )
    try:
        return torch.as_tensor(value)
    except (TypeError, ValueError, RuntimeError) as err:
        raise TypeError(
            f"{name} must be a tensor, a NumPy array or a list of numbers, got {type(value).__name__} that PyTorch "
            f"cannot convert ({err}). Build it with torch.tensor(..., dtype=torch.float32)."
        ) from None


def is_integer_dtype(t: torch.Tensor) -> bool:
    """Whether ``t`` holds whole numbers (any signed or unsigned integer dtype, not bool).

    >>> is_integer_dtype(torch.tensor([1, 2])), is_integer_dtype(torch.tensor([1.0]))
    (True, False)
    """
    return not t.is_floating_point() and not t.is_complex() and t.dtype != torch.bool


def _var(name: str) -> str:
    """The variable in a hint: "train x" -> "x", "valid targets" -> "y"."""
    last = name.split()[-1]
    return {"targets": "y", "labels": "y", "inputs": "x"}.get(last, last)


def check_finite(t: torch.Tensor, name: str) -> None:
    """Refuse NaN or infinite values, naming how many, the first row, and how to drop those rows.

    >>> check_finite(torch.ones(3, 1), "x")
    """
    if t.is_floating_point() and not bool(torch.isfinite(t).all()):
        bad = ~torch.isfinite(t)
        rows = bad.reshape(len(t), -1).any(dim=1) if t.dim() else bad.reshape(1)
        var = _var(name)
        raise ValueError(
            f"{name} contains {int(bad.sum())} NaN or infinite value(s), first in row {int(rows.nonzero()[0, 0])}: "
            f"remove those rows first, for example keep = torch.isfinite({var}).all(dim=1); {var} = {var}[keep]."
        )


def check_array(
    value: Any,
    name: str,
    *,
    shape: str = "table",
    columns: int | None = None,
    dtype: str = "float",
    finite: bool = True,
    min_rows: int = 1,
) -> torch.Tensor:
    """Check ``value`` and return it as a tensor with one row per example.

    - ``shape``: "table" (n, features), where a 1-D ``value`` is refused (it would broadcast);
      "column": a 1-D ``value`` becomes one column; "labels": (n,) or (n, 1), returned as (n,);
      "any": at least one dimension; "scalar": any shape, a single number too.
    - ``columns``: the number of columns needed (None: any).
    - ``dtype``: "float" (returned as float32), "number" (kept as it is) or "labels" (whole
      numbers, returned as ``torch.long``); booleans and text are refused.
    - ``finite``: refuse NaN and infinite values; ``min_rows``: the fewest rows accepted.

    >>> check_array(torch.tensor([0, 2, 1]), "y", shape="labels", dtype="labels").tolist()
    [0, 2, 1]
    """
    t = to_tensor(value, name)
    var = _var(name)
    if t.dtype == torch.bool or t.is_complex():
        fix = f"{var}.float()" if dtype != "labels" else f"{var}.long()"
        raise TypeError(f"{name} has dtype {t.dtype}, but numbers are needed here. Convert it with {fix}.")
    if shape == "scalar":
        if finite:
            check_finite(t.reshape(-1), name)
        return t if dtype != "float" or t.dtype == torch.float32 else t.float()
    if t.dim() == 0:
        raise ValueError(
            f"{name} is a single number ({t.item()!r}), but one row per example is needed. Wrap it: {var}=[[value]]."
        )
    if shape == "column" and t.dim() == 1:
        t = t[:, None]
    if shape == "labels" and t.dim() == 2 and t.shape[1] == 1:
        t = t[:, 0]
    if shape == "table" and t.dim() == 1:
        raise ValueError(
            f"{name} is 1-D with shape {tuple(t.shape)}, but a table of shape (n, features) is needed: one row per "
            f"example (else a (n, 1) output and a (n,) target broadcast to (n, n) and the loss is silently wrong). "
            f"Add the feature axis with {var}[:, None] or {var}.view(-1, 1)."
        )
    if shape == "labels" and t.dim() != 1:
        raise ValueError(
            f"{name} has shape {tuple(t.shape)}, but one class label per row is needed, shape (n,) or (n, 1). "
            f"For one-hot rows use {var}.argmax(dim=1)."
        )
    if shape in ("table", "column") and t.dim() > 2:
        raise ValueError(
            f"{name} has shape {tuple(t.shape)}, but a table of shape (n, features) is needed: one row per example. "
            f"Flatten each example into one row, for example {var}.reshape(len({var}), -1)."
        )
    if t.shape[0] < max(min_rows, 1) or (t.dim() == 2 and t.shape[1] == 0):
        need = f"at least {min_rows} rows" if min_rows > 1 else "at least one row"
        raise ValueError(f"{name} has shape {tuple(t.shape)}, but it needs {need}. Check how it was built.")
    if columns is not None and (t.dim() != 2 or t.shape[1] != columns):
        raise ValueError(
            f"{name} has shape {tuple(t.shape)}, {t.shape[1] if t.dim() == 2 else 1} column(s) per row, but "
            f"{columns} are needed here: give it the same columns, in the same order, as the data the model was "
            "trained on."
        )
    if finite:
        check_finite(t, name)
    if dtype == "float":
        return t if t.dtype == torch.float32 else t.float()
    if dtype == "labels":
        if t.is_floating_point():
            whole = bool(torch.isfinite(t).all()) and bool((t == t.round()).all())
            if not whole:
                raise ValueError(f"{name} holds fractions, but class labels are whole numbers 0, 1, 2 … .")
        return t.long()
    return t


def check_same_rows(x: object, y: object, name: str = "") -> None:
    """Refuse pandas inputs and targets whose row labels differ: rows are paired by position, not by label.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "t": [0.0, 1.0, 0.0]})
    >>> check_same_rows(df[["a"]], df["t"].sort_values())
    Traceback (most recent call last):
    ValueError: x and y are pandas tables whose row labels differ (y's start 0, 2, 1; x's 0, 1, 2): rows are paired by position, so a row of x would get another row's target. Take both from one table (x = df[columns]; y = df[target]) or align them first: y = y.loc[x.index].
    """
    index_x, index_y = getattr(x, "index", None), getattr(y, "index", None)
    if index_x is None or index_y is None or not hasattr(index_x, "equals") or len(index_x) != len(index_y):
        return  # not two pandas objects, or a row-count mismatch that check_xy reports
    if not index_x.equals(index_y):
        prefix = f"{name} " if name else ""
        first = lambda index: ", ".join(str(v) for v in list(index[:3]))  # noqa: E731
        raise ValueError(
            f"{prefix}x and {prefix}y are pandas tables whose row labels differ (y's start {first(index_y)}; x's "
            f"{first(index_x)}): rows are paired by position, so a row of x would get another row's target. Take both "
            "from one table (x = df[columns]; y = df[target]) or align them first: y = y.loc[x.index]."
        )


def check_xy(x: torch.Tensor, y: torch.Tensor, *, labels_1d: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    """Check inputs and targets together: tables with one row per example (1-D labels if ``labels_1d``).

    >>> [tuple(t.shape) for t in check_xy(torch.zeros(5, 1), torch.zeros(5, 1))]
    [(5, 1), (5, 1)]
    """
    x = check_array(x, "x", dtype="number", finite=False)
    y = check_array(y, "y", shape="any" if labels_1d else "table", dtype="number", finite=False)
    if x.shape[0] != y.shape[0]:
        raise ValueError(
            f"x has {x.shape[0]} rows but y has {y.shape[0]}: every example needs exactly one target. "
            "Check that x and y come from the same data set and split."
        )
    return x, y


def check_batch(batch: Any, name: str) -> tuple[Any, Any]:
    """A batch of a reader's Dataset/DataLoader must be a pair ``(x, y)``; dicts and triples get a clear error.

    >>> check_batch({"x": 1, "y": 2}, "train")
    Traceback (most recent call last):
    TypeError: the train batches are dicts with keys ['x', 'y'], but (x, y) pairs are needed. Make the Dataset's __getitem__ return (x, y), for example return item['x'], item['y'].
    """
    if isinstance(batch, dict):
        raise TypeError(
            f"the {name} batches are dicts with keys {list(batch)}, but (x, y) pairs are needed. Make the "
            "Dataset's __getitem__ return (x, y), for example return item['x'], item['y']."
        )
    if not (isinstance(batch, (tuple, list)) and len(batch) == 2):
        size = f" of {len(batch)} items" if isinstance(batch, (tuple, list)) else ""
        raise TypeError(
            f"the {name} batches are {type(batch).__name__}{size}, but (x, y) pairs are needed: make the "
            "Dataset's __getitem__ return exactly (x, y)."
        )
    return batch[0], batch[1]
