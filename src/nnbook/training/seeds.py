"""Training many seeds of one model at once, through the same loop as ``fit``.

One run tells little: a different random initialisation can land somewhere else. ``fit_seeds``
builds one model per seed, stacks them into one :class:`~nnbook.training.stacked.StackedModels`
and trains the stack with the ordinary :class:`~nnbook.training.Learner`: same options, same
checks, metrics, callbacks and progress as ``fit``. Every optimizer step updates every seed; since
the loss is the sum of the seeds' own losses, each seed receives exactly its own gradient, and
Adam, AdamW and SGD update every number independently, so the seeds do not interact.

>>> from nnbook.data import xor
>>> from nnbook.models import mlp
>>> run = fit_seeds(lambda: mlp([2, 4, 1], "tanh"), range(3), xor(), epochs=5, lr=0.05)
>>> run.final_train_loss.shape
torch.Size([3])
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

from nnbook._history import History
from nnbook._options import check_seed
from nnbook.data.split import Split
from nnbook.models.mlp import mlp
from nnbook.training.learner import Learner, resolve_metrics
from nnbook.training.options import takes_training_options
from nnbook.training.stacked import StackedModels


@dataclass
class SeedEnsemble:
    """The result of :func:`fit_seeds`: N trained copies of one architecture, one per seed.

    ``train_loss`` and ``valid_loss`` are (epochs, N) tensors, ``metrics`` maps each metric's name
    to its (epochs, N) tensor, ``diverged`` is a (N,) mask of the seeds whose loss became NaN or
    infinite (their losses read NaN from then on), ``history`` the loop's :class:`History` (means
    over the seeds that did not diverge), and ``seconds`` the training time.

    >>> from nnbook.models import mlp
    >>> run = fit_seeds(lambda: mlp([1, 1]), [0, 1], (torch.rand(8, 1), torch.rand(8, 1)), epochs=2, lr=0.1)
    >>> run.predict(torch.zeros(5, 1)).shape
    torch.Size([2, 5, 1])
    """

    seeds: list[int]
    stack: StackedModels
    train_loss: torch.Tensor
    valid_loss: torch.Tensor | None = None
    seconds: float = 0.0
    lrs: list[float] = field(default_factory=list)
    diverged: torch.Tensor = field(default_factory=lambda: torch.zeros(0, dtype=torch.bool))
    metrics: dict[str, torch.Tensor] = field(default_factory=dict)
    history: History = field(default_factory=History)

    @property
    def params(self) -> dict[str, torch.Tensor]:
        """The stacked parameters: ``hidden1.weight`` of shape (N, …) and so on."""
        return {k: v.detach() for k, v in self.stack.stacked_params().items()}

    def predict(self, x: torch.Tensor) -> torch.Tensor:
        """Every seed's prediction for ``x`` (evaluation mode, no gradients): shape (N, n, outputs).

        >>> run = fit_seeds(lambda: nn.Linear(1, 1), [0], (torch.rand(4, 1), torch.rand(4, 1)), epochs=1, lr=0.1)
        >>> run.predict(torch.ones(3, 1)).shape
        torch.Size([1, 3, 1])
        """
        from nnbook.models.running import predict

        return predict(self.stack, x)

    def model(self, i: int) -> nn.Module:
        """An ordinary ``nn.Module`` holding the weights of the ``i``-th seed (evaluation mode, on the CPU).

        >>> run = fit_seeds(lambda: nn.Linear(1, 1), [0, 1], (torch.rand(4, 1), torch.rand(4, 1)), epochs=1, lr=0.1)
        >>> isinstance(run.model(1), nn.Linear)
        True
        """
        return self.stack.model(i).eval()

    @property
    def final_train_loss(self) -> torch.Tensor:
        """Each seed's training loss in the last epoch, shape (N,)."""
        return self.train_loss[-1]

    @property
    def final_valid_loss(self) -> torch.Tensor:
        """Each seed's validation loss in the last epoch, shape (N,)."""
        if self.valid_loss is None:
            raise ValueError("this run had no validation set; pass valid=(x, y) to fit_seeds.")
        return self.valid_loss[-1]

    def evaluate(
        self, metric: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], x: torch.Tensor, y: torch.Tensor
    ) -> torch.Tensor:
        """Apply ``metric(pred, y)`` to every seed's predictions; shape (N,).

        ``metric`` is a name or a function, as in ``fit(metrics=[...])``.

        >>> from nnbook.training.metrics import mse
        >>> run = fit_seeds(lambda: nn.Linear(1, 1), [0, 1], (torch.rand(4, 1), torch.rand(4, 1)), epochs=1, lr=0.1)
        >>> run.evaluate(mse, torch.rand(4, 1), torch.rand(4, 1)).shape
        torch.Size([2])
        >>> run.evaluate("mae", torch.rand(4, 1), torch.rand(4, 1)).shape
        torch.Size([2])
        """
        if not (callable(metric) or isinstance(metric, str)):
            raise TypeError(
                "metric must be a name such as 'mse', 'mae' or 'accuracy', or a function (pred, y) -> tensor such as "
                f"nnbook.training.accuracy, got {metric!r}."
            )
        [(_, fn)] = resolve_metrics([metric], self.stack)
        pred = self.predict(x)
        return torch.stack([torch.as_tensor(fn(p, y)).reshape(()) for p in pred])


