"""Tables: a ``pandas.DataFrame`` turned into the tensors a model trains on, with errors that name the column.

Two levels:

- :func:`frame_to_tensor` converts a table that already holds numbers only (what ``fit``, ``predict``,
  ``evaluate`` and the splits do with a DataFrame or Series), and refuses text or missing values,
  naming the column;
- :class:`TableEncoder` records, from the training rows, every decision needed to turn raw rows into model
  inputs: the input columns, the levels of each text column (one-hot), how a missing value is filled, the
  scaling of the numeric columns and the class names (or the scaling) of the target. It applies them the
  same way to any later rows, and says clearly what is wrong with a row it cannot encode.

pandas does the reading and the one-hot encoding (:func:`pandas.get_dummies` on fixed categories); the
code here only records the decisions and checks the rows.

>>> import pandas as pd
>>> table = pd.DataFrame({"size": [1.0, 2.0, 3.0, 4.0], "colour": ["red", "blue", "red", None],
...                       "kind": ["a", "b", "a", "b"]})
>>> encoder = TableEncoder(table, target="kind")
>>> encoder.features
['size', 'colour=blue', 'colour=red']
>>> encoder.classes
['a', 'b']
>>> x, y = encoder.pair(table)
>>> x.shape, y.tolist()
(torch.Size([4, 3]), [0, 1, 0, 1])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import torch

from nnbook._options import Number, check_seed

#: The version of :meth:`TableEncoder.state`, stored in saved model files.
STATE_FORMAT = "nnbook-table-1"


def is_table(obj: object) -> bool:
    """Whether ``obj`` is a pandas DataFrame or Series.

    >>> is_table(pd.Series([1.0])), is_table([1.0])
    (True, False)
    """
    return isinstance(obj, (pd.DataFrame, pd.Series))


def _is_number_column(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)


def _rows(column: pd.Series, mask: pd.Series | np.ndarray, limit: int = 5) -> str:
    labels = column.index[np.asarray(mask)][:limit].tolist()  # plain ints and strings, not np.int64(…)
    more = " …" if int(np.asarray(mask).sum()) > limit else ""
    return f"{labels}{more}"


def frame_to_tensor(table: pd.DataFrame | pd.Series, name: str = "x") -> torch.Tensor:
    """A table of numbers as a tensor with one row per table row (a Series becomes one column).

    Whole-number columns (all of them) give an int64 tensor, as class labels need; otherwise float32, with
    True/False as 1.0/0.0 (what :func:`pandas.get_dummies` writes). Text, dates and missing values are
    refused with a message that names the column and the fix.

    >>> frame_to_tensor(pd.DataFrame({"a": [1.0, 2.0], "b": [True, False]})).tolist()
    [[1.0, 1.0], [2.0, 0.0]]
    >>> frame_to_tensor(pd.Series([0, 2, 1], name="label")).shape
    torch.Size([3, 1])
    >>> frame_to_tensor(pd.DataFrame({"city": ["A", "B"]}))
    Traceback (most recent call last):
    TypeError: x: column 'city' holds text (for example 'A'), but a model needs numbers. Encode it, for example pd.get_dummies(table, columns=['city'], dtype=float), or let nnbook.data.TableEncoder(train, target=...) record the encoding.
    """
    frame = table.to_frame() if isinstance(table, pd.Series) else table
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame or Series, got {type(table).__name__}.")
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise ValueError(f"{name} is an empty table (shape {frame.shape}): it needs at least one row and one column.")
    for column_name, column in frame.items():
        if not _is_number_column(column):
            example = column.dropna().iloc[0] if column.notna().any() else None
            fix = (
                f"turn the class names into numbers 0 … K − 1: codes, names = pd.factorize({name}, sort=True)"
                if frame.shape[1] == 1 and name.split()[-1] == "y"
                else f"pd.get_dummies(table, columns=[{column_name!r}], dtype=float)"
            )
            raise TypeError(
                f"{name}: column {column_name!r} holds {'text' if example is None or isinstance(example, str) else column.dtype} "
                f"(for example {example!r}), but a model needs numbers. Encode it, for example {fix}, or let "
                "nnbook.data.TableEncoder(train, target=...) record the encoding."
            )
        missing = column.isna()
        if missing.any():
            raise ValueError(
                f"{name}: column {column_name!r} has {int(missing.sum())} missing value(s) (rows "
                f"{_rows(column, missing)}). Fill them (table.fillna(...)) or drop those rows (table.dropna()); "
                "nnbook.data.TableEncoder fills them with the training median."
            )
    integer = all(pd.api.types.is_integer_dtype(c) and not pd.api.types.is_bool_dtype(c) for _, c in frame.items())
    values = frame.to_numpy(dtype=np.int64 if integer else np.float32)
    return torch.tensor(values)  # a copy: pandas may hand out read-only arrays


def _as_frame(table: object, name: str) -> pd.DataFrame:
    if isinstance(table, pd.Series):  # one row, as table.iloc[0] gives it
        table = table.to_frame().T
    if not isinstance(table, pd.DataFrame):
        raise TypeError(
            f"{name} must be a pandas DataFrame with the columns of the training table, got {type(table).__name__}. "
            "Read a file with pd.read_csv(path), or build rows with pd.DataFrame({...})."
        )
    if len(table) == 0:
        raise ValueError(f"{name} has no rows.")
    return table


def _numbers(column: pd.Series, name: str, where: str) -> pd.Series:
    """The column as float, refusing text that is not a number (naming the row and the value)."""
    if pd.api.types.is_bool_dtype(column):
        return column.astype(float)
    if _is_number_column(column):
        return column.astype(float)
    converted = pd.to_numeric(column, errors="coerce")
    bad = converted.isna() & column.notna()
    if bad.any():
        first = column.index[np.asarray(bad)].tolist()[0]
        raise TypeError(
            f"{where}: column {name!r} holds text where a number is expected (row {first!r}: {column[first]!r}). "
            "Fix the value (a decimal point, not a comma; no units), or give the column as numbers."
        )
    return converted.astype(float)


def _class_values(column: pd.Series) -> list:
    """A target column's class labels: its own numbers or True/False (plain Python values, so they sort as
    numbers and compare equal to the column's values), or text for any other column.

    >>> _class_values(pd.Series([10, 2, 10]))
    [10, 2, 10]
    """
    if _is_number_column(column):
        return column.tolist()
    return _levels_text(column).tolist()


def _levels_text(column: pd.Series) -> pd.Series:
    """Text column values as strings, missing values kept missing."""
    return column.astype(object).where(column.notna(), None).map(lambda v: v if v is None else str(v))


class TableEncoder:
    """Everything needed to turn the raw rows of a table into model inputs, learned from the training rows.

    ``TableEncoder(train, target="species")`` records, from ``train`` alone:

    - the input columns: every column except ``target`` and those in ``drop``, by name;
    - for a column of numbers: the median (it fills a missing value) and the mean and standard deviation
      that scale it to mean 0 and spread 1;
    - for a column of text: its levels, sorted; each becomes a 0/1 column ``name=level`` (one-hot). A
      missing text value sets none of them;
    - for the target: the class names (sorted; the labels are their positions 0 … K − 1, never scaled) when
      it holds text or True/False, or with ``classes=True`` (a column of numbers keeps its numbers as class
      names, in numeric order), else its mean and standard deviation (a numeric target is scaled like the
      inputs, and :meth:`~nnbook.models.TableModel.predict` undoes it).

    Later rows are selected **by column name**, so their column order does not matter. A missing input
    column, an extra one (other than the target), a level not seen in training or text in a numeric column
    is an error that names the column; a missing number is filled with the training median.

    >>> train = pd.DataFrame({"mass": [3.0, 4.0, 5.0], "island": ["A", "B", "A"], "kind": [0.5, 1.5, 1.0]})
    >>> enc = TableEncoder(train, target="kind")
    >>> enc.inputs(pd.DataFrame({"island": ["B"], "mass": [None]})).tolist()  # by name; mass filled with 4.0
    [[0.0, 0.0, 1.0]]
    """

    def __init__(
        self,
        train: pd.DataFrame,
        target: str | None = None,
        *,
        drop: Sequence[str] = (),
        classes: bool | None = None,
    ) -> None:
        train = _as_frame(train, "train")
        drop = [drop] if isinstance(drop, str) else list(drop)
        for column in [*drop, *([target] if target is not None else [])]:
            if column not in train.columns:
                raise KeyError(f"train has no column {column!r}; its columns are {list(train.columns)}.")
        self.target = target
        self.dropped = drop
        self.columns = [str(c) for c in train.columns if c != target and c not in drop]
        if not self.columns:
            raise ValueError("train has no input columns left once the target and the dropped columns are removed.")
        self.numeric: dict[str, dict[str, float]] = {}
        self.levels: dict[str, list[str]] = {}
        for name in self.columns:
            column = train[name]
            if column.isna().all():
                raise ValueError(
                    f"train: column {name!r} holds no values at all (every row is missing), so there is nothing to "
                    f"learn from it. Leave it out: TableEncoder(train, target=..., drop=[{name!r}])."
                )
            if pd.api.types.is_datetime64_any_dtype(column) or pd.api.types.is_timedelta64_dtype(column):
                raise TypeError(
                    f"train: column {name!r} holds dates or durations, which are neither amounts nor categories as "
                    f"they are. Turn them into numbers first, for example train[{name + '_year'!r}] = "
                    f"train[{name!r}].dt.year, then drop=[{name!r}]."
                )
            if _is_number_column(column):
                numbers = column.astype(float)
                median = float(numbers.median())
                filled = numbers.fillna(median)
                std = float(filled.std())
                if not std > 0:
                    raise ValueError(
                        f"train: column {name!r} has the same value in every row, so it cannot tell rows apart (and "
                        f"cannot be scaled). Leave it out: drop=[{name!r}]."
                    )
                self.numeric[name] = {"median": median, "mean": float(filled.mean()), "std": std}
            else:
                self.levels[name] = sorted(set(_levels_text(column).dropna()))
        self.classes: list[Any] | None = None
        self.target_scale: dict[str, float] | None = None
        if target is not None:
            self._learn_target(train[target], classes)

    def _learn_target(self, column: pd.Series, classes: bool | None) -> None:
        missing = column.isna()
        if missing.any():
            raise ValueError(
                f"train: the target column {self.target!r} has {int(missing.sum())} missing value(s) (rows "
                f"{_rows(column, missing)}): a row without a label cannot be learned from. Drop those rows first, "
                f"for example train = train.dropna(subset=[{self.target!r}])."
            )
        if classes is None:  # text and True/False are classes; other numbers are amounts
            classes = not _is_number_column(column) or pd.api.types.is_bool_dtype(column)
        if classes:
            names = sorted(set(_class_values(column)))
            if len(names) < 2:
                raise ValueError(
                    f"train: the target column {self.target!r} holds one class only ({names[0]!r}): a classifier "
                    "needs at least two. Check the rows you kept, or stratify the split by this column."
                )
            self.classes = names
        else:
            numbers = _numbers(column, self.target, "train")
            std = float(numbers.std())
            if not std > 0:
                raise ValueError(f"train: the target column {self.target!r} is constant; there is nothing to predict.")
            self.target_scale = {"mean": float(numbers.mean()), "std": std}

    @property
    def features(self) -> list[str]:
        """The names of the model's input columns, in order: numbers as they are, text as ``name=level``."""
        out = []
        for name in self.columns:
            out += [name] if name in self.numeric else [f"{name}={level}" for level in self.levels[name]]
        return out

    def _check_columns(self, table: pd.DataFrame, name: str) -> None:
        have = [str(c) for c in table.columns]
        missing = [c for c in self.columns if c not in have]
        extra = [c for c in have if c not in self.columns and c != self.target and c not in self.dropped]
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"lacks the column(s) {missing}")
            if extra:
                parts.append(f"has column(s) the model was not trained on: {extra}")
            hint = f" Remove those with {name}.drop(columns={extra})." if extra and not missing else ""
            raise ValueError(
                f"{name} {' and '.join(parts)}. The model reads the columns {self.columns} (by name, in any "
                f"order).{hint}"
            )

    def inputs(self, table: pd.DataFrame, name: str = "table") -> torch.Tensor:
        """The model inputs for the rows of ``table``: a float32 tensor of shape (rows, len(features)).

        >>> enc = TableEncoder(pd.DataFrame({"x": [0.0, 2.0], "c": ["u", "v"]}))
        >>> enc.inputs(pd.DataFrame({"c": ["w"], "x": [1.0]}))
        Traceback (most recent call last):
        ValueError: table: column 'c' holds the value(s) ['w'] that the training rows never had; the model knows ['u', 'v']. Map them to a known level, or retrain with rows that have them.
        """
        table = _as_frame(table, name)
        self._check_columns(table, name)
        parts = []
        for column in self.columns:
            if column in self.numeric:
                stats = self.numeric[column]
                numbers = _numbers(table[column], column, name).fillna(stats["median"])
                parts.append(((numbers - stats["mean"]) / stats["std"]).to_frame(column))
            else:
                text = _levels_text(table[column])
                unseen = sorted(set(text.dropna()) - set(self.levels[column]))
                if unseen:
                    raise ValueError(
                        f"{name}: column {column!r} holds the value(s) {unseen} that the training rows never had; the "
                        f"model knows {self.levels[column]}. Map them to a known level, or retrain with rows that have "
                        "them."
                    )
                categories = pd.Categorical(text, categories=self.levels[column])
                parts.append(pd.get_dummies(categories, prefix=column, prefix_sep="=", dtype=float))
        encoded = pd.concat([p.reset_index(drop=True) for p in parts], axis=1)
        return torch.tensor(encoded.to_numpy(dtype=np.float32))

    def targets(self, table: pd.DataFrame, name: str = "table") -> torch.Tensor:
        """The training targets of ``table``: labels 0 … K − 1 (int64, shape (rows,)), or scaled values (rows, 1).

        >>> enc = TableEncoder(pd.DataFrame({"x": [0.0, 1.0], "kind": ["no", "yes"]}), target="kind")
        >>> enc.targets(pd.DataFrame({"x": [5.0], "kind": ["yes"]})).tolist()
        [1]
        """
        if self.target is None:
            raise ValueError("this encoder was made without a target: TableEncoder(train, target='column').")
        table = _as_frame(table, name)
        if self.target not in table.columns:
            raise KeyError(f"{name} has no target column {self.target!r}.")
        column = table[self.target]
        if column.isna().any():
            raise ValueError(
                f"{name}: the target column {self.target!r} has missing values (rows {_rows(column, column.isna())})."
            )
        if self.classes is not None:
            values, position = _class_values(column), {c: k for k, c in enumerate(self.classes)}
            unseen = sorted({repr(v) for v in values if v not in position})
            if unseen:
                raise ValueError(
                    f"{name}: the target column {self.target!r} holds the class(es) {', '.join(unseen)} that the "
                    f"training rows never had; the model knows {self.classes}."
                )
            return torch.tensor([position[v] for v in values], dtype=torch.long)
        numbers = _numbers(column, self.target, name)
        scaled = (numbers - self.target_scale["mean"]) / self.target_scale["std"]
        return torch.tensor(scaled.to_numpy(dtype=np.float32))[:, None]

    def pair(self, table: pd.DataFrame, name: str = "table") -> tuple[torch.Tensor, torch.Tensor]:
        """``(inputs, targets)`` of ``table``, the pair that ``fit`` and ``evaluate`` take."""
        return self.inputs(table, name), self.targets(table, name)

    def state(self) -> dict[str, Any]:
        """Everything recorded, as plain strings, numbers and lists (what a saved model file holds).

        >>> TableEncoder.from_state(TableEncoder(pd.DataFrame({"x": [0.0, 1.0]})).state()).features
        ['x']
        """
        return {
            "format": STATE_FORMAT,
            "target": self.target,
            "dropped": list(self.dropped),
            "columns": list(self.columns),
            "numeric": {k: dict(v) for k, v in self.numeric.items()},
            "levels": {k: list(v) for k, v in self.levels.items()},
            "classes": None if self.classes is None else list(self.classes),
            "target_scale": None if self.target_scale is None else dict(self.target_scale),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> TableEncoder:
        """The encoder recorded by :meth:`state`."""
        if not (isinstance(state, dict) and state.get("format") == STATE_FORMAT):
            raise ValueError("this is not the state of a TableEncoder (or one written by another nnbook version).")
        encoder = cls.__new__(cls)
        encoder.target = state["target"]
        encoder.dropped = list(state["dropped"])
        encoder.columns = list(state["columns"])
        encoder.numeric = {k: dict(v) for k, v in state["numeric"].items()}
        encoder.levels = {k: list(v) for k, v in state["levels"].items()}
        encoder.classes = None if state["classes"] is None else list(state["classes"])
        encoder.target_scale = None if state["target_scale"] is None else dict(state["target_scale"])
        return encoder

    def __repr__(self) -> str:
        target = f", target={self.target!r}" if self.target is not None else ""
        return f"TableEncoder({len(self.columns)} columns → {len(self.features)} inputs{target})"


@dataclass(frozen=True)
class TableSplit:
    """The rows of a table in three parts: train, valid and test (DataFrames, original row order).

    >>> parts = TableSplit(*(pd.DataFrame({"x": [v]}) for v in (1, 2, 3)))
    >>> parts.test["x"].tolist()
    [3]
    """

    train: pd.DataFrame
    valid: pd.DataFrame
    test: pd.DataFrame


#: The share of the rows that goes to the validation or the test part.
SPLIT_FRACTION = Number(
    0, 1, open_high=True, hint="It is a fraction of the rows between 0 and 1: 0.2 puts one row in five in that part."
)


def _check_stratify(table: pd.DataFrame, stratify: object) -> None:
    """Refuse a ``stratify`` that is not the name of one column of ``table`` without missing values."""
    try:
        hash(stratify)
    except TypeError:  # a list of names, or the column itself as scikit-learn takes it
        if isinstance(stratify, pd.Series) and stratify.name in table.columns:
            name = stratify.name
        elif isinstance(stratify, (list, tuple)) and len(stratify) == 1:
            name = stratify[0]
        else:
            name = table.columns[-1] if len(table.columns) else "species"
        shown = repr(stratify) if isinstance(stratify, (list, tuple)) else f"a {type(stratify).__name__}"
        raise TypeError(
            f"stratify takes the name of one column, such as stratify={name!r}, got {shown}. "
            "To balance two columns at once, join them into one first: "
            "table['both'] = table['a'].astype(str) + '/' + table['b'].astype(str), then stratify='both'."
        ) from None
    if stratify not in table.columns:
        raise KeyError(f"stratify={stratify!r}, but the table has no such column; it has {list(table.columns)}.")
    if table[stratify].isna().any():
        raise ValueError(f"stratify={stratify!r}: that column has missing values; drop those rows first.")


def _part_sizes(n: int, valid: float, test: float) -> tuple[int, int]:
    """How many of ``n`` shuffled rows go to the test and validation parts; at least one stays for training.

    >>> _part_sizes(100, 0.2, 0.2), _part_sizes(2, 0.3, 0.3), _part_sizes(1, 0.3, 0.3)
    ((20, 20), (1, 0), (0, 0))
    """
    spare = max(n - 1, 0)  # the rows that may leave training
    n_test = min(round(n * test), spare)
    return n_test, min(round(n * valid), spare - n_test)


def split_table(
    table: pd.DataFrame,
    valid: float = 0.2,
    test: float = 0.2,
    *,
    stratify: str | None = None,
    seed: int = 0,
) -> TableSplit:
    """Shuffle the rows with ``seed`` into training, validation and test parts.

    With ``stratify="column"`` each value of that column is split on its own, so every part keeps the
    table's class balance. Each part keeps the rows in their original order and index.

    Every class keeps at least one row in the training part, so the model sees each class: a class too
    small for all three parts keeps one row for training and gives the rest to the test part first, then
    to validation (a class of one row goes to training only).

    >>> t = pd.DataFrame({"x": range(10), "kind": ["a"] * 5 + ["b"] * 5})
    >>> parts = split_table(t, valid=0.2, test=0.2, stratify="kind", seed=0)
    >>> len(parts.train), len(parts.valid), len(parts.test), parts.test["kind"].tolist()
    (6, 2, 2, ['a', 'b'])
    >>> rare = pd.DataFrame({"x": range(10), "kind": ["a"] * 9 + ["b"]})
    >>> split_table(rare, stratify="kind").train["kind"].value_counts().to_dict()
    {'a': 5, 'b': 1}
    """
    table = _as_frame(table, "table")
    valid, test = SPLIT_FRACTION(valid, "valid"), SPLIT_FRACTION(test, "test")
    if valid + test >= 1:
        raise ValueError(f"valid={valid:g} and test={test:g} leave no rows for training: keep their sum below 1.")
    rng = np.random.default_rng(check_seed(seed))
    if stratify is None:
        groups = [np.arange(len(table))]
    else:
        _check_stratify(table, stratify)
        codes = pd.factorize(table[stratify], sort=True)[0]
        groups = [np.flatnonzero(codes == k) for k in range(codes.max() + 1)]
    parts: dict[str, list[int]] = {"train": [], "valid": [], "test": []}
    for rows in groups:
        rows = rng.permutation(rows)
        n_test, n_valid = _part_sizes(len(rows), valid, test)
        parts["test"] += rows[:n_test].tolist()
        parts["valid"] += rows[n_test : n_test + n_valid].tolist()
        parts["train"] += rows[n_test + n_valid :].tolist()
    for what, rows in parts.items():
        if not rows and (what == "train" or {"valid": valid, "test": test}[what] > 0):
            raise ValueError(f"the {what} part would have no rows: use a larger table or other fractions.")
    return TableSplit(*(table.iloc[sorted(parts[p])] for p in ("train", "valid", "test")))
