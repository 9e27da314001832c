"""The training loop: ``fit`` trains a model and returns its :class:`History`.

The loop is the one the book writes by hand in chapter 1 (forward, loss, backward, step),
with the bookkeeping around it: batching, validation, metrics, a learning-rate schedule,
progress, divergence checks and callbacks. ``fit_seeds`` runs the same loop over a stack of
seeds (:class:`~nnbook.training.stacked.StackedModels`).

What ``fit`` leaves behind: the model is in **evaluation mode** (``model.training`` is False, so
dropout is off for predictions) and **on the device it was on before** (a model built on the CPU
comes back to the CPU after training on a GPU). Calling ``fit`` or ``Learner.fit`` again switches
it back to training mode for the new epochs.

>>> import torch
>>> from nnbook.data import wiggly_curve, train_valid_split
>>> from nnbook.models import mlp
>>> split = train_valid_split(*wiggly_curve(n=500), seed=42)
>>> _ = torch.manual_seed(0)
>>> history = fit(mlp([1, 20, 1]), split, epochs=3, lr=0.01, progress=False)
>>> history.columns
['epoch', 'train_loss', 'valid_loss', 'lr', 'time']
"""

from __future__ import annotations

import math
import signal
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import torch
from torch import nn
from torch.optim.lr_scheduler import ReduceLROnPlateau
from torch.utils.data import DataLoader, Dataset, IterableDataset, default_collate

from nnbook._checks import (
    check_batch,
    check_device,
    check_flag,
    check_list,
    check_loss_value,
    check_model,
    check_model_fits,
    check_options,
    check_pair,
    check_positive_int,
    check_seed,
    model_device,
    torch_threads,
)
from nnbook.data.split import Split
from nnbook.models.mlp import is_plain
from nnbook.training.callbacks import Callback, TrainState
from nnbook.training.history import History
from nnbook.training.losses import check_loss_name, make_loss, per_model_loss
from nnbook.training.metrics import Metric, get_metrics
from nnbook.training.optimizers import (
    OptimizerSpec,
    ScheduleSpec,
    check_optimizer_options,
    check_schedule,
    make_optimizer,
    make_schedule,
)
from nnbook.training.progress import ProgressTable
from nnbook.training.stacked import StackedModels

Data = tuple[torch.Tensor, torch.Tensor] | Split | Dataset | DataLoader
LossSpec = str | Callable[[torch.Tensor, torch.Tensor], torch.Tensor]

#: A finite loss this many times the first epoch's loss counts as running away (it warns).
RUNAWAY_FACTOR = 1e6


