"""The training loop: ``fit`` trains a model and returns its :class:`History`.

The loop is the one the book writes by hand in chapter 1 (forward, loss, backward, step),
with the bookkeeping around it: batching, validation, metrics, a learning-rate schedule,
progress, divergence checks and callbacks.

>>> import torch
>>> from nnbook.data import wiggly_curve, train_valid_split
>>> from nnbook.models import mlp
>>> split = train_valid_split(*wiggly_curve(n=500), seed=42)
>>> _ = torch.manual_seed(0)
>>> history = fit(mlp([1, 20, 1]), split.train, split.valid, epochs=3, lr=0.01, progress=False)
>>> history.columns
['epoch', 'train_loss', 'valid_loss', 'lr', 'time']
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

from nnbook._checks import as_float_tensor, check_learning_rate, check_positive_int, check_seed, check_xy
from nnbook.data.split import Split
from nnbook.training.callbacks import Callback
from nnbook.training.history import History
from nnbook.training.metrics import Metric, get_metric
from nnbook.training.optimizers import OptimizerSpec, make_loss, make_optimizer, make_schedule
from nnbook.training.progress import ProgressTable

Data = tuple[torch.Tensor, torch.Tensor] | Split | Dataset | DataLoader


class DivergenceWarning(RuntimeWarning):
    """Training stopped because the loss became NaN or infinite; the message names the learning rate.

    >>> import warnings
    >>> x = torch.linspace(-3, 3, 20)[:, None]
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     h = fit(nn.Linear(1, 1), (x, 3 * x), epochs=100, lr=10.0, optimizer="sgd", progress=False)
    >>> h.diverged, caught[0].category.__name__
    (True, 'DivergenceWarning')
    """


def default_device() -> torch.device:
    """CUDA when a GPU is present, else the CPU.

    >>> default_device().type in ("cpu", "cuda")
    True
    """
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def _check_pair(pair: Any, name: str) -> tuple[torch.Tensor, torch.Tensor]:
    if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
        raise TypeError(
            f"{name} must be a pair (x, y) of tensors, a Split, a Dataset or a DataLoader; got {type(pair).__name__}."
        )
    x = as_float_tensor(pair[0], f"{name} x")
    y = pair[1] if isinstance(pair[1], torch.Tensor) else torch.as_tensor(pair[1])
    check_xy(x, y)
    return x, y


def _check_targets(y: torch.Tensor, loss: Any, name: str) -> None:
    if loss == "cross_entropy":
        if y.dtype != torch.long:
            raise TypeError(
                f"{name} targets have dtype {y.dtype}, but cross-entropy needs class indices (torch.long). "
                f"Convert them with y.long()."
            )
    elif isinstance(loss, str) and not y.is_floating_point():
        hint = " (labels 0/1 for 'bce' must be 0.0/1.0)" if loss == "bce" else ""
        raise TypeError(
            f"{name} targets have dtype {y.dtype}, but the {loss!r} loss needs float targets{hint}. "
            "Convert them with y.float()."
        )
    elif y.is_floating_point() and not torch.isfinite(y).all():
        bad = int((~torch.isfinite(y)).sum())
        raise ValueError(
            f"{name} targets contain {bad} NaN or infinite value(s); remove those rows before training, for example "
            "keep = torch.isfinite(y).all(dim=1); x, y = x[keep], y[keep]."
        )


def _check_model_fits(model: nn.Module, x: torch.Tensor, y: torch.Tensor, loss: Any, name: str) -> None:
    """Run ``model`` on one row, so that a shape mistake fails here, with a clear message, not deep inside torch.

    >>> _check_model_fits(nn.Linear(2, 1), torch.zeros(3, 2), torch.zeros(3, 1), "mse", "train")
    """
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            pred = model(x[:1])
    except RuntimeError as err:
        first = next((m for m in model.modules() if isinstance(m, nn.Linear)), None)
        expects = f" Its first layer expects {first.in_features} input column(s)." if first is not None else ""
        raise ValueError(
            f"the model cannot take {name} x of shape {tuple(x.shape)}, which has {x.shape[1]} column(s) per row."
            f"{expects} "
            f"Make the first width of the layout equal x.shape[1], for example mlp([{x.shape[1]}, 50, 1]), or check x. "
            f"(PyTorch said: {err})"
        ) from None
    finally:
        model.train(was_training)
    if not isinstance(loss, str) or pred.dim() != 2:
        return
    if loss == "cross_entropy":
        classes, top = pred.shape[1], int(y.max())
        if classes < 2 or top >= classes or int(y.min()) < 0:
            raise ValueError(
                f"the {name} labels run from {int(y.min())} to {top}, but the model gives {classes} output(s) per row. "
                "Cross-entropy needs one output per class and labels 0 … classes − 1: "
                f"make the last width of the layout {max(top + 1, 2)}."
            )
    elif pred.shape[1] != y.shape[1]:
        raise ValueError(
            f"the model gives {pred.shape[1]} output(s) per row, but {name} y has shape {tuple(y.shape)}, "
            f"{y.shape[1]} column(s). Prediction and target must have the same number of columns (else the loss "
            f"silently broadcasts them): make the last width of the layout {y.shape[1]}."
        )


# Layers that compute the same thing in training and in evaluation mode.
_MODE_FREE = (nn.Sequential, nn.Linear, nn.ReLU, nn.Tanh, nn.Sigmoid, nn.LeakyReLU, nn.PReLU, nn.GELU, nn.Identity)


def has_mode_dependent_layers(model: nn.Module) -> bool:
    """Whether ``model`` may behave differently in ``train()`` and ``eval()`` mode (dropout, batch norm, …).

    ``fit`` switches the model to evaluation mode for every validation pass only when this is True:
    for a plain MLP the switch changes nothing and costs a noticeable share of a short epoch.

    >>> has_mode_dependent_layers(nn.Sequential(nn.Linear(1, 5), nn.ReLU(), nn.Linear(5, 1)))
    False
    >>> has_mode_dependent_layers(nn.Sequential(nn.Linear(1, 5), nn.Dropout(0.2)))
    True
    """
    return any(not isinstance(m, _MODE_FREE) for m in model.modules())


class Learner:
    """The state of one training run, handed to every callback.

    Attributes callbacks may read: ``model``, ``optimizer``, ``scheduler``, ``epoch`` (1-based),
    ``epochs``, ``batch`` (0-based within the epoch), ``xb``, ``yb``, ``loss`` (the batch loss
    tensor), ``history``, ``train`` and ``valid`` (tensor pairs or loaders). Setting ``stop = True``
    ends training after the current epoch.

    >>> learner = Learner(nn.Linear(1, 1), (torch.zeros(4, 1), torch.zeros(4, 1)), None, lr=0.1, progress=False)
    >>> learner.fit(2).last["epoch"]
    2
    """

    def __init__(
        self,
        model: nn.Module,
        train: Data,
        valid: Data | None = None,
        *,
        lr: float,
        loss: str | Callable[[torch.Tensor, torch.Tensor], torch.Tensor] = "mse",
        optimizer: OptimizerSpec = "adam",
        schedule: str = "constant",
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        batch_size: int | None = None,
        metrics: Sequence[str | Metric] = (),
        callbacks: Sequence[Callback] = (),
        progress: bool = True,
        device: str | torch.device | None = None,
        seed: int = 0,
    ) -> None:
        if not isinstance(model, nn.Module):
            raise TypeError(
                f"model must be a torch.nn.Module (for example nnbook.models.mlp([1, 50, 1])), got {type(model).__name__}."
            )
        self.lr = check_learning_rate(lr)
        self.device = torch.device(device) if device is not None else default_device()
        self.model = model.to(self.device)
        if isinstance(train, Split):
            if valid is None:
                valid = train.valid
            train = train.train
        self.train = self._prepare(train, "train", loss)
        self.valid = None if valid is None else self._prepare(valid, "valid", loss)
        self.loss_name = loss if isinstance(loss, str) else getattr(loss, "__name__", "loss")
        self.loss_fn = make_loss(loss)
        self.optimizer_spec, self.schedule, self.weight_decay, self.momentum = (
            optimizer,
            schedule,
            weight_decay,
            momentum,
        )
        self.batch_size = self._check_batch_size(batch_size)
        self.metrics = [get_metric(m) for m in metrics]
        self.callbacks = list(callbacks) + ([ProgressTable()] if progress else [])
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                made = f" Create one first: {cb.__name__}(), not {cb.__name__}." if isinstance(cb, type) else ""
                raise TypeError(f"callbacks must be nnbook Callback objects, got {cb!r} ({type(cb).__name__}).{made}")
        self.generator = torch.Generator().manual_seed(check_seed(seed))
        self.history = History()
        self.stop = False
        self.epoch = self.epochs = self.batch = 0
        self.xb = self.yb = self.loss = None

    def _prepare(self, data: Data, name: str, loss: Any) -> tuple[torch.Tensor, torch.Tensor] | DataLoader:
        if isinstance(data, DataLoader):
            return data
        if isinstance(data, Dataset):
            if len(data) == 0:  # type: ignore[arg-type]
                raise ValueError(f"the {name} Dataset is empty: there is nothing to train on.")
            return data  # batched into a DataLoader once the batch size is known
        x, y = _check_pair(data, name)
        _check_targets(y, loss, name)
        if loss == "cross_entropy" and y.shape[1] == 1:
            y = y[:, 0]  # class indices: one label per row, shape (n,), as cross-entropy wants
        x, y = x.to(self.device), y.to(self.device)
        _check_model_fits(self.model, x, y, loss, name)
        return x, y

    def _check_batch_size(self, batch_size: int | None) -> int | None:
        if batch_size is None:
            return None
        batch_size = check_positive_int(batch_size, "batch_size", " Use None for full-batch training.")
        n = self._n_train()
        if n is not None and batch_size > n:
            warnings.warn(
                f"batch_size={batch_size} is larger than the {n} training rows; using full batches of {n}.",
                stacklevel=3,
            )
            return n
        return batch_size

    def _n_train(self) -> int | None:
        if isinstance(self.train, tuple):
            return self.train[0].shape[0]
        if isinstance(self.train, Dataset):
            return len(self.train)  # type: ignore[arg-type]
        return None

    def _batches(self):
        """Yield ``(x, y)`` batches for one epoch: slices of a shuffled index, or a loader's batches."""
        data = self.train
        if isinstance(data, Dataset):
            data = self.train = DataLoader(
                data, batch_size=self.batch_size or len(data), shuffle=True, generator=self.generator
            )
        if isinstance(data, DataLoader):
            for xb, yb in data:
                yield xb.to(self.device), yb.to(self.device)
            return
        x, y = data
        n = x.shape[0]
        if self.batch_size is None or self.batch_size >= n:
            yield x, y
            return
        order = torch.randperm(n, generator=self.generator).to(self.device)
        for start in range(0, n, self.batch_size):
            idx = order[start : start + self.batch_size]
            yield x[idx], y[idx]

    def _steps_per_epoch(self) -> int:
        n = self._n_train()
        if isinstance(self.train, DataLoader):
            return len(self.train)
        bs = self.batch_size or n
        return -(-n // bs)

    def _evaluate(self) -> dict[str, float]:
        """Validation loss and metrics (metrics on the training set when there is no validation set)."""
        out: dict[str, float] = {}
        data = self.valid if self.valid is not None else self.train
        if data is None or not (self.valid is not None or self.metrics):
            return out
        if self._switch_modes:
            self.model.eval()
        with torch.no_grad():
            if isinstance(data, tuple):
                pred, y = self.model(data[0]), data[1]
            else:
                loader = data if isinstance(data, DataLoader) else DataLoader(data, batch_size=1024)
                pairs = [(self.model(xb.to(self.device)), yb.to(self.device)) for xb, yb in loader]
                pred, y = torch.cat([p for p, _ in pairs]), torch.cat([t for _, t in pairs])
            if self.valid is not None:
                out["valid_loss"] = float(self.loss_fn(pred, y))
            for name, fn in self.metrics:
                out[name] = float(fn(pred, y))
        if self._switch_modes:
            self.model.train()
        return out

    def _call(self, event: str) -> None:
        for cb in self.callbacks:
            getattr(cb, event)(self)

    def fit(self, epochs: int) -> History:
        """Train for ``epochs`` epochs and return the history (also kept as ``self.history``)."""
        self.epochs = check_positive_int(
            epochs, "epochs", " One epoch is one pass over the training data; try epochs=30."
        )
        self.optimizer = make_optimizer(
            self.optimizer_spec, self.model.parameters(), self.lr, self.weight_decay, self.momentum
        )
        self.scheduler = make_schedule(self.schedule, self.optimizer, self.lr, self.epochs * self._steps_per_epoch())
        batch_callbacks = [cb for cb in self.callbacks if cb.handles("after_batch")]
        self._switch_modes = has_mode_dependent_layers(self.model)
        self.model.train()
        self._call("before_fit")
        try:
            for epoch in range(1, self.epochs + 1):
                self.epoch = epoch
                self._call("before_epoch")
                start, losses, sizes = time.perf_counter(), [], []
                for batch, (xb, yb) in enumerate(self._batches()):
                    self.batch, self.xb, self.yb = batch, xb, yb
                    self.loss = self.loss_fn(self.model(self.xb), self.yb)
                    self.optimizer.zero_grad(set_to_none=True)
                    self.loss.backward()
                    self.optimizer.step()
                    if self.scheduler is not None:
                        self.history.lrs.append(self.optimizer.param_groups[0]["lr"])
                        self.scheduler.step()
                    losses.append(self.loss.detach())
                    sizes.append(len(self.yb))
                    for cb in batch_callbacks:
                        cb.after_batch(self)
                if len(losses) == 1:  # full batch
                    train_loss = float(losses[0])
                else:  # the mean over all rows: batches weighted by their size (the last may be smaller)
                    weights = torch.tensor(sizes, dtype=torch.float32, device=self.device)
                    train_loss = float(torch.stack(losses).float() @ weights / weights.sum())
                row = {"epoch": self.epoch, "train_loss": train_loss, **self._evaluate()}
                row["lr"] = self.optimizer.param_groups[0]["lr"]
                row["time"] = time.perf_counter() - start
                if not all(math.isfinite(v) for k, v in row.items() if k.endswith("loss")):
                    self._diverged(row)
                    break
                self.history.append(row)
                self._call("after_epoch")
                if self.stop:
                    break
        finally:
            self._call("after_fit")
        return self.history

    def _diverged(self, row: dict[str, Any]) -> None:
        self.stop = True
        self.history.diverged = True
        self.history.message = (
            f"Training stopped at epoch {self.epoch}: the loss became {row['train_loss']} with learning rate "
            f"lr={self.lr:g}. The steps overshoot and grow instead of shrinking. Try a smaller learning rate, "
            f"such as lr={self.lr / 10:g}. The history of the {len(self.history)} finished epochs is kept."
        )
        warnings.warn(self.history.message, DivergenceWarning, stacklevel=4)


def fit(model: nn.Module, train: Data, valid: Data | None = None, *, epochs: int, **options: Any) -> History:
    """Train ``model`` on ``train`` for ``epochs`` epochs; return the per-epoch :class:`History`.

    ``train`` and ``valid`` are ``(x, y)`` tensor pairs (fastest: batches are slices of a shuffled
    index, no per-sample Python), a :class:`~nnbook.data.Split`, a ``Dataset`` or a ``DataLoader``.
    Options: ``lr`` (required), ``loss`` ("mse", "mae", "bce", "cross_entropy" or a function),
    ``optimizer`` ("sgd", "adam", "adamw" or an optimizer object), ``schedule`` ("constant" or
    "one_cycle"), ``weight_decay``, ``momentum`` (SGD), ``batch_size`` (None = full batch),
    ``metrics`` (names such as "mae", "accuracy"), ``callbacks``, ``progress``, ``device`` and
    ``seed`` (for the shuffling).

    >>> x = torch.linspace(0, 1, 50)[:, None]
    >>> h = fit(nn.Linear(1, 1), (x, 2 * x), epochs=200, lr=0.1, optimizer="sgd", progress=False)
    >>> h.last["train_loss"] < 1e-3
    True
    """
    return Learner(model, train, valid, **options).fit(epochs)
