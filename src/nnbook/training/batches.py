"""The data of a training run: checked once up front, then cut into batches every epoch.

``fit`` takes ``(x, y)`` pairs (tensors, NumPy arrays), a ``Split``, a ``Dataset`` or a
``DataLoader``. :func:`prepare` checks any of them against the model and the loss (for a
Dataset or DataLoader: its first batch) and :class:`Batches` yields the batches of one epoch:
slices of a shuffled index for tensors (the fastest), a loader's batches otherwise. A loader's
batches are checked as they come (finite values, labels in range), so a bad item far into a
Dataset gets the same clear error as a bad row of a tensor.

>>> import torch
>>> data, outputs = prepare((torch.rand(10, 1), torch.rand(10, 1)), "train", "mse", torch.nn.Linear(1, 1))
>>> batches = Batches(data, 4, torch.Generator().manual_seed(0), torch.device("cpu"), "mse")
>>> len(batches), [len(xb) for xb, _ in batches]
(3, [4, 4, 2])
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterator
from numbers import Integral
from typing import Any

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset, IterableDataset, default_collate

from nnbook._arrays import check_array, check_batch, check_finite, check_same_rows
from nnbook._options import Whole
from nnbook.data.split import Split
from nnbook.models.running import evaluation_mode, first_linear, model_device
from nnbook.training.losses import check_label_range, check_loss_value, check_targets

Pair = tuple[torch.Tensor, torch.Tensor]
BATCH_SIZE = Whole(1, hint="Use None for full-batch training.", none=True)


def check_pair(pair: Any, name: str, loss: Any = "mse") -> Pair:
    """Check a ``(x, y)`` pair for ``loss`` and return it as tensors: float x, targets as the loss needs them.

    >>> x, y = check_pair((torch.zeros(3, 2), torch.tensor([0, 1, 2])), "train", "cross_entropy")
    >>> y.shape
    torch.Size([3])
    """
    if isinstance(pair, Split):
        raise TypeError(f"{name} is a Split; pass it as train (fit(model, split, …)), which uses its valid part too.")
    if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
        raise TypeError(
            f"{name} must be a pair (x, y) of tensors, a Split, a Dataset or a DataLoader; got {type(pair).__name__}."
        )
    check_same_rows(pair[0], pair[1], name)
    x = check_array(pair[0], f"{name} x")
    y = check_array(pair[1], f"{name} y", shape="any" if loss == "cross_entropy" else "table", dtype="number")
    if y.dim() > 2:
        check_array(y, f"{name} y")  # the flattening hint
    if x.shape[0] != y.shape[0]:
        raise ValueError(
            f"x has {x.shape[0]} rows but y has {y.shape[0]}: every example needs exactly one target. "
            "Check that x and y come from the same data set and split."
        )
    return x, check_targets(y, loss, name, all_labels=name == "train")


def check_model_fits(model: nn.Module, x: torch.Tensor, y: torch.Tensor, loss: Any, name: str) -> torch.Tensor:
    """Run ``model`` on the first rows, so that a shape mistake fails here with a clear message.

    Checks the input columns, the outputs against the targets (columns, or classes for
    cross-entropy) and, for a loss function of one's own, that it returns one number.

    >>> check_model_fits(nn.Linear(2, 1), torch.zeros(3, 2), torch.zeros(3, 1), "mse", "train").shape
    torch.Size([3, 1])
    """
    home = model_device(model)
    model.to(x.device)
    try:
        with evaluation_mode(model), torch.no_grad():
            pred = model(x[:8])
    except RuntimeError as err:
        first = first_linear(model)
        expects = f" Its first layer expects {first.in_features} input column(s)." if first is not None else ""
        raise ValueError(
            f"the model cannot take {name} x of shape {tuple(x.shape)}, which has {x.shape[1]} column(s) per row."
            f"{expects} Make the first width of the layout equal x.shape[1], for example mlp([{x.shape[1]}, 50, 1]), "
            f"or check x. (PyTorch said: {err})"
        ) from None
    finally:
        model.to(home)
    if not isinstance(pred, torch.Tensor):
        raise TypeError(f"the model returned {type(pred).__name__}, but the training loop needs a tensor of outputs.")
    if loss == "cross_entropy":
        check_label_range(int(y.min()), int(y.max()), pred.shape[1] if pred.dim() == 2 else 1, name)
    elif isinstance(loss, str) and pred.dim() == 2 and y.dim() == 2 and pred.shape[1] != y.shape[1]:
        bce = " For 'bce' keep one output (a logit) and 0/1 labels as a (n, 1) column." if loss == "bce" else ""
        raise ValueError(
            f"the model gives {pred.shape[1]} output(s) per row, but {name} y has shape {tuple(y.shape)}, "
            f"{y.shape[1]} column(s). Prediction and target must have the same number of columns (else the loss "
            f"silently broadcasts them): make the last width of the layout {y.shape[1]}.{bce}"
        )
    elif not isinstance(loss, str):
        check_loss_value(loss(pred, y[: len(pred)]), getattr(loss, "__name__", "loss"))
    return pred


def _first_batch(data: DataLoader | Dataset, name: str, loss: Any) -> Pair | None:
    """The first batch of a Dataset/DataLoader (without using its random generator), checked like a tensor pair."""
    dataset = data.dataset if isinstance(data, DataLoader) else data
    if isinstance(dataset, IterableDataset) or not hasattr(dataset, "__len__"):
        return None  # no random access: its batches are converted, not checked, as they come
    if len(dataset) == 0:  # type: ignore[arg-type]
        raise ValueError(f"the {name} Dataset is empty (len 0): there is nothing to train on. Check how it was built.")
    collate = data.collate_fn if isinstance(data, DataLoader) and data.collate_fn is not None else default_collate
    items = [dataset[i] for i in range(min(len(dataset), 16))]  # type: ignore[arg-type]
    try:
        batch = collate(items)
    except Exception as err:
        shapes = [tuple(getattr(t, "shape", ())) for t in (item[0] for item in items if isinstance(item, tuple))]
        odd = next((i for i, s in enumerate(shapes) if s != shapes[0]), None)
        where = f" Item {odd} has x of shape {shapes[odd]}, item 0 {shapes[0]}." if odd is not None else ""
        raise TypeError(
            f"the {name} Dataset's items cannot be stacked into a batch ({type(err).__name__}).{where} Make "
            "__getitem__ return a pair (x, y) of tensors with the same shapes for every item."
        ) from None
    xb, yb = check_batch(batch, name)
    kind = "DataLoader" if isinstance(data, DataLoader) else "Dataset"
    try:
        return check_pair((xb, yb), name, loss)
    except (TypeError, ValueError) as err:
        hint = ""
        if isinstance(yb, torch.Tensor) and yb.dim() == 1 and loss != "cross_entropy":
            hint = " Make __getitem__ return y with shape (1,), e.g. torch.tensor([value]), not a bare number."
        raise type(err)(f"In the first batch of the {name} {kind}: {err}{hint}") from None


def prepare(
    data: Any, name: str, loss: Any, model: nn.Module, device: torch.device | None = None
) -> tuple[Any, int | None]:
    """Check ``data`` against ``model`` and ``loss``; return it and the model's number of outputs per row.

    A tensor pair comes back on ``device``, a loader unchanged. The number of outputs (the number of
    classes for cross-entropy) is None when it could not be tried: a DataLoader over an IterableDataset.

    >>> (x, y), outputs = prepare(([[0.0], [1.0]], [[1.0], [2.0]]), "train", "mse", nn.Linear(1, 1))
    >>> x.dtype, outputs
    (torch.float32, 1)
    """
    device = device or torch.device("cpu")
    probe = getattr(model, "probe", model)  # a stack of seeds checks its first seed
    if isinstance(data, Integral) and not isinstance(data, bool) and name == "valid":
        raise TypeError(
            f"valid={data!r}: the third argument of fit is the validation data. Give the number of epochs by "
            f"name: fit(model, data, epochs={data})."
        )
    if isinstance(data, IterableDataset):
        raise TypeError(
            f"the {name} data is an IterableDataset, which fit cannot shuffle or batch itself: wrap it in a "
            "DataLoader(dataset, batch_size=…) and pass that."
        )
    if isinstance(data, (DataLoader, Dataset)):
        first = _first_batch(data, name, loss)
        if first is None:
            return data, None
        return data, _width(check_model_fits(probe, first[0].to(device), first[1].to(device), loss, name))
    x, y = check_pair(data, name, loss)
    x, y = x.to(device), y.to(device)
    return (x, y), _width(check_model_fits(probe, x, y, loss, name))


def _width(pred: torch.Tensor) -> int:
    """The number of outputs per row of a prediction ``(n, outputs)`` (1 for a single column ``(n,)``)."""
    return pred.shape[1] if pred.dim() == 2 else 1


def n_rows(data: Any) -> int | None:
    """The number of examples in prepared ``data`` (None for a loader without a length)."""
    if isinstance(data, tuple):
        return data[0].shape[0]
    dataset = data.dataset if isinstance(data, DataLoader) else data
    return len(dataset) if hasattr(dataset, "__len__") else None  # type: ignore[arg-type]


def check_batch_size(batch_size: object, data: Any) -> int | None:
    """``batch_size`` for the prepared training ``data`` (None: full batches); larger than the data warns."""
    batch_size = BATCH_SIZE(batch_size, "batch_size")
    if batch_size is None:
        return None
    if isinstance(data, DataLoader):
        raise ValueError(
            "batch_size was given, but train is a DataLoader, which has its own batch size. Set it in "
            "DataLoader(..., batch_size=…) and leave batch_size out of fit."
        )
    n = n_rows(data)
    if n is not None and batch_size > n:
        warnings.warn(
            f"batch_size={batch_size} is larger than the {n} training rows; using full batches of {n}.", stacklevel=5
        )
        return n
    return batch_size


class Batches:
    """The batches of one epoch of prepared training ``data``; ``len()`` is the number of optimizer steps.

    A loader's batches are checked as they come (:meth:`check`): NaN or infinite values, and for
    cross-entropy labels outside 0 … ``classes`` − 1 (``classes``: the model's outputs per row, or None).
    """

    def __init__(
        self,
        data: Any,
        batch_size: int | None,
        generator: torch.Generator,
        device: torch.device,
        loss: Any,
        classes: int | None = None,
        name: str = "train",
    ) -> None:
        self.kind = "DataLoader" if isinstance(data, DataLoader) else "Dataset"
        if isinstance(data, Dataset):
            n = len(data)  # type: ignore[arg-type]
            data = DataLoader(data, batch_size=batch_size or n, shuffle=True, generator=generator)
        self.data, self.batch_size, self.generator, self.device, self.loss = data, batch_size, generator, device, loss
        self.classes, self.name = classes, name

    def __len__(self) -> int:
        if isinstance(self.data, DataLoader):
            return len(self.data)  # a TypeError for an IterableDataset: the caller names the fix
        n = self.data[0].shape[0]
        return -(-n // (self.batch_size or n))

    def check(self, xb: torch.Tensor, yb: torch.Tensor) -> None:
        """Refuse NaN or infinite values in a batch and, for cross-entropy, labels out of range.

        Cheap (one pass over the batch, before it moves to the device): it covers every item the
        loop sees, where the check up front saw only the first batch.

        >>> batches = Batches((), None, torch.Generator(), torch.device("cpu"), "cross_entropy", classes=2)
        >>> batches.check(torch.zeros(2, 1), torch.tensor([0, 7]))
        Traceback (most recent call last):
        ValueError: the train labels run from 0 to 7, but the model gives 2 output(s) per row. Cross-entropy needs one output per class and labels 0 … classes − 1 (here 0 … 1): make the last width of the layout 8, or fix the labels that are out of range.
        """
        if xb.is_floating_point():
            check_finite(xb, f"{self.name} x")
        if yb.is_floating_point():
            check_finite(yb, f"{self.name} y")
        if self.loss == "cross_entropy" and yb.numel():
            low, high = torch.aminmax(yb.reshape(-1).long())
            check_label_range(int(low), int(high), self.classes, self.name)

    def _bad_items(self) -> str:
        """On the error path only: name the first items of the Dataset that :meth:`check` refuses."""
        dataset = self.data.dataset
        if isinstance(dataset, IterableDataset) or not hasattr(dataset, "__len__"):
            return ""
        bad: list[int] = []
        for i in range(len(dataset)):
            try:
                x, y = check_batch(dataset[i], self.name)
                self.check(torch.as_tensor(x)[None], torch.as_tensor(y)[None])
            except (TypeError, ValueError):
                bad.append(i)
                if len(bad) == 5:
                    break
        return f" Item(s) {bad}{' …' if len(bad) == 5 else ''} of the Dataset hold them." if bad else ""

    def to_device(self, xb: Any, yb: Any, batch: int = 0) -> Pair:
        """A loader's batch, checked (:meth:`check`), as the loss takes it, on the training device."""
        xb, yb = torch.as_tensor(xb), torch.as_tensor(yb)
        try:
            self.check(xb, yb)
        except ValueError as err:
            raise ValueError(
                f"In batch {batch} of the {self.name} {self.kind}: {err}{self._bad_items()} The data is at fault, "
                "not the training: clean it before training."
            ) from None
        xb = xb.to(self.device, torch.float32)
        if self.loss == "cross_entropy":
            return xb, yb.to(self.device, torch.long).reshape(-1)
        return xb, yb.to(self.device, torch.float32) if isinstance(self.loss, str) else yb.to(self.device)

    def __iter__(self) -> Iterator[Pair]:
        if isinstance(self.data, DataLoader):
            loader = iter(self.data)
            for number in itertools.count():
                try:
                    batch = next(loader)
                except StopIteration:
                    return
                except RuntimeError as err:
                    raise TypeError(_odd_item(self.data.dataset, err)) from None
                yield self.to_device(*check_batch(batch, "train"), number)
        x, y = self.data
        n = x.shape[0]
        if self.batch_size is None or self.batch_size >= n:
            yield x, y
            return
        order = torch.randperm(n, generator=self.generator).to(self.device)
        for start in range(0, n, self.batch_size):
            idx = order[start : start + self.batch_size]
            yield x[idx], y[idx]


def _odd_item(dataset: Any, err: Exception) -> str:
    """Name the item of ``dataset`` whose shapes differ from item 0's (the cause of a failed batch)."""
    note = f"a batch of the train Dataset cannot be stacked ({err})."
    if not hasattr(dataset, "__len__"):
        return note + " Make every item a pair (x, y) of tensors with the same shapes."
    shapes = lambda item: [tuple(getattr(t, "shape", ())) for t in item] if isinstance(item, (tuple, list)) else None  # noqa: E731
    first = shapes(dataset[0])
    for i in range(1, len(dataset)):
        if shapes(dataset[i]) != first:
            return (
                f"item {i} of the train Dataset has shapes {shapes(dataset[i])} but item 0 has {first}, so they cannot "
                "be stacked into one batch. Make __getitem__ return tensors of the same shape for every item (or drop "
                "that item)."
            )
    return note + " Make every item a pair (x, y) of tensors with the same shapes."


def all_batches(data: Any, device: torch.device, loss: Any, classes: int | None = None) -> Iterator[Pair]:
    """Every batch of prepared validation ``data`` in order (a tensor pair is one batch), checked like training's."""
    if isinstance(data, tuple):
        yield data
        return
    loader = data if isinstance(data, DataLoader) else DataLoader(data, batch_size=1024)
    converter = Batches(data, None, torch.Generator(), device, loss, classes, "valid")
    for number, batch in enumerate(loader):
        yield converter.to_device(*check_batch(batch, "valid"), number)