def _factory_hint(make_model: object) -> str:
    """How to wrap ``make_model`` into a function of no arguments, for an error message."""
    if isinstance(make_model, type) and issubclass(make_model, nn.Module):
        name = make_model.__name__
        example = "nn.Linear(1, 1)" if make_model is nn.Linear else f"{name}(…)"
        return f" {name} is a class that needs its sizes: wrap it, make_model=lambda: {example}."
    if make_model is mlp:
        return " mlp needs its layer sizes: wrap it, make_model=lambda: mlp([1, 50, 1]) or partial(mlp, [1, 50, 1])."
    return ""


def check_seed_inputs(make_model: object, seeds: object, name: str = "fit_seeds") -> list[int]:
    """Check the model factory and the seeds of :func:`fit_seeds` and :func:`fit_sequential`; the seeds as ints.

    ``make_model`` must be a function of no arguments that builds a new model; ``seeds`` distinct
    whole numbers. ``name`` is the function the examples in the messages call.

    >>> check_seed_inputs(lambda: nn.Linear(1, 1), range(3))
    [0, 1, 2]
    >>> check_seed_inputs(nn.Linear, range(3))
    Traceback (most recent call last):
    TypeError: make_model must be a function of no arguments that builds a new model, e.g. lambda: mlp([1, 50, 1]); got the class Linear, which needs arguments (missing a required argument: 'in_features'). Linear is a class that needs its sizes: wrap it, make_model=lambda: nn.Linear(1, 1).
    """
    if isinstance(make_model, nn.Module) or not callable(make_model):
        raise TypeError(
            f"make_model must be a function that builds a fresh model, got {type(make_model).__name__}. "
            f"Wrap the model in a lambda, for example {name}(lambda: mlp([1, 50, 1]), range(8), ...)."
        )
    try:
        inspect.signature(make_model).bind()
    except ValueError:  # no signature to read (some built-in callables): calling it will tell
        pass
    except TypeError as err:
        what = f"the class {make_model.__name__}" if isinstance(make_model, type) else "a function"
        raise TypeError(
            "make_model must be a function of no arguments that builds a new model, e.g. lambda: mlp([1, 50, 1]); "
            f"got {what}, which needs arguments ({err}).{_factory_hint(make_model)}"
        ) from None
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Iterable):
        raise TypeError(f"seeds must be a list of whole numbers such as range(8), got {seeds!r}.")
    seeds = [check_seed(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds is empty: pass at least one seed, for example range(8).")
    if len(set(seeds)) < len(seeds):
        raise ValueError(f"seeds {seeds} repeat some values, which would train identical copies: pass distinct seeds.")
    return seeds


def build_seed_model(make_model: Callable[[], nn.Module], seed: int, built: list[nn.Module]) -> nn.Module:
    """The model for ``seed``: ``make_model()`` after ``torch.manual_seed(seed)``, new and not one of ``built``.

    >>> shared = nn.Linear(1, 1)
    >>> build_seed_model(lambda: shared, 1, [shared])
    Traceback (most recent call last):
    TypeError: make_model returned the same module for two seeds, so every seed would train one shared model. Build a new one inside it: lambda: mlp([...]), not lambda: model.
    """
    torch.manual_seed(seed)
    model = make_model()
    if not isinstance(model, nn.Module):
        raise TypeError(f"make_model() must return a torch.nn.Module, got {type(model).__name__}.")
    earlier = {id(p) for m in built for p in m.parameters()}
    if any(model is m for m in built) or any(id(p) in earlier for p in model.parameters()):
        raise TypeError(
            "make_model returned the same module for two seeds, so every seed would train one shared model. "
            "Build a new one inside it: lambda: mlp([...]), not lambda: model."
        )
    return model


def _column(history: History, name: str, n_models: int) -> torch.Tensor:
    values = history.per_model.get(name, [])
    return torch.stack(values) if values else torch.empty(0, n_models)


@takes_training_options(progress=False)
def fit_seeds(
    make_model: Callable[[], nn.Module],
    seeds: Iterable[int],
    train: Any,
    valid: Any = None,
    *,
    epochs: int,
    **options: Any,
) -> SeedEnsemble:
    """Train one model per seed, all at once; the model for seed ``s`` is built after ``torch.manual_seed(s)``.

    Takes the options of :func:`~nnbook.training.fit` (data as tensor pairs, a ``Split``, a
    ``Dataset`` or a ``DataLoader``; every loss, including cross-entropy; metrics, callbacks,
    schedules, weight decay) and runs the same loop. Every seed sees the same batches in the same
    order (shuffled with ``seed``), so the seeds differ only in their initial weights. A seed whose
    loss becomes NaN or infinite is marked in ``run.diverged`` with a :class:`DivergenceWarning`;
    the others train on. ``progress`` is off by default (the table shows means over the seeds).
    Callbacks see the stack of all seeds as ``state.model``.

    >>> from nnbook.models import mlp
    >>> run = fit_seeds(lambda: mlp([1, 8, 1]), range(4), (torch.rand(20, 1), torch.rand(20, 1)), epochs=3, lr=0.01)
    >>> run.train_loss.shape
    torch.Size([3, 4])
    """
    seeds = check_seed_inputs(make_model, seeds)
    models: list[nn.Module] = []
    for s in seeds:
        models.append(build_seed_model(make_model, s, models))
    stack = StackedModels(models)
    stack.seeds = seeds
    learner = Learner(stack, train, valid, **options)
    start = time.perf_counter()
    history = learner.fit(epochs)
    seconds = time.perf_counter() - start
    n = len(seeds)
    diverged = learner.diverged.clone()
    train_loss = _column(history, "train_loss", n)
    valid_loss = _column(history, "valid_loss", n) if learner.valid is not None else None
    for table in (train_loss, valid_loss):  # from its first NaN or infinite loss on, a seed's numbers mean nothing
        if table is not None and len(table):
            gone = (~torch.isfinite(table)).int().cummax(dim=0).values.bool()
            table[gone] = torch.nan
    stack.requires_grad_(False)
    named = {name: _column(history, name, n) for name, _ in learner.metrics}
    return SeedEnsemble(seeds, stack, train_loss, valid_loss, seconds, list(history.lrs), diverged, named, history)


@dataclass
class SequentialRuns:
    """The result of :func:`fit_sequential`: one ordinary ``fit`` per seed, run one after the other.

    ``final_valid_loss`` has shape (N,) like :attr:`SeedEnsemble.final_valid_loss`; ``seconds`` is the total time.

    >>> data = (torch.rand(8, 1), torch.rand(8, 1))
    >>> runs = fit_sequential(lambda: nn.Linear(1, 1), [0, 1], data, data, epochs=2, lr=0.1)
    >>> runs.final_valid_loss.shape
    torch.Size([2])
    """

    seeds: list[int]
    models: list[nn.Module]
    histories: list
    seconds: float

    @property
    def final_valid_loss(self) -> torch.Tensor:
        """Each seed's validation loss in the last epoch, shape (N,)."""
        return torch.tensor([h.last["valid_loss"] for h in self.histories])


def fit_sequential(
    make_model: Callable[[], nn.Module],
    seeds: Iterable[int],
    train: Any,
    valid: Any = None,
    *,
    epochs: int,
    **options: Any,
) -> SequentialRuns:
    """Train one model per seed with :func:`~nnbook.training.fit`, one after the other, and time the loop.

    The same recipe as :func:`fit_seeds` (the model for seed ``s`` is built after ``torch.manual_seed(s)``,
    the batches come in the same order), so the two give the same numbers, and comparing their
    ``seconds`` shows what vectorising the seeds buys. ``options`` go to ``fit`` (``lr``, ``optimizer`` …).
    ``make_model`` and ``seeds`` are checked as in :func:`fit_seeds`; a ``Split`` as ``train`` gives its valid part.

    >>> from nnbook.models import mlp
    >>> data = (torch.rand(20, 1), torch.rand(20, 1))
    >>> runs = fit_sequential(lambda: mlp([1, 4, 1]), range(2), data, data, epochs=2, lr=0.01)
    >>> runs.final_valid_loss.shape, runs.seconds > 0
    (torch.Size([2]), True)
    """
    from nnbook.training.learner import fit

    seeds = check_seed_inputs(make_model, seeds, "fit_sequential")
    if isinstance(train, Split) and valid is None:  # as fit and fit_seeds: the Split's valid part
        train, valid = train.train, train.valid
    if valid is None:
        raise ValueError("fit_sequential compares validation losses, so it needs valid=(x_valid, y_valid).")
    options = {"progress": False, **options}
    models: list[nn.Module] = []
    histories = []
    start = time.perf_counter()
    for s in seeds:
        model = build_seed_model(make_model, s, models)
        histories.append(fit(model, train, valid, epochs=epochs, **options))
        models.append(model)
    return SequentialRuns(seeds, models, histories, time.perf_counter() - start)
