"""The training loop: ``fit`` trains a model and returns its :class:`History`.

The loop is the one the book writes by hand in chapter 1 (forward, loss, backward, step), with
the bookkeeping around it: batches (``nnbook.training.batches``), validation, metrics, a
learning-rate schedule, progress, divergence checks (``nnbook.training.divergence``) and
callbacks. ``fit_seeds`` runs the same loop over a stack of seeds
(:class:`~nnbook.training.stacked.StackedModels`).

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

import functools
import math
import signal
import threading
import time
import warnings
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

import torch
from torch import nn
from torch.optim.lr_scheduler import ReduceLROnPlateau

from nnbook._callbacks import Callback, TrainState
from nnbook._history import History
from nnbook._options import Flag, Whole, check_device, check_list, check_seed
from nnbook.data.split import Split
from nnbook.models.mlp import is_plain
from nnbook.models.running import check_model, evaluation_mode, last_layer, model_device, output_kind
from nnbook.training.batches import Batches, all_batches, check_batch_size, prepare
from nnbook.training.divergence import DivergenceCheck, DivergenceWarning  # noqa: F401 - the docstrings name it
from nnbook.training.losses import check_loss_name, loss_function, per_model_loss
from nnbook.training.metrics import accuracy, get_metrics
from nnbook.training.optimizers import (
    SCHEDULES,
    build_optimizer,
    build_schedule,
    check_optimizer_options,
    check_schedule,
    check_total_steps,
)
from nnbook.training.options import takes_training_options
from nnbook.training.progress import ProgressTable
from nnbook.training.stacked import StackedModels
from nnbook.training.threads import torch_threads

EPOCHS = Whole(1, hint="One epoch is one pass over the training data; try epochs=30.")


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


def check_trainable(model: nn.Module) -> None:
    """Refuse a model with nothing to train: no ``nn.Parameter``, or every one frozen (``requires_grad=False``).

    >>> frozen = nn.Linear(1, 1).requires_grad_(False)
    >>> check_trainable(frozen)
    Traceback (most recent call last):
    ValueError: the model (Linear) has no parameter to train: all its weights are frozen (requires_grad=False), so the loss has no gradient. Unfreeze them with model.requires_grad_(True) before training.
    """
    params = list(model.parameters())
    if not params:
        raise ValueError(
            f"the model ({type(model).__name__}) has no parameters to train: no nn.Parameter inside it. Build it "
            "from torch.nn layers such as nn.Linear, or wrap your weight tensors in nn.Parameter(...)."
        )
    if any(p.requires_grad for p in params):
        return
    if isinstance(model, StackedModels) and hasattr(model, "seeds"):  # run.stack of a fit_seeds result
        raise ValueError(
            "the model is the stack of a fit_seeds result (run.stack), whose weights are frozen "
            "(requires_grad=False) after training. To train or test one seed further, take its own network: "
            "fit(run.model(i), ...) or lr_find(run.model(i), ...)."
        )
    raise ValueError(
        f"the model ({type(model).__name__}) has no parameter to train: all its weights are frozen "
        "(requires_grad=False), so the loss has no gradient. Unfreeze them with model.requires_grad_(True) "
        "before training."
    )


def resolve_metrics(metrics: object, model: nn.Module) -> list[tuple[str, Callable]]:
    """The ``(name, function)`` pairs of ``metrics`` as ``fit`` computes them for ``model``.

    Names and functions as :func:`~nnbook.training.metrics.get_metrics` takes them; accuracy is
    told whether ``model`` gives probabilities (it ends in a sigmoid or softmax) or logits.

    >>> [name for name, _ in resolve_metrics(["mse", "accuracy"], nn.Linear(1, 1))]
    ['mse', 'accuracy']
    """
    kind = output_kind(model) or "logits"
    return [
        (name, functools.partial(accuracy, kind=kind) if fn is accuracy else fn) for name, fn in get_metrics(metrics)
    ]


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


def _callback(cb: object) -> Callback:
    if not isinstance(cb, Callback):
        made = f" Create one first: {cb.__name__}(), not {cb.__name__}." if isinstance(cb, type) else ""
        raise TypeError(f"callbacks must be nnbook Callback objects, got {cb!r} ({type(cb).__name__}).{made}")
    return cb


def _returned(cb: Callback, event: str, value: object) -> None:
    raise TypeError(
        f"{type(cb).__name__}.{event} returned {value!r}, but hooks return nothing: to stop training set "
        "state.stop = True; to record a number use state.log(name, value)."
    )


class Learner:
    """One training run: the model, its data and options, and the :class:`History` it builds up.

    Takes the options of :func:`fit`. ``Learner.fit(epochs)`` trains for ``epochs`` more epochs
    and can be called again: the epoch numbers continue, the optimizer keeps its state (Adam's
    running averages), a schedule starts over for the new epochs, and an earlier stop is cleared.
    Callbacks see the run's :class:`TrainState`, also available as ``learner.state``.

    >>> learner = Learner(nn.Linear(1, 1), (torch.zeros(4, 1), torch.zeros(4, 1)), lr=0.1, progress=False)
    >>> learner.fit(2).last["epoch"], learner.fit(3).last["epoch"]
    (2, 5)
    """

    @takes_training_options()
    def __init__(self, model: nn.Module, train: Any, valid: Any = None, **options: Any) -> None:
        self.model = model = check_model(model)
        self.stacked = isinstance(model, StackedModels)
        self.n_models = model.n_models if self.stacked else 1
        loss, optimizer = options["loss"], options["optimizer"]
        check_loss_name(loss)
        if isinstance(optimizer, str):
            check_trainable(model)
        kind = output_kind(model)
        if kind and loss in ("bce", "cross_entropy"):
            raise ValueError(
                f"the model ends in {type(last_layer(getattr(model, 'probe', model))).__name__}, "
                f"but loss={loss!r} takes logits (raw scores) and applies the sigmoid or softmax itself. Remove the "
                "last layer; after training, predict(model, x, output='probabilities') gives the probabilities."
            )
        self.lr = check_optimizer_options(optimizer, options["lr"], options["weight_decay"], options["momentum"])
        check_schedule(options["schedule"])
        self.options = options
        self.device = check_device(options["device"])
        self.loss_spec = loss
        self.loss_fn = per_model_loss(loss) if self.stacked else loss_function(loss)
        self.metrics = resolve_metrics(options["metrics"], model)
        callbacks = [_callback(cb) for cb in check_list(options["callbacks"], "callbacks", "EarlyStopping()")]
        progress = [ProgressTable()] if Flag()(options["progress"], "progress") else []
        self.divergence = DivergenceCheck()
        self.callbacks = [self.divergence, *callbacks, *progress]
        self.generator = torch.Generator().manual_seed(check_seed(options["seed"]))
        home = model_device(model)
        model.to(self.device)
        try:
            if isinstance(train, Split):
                train, valid = train.train, train.valid if valid is None else valid
            self.train, self.classes = prepare(train, "train", loss, model, self.device)
            self.valid = None if valid is None else prepare(valid, "valid", loss, model, self.device)[0]
        finally:
            model.to(home)
        self.batch_size = check_batch_size(options["batch_size"], self.train)
        self.optimizer: torch.optim.Optimizer | None = None
        self.state = TrainState(model=model, device=self.device, train=self.train, valid=self.valid)
        self.state.update(n_models=self.n_models, stacked=self.stacked)
        self.state.update(diverged=torch.zeros(self.n_models, dtype=torch.bool))
        self.history = self.state.history

    @property
    def diverged(self) -> torch.Tensor:
        """Which models' loss became NaN or infinite: a (n_models,) bool tensor."""
        return self.state.diverged

    def steps_per_epoch(self) -> int:
        """The number of batches (optimizer steps) in one epoch."""
        return self._steps(self._batches())

    def _batches(self) -> Batches:
        return Batches(self.train, self.batch_size, self.generator, self.device, self.loss_spec, self.classes)

    def _steps(self, batches: Batches) -> int:
        try:
            return len(batches)
        except TypeError:
            raise ValueError(
                f"the training DataLoader has no length (it reads an IterableDataset), so schedule="
                f"{self.options['schedule']!r} cannot know how many steps to plan. Use schedule='constant', or a "
                "scheduler that does not need the total (e.g. schedule=lambda opt: StepLR(opt, 100))."
            ) from None

    def fit(self, epochs: int) -> History:
        """Train for ``epochs`` more epochs and return the history (also kept as ``self.history``).

        Ctrl-C stops training at the end of the current batch and returns the history so far with
        ``interrupted=True``. An exception inside training (a callback's, for example) is raised
        with the history attached as ``err.history``.
        """
        epochs, state, options = EPOCHS(epochs, "epochs"), self.state, self.options
        batches = self._batches()
        schedule = options["schedule"]
        planned = isinstance(schedule, str) and SCHEDULES[schedule] > 0
        total = check_total_steps(schedule, epochs * self._steps(batches)) if planned else 0
        state.update(first_epoch=state.epoch + 1, epochs=state.epoch + epochs, stop=False)
        self.history.interrupted = False
        home = model_device(self.model)
        with torch_threads(), _Interrupt() as interrupt:
            self.model.to(self.device)
            if self.optimizer is None:
                self.optimizer = build_optimizer(
                    options["optimizer"], self.model.parameters(), self.lr, options["weight_decay"], options["momentum"]
                )
            scheduler = build_schedule(schedule, self.optimizer, self.lr, total)
            state.update(optimizer=self.optimizer, scheduler=scheduler, locked=True)
            self._switch_modes = has_mode_dependent_layers(self.model)
            self.model.train()
            started: list[Callback] = []
            failed = False
            try:
                for cb in self.callbacks:
                    self._call(cb, "before_fit")
                    started.append(cb)
                self._loop(batches, interrupt)
            except KeyboardInterrupt:
                self._interrupted()
            except Exception as err:
                failed = True
                err.history = self.history  # type: ignore[attr-defined]
                err.add_note(f"The history of the {len(self.history)} finished epoch(s) is in err.history.")
                raise
            finally:
                try:
                    for cb in started:  # after_fit for every callback whose before_fit ran; an error wins
                        try:
                            self._call(cb, "after_fit")
                        except Exception:
                            if not failed:
                                raise
                finally:
                    state.update(locked=False)
                    self.model.eval()
                    self.model.to(home)
        return self.history

    def _call(self, cb: Callback, event: str) -> None:
        value = getattr(cb, event)(self.state)
        if value is not None:
            _returned(cb, event, value)

    def _loop(self, batches: Batches, interrupt: _Interrupt) -> None:
        state, model, optimizer, scheduler = self.state, self.model, self.optimizer, self.state.scheduler
        write = object.__setattr__  # the loop's own writes, past the guard that keeps callbacks to state.stop
        per_batch = scheduler is not None and not isinstance(scheduler, ReduceLROnPlateau)
        on_backward = [cb for cb in self.callbacks if cb.handles("after_backward")]
        on_batch = [cb for cb in self.callbacks if cb.handles("after_batch")]
        on_epoch = [cb for cb in self.callbacks if cb.handles("before_epoch") or cb.handles("after_epoch")]
        for epoch in range(state.first_epoch, state.epochs + 1):
            state.update(epoch=epoch)
            for cb in on_epoch:
                self._call(cb, "before_epoch")
            start, losses, sizes = time.perf_counter(), [], []
            for batch, (xb, yb) in enumerate(batches):
                loss = self.loss_fn(model(xb), yb)
                write(state, "batch", batch), write(state, "xb", xb), write(state, "yb", yb), write(state, "loss", loss)
                optimizer.zero_grad(set_to_none=True)
                (loss.sum() if self.stacked else loss).backward()
                for cb in on_backward:
                    if cb.after_backward(state) is not None:
                        _returned(cb, "after_backward", "a value")
                optimizer.step()
                if per_batch:
                    self.history.lrs.append(optimizer.param_groups[0]["lr"])
                    scheduler.step()
                losses.append(loss.detach())
                sizes.append(len(yb))
                for cb in on_batch:
                    if cb.after_batch(state) is not None:
                        _returned(cb, "after_batch", "a value")
                if interrupt.requested:
                    raise KeyboardInterrupt
                if state.stop:
                    return
            values = {"train_loss": self._mean(losses, sizes), **self._evaluate()}
            if isinstance(scheduler, ReduceLROnPlateau):
                scheduler.step(float(values.get("valid_loss", values["train_loss"]).nanmean()))
            if not self._record(values, time.perf_counter() - start):
                state.stop = True
                return
            for cb in on_epoch:
                self._call(cb, "after_epoch")
            if state.stop:
                return

    def _mean(self, losses: list[torch.Tensor], sizes: list[int]) -> torch.Tensor:
        """The epoch's training loss: the mean over all rows (batches weighted by size; the last may be smaller)."""
        if len(losses) == 1:
            return losses[0]
        if self.stacked:
            return sum(loss * size for loss, size in zip(losses, sizes, strict=True)) / sum(sizes)
        weights = torch.tensor(sizes, dtype=torch.float32, device=self.device)
        return torch.stack(losses).float() @ weights / weights.sum()

    def _evaluate(self) -> dict[str, torch.Tensor]:
        """Validation loss and metrics (metrics on the training set when there is no validation set)."""
        data = self.valid if self.valid is not None else self.train
        if self.valid is None and not self.metrics:
            return {}
        with evaluation_mode(self.model) if self._switch_modes else nullcontext(), torch.no_grad():
            pairs = [(self.model(xb), yb) for xb, yb in all_batches(data, self.device, self.loss_spec, self.classes)]
        pred = pairs[0][0] if len(pairs) == 1 else torch.cat([p for p, _ in pairs], dim=1 if self.stacked else 0)
        y = pairs[0][1] if len(pairs) == 1 else torch.cat([t for _, t in pairs])
        out = {"valid_loss": self.loss_fn(pred, y).detach()} if self.valid is not None else {}
        for name, fn in self.metrics:
            per_model = [fn(p, y) for p in pred] if self.stacked else [fn(pred, y)]
            out[name] = torch.stack([torch.as_tensor(v).reshape(()) for v in per_model]).detach()
        return out

    def _record(self, values: dict[str, torch.Tensor], seconds: float) -> bool:
        """Append the epoch's row (plain numbers; for seeds, the mean over those that have not diverged).

        Returns False, recording nothing, when the loss of every model has become NaN or infinite.
        """
        tensors = {k: v.detach().float().reshape(-1).cpu() for k, v in values.items()}
        losses = {k: v.tolist() for k, v in tensors.items() if k.endswith("loss")}
        if not self.divergence.check(self.state, losses):
            return False
        keep = (~self.state.diverged).tolist()
        row: dict[str, Any] = {"epoch": self.state.epoch}
        for name, tensor in tensors.items():
            column = tensor.tolist()
            if self.stacked:
                self.history.per_model.setdefault(name, []).append(tensor)
                kept = [v for v, k in zip(column, keep, strict=True) if k]
                row[name] = math.fsum(kept) / len(kept) if kept else math.nan
            else:
                row[name] = column[0]
        row["lr"] = self.optimizer.param_groups[0]["lr"]
        row["time"] = seconds
        row.update(self.state.pending)
        self.state.pending.clear()
        self.history.append(row)
        return True

    def _interrupted(self) -> None:
        self.history.interrupted = True
        self.state.stop = True
        self.history.message = (
            f"Training was interrupted during epoch {self.state.epoch}; the history of the {len(self.history)} "
            "finished epoch(s) is kept, and learner.fit(…) continues from here."
        )
        warnings.warn(self.history.message, UserWarning, stacklevel=4)