class DivergenceWarning(RuntimeWarning):
    """Training diverged: the loss became NaN or infinite (training stops), or grew a million-fold (a warning).

    The message names the learning rate and a smaller one to try.

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
    return check_device(None)


def has_mode_dependent_layers(model: nn.Module) -> bool:
    """Whether ``model`` may behave differently in ``train()`` and ``eval()`` mode (dropout, batch norm, …).

    ``fit`` switches the model to evaluation mode for every validation pass only when this is True:
    for a plain MLP the switch changes nothing and costs a noticeable share of a short epoch.

    >>> has_mode_dependent_layers(nn.Sequential(nn.Linear(1, 5), nn.Dropout(0.2)))
    True
    """
    return not (model.plain() if isinstance(model, StackedModels) else is_plain(model))


class _Interrupt:
    """Turn the first Ctrl-C during training into a flag checked after each batch (a second one stops at once)."""

    def __init__(self) -> None:
        self.requested = False
        self._previous: Any = None

    def __enter__(self) -> _Interrupt:
        if threading.current_thread() is threading.main_thread():
            try:
                self._previous = signal.signal(signal.SIGINT, self._handle)
            except (ValueError, OSError):  # pragma: no cover - no signals here (some embedded interpreters)
                self._previous = None
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)


class Learner:
    """One training run: the model, its data and options, and the :class:`History` it builds up.

    Takes the same options as :func:`fit`. ``Learner.fit(epochs)`` trains for ``epochs`` more
    epochs and can be called again: the epoch numbers continue, the optimizer keeps its state
    (Adam's running averages), a schedule starts over for the new epochs, and an earlier stop
    (early stopping, an interrupt) is cleared. Callbacks see the run's :class:`TrainState`,
    also available as ``learner.state``.

    >>> learner = Learner(nn.Linear(1, 1), (torch.zeros(4, 1), torch.zeros(4, 1)), lr=0.1, progress=False)
    >>> learner.fit(2).last["epoch"], learner.fit(3).last["epoch"]
    (2, 5)
    """

    @check_options
    def __init__(
        self,
        model: nn.Module,
        train: Data,
        valid: Data | None = None,
        *,
        lr: float | None = None,
        loss: LossSpec = "mse",
        optimizer: OptimizerSpec = "adam",
        schedule: ScheduleSpec = "constant",
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        batch_size: int | None = None,
        metrics: Sequence[str | Metric] = (),
        callbacks: Sequence[Callback] = (),
        progress: bool = True,
        device: str | torch.device | None = None,
        seed: int = 0,
    ) -> None:
        self.model = check_model(model)
        check_loss_name(loss)
        self.lr = check_optimizer_options(optimizer, lr, weight_decay, momentum)
        check_schedule(schedule)
        self.device = check_device(device)
        self.n_models = model.n_models if isinstance(model, StackedModels) else 1
        self.loss_spec = loss
        self.loss_fn = (
            per_model_loss(loss) if self.n_models > 1 or isinstance(model, StackedModels) else make_loss(loss)
        )
        self.loss_name = loss if isinstance(loss, str) else getattr(loss, "__name__", "loss")
        self.metrics = get_metrics(metrics)
        user_callbacks = check_list(callbacks, "callbacks", "stopper")
        for cb in user_callbacks:
            if not isinstance(cb, Callback):
                made = f" Create one first: {cb.__name__}(), not {cb.__name__}." if isinstance(cb, type) else ""
                raise TypeError(f"callbacks must be nnbook Callback objects, got {cb!r} ({type(cb).__name__}).{made}")
        self.callbacks = user_callbacks + ([ProgressTable()] if check_flag(progress, "progress") else [])
        self.optimizer_spec, self.schedule, self.weight_decay, self.momentum = (
            optimizer,
            schedule,
            weight_decay,
            momentum,
        )
        self.generator = torch.Generator().manual_seed(check_seed(seed))
        home = model_device(self.model)
        self.model.to(self.device)
        try:
            if isinstance(train, Split):
                if valid is None:
                    valid = train.valid
                train = train.train
            self.train = self._prepare(train, "train")
            self.valid = None if valid is None else self._prepare(valid, "valid")
            self.batch_size = self._check_batch_size(batch_size)
        finally:
            self.model.to(home)
        self.optimizer: torch.optim.Optimizer | None = None
        self.state = TrainState(model=self.model, device=self.device, train=self.train, valid=self.valid)
        self.state.n_models = self.n_models
        self.state.stacked = isinstance(self.model, StackedModels)
        self.history = self.state.history
        self._first_loss: list[float] | None = None
        self._diverged = [False] * self.n_models
        self._warned_runaway = [False] * self.n_models

    # ---- data -------------------------------------------------------------------------------------------

    def _probe(self) -> nn.Module:
        return self.model.probe if isinstance(self.model, StackedModels) else self.model

    def _prepare(self, data: Data, name: str) -> tuple[torch.Tensor, torch.Tensor] | DataLoader | Dataset:
        if isinstance(data, Split):
            raise TypeError(
                f"{name} is a Split; pass it as train (fit(model, split, …)), which uses its valid part too."
            )
        if isinstance(data, IterableDataset):
            raise TypeError(
                f"the {name} data is an IterableDataset, which fit cannot shuffle or batch itself: wrap it in a "
                "DataLoader(dataset, batch_size=…) and pass that."
            )
        if isinstance(data, (DataLoader, Dataset)):
            self._check_first_batch(data, name)
            return data
        x, y = check_pair(data, name, self.loss_spec)
        x, y = x.to(self.device), y.to(self.device)
        self._check_fits(x, y, name)
        return x, y

    def _check_fits(self, x: torch.Tensor, y: torch.Tensor, name: str) -> None:
        probe = self._probe()
        probe_home = model_device(probe)
        probe.to(self.device)
        try:
            pred = check_model_fits(probe, x, y, self.loss_spec, name)
            if not isinstance(self.loss_spec, str):
                value = self.loss_spec(pred, y[: len(pred)])
                check_loss_value(value, self.loss_name)
        finally:
            probe.to(probe_home)

    def _check_first_batch(self, data: DataLoader | Dataset, name: str) -> None:
        """Give the first batch of a Dataset/DataLoader every check a tensor pair gets, without using its RNG."""
        dataset = data.dataset if isinstance(data, DataLoader) else data
        if isinstance(dataset, IterableDataset) or not hasattr(dataset, "__len__"):
            return  # no random access: its batches are converted, not checked, as they come
        if len(dataset) == 0:  # type: ignore[arg-type]
            raise ValueError(f"the {name} Dataset is empty: there is nothing to train on.")
        collate = data.collate_fn if isinstance(data, DataLoader) and data.collate_fn is not None else default_collate
        n = min(len(dataset), 16)  # type: ignore[arg-type]
        try:
            batch = collate([dataset[i] for i in range(n)])
        except Exception as err:
            raise TypeError(
                f"the {name} Dataset's items cannot be stacked into a batch ({type(err).__name__}: {err}). "
                "Make __getitem__ return a pair (x, y) of tensors of the same shape for every item."
            ) from None
        xb, yb = check_batch(batch, name)
        sample = f"the first batch of the {name} {'DataLoader' if isinstance(data, DataLoader) else 'Dataset'}"
        try:
            x, y = check_pair((xb, yb), name, self.loss_spec)
        except (TypeError, ValueError) as err:
            hint = ""
            if yb.dim() == 1 and self.loss_spec != "cross_entropy":
                hint = " Make __getitem__ return y with shape (1,), e.g. torch.tensor([value]), not a bare number."
            raise type(err)(f"In {sample}: {err}{hint}") from None
        self._check_fits(x.to(self.device), y.to(self.device), name)

    def _check_batch_size(self, batch_size: int | None) -> int | None:
        if batch_size is None:
            return None
        batch_size = check_positive_int(batch_size, "batch_size", " Use None for full-batch training.")
        if isinstance(self.train, DataLoader):
            raise ValueError(
                "batch_size was given, but train is a DataLoader, which has its own batch size. Set it in "
                "DataLoader(..., batch_size=…) and leave batch_size out of fit."
            )
        n = self._n_train()
        if n is not None and batch_size > n:
            warnings.warn(
                f"batch_size={batch_size} is larger than the {n} training rows; using full batches of {n}.",
                stacklevel=4,
            )
            return n
        return batch_size

    def _n_train(self) -> int | None:
        if isinstance(self.train, tuple):
            return self.train[0].shape[0]
        if isinstance(self.train, Dataset) and hasattr(self.train, "__len__"):
            return len(self.train)  # type: ignore[arg-type]
        return None

    def _to_device(self, xb: torch.Tensor, yb: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        xb = xb.to(self.device, torch.float32)
        if self.loss_spec == "cross_entropy":
            return xb, yb.to(self.device, torch.long).reshape(-1)
        if isinstance(self.loss_spec, str):
            return xb, yb.to(self.device, torch.float32)
        return xb, yb.to(self.device)

    def _batches(self):
        """Yield ``(x, y)`` batches for one epoch: slices of a shuffled index, or a loader's batches."""
        data = self.train
        if isinstance(data, Dataset):
            data = self.train = self.state.train = DataLoader(
                data,
                batch_size=self.batch_size or len(data),  # type: ignore[arg-type]
                shuffle=not isinstance(data, IterableDataset),
                generator=self.generator,
            )
        if isinstance(data, DataLoader):
            for batch in data:
                yield self._to_device(*check_batch(batch, "train"))
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

    def steps_per_epoch(self) -> int:
        """The number of batches (optimizer steps) in one epoch."""
        if isinstance(self.train, DataLoader):
            try:
                return len(self.train)
            except TypeError:
                raise ValueError(
                    f"the training DataLoader has no length (it reads an IterableDataset), so schedule="
                    f"{self.schedule!r} cannot know how many steps to plan. Use schedule='constant', or a "
                    "scheduler that does not need the total (e.g. schedule=lambda opt: StepLR(opt, 100))."
                ) from None
        n = self._n_train() or 1
        bs = self.batch_size or n
        return -(-n // bs)

    # ---- evaluation -------------------------------------------------------------------------------------

    def _per_model(self, fn: Callable, pred: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        if self.n_models == 1 and not isinstance(self.model, StackedModels):
            return fn(pred, y).reshape(())
        return torch.stack([torch.as_tensor(fn(p, y)).reshape(()) for p in pred])

    def _evaluate(self) -> dict[str, torch.Tensor]:
        """Validation loss and metrics (metrics on the training set when there is no validation set)."""
        out: dict[str, torch.Tensor] = {}
        data = self.valid if self.valid is not None else self.train
        if data is None or not (self.valid is not None or self.metrics):
            return out
        if self._switch_modes:
            self.model.eval()
        try:
            with torch.no_grad():
                if isinstance(data, tuple):
                    pred, y = self.model(data[0]), data[1]
                else:
                    loader = data if isinstance(data, DataLoader) else DataLoader(data, batch_size=1024)
                    pairs = [
                        (self.model(xb), yb) for xb, yb in (self._to_device(*check_batch(b, "valid")) for b in loader)
                    ]
                    dim = 1 if isinstance(self.model, StackedModels) else 0
                    pred, y = torch.cat([p for p, _ in pairs], dim=dim), torch.cat([t for _, t in pairs])
                if self.valid is not None:
                    out["valid_loss"] = self.loss_fn(pred, y).detach()
                for name, fn in self.metrics:
                    out[name] = self._per_model(fn, pred, y).detach()
        finally:
            if self._switch_modes:
                self.model.train()
        return out

    def _call(self, event: str) -> None:
        for cb in self.callbacks:
            if cb.handles(event):
                getattr(cb, event)(self.state)

    # ---- the loop ---------------------------------------------------------------------------------------

    def fit(self, epochs: int) -> History:
        """Train for ``epochs`` more epochs and return the history (also kept as ``self.history``).

        Ctrl-C stops training at the end of the current batch and returns the history so far with
        ``interrupted=True``. An exception inside training (a callback's, for example) is raised
        with the history attached as ``err.history``.
        """
        epochs = check_positive_int(epochs, "epochs", " One epoch is one pass over the training data; try epochs=30.")
        state = self.state
        state.first_epoch = state.epoch + 1
        state.epochs = state.epoch + epochs
        state.stop = False
        self.history.interrupted = False
        home = model_device(self.model)
        with torch_threads(), _Interrupt() as interrupt:
            self.model.to(self.device)
            if self.optimizer is None:
                self.optimizer = make_optimizer(
                    self.optimizer_spec, self.model.parameters(), self.lr, self.weight_decay, self.momentum
                )
            planned = self.schedule in ("one_cycle", "cosine")  # the schedules that need the total number of steps
            total = epochs * self.steps_per_epoch() if planned else 0
            self.scheduler = make_schedule(self.schedule, self.optimizer, self.lr, total)
            state.optimizer, state.scheduler = self.optimizer, self.scheduler
            self._switch_modes = has_mode_dependent_layers(self.model)
            self.model.train()
            started: list[Callback] = []
            failed = False
            try:
                for cb in self.callbacks:
                    cb.before_fit(state)
                    started.append(cb)
                self._loop(interrupt)
            except KeyboardInterrupt:
                self._interrupted()
            except Exception as err:
                failed = True
                err.history = self.history  # type: ignore[attr-defined]
                err.add_note(f"The history of the {len(self.history)} finished epoch(s) is in err.history.")
                raise
            finally:
                try:
                    self._finish(started, failed)
                finally:
                    self.model.eval()
                    self.model.to(home)
        return self.history

    def _finish(self, started: list[Callback], failed: bool) -> None:
        """Call ``after_fit`` of every callback whose ``before_fit`` ran; after an error, keep that error."""
        for cb in started:
            try:
                cb.after_fit(self.state)
            except Exception:
                if not failed:
                    raise

    def _loop(self, interrupt: _Interrupt) -> None:
        state, model, optimizer, scheduler = self.state, self.model, self.optimizer, self.scheduler
        per_batch = not isinstance(scheduler, ReduceLROnPlateau) and scheduler is not None
        backward_callbacks = [cb for cb in self.callbacks if cb.handles("after_backward")]
        batch_callbacks = [cb for cb in self.callbacks if cb.handles("after_batch")]
        stacked = self.n_models > 1 or isinstance(model, StackedModels)
        for epoch in range(state.first_epoch, state.epochs + 1):
            state.epoch = epoch
            self._call("before_epoch")
            start, losses, sizes = time.perf_counter(), [], []
            for batch, (xb, yb) in enumerate(self._batches()):
                state.batch, state.xb, state.yb = batch, xb, yb
                loss = self.loss_fn(model(xb), yb)
                state.loss = loss
                optimizer.zero_grad(set_to_none=True)
                (loss.sum() if stacked else loss).backward()
                for cb in backward_callbacks:
                    cb.after_backward(state)
                optimizer.step()
                if per_batch:
                    self.history.lrs.append(optimizer.param_groups[0]["lr"])
                    scheduler.step()
                losses.append(loss.detach())
                sizes.append(len(yb))
                for cb in batch_callbacks:
                    cb.after_batch(state)
                if interrupt.requested:
                    raise KeyboardInterrupt
                if state.stop:
                    return
            if len(losses) == 1:  # full batch
                train_loss = losses[0]
            elif stacked:  # the mean over all rows: batches weighted by their size (the last may be smaller)
                train_loss = sum(loss * size for loss, size in zip(losses, sizes, strict=True)) / sum(sizes)
            else:
                weights = torch.tensor(sizes, dtype=torch.float32, device=self.device)
                train_loss = torch.stack(losses).float() @ weights / weights.sum()
            values = {"train_loss": train_loss, **self._evaluate()}
            if isinstance(scheduler, ReduceLROnPlateau):
                scheduler.step(float(values.get("valid_loss", train_loss).mean()))
            if not self._record(values, time.perf_counter() - start):
                return
            self._call("after_epoch")
            if state.stop:
                return

    def _record(self, values: dict[str, torch.Tensor], seconds: float) -> bool:
        """Append the epoch's row; return False when training must stop because the loss is not finite.

        Plain Python numbers from here on: a handful of tiny tensor operations per epoch would cost
        more than a full-batch step of a small model.
        """
        state = self.state
        stacked = self.n_models > 1 or isinstance(self.model, StackedModels)
        tensors = {k: v.detach().float().reshape(-1).cpu() for k, v in values.items()}
        numbers = {k: v.tolist() for k, v in tensors.items()}
        loss_columns = [v for k, v in numbers.items() if k.endswith("loss")]
        finite = [all(math.isfinite(col[i]) for col in loss_columns) for i in range(self.n_models)]
        newly = [not f and not d for f, d in zip(finite, self._diverged, strict=True)]
        if self._first_loss is None:
            self._first_loss = numbers["train_loss"]
        if any(newly):
            self._diverged = [d or n for d, n in zip(self._diverged, newly, strict=True)]
            self._on_divergence(newly, numbers["train_loss"])
            if all(self._diverged):
                state.stop = True
                return False
        self._check_runaway(numbers["train_loss"])
        row: dict[str, Any] = {"epoch": state.epoch}
        keep = [not d for d in self._diverged]
        for name, column in numbers.items():
            if stacked:
                self.history.per_model.setdefault(name, []).append(tensors[name])
                kept = [v for v, k in zip(column, keep, strict=True) if k]
                row[name] = math.fsum(kept) / len(kept)
            else:
                row[name] = column[0]
        row["lr"] = self.optimizer.param_groups[0]["lr"]
        row["time"] = seconds
        if state.pending:
            row.update(state.pending)
            state.pending.clear()
        self.history.append(row)
        return True

    @property
    def diverged(self) -> torch.Tensor:
        """Which models' loss became NaN or infinite: a (n_models,) bool tensor."""
        return torch.tensor(self._diverged, dtype=torch.bool)

    def _check_runaway(self, loss: list[float]) -> None:
        first = self._first_loss
        runaway = [
            f > 0 and v > RUNAWAY_FACTOR * f and not d and not w
            for f, v, d, w in zip(first, loss, self._diverged, self._warned_runaway, strict=True)
        ]
        if any(runaway):
            self._warned_runaway = [w or r for w, r in zip(self._warned_runaway, runaway, strict=True)]
            i = runaway.index(True)
            warnings.warn(
                f"the training loss{self._who(runaway)} grew from {first[i]:.3g} in the first epoch to "
                f"{loss[i]:.3g} in epoch {self.state.epoch}, a factor over {RUNAWAY_FACTOR:.0e}, "
                f"while staying finite: training is diverging. {self._lr_hint()}",
                DivergenceWarning,
                stacklevel=5,
            )

    def _seeds(self, mask: list[bool]) -> list[int]:
        seeds = getattr(self.model, "seeds", list(range(self.n_models)))
        return [s for s, m in zip(seeds, mask, strict=True) if m]

    def _who(self, mask: list[bool]) -> str:
        if self.n_models == 1 and not isinstance(self.model, StackedModels):
            return ""
        return f" of seed(s) {self._seeds(mask)}"

    def _base_lr(self) -> float:
        return self.lr if self.lr is not None else self.optimizer.param_groups[0].get("initial_lr", 0.0)

    def _lr_hint(self) -> str:
        lr = self._base_lr()
        return (
            f"The steps overshoot and grow instead of shrinking: try a smaller learning rate, such as lr={lr / 10:g}."
        )

    def _on_divergence(self, newly: list[bool], train_loss: list[float]) -> None:
        lr = self._base_lr()
        data = self._nonfinite_data_note()
        everyone = all(self._diverged)
        if self.n_models == 1 and not isinstance(self.model, StackedModels):
            what = f"the loss became {train_loss[0]}"
        else:
            what = f"the loss of seed(s) {self._seeds(newly)} became NaN or infinite"
        kept = (
            f"The history of the {len(self.history)} finished epochs is kept."
            if everyone
            else "Their losses read NaN from here on (see the run's diverged mask); the other seeds train on."
        )
        first = f"Training stopped at epoch {self.state.epoch}" if everyone else f"At epoch {self.state.epoch}"
        self.history.message = (
            f"{first}: {what} with learning rate lr={lr:g}. {data}"
            f"The steps overshoot and grow instead of shrinking. Try a smaller learning rate, such as lr={lr / 10:g}. "
            f"{kept}"
        )
        if everyone:
            self.history.diverged = True
        warnings.warn(self.history.message, DivergenceWarning, stacklevel=5)

    def _nonfinite_data_note(self) -> str:
        """For a Dataset/DataLoader (not checked in full up front): is NaN in the data the cause?"""
        data = self.train.dataset if isinstance(self.train, DataLoader) else self.train
        if isinstance(data, tuple) or isinstance(data, IterableDataset) or not hasattr(data, "__len__"):
            return ""
        for i in range(len(data)):  # type: ignore[arg-type]
            item = data[i]
            if isinstance(item, (tuple, list)) and any(
                isinstance(t, torch.Tensor) and t.is_floating_point() and not torch.isfinite(t).all() for t in item
            ):
                return f"But item {i} of the training Dataset contains NaN or infinite values: clean the data first. "
        return ""

    def _interrupted(self) -> None:
        self.history.interrupted = True
        self.state.stop = True
        self.history.message = (
            f"Training was interrupted during epoch {self.state.epoch}; the history of the {len(self.history)} "
            "finished epoch(s) is kept, and learner.fit(…) continues from here."
        )
        warnings.warn(self.history.message, UserWarning, stacklevel=4)


@check_options
def fit(
    model: nn.Module,
    train: Data,
    valid: Data | None = None,
    *,
    epochs: int,
    lr: float | None = None,
    loss: LossSpec = "mse",
    optimizer: OptimizerSpec = "adam",
    schedule: ScheduleSpec = "constant",
    weight_decay: float = 0.0,
    momentum: float = 0.0,
    batch_size: int | None = None,
    metrics: Sequence[str | Metric] = (),
    callbacks: Sequence[Callback] = (),
    progress: bool = True,
    device: str | torch.device | None = None,
    seed: int = 0,
) -> History:
    """Train ``model`` on ``train`` for ``epochs`` epochs; return the per-epoch :class:`History`.

    - ``train``, ``valid``: ``(x, y)`` pairs of tensors or NumPy arrays (fastest: batches are
      slices of a shuffled index), a :class:`~nnbook.data.Split` (its valid part is used), a
      ``Dataset`` or a ``DataLoader`` yielding ``(x, y)`` batches. Inputs are tables ``(n, features)``;
      targets ``(n, outputs)``, or class labels ``(n,)`` or ``(n, 1)`` for cross-entropy.
    - ``lr``: the learning rate (required with a named optimizer; :func:`lr_find` suggests one).
    - ``loss``: "mse", "mae", "bce" (two classes: one logit per row, labels 0.0/1.0),
      "cross_entropy" (one logit per class, labels 0 … classes − 1 as ``torch.long``) or a function
      ``(pred, y) -> 0-d tensor``.
    - ``optimizer``: "sgd", "adam", "adamw", a ready optimizer object or a function
      ``params -> optimizer``; a ready one keeps its own ``lr``, ``weight_decay`` and ``momentum``
      (passing them to ``fit`` too is an error). ``momentum`` is for SGD only.
    - ``schedule``: "constant", "one_cycle", "cosine", a ``torch.optim.lr_scheduler`` object or a
      function ``optimizer -> scheduler``; stepped after every batch (``ReduceLROnPlateau``: every epoch).
    - ``batch_size`` (None = full batch), ``metrics`` (a list: "mae", "mse", "accuracy" or
      functions), ``callbacks`` (a list of :class:`Callback` objects), ``progress``, ``device``
      (None: the GPU if there is one) and ``seed`` (for the shuffling).

    The model comes back in evaluation mode, on the device it started on. If the loss becomes NaN
    or infinite, training stops with a :class:`DivergenceWarning` and the finished epochs are kept
    (``history.diverged``); Ctrl-C stops after the current batch (``history.interrupted``).

    >>> x = torch.linspace(0, 1, 50)[:, None]
    >>> h = fit(nn.Linear(1, 1), (x, 2 * x), epochs=300, lr=0.1, optimizer="sgd", progress=False)
    >>> h.last["train_loss"] < 1e-3
    True
    """
    learner = Learner(
        model,
        train,
        valid,
        lr=lr,
        loss=loss,
        optimizer=optimizer,
        schedule=schedule,
        weight_decay=weight_decay,
        momentum=momentum,
        batch_size=batch_size,
        metrics=metrics,
        callbacks=callbacks,
        progress=progress,
        device=device,
        seed=seed,
    )
    return learner.fit(epochs)
