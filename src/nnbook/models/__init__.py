"""Models: a from-scratch linear layer, MLPs built from a layout list, and linear-layer collapse.

>>> from nnbook.models import mlp
>>> mlp([1, 50, 1], activation="relu")
Sequential(
  (hidden1): Linear(in_features=1, out_features=50, bias=True)
  (act1): ReLU()
  (output): Linear(in_features=50, out_features=1, bias=True)
)
"""

from nnbook.models.collapse import collapse_linear
from nnbook.models.io import load, save
from nnbook.models.linear import Linear
from nnbook.models.mlp import ACTIVATIONS, mlp
from nnbook.models.rescaled import Rescaled
from nnbook.models.table import TableModel

__all__ = ["ACTIVATIONS", "Linear", "Rescaled", "TableModel", "collapse_linear", "load", "mlp", "save"]