@takes_training_options()
def fit(model: nn.Module, train: Any, valid: Any = None, *, epochs: int, **options: Any) -> History:
    """Train ``model`` on ``train`` for ``epochs`` epochs; return the per-epoch :class:`History`.

    - ``train``, ``valid``: ``(x, y)`` pairs of tensors or NumPy arrays (fastest: batches are
      slices of a shuffled index), a :class:`~nnbook.data.Split` (its valid part is used), a
      ``Dataset`` or a ``DataLoader`` yielding ``(x, y)`` batches. Inputs are tables ``(n, features)``;
      targets ``(n, outputs)``, or class labels ``(n,)`` or ``(n, 1)`` for cross-entropy.
    - ``lr``: the learning rate (required with a named optimizer; :func:`lr_find` suggests one).
    - ``loss``: "mse", "mae", "bce" (two classes: one logit per row, labels 0.0/1.0),
      "cross_entropy" (one logit per class, labels 0 … classes − 1 as ``torch.long``) or a function
      ``(pred, y) -> 0-d tensor``. "bce" and "cross_entropy" take logits: a model ending in
      ``nn.Sigmoid`` or ``nn.Softmax`` is refused with them.
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
    NaN or infinite values in the data and labels out of range raise a ``ValueError`` instead: up
    front for tensors, and for a Dataset or DataLoader at the batch that holds them, naming its items.

    >>> x = torch.linspace(0, 1, 50)[:, None]
    >>> h = fit(nn.Linear(1, 1), (x, 2 * x), epochs=300, lr=0.1, optimizer="sgd", progress=False)
    >>> h.last["train_loss"] < 1e-3
    True
    """
    return Learner(model, train, valid, **options).fit(epochs)
