"""A network together with the :class:`~nnbook.data.TableEncoder` of its training rows: it predicts on raw rows.

``TableModel(net, encoder)`` is a ``torch.nn.Module`` that works in two worlds. On tensors it is ``net``:
``forward`` takes encoded inputs and gives outputs in the encoded terms of the target (logits, or a numeric
target scaled as :meth:`~nnbook.data.TableEncoder.pair` scales it), so ``fit`` and ``evaluate`` take it with
``encoder.pair(rows)`` as they take any model. On tables, :meth:`~TableModel.predict` takes a
``pandas.DataFrame`` with the original columns and gives class names, probabilities or values in the
target's own units. :func:`nnbook.models.save` writes the encoder with the weights, as plain strings and
numbers, so :func:`nnbook.models.load` rebuilds it without running code from the file.

>>> import pandas as pd
>>> from nnbook.data import TableEncoder
>>> from nnbook.models import mlp
>>> train = pd.DataFrame({"mass": [3.0, 4.0, 5.0, 6.0], "kind": ["a", "b", "a", "b"]})
>>> model = TableModel(mlp([1, 4, 2]), TableEncoder(train, target="kind"))
>>> model.predict(train).isin(["a", "b"]).tolist()
[True, True, True, True]
"""

from __future__ import annotations

import pandas as pd
import torch
from torch import nn

from nnbook.data.tables import TableEncoder

OUTPUTS = ("labels", "probabilities", "values")


class TableModel(nn.Module):
    """``net`` with the ``encoder`` that turns raw rows into its inputs (and its outputs back into the target's terms).

    ``forward(x)`` is ``net(x)``: encoded inputs in, and for a numeric target a value on the scale of
    ``encoder.pair(...)``'s targets out, so training and evaluating on ``encoder.pair(rows)`` match.
    ``predict(table)`` encodes raw rows first and, for a numeric target, undoes the scaling: its values
    are in the target's units.

    >>> from nnbook.data import TableEncoder
    >>> train = pd.DataFrame({"size": [1.0, 2.0, 3.0], "mass": [10.0, 20.0, 30.0]})
    >>> model = TableModel(nn.Linear(1, 1), TableEncoder(train, target="mass"))
    >>> model.predict(train).shape  # grams, as the target: one value per row
    (3,)
    >>> x, y = model.encoder.pair(train)  # y: the mass scaled, as model(x) gives it
    >>> bool(y.mean().abs() < 1e-6)
    True
    """

    def __init__(self, net: nn.Module, encoder: TableEncoder) -> None:
        super().__init__()
        if not isinstance(net, nn.Module):
            raise TypeError(f"net must be a torch.nn.Module, got {type(net).__name__}.")
        if not isinstance(encoder, TableEncoder):
            raise TypeError(
                f"encoder must be the TableEncoder of the training rows, got {type(encoder).__name__}: "
                "TableEncoder(train, target='...')."
            )
        first = next((m for m in net.modules() if isinstance(m, nn.Linear)), None)
        if first is not None and first.in_features != len(encoder.features):
            raise ValueError(
                f"the encoder gives {len(encoder.features)} inputs per row but the network's first layer takes "
                f"{first.in_features}: build the network with mlp([{len(encoder.features)}, …])."
            )
        last = [m for m in net.modules() if isinstance(m, nn.Linear)][-1:]
        if encoder.classes is not None:
            k = len(encoder.classes)
            widths, target = ((2, 1) if k == 2 else (k,)), f"the target has {k} classes {encoder.classes}"
        else:
            widths, target = (1,), f"the target {encoder.target!r} is one number per row"
        if last and encoder.target is not None and last[0].out_features not in widths:
            one = " (or 1: one logit)" if len(widths) > 1 else ""
            raise ValueError(
                f"{target} but the network gives {last[0].out_features} outputs: make the last width {widths[0]}{one}."
            )
        self.net = net
        self.encoder = encoder

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)

    def predict(self, table: pd.DataFrame, output: str | None = None) -> pd.Series | pd.DataFrame:
        """Predict on the raw rows of ``table`` (the training table's columns, by name, in any order).

        ``output``: ``"labels"`` (the default for a classifier: a Series of class names),
        ``"probabilities"`` (a DataFrame, one column per class) or ``"values"`` (the outputs: logits of a
        classifier, or predictions in the target's units, the default for a numeric target). The result
        keeps the index of ``table``.
        """
        classifier = self.encoder.classes is not None
        output = output or ("labels" if classifier else "values")
        if output not in OUTPUTS:
            raise ValueError(f"output must be one of {list(OUTPUTS)}, got {output!r}.")
        if output != "values" and not classifier:
            raise ValueError(
                f"output={output!r} needs a classifier; this model predicts the number {self.encoder.target!r}."
            )
        index = table.index if isinstance(table, pd.DataFrame) else None
        x = self.encoder.inputs(table)
        device = next((p.device for p in self.parameters()), torch.device("cpu"))
        was_training = self.training
        self.eval()
        try:
            with torch.no_grad():
                out = self(x.to(device)).cpu()
        finally:
            self.train(was_training)
        if not classifier:
            scale = self.encoder.target_scale or {"std": 1.0, "mean": 0.0}  # no target: the outputs as they are
            values = out[:, 0].numpy() * scale["std"] + scale["mean"]
            return pd.Series(values, index=index, name=self.encoder.target)
        classes = self.encoder.classes
        if out.shape[1] == 1:  # one logit: the probability of the second class
            p1 = torch.sigmoid(out)
            probabilities = torch.cat([1 - p1, p1], dim=1)
        else:
            probabilities = torch.softmax(out, dim=1)
        if output == "probabilities":
            return pd.DataFrame(probabilities.numpy(), index=index, columns=classes)
        if output == "values":
            return pd.DataFrame(out.numpy(), index=index, columns=classes if out.shape[1] > 1 else ["logit"])
        names = [classes[int(k)] for k in probabilities.argmax(dim=1)]
        return pd.Series(names, index=index, name=self.encoder.target)
