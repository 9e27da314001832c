"""Data: every data set of the book (made from an explicit seed, or shipped as a file), the tools to split
it, and the encoding of a table's raw rows (:class:`TableEncoder`).

>>> from nnbook.data import wiggly_curve, train_valid_split
>>> x, y = wiggly_curve()
>>> split = train_valid_split(x, y, valid_fraction=0.2, seed=42)
>>> len(split.x_train), len(split.x_valid)
(4000, 1000)
"""

from nnbook.data.gistemp import gistemp, temperature_data
from nnbook.data.penguins import penguins_csv
from nnbook.data.split import Split, standardize, train_valid_split
from nnbook.data.synthetic import (
    circle_classes,
    circle_rule,
    cubic_sine,
    cubic_sine_points,
    line_points,
    sine_line_points,
    wiggly_curve,
    xor,
)
from nnbook.data.tables import TableEncoder, TableSplit, frame_to_tensor, split_table

__all__ = [
    "Split",
    "TableEncoder",
    "TableSplit",
    "circle_classes",
    "circle_rule",
    "cubic_sine",
    "cubic_sine_points",
    "frame_to_tensor",
    "gistemp",
    "line_points",
    "penguins_csv",
    "sine_line_points",
    "split_table",
    "standardize",
    "temperature_data",
    "train_valid_split",
    "wiggly_curve",
    "xor",
]
